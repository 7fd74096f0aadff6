import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { Library } from "../../src/corpus/library.js";
import { loadCorpus } from "../../src/corpus/load.js";
import { textDocument } from "../../src/corpus/formats/text.js";
import { buildKnowledgeBase, type SentenceKnowledgeBase } from "../../src/core/knowledge-base.js";
import type { Answer } from "../../src/core/types.js";

// Copies of ../shared/qa, kept identical by `npm run check:copies`.
const QA_DIR = new URL("../../bench/data/", import.meta.url);
const readJsonl = <T>(name: string): T[] =>
  readFileSync(new URL(name, QA_DIR), "utf8").trim().split("\n").map((line) => JSON.parse(line) as T);

let kb: SentenceKnowledgeBase;
beforeAll(async () => {
  const library = await Library.open({ corpusDir: new URL("../../corpus", import.meta.url).pathname, maxFileBytes: 5e6, maxQuestionChars: 500 });
  kb = library.current as SentenceKnowledgeBase;
});

/** As bench/data/README.md defines a hit: case-insensitive, curly quotes straightened, whitespace collapsed. */
const normal = (s: string) => s.toLowerCase().replace(/[\u2018\u2019]/g, "'").replace(/[\u201c\u201d]/g, '"').replace(/\s+/g, " ");
const rankOf = (answer: Answer, gold: string[]) =>
  answer.excerpts.findIndex((e) => gold.some((g) => normal(e.text).includes(normal(g))));

describe("the shipped question sets", () => {
  // Minimum figures, measured on the corpus as shipped (README "Quality"); ranking work may raise them.
  it.each([
    // BM25 alone, excerpts as passages. Measured: Hit@1 0.800 (12/15), Hit@3 0.933 (14/15).
    { file: "seed-qa-open.jsonl", hit1: 0.8, hit3: 0.93 },
    // Measured: Hit@1 0.778 (21/27), Hit@3 0.852 (23/27).
    { file: "seed-qa-more.jsonl", hit1: 0.77, hit3: 0.85 },
  ])("answers every question of $file, with a correct excerpt first for most and in the top 3 for nearly all", ({ file, hit1, hit3 }) => {
    const questions = readJsonl<{ q: string; gold: string[] }>(file);
    const ranks = questions.map(({ q, gold }) => {
      const answer = kb.ask(q);
      expect(answer.answered, q).toBe(true);
      return rankOf(answer, gold);
    });
    const hitAt = (k: number) => ranks.filter((r) => r >= 0 && r < k).length / ranks.length;
    expect(hitAt(1)).toBeGreaterThanOrEqual(hit1);
    expect(hitAt(3)).toBeGreaterThanOrEqual(hit3);
  });

  const noAnswer = [...readJsonl<{ q: string; near?: boolean }>("seed-noanswer-open.jsonl"), ...readJsonl<{ q: string; near?: boolean }>("seed-noanswer-more.jsonl")];

  it("declines every off-corpus seed question", () => {
    const far = noAnswer.filter((n) => !n.near);
    expect(far.length).toBe(12);
    for (const { q } of far) {
      const answer = kb.ask(q);
      expect(answer.answered, q).toBe(false);
      expect(answer.reason).toBe("no-match");
      expect(answer.excerpts).toEqual([]);
    }
  });

  it("declines near-domain seed questions (the corpus's subjects, a fact it does not hold) or marks them as not sure", () => {
    const near = noAnswer.filter((n) => n.near);
    expect(near.length).toBe(8);
    // Measured (BM25 alone): 2 declined (Webex's owner, installing Webex), 4 not sure (Pistorius's birth date,
    // who makes Taurus, what one costs, when Scholz became chancellor: no date near), 2 answered with
    // confidence (all their names match, and a number or date stands near).
    const outcomes = near.map(({ q }) => [q, kb.ask(q)] as const).map(([q, a]) => [q, a.answered ? a.confidence : "declined"]);
    expect(outcomes.filter(([, o]) => o === "declined").length).toBeGreaterThanOrEqual(2);
    expect(outcomes.filter(([, o]) => o !== "high").length).toBeGreaterThanOrEqual(6);
    expect(outcomes).toContainEqual(["When did Olaf Scholz become chancellor?", "low"]);
  });

  it("answers the answerable seed questions confidently, with few in the not-sure band", () => {
    const answerable = [...readJsonl<{ q: string }>("seed-qa-open.jsonl"), ...readJsonl<{ q: string }>("seed-qa-more.jsonl")];
    const answers = answerable.map(({ q }) => kb.ask(q));
    expect(answers.filter((a) => !a.answered).map((a) => a.question)).toEqual([]);
    // Measured: 1 of 42 not sure (the target is at most 3).
    expect(answers.filter((a) => a.confidence === "low").length).toBeLessThanOrEqual(3);
  });
});

describe("answers", () => {
  it("cites the document, its metadata and the line the sentence stands on", () => {
    const answer = kb.ask("What range does Taurus have?");
    const excerpt = answer.excerpts[0]!;
    expect(excerpt.text).toBe("Taurus has a range of 500 kilometres and can therefore also hit targets in Moscow from Ukraine.");
    const citation = excerpt.citations[0]!;
    expect(citation.documentId).toBe("000_c0686f1146004472.txt");
    expect(citation.meta.outlet).toBe("dpa");
    const lines = readFileSync(new URL("../../corpus/000_c0686f1146004472.txt", import.meta.url), "utf8").split("\n");
    expect(lines[citation.location.line! - 1]).toContain("Taurus has a range of 500 kilometres");
  });

  it("merges a statement quoted by several outlets into one excerpt citing each of them", () => {
    const answer = kb.ask("Will Pistorius sacrifice his best officers to Putin's games?");
    const first = answer.excerpts[0]!;
    expect(first.text).toMatch(/sacrifice any of my best officers/);
    const outlets = first.citations.map((c) => c.meta.outlet);
    expect(new Set(outlets).size).toBe(outlets.length);
    expect(outlets).toEqual(expect.arrayContaining(["dpa", "The Independent"]));
    // The merged statement does not come back a second time as its own excerpt.
    expect(answer.excerpts.slice(1).some((e) => /sacrifice any of my best officers/.test(e.text))).toBe(false);
  });

  it("marks the words that matched the question for highlighting", () => {
    const excerpt = kb.ask("How many senior officers were on the recorded conference?").excerpts[0]!;
    expect(excerpt.text).toContain("four senior officers");
    const marked = excerpt.highlights.map(([s, e]) => excerpt.text.slice(s, e).toLowerCase());
    expect(marked).toEqual(expect.arrayContaining(["senior", "officers", "recorded", "conference"]));
    expect(marked).not.toContain("of");
  });

  it("gives the neighbouring sentences of the same document as context", () => {
    const excerpt = kb.ask("What range does Taurus have?").excerpts[0]!;
    expect(excerpt.context.before.at(-1)).toMatch(/Chancellor Olaf Scholz has ruled this out/);
    expect(excerpt.context.after[0]).toMatch(/Webex internet platform/);
  });
});

describe("page furniture never comes back as an answer", () => {
  const furniture = [
    /your support/i,
    /donation/i,
    /reproductive rights/i,
    /commenting forum/i,
    /post a comment/i,
    /no comments/i,
    /photo:/i,
    /gives a press statement/i,
    /saturday november 30/i,
    /thought-provoking conversations/i,
  ];
  it("is in the shipped files (so the checks below can fail)", async () => {
    const { documents } = await loadCorpus(new URL("../../corpus", import.meta.url).pathname, 5e6);
    for (const pattern of furniture) expect(documents.some((d) => pattern.test(d.text)), String(pattern)).toBe(true);
  });
  it("is not among the answerable sentences", () => {
    for (const text of kb.sentenceTexts()) for (const pattern of furniture) expect(text).not.toMatch(pattern);
  });
  it("is not returned for questions aimed at it", () => {
    const questions = [
      "How can I support the Independent with a donation?",
      "Where can I post a comment?",
      "Who took the photo of Pistorius?",
      "What date is on the page?",
      "Can I comment on the article?",
      "Is there a commenting forum?",
    ];
    // Declining is fine (nothing is returned); the answered ones must answer from the articles' own text.
    const answers = questions.map((q) => kb.ask(q)).filter((a) => a.answered);
    // Measured: 4 of the 6 are answered, with article sentences about comments and who took part.
    expect(answers.length).toBeGreaterThanOrEqual(4);
    for (const answer of answers) {
      expect(answer.excerpts.length, answer.question).toBeGreaterThan(0);
      for (const e of answer.excerpts) for (const pattern of furniture) expect(e.text, answer.question).not.toMatch(pattern);
    }
  });
  it("keeps the article's own attribution line", () => {
    expect([...kb.sentenceTexts()]).toContain("Associated Press contributed to this report");
  });
  it("works on an article it has never seen: edges trimmed, body kept", () => {
    const text = [
      "Monday 4 May 2026",
      "Harbour bridge reopens after repairs",
      "By Jane Doe, Coastal Times",
      "The harbour bridge reopened to traffic on Sunday after eight months of repairs to its steel cables.",
      "Engineers replaced forty cables and repainted the main span of the bridge.",
      "The city council said the repairs cost twelve million euros, less than the bridge budget.",
      "Traffic on the bridge is expected to return to normal levels within a week.",
      "Cyclists will have a new lane on the eastern side of the bridge.",
      "The council thanked residents for their patience during the bridge repairs.",
      "Subscribe to our newsletter",
      "Share your thoughts in the comments below",
    ].join("\n");
    const local = buildKnowledgeBase([textDocument("bridge.txt", text, { title: "Bridge" })]);
    const kept = [...local.sentenceTexts()];
    // The date line, byline and the two prompts go; the six body sentences stay (a headline with a verb may stay).
    expect(kept.filter((s) => !/^Harbour bridge reopens/.test(s))).toEqual(text.split("\n").slice(3, 9));
  });
});

describe("bad input", () => {
  it("asks for a real question when there is nothing to search for", () => {
    for (const q of ["", "   ", "what is it?", "???", "@everyone"]) {
      const answer = kb.ask(q);
      expect(answer.answered, JSON.stringify(q)).toBe(false);
      expect(["empty", "no-match"]).toContain(answer.reason);
    }
    expect(kb.ask("").reason).toBe("empty");
  });

  it("declines questions over the length limit without analysing them", () => {
    const answer = kb.ask("Taurus ".repeat(100));
    expect(answer).toMatchObject({ answered: false, reason: "too-long" });
  });

  it("handles a single enormous token (wink-nlp's quadratic case) by bounding it first", () => {
    const text = [
      "The museum opened a new wing for its coin collection this spring.",
      "The brass key opens the vault door.",
      "Visitors can see two thousand coins from the Roman period.",
      `Checksum: ${"x".repeat(200_000)}`,
      "The wing is open every day except Monday.",
      "Guided tours of the coin collection start at noon.",
      "Entry to the new wing is free for children.",
    ].join("\n");
    const local = buildKnowledgeBase([textDocument("blob.txt", text, { title: "Blob" })], { maxQuestionChars: 500_000 });
    expect(local.ask("What opens the vault door?").excerpts[0]?.text).toBe("The brass key opens the vault door.");
    expect(local.ask("y".repeat(300_000)).answered).toBe(false);
  });

  it("returns mention and markdown text as plain data (escaping is the surface's job)", () => {
    const local = buildKnowledgeBase([textDocument("a.txt", "@everyone the **meeting** moved to room 12 on Friday.\nOther text here.", { title: "A" })]);
    expect(local.ask("Where did the meeting move?").excerpts[0]?.text).toBe("@everyone the **meeting** moved to room 12 on Friday.");
  });
});

describe("saved knowledge base", () => {
  it("answers exactly as before after its segments go through their flat form", async () => {
    const { CorpusSegment, SentenceKnowledgeBase } = await import("../../src/core/knowledge-base.js");
    const loaded = SentenceKnowledgeBase.fromSegments(kb.segments.map((s) => CorpusSegment.fromFlat(s.toFlat())), kb.options);
    for (const q of ["How was the call intercepted?", "What range does Taurus have?", "Who wrote Hamlet?"]) {
      expect(loaded.ask(q)).toEqual(kb.ask(q));
    }
    expect(loaded.sentenceCount).toBe(kb.sentenceCount);
  });
});
