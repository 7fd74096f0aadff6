import { describe, expect, it } from "vitest";
import { decodeButtonId, encodeButtonId } from "../../src/discord/custom-id.js";
import { formatAnswer, formatContext, formatDecline } from "../../src/discord/format.js";
import { DiscordLimits } from "../../src/discord/limits.js";
import { limitViolations } from "../../src/discord/payload.js";
import { answered, citation, declined, doc, excerpt } from "./fakes.js";

const dpa = doc("000_dpa.txt", { title: "Use of non-secure line behind Taurus talk leak", outlet: "dpa", date: "2024-03-06", url: "https://example.com/dpa" });
const guardian = doc("001_guardian.txt", { title: "German general broke protocol", outlet: "The Guardian" });
const indep = doc("004_independent.txt", { title: "Mistake let Russia intercept call", outlet: "The Independent", date: "2024-03-05" });

function description(p: { embeds: Array<{ description?: string }> }): string {
  return p.embeds[0]?.description ?? "";
}

describe("formatAnswer", () => {
  const ex1 = excerpt("The Ministry of Defence blamed a non-secure data line for the leak.", [citation(dpa, 9), citation(guardian, 4)], ["non-secure", "leak"]);
  const ex2 = excerpt("One participant dialled in from his hotel room.", [citation(guardian, 3)], ["dialled"]);
  const ex3 = excerpt("The person on the call from Singapore had used an unsecure line.", [citation(indep, 7)], ["line"]);
  const ex4 = excerpt("A fourth excerpt about the leak.", [citation(indep, 12)], ["leak"]);
  const answer = answered("How was the call intercepted?", [ex1, ex2, ex3, ex4]);

  it("shows the first three excerpts with numbered citations, bold matches, 'also in' and links only when known", () => {
    const p = formatAnswer(answer, { page: 0, key: "123" });
    const d = description(p);
    expect(d).toContain("**[1]** “The Ministry of Defence blamed a **non-secure** data line for the **leak**.”");
    expect(d).toContain("↳ *Use of non-secure line behind Taurus talk leak* — dpa, 2024-03-06 · line 9 · [link](https://example.com/dpa)");
    expect(d).toContain("↳ also in *German general broke protocol* — The Guardian (line 4)");
    expect(d).toContain("**[2]**");
    expect(d).toContain("↳ *German general broke protocol* — The Guardian · line 3");
    expect(d).not.toMatch(/German general broke protocol\* — The Guardian · line 3 · \[link\]/);
    expect(d).toContain("**[3]**");
    expect(d).not.toContain("**[4]**");
    expect(p.embeds[0]?.title).toBe("“How was the call intercepted?”");
    expect(p.embeds[0]?.footer?.text).toMatch(/^Excerpts 1–3 of 4/);
    expect(p.allowedMentions).toEqual({ parse: [], repliedUser: false });
  });

  it("has 'More results' (enabled while pages remain) and 'Context' buttons whose ids round-trip", () => {
    const first = formatAnswer(answer, { page: 0, key: "123" });
    const [more, context] = first.components[0]?.components ?? [];
    expect(more).toMatchObject({ label: "More results (2/2)", disabled: false });
    expect(context).toMatchObject({ label: "Context" });
    expect(decodeButtonId((more as { custom_id: string }).custom_id)).toEqual({ action: "more", key: "123", page: 1 });
    expect(decodeButtonId((context as { custom_id: string }).custom_id)).toEqual({ action: "context", key: "123", page: 0 });

    const last = formatAnswer(answer, { page: 1, key: "123" });
    expect(description(last)).toContain("**[4]** “A fourth excerpt about the **leak**.”");
    expect(description(last)).not.toContain("**[1]**");
    expect(last.embeds[0]?.footer?.text).toMatch(/^Excerpt 4 of 4/);
    expect(last.components[0]?.components[0]).toMatchObject({ disabled: true });
  });

  it("escapes Markdown and mentions in corpus text and in the question", () => {
    const evil = doc("evil.txt", { title: "**Pwned** @everyone", outlet: "<@123456789012345678>" });
    const ex = excerpt("Ping @everyone and @here, <@&223456789012345678> ||spoiler|| `code` ~~gone~~ *it* _it_ > quote", [citation(evil)], ["spoiler"]);
    const p = formatAnswer(answered("Why **@here** `now`? <#323456789012345678>", [ex]), { page: 0, key: "k" });
    const text = JSON.stringify(p.embeds);
    expect(text).not.toMatch(/@everyone|@here/);
    expect(text).not.toMatch(/<@&?\d+>|<#\d+>/);
    const d = description(p);
    expect(d).toContain("\\|\\|**spoiler**\\|\\|");
    expect(d).toContain("\\`code\\`");
    expect(d).toContain("\\~\\~gone\\~\\~");
    expect(d).toContain("\\*it\\* \\_it\\_");
    expect(d).toContain("*\\*\\*Pwned\\*\\* @\u200beveryone*");
    expect(p.embeds[0]?.title).toBe("“Why \\*\\*@\u200bhere\\*\\* \\`now\\`? <#\u200b323456789012345678>”");
  });

  it("says it is not sure, above the excerpts, when the answer is the closest passages rather than a confident one", () => {
    const sure = description(formatAnswer({ ...answer, confidence: "high" }, { page: 0, key: "1" }));
    const unsure = formatAnswer({ ...answer, confidence: "low" }, { page: 0, key: "1" });
    expect(sure).not.toMatch(/not sure/);
    expect(description(unsure)).toMatch(/^\*I'm not sure these answer your question — the closest passages in the documents:\*\n\n\*\*\[1\]\*\*/);
    expect(unsure.embeds[0]?.color).not.toBe(formatAnswer(answer, { page: 0, key: "1" }).embeds[0]?.color);
    const tight = Array.from({ length: 3 }, () => excerpt("word ".repeat(2000), [citation(dpa)]));
    expect(limitViolations(formatAnswer({ ...answered("Q?", tight), confidence: "low" }, { page: 0, key: "1" }))).toEqual([]);
  });

  it("stays within every limit for huge excerpts, titles, questions and many citations", () => {
    const huge = doc("h".repeat(300), { title: "T".repeat(5000), outlet: "O".repeat(3000), date: "D".repeat(500), url: `https://example.com/${"u".repeat(400)}` });
    const many = Array.from({ length: 60 }, (_, i) => citation(doc(`d${i}`, { title: `Title ${i} ${"x".repeat(300)}`, url: "https://example.com/x" }), i));
    const text = "word **bold** ".repeat(2000);
    const excerpts = Array.from({ length: 7 }, () => excerpt(text, [citation(huge), ...many], ["word", "bold"]));
    const p = formatAnswer(answered("Q? ".repeat(3000), excerpts), { page: 0, key: "9".repeat(19) });
    expect(limitViolations(p)).toEqual([]);
    const d = description(p);
    expect(d.length).toBeLessThanOrEqual(DiscordLimits.embedDescription);
    expect(d).toContain("**[1]**");
    expect(d).toContain("**[3]**");
    expect(d).toMatch(/↳ also in \*Title 0 .* and (57|59) more/);
    // bold pairs balanced in each excerpt line
    for (const line of d.split("\n").filter((l) => l.startsWith("**["))) {
      expect((line.replace(/\\\*/g, "").match(/\*\*/g) ?? []).length % 2).toBe(0);
    }
  });

  it("pages through seven excerpts three at a time: 1–3, 4–6, then 7; Context follows the page", () => {
    const seven = answered("q", Array.from({ length: 7 }, (_, i) => excerpt(`Excerpt number ${i + 1}.`, [citation(indep, i + 1)])));
    const numbersOn = (page: number) => [...description(formatAnswer(seven, { page, key: "k" })).matchAll(/\*\*\[(\d+)\]\*\*/g)].map((m) => Number(m[1]));
    expect([0, 1, 2].map(numbersOn)).toEqual([[1, 2, 3], [4, 5, 6], [7]]);
    const footers = [0, 1, 2].map((page) => formatAnswer(seven, { page, key: "k" }).embeds[0]?.footer?.text);
    expect(footers.map((f) => f?.split(" · ")[0])).toEqual(["Excerpts 1–3 of 7", "Excerpts 4–6 of 7", "Excerpt 7 of 7"]);
    const labels = [0, 1, 2].map((page) => (formatAnswer(seven, { page, key: "k" }).components[0]?.components[0] as { label: string }).label);
    expect(labels).toEqual(["More results (2/3)", "More results (3/3)", "No more results"]);
    // Context of the second page shows the excerpts of that page, not the first.
    const context = description(formatContext(seven, 1));
    expect(context).toContain("**Excerpt number 4.**");
    expect(context).toContain("**Excerpt number 6.**");
    expect(context).not.toContain("Excerpt number 3.");
    expect(context).not.toContain("Excerpt number 7.");
  });
});

describe("formatContext", () => {
  it("shows the sentences before and after each excerpt, excerpt in bold, escaped", () => {
    const ex = excerpt("The call was intercepted.", [citation(indep, 7)], ["call"], {
      before: ["Russia published the recording.", "It lasted 38 minutes @everyone."],
      after: ["Pistorius spoke on Tuesday."],
    });
    const p = formatContext(answered("q", [ex]), 0);
    const d = description(p);
    expect(d).toContain("**[1]** *Mistake let Russia intercept call* — The Independent, 2024-03-05 · line 7");
    expect(d).toContain("Russia published the recording. It lasted 38 minutes @\u200beveryone. **The call was intercepted.** Pistorius spoke on Tuesday.");
    expect(p.embeds[0]?.title).toBe("Context of excerpt 1");
    expect(limitViolations(p)).toEqual([]);
  });

  it("keeps the nearest sentences when the context is too long, within limits", () => {
    const before = Array.from({ length: 50 }, (_, i) => `Before sentence number ${i} ${"b".repeat(100)}.`);
    const after = Array.from({ length: 50 }, (_, i) => `After sentence number ${i} ${"a".repeat(100)}.`);
    const exs = [1, 2, 3].map((n) => excerpt(`Excerpt ${n}.`, [citation(indep, n)], [], { before, after }));
    const p = formatContext(answered("q", exs), 0);
    expect(limitViolations(p)).toEqual([]);
    const d = description(p);
    expect(d).toContain("Before sentence number 49");
    expect(d).not.toContain("Before sentence number 0 ");
    expect(d).toContain("After sentence number 0");
    expect(d).not.toContain("After sentence number 49");
    expect(d).toContain("**Excerpt 3.**");
  });

  it("says so when an excerpt has no neighbours", () => {
    const p = formatContext(answered("q", [excerpt("Alone.", [citation(indep)])]), 0);
    expect(description(p)).toContain("no neighbouring sentences");
  });
});

describe("formatDecline", () => {
  it("no match: friendly, names the corpus topics, points to /sources, escapes the question", () => {
    const p = formatDecline(declined("What is the tallest mountain @everyone?", "no-match"), { topics: ["taurus", "leak", "webex"], maxQuestionChars: 500 });
    const d = description(p);
    expect(p.embeds[0]?.title).toBe("Not in my documents");
    expect(d).toContain("I couldn't find an answer to “What is the tallest mountain @\u200beveryone?”");
    expect(d).toContain("They are about taurus, leak, webex.");
    expect(d).toContain("`/sources`");
    expect(p.components).toEqual([]);
  });

  it("too long: says the length and the limit", () => {
    const p = formatDecline(declined("x".repeat(812), "too-long"), { topics: [], maxQuestionChars: 500 });
    expect(description(p)).toContain("Your question is 812 characters long; the limit is 500.");
  });

  it("empty: explains how to ask; only stop words: says there is nothing to search for", () => {
    expect(description(formatDecline(declined("   ", "empty"), { topics: [], maxQuestionChars: 500 }))).toContain("/ask question:");
    expect(description(formatDecline(declined("what is it?", "empty"), { topics: [], maxQuestionChars: 500 }))).toContain("has no words I can search for");
  });
});

describe("button custom ids", () => {
  it("round-trip, fit in 100 characters and reject foreign ids", () => {
    const id = encodeButtonId({ action: "more", key: "1234567890123456789", page: 12 });
    expect(id.length).toBeLessThanOrEqual(DiscordLimits.customId);
    expect(decodeButtonId(id)).toEqual({ action: "more", key: "1234567890123456789", page: 12 });
    expect(decodeButtonId("other:more:1:1")).toBeUndefined();
    expect(decodeButtonId("lookout:launch:1:1")).toBeUndefined();
    expect(() => encodeButtonId({ action: "more", key: "bad key", page: 0 })).toThrow();
  });
});
