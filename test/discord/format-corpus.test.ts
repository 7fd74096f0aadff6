import { describe, expect, it } from "vitest";
import {
  documentChoices,
  formatHelp,
  formatRefreshFailure,
  formatRefreshReport,
  formatSource,
  formatSources,
  listWithin,
  resolveDocument,
} from "../../src/discord/format-corpus.js";
import { formatBytes } from "../../src/core/describe.js";
import { DiscordLimits } from "../../src/discord/limits.js";
import { limitViolations } from "../../src/discord/payload.js";
import { doc, fakeKb } from "./fakes.js";

const docs = [
  doc("000_dpa.txt", { title: "Use of non-secure line behind Taurus talk leak", outlet: "dpa", date: "2024-03-06" }, "Saturday\n\n# Use of **non-secure** line @everyone\nBy dpa\n"),
  doc("001_guardian.txt", { title: "German general broke protocol", outlet: "The Guardian", url: "https://example.com/g" }),
  doc("004_independent.txt", { title: "Leak", outlet: "The Independent" }),
];

describe("/sources", () => {
  it("lists each document with outlet, date and size", () => {
    const p = formatSources(fakeKb(docs, {}), [{ id: "big.pdf", reason: "not text" }]);
    const d = p.embeds[0]?.description ?? "";
    expect(d).toContain("**1.** *Use of non-secure line behind Taurus talk leak* — dpa, 2024-03-06 · ");
    expect(d).toContain("**2.** *German general broke protocol* — The Guardian · 24 B · [link](https://example.com/g)");
    expect(p.embeds[0]?.footer?.text).toBe("3 documents · 30 sentences · 1 file skipped (moderators: /refresh shows why)");
  });

  it("stays within limits for a large corpus and says how many are not shown", () => {
    const many = Array.from({ length: 500 }, (_, i) => doc(`doc-${i}.txt`, { title: `A long title number ${i} ${"t".repeat(80)}`, outlet: "Outlet" }));
    const p = formatSources(fakeKb(many, {}), []);
    expect(limitViolations(p)).toEqual([]);
    expect(p.embeds[0]?.description).toMatch(/…and \d+ more\. Use `\/source`/);
  });

  it("formats sizes", () => {
    expect(formatBytes(812)).toBe("812 B");
    expect(formatBytes(3056)).toBe("3.0 kB");
    expect(formatBytes(5 * 1024 * 1024)).toBe("5.0 MB");
  });
});

describe("/source", () => {
  it("shows details and the opening lines, quoted and escaped", () => {
    const p = formatSource(docs[0]!, docs[0]!.text);
    const e = p.embeds[0]!;
    expect(e.title).toBe("Use of non-secure line behind Taurus talk leak");
    expect(e.fields).toEqual(expect.arrayContaining([{ name: "Outlet", value: "dpa", inline: true }, { name: "File", value: "000\\_dpa.txt", inline: false }]));
    expect(e.description).toContain("> Saturday\n> \\# Use of \\*\\*non-secure\\*\\* line @\u200beveryone\n> By dpa");
    expect(limitViolations(p)).toEqual([]);
  });

  it("stays within limits for a huge document", () => {
    const big = doc("big.txt", { title: "x".repeat(1000), author: "a".repeat(5000) }, `${"word ".repeat(5000)}\n`.repeat(50));
    expect(limitViolations(formatSource(big, big.text, 250))).toEqual([]);
  });

  it("autocomplete ranks exact, then prefix, then substring matches on title or id", () => {
    const set = [
      doc("c.txt", { title: "Leaked call" }),
      doc("a.txt", { title: "The leak" }),
      doc("b.txt", { title: "Leak" }),
      doc("leak-notes.txt", { title: "Notes" }),
      doc("z.txt", { title: "Unrelated" }),
    ];
    const choices = documentChoices(set, "leak");
    expect(choices.map((c) => c.value)).toEqual(["b.txt", "c.txt", "leak-notes.txt", "a.txt"]);
    expect(choices[0]).toEqual({ name: "Leak (b.txt)", value: "b.txt" });
    expect(documentChoices(set, "")).toHaveLength(5);
  });

  it("autocomplete returns at most 25 choices within 100 characters", () => {
    const set = Array.from({ length: 40 }, (_, i) => doc(`${"f".repeat(150)}${i}.txt`, { title: `Report ${"r".repeat(200)} ${i}` }));
    const choices = documentChoices(set, "report");
    expect(choices).toHaveLength(DiscordLimits.autocompleteChoices);
    for (const c of choices) {
      expect(c.name.length).toBeLessThanOrEqual(100);
      expect(c.value.length).toBeLessThanOrEqual(100);
    }
    // a 100-character value still finds its (longer) document
    const found = resolveDocument(set, choices[0]!.value);
    expect(found.kind).toBe("ambiguous"); // all ids share their first 100 characters here
  });

  it("resolves ids, titles and unique parts; reports ambiguity", () => {
    expect(resolveDocument(docs, "001_guardian.txt")).toMatchObject({ kind: "found", doc: { id: "001_guardian.txt" } });
    expect(resolveDocument(docs, "german general broke protocol")).toMatchObject({ kind: "found", doc: { id: "001_guardian.txt" } });
    expect(resolveDocument(docs, "leak")).toMatchObject({ kind: "found", doc: { id: "004_independent.txt" } }); // exact title wins
    expect(resolveDocument(docs, "00")).toMatchObject({ kind: "ambiguous" });
    expect(resolveDocument(docs, "mountain")).toEqual({ kind: "none" });
  });
});

describe("/refresh reports", () => {
  it("reports documents and sentences added/changed/removed/skipped with reasons and the time", () => {
    const p = formatRefreshReport({
      added: ["new_file.txt"],
      changed: ["000_dpa.txt"],
      removed: [],
      skipped: [{ id: "huge.txt", reason: "larger than MAX_FILE_BYTES (5 MB)" }],
      documents: 4,
      sentences: 140,
      sentencesBefore: 120,
      sentencesAdded: 25,
      sentencesRemoved: 5,
      milliseconds: 123.4,
    });
    const e = p.embeds[0]!;
    expect(e.description).toContain("**Documents:** 4 (1 added, 1 changed, 0 removed)");
    expect(e.description).toContain("**Sentences:** 120 → 140 (+20: 25 added, 5 removed)");
    expect(e.description).toContain("Took 123 ms");
    expect(e.fields).toEqual([
      { name: "Added", value: "new\\_file.txt" },
      { name: "Changed", value: "000\\_dpa.txt" },
      { name: "Skipped", value: "huge.txt: larger than MAX\\_FILE\\_BYTES (5 MB)" },
    ]);
  });

  it("stays within limits with thousands of files", () => {
    const ids = Array.from({ length: 5000 }, (_, i) => `file-${i}-${"n".repeat(50)}.txt`);
    const p = formatRefreshReport({
      added: ids,
      changed: ids,
      removed: ids,
      skipped: ids.map((id) => ({ id, reason: "r".repeat(500) })),
      documents: 5000,
      sentences: 1,
      sentencesBefore: 2,
      sentencesAdded: 0,
      sentencesRemoved: 1,
      milliseconds: 1,
    });
    expect(limitViolations(p)).toEqual([]);
    expect(p.embeds[0]?.fields?.[0]?.value).toMatch(/and \d+ more$/);
  });

  it("a failure shows the message only (no stack) and that the old corpus keeps serving", () => {
    const error = new Error("EACCES: permission denied, open 'corpus/x.txt'");
    const p = formatRefreshFailure(error, fakeKb(docs, {}));
    const d = p.embeds[0]?.description ?? "";
    expect(d).toContain("EACCES: permission denied, open 'corpus/x.txt'");
    expect(d).not.toContain("at ");
    expect(d).toContain("the previous corpus (3 documents, 30 sentences) keeps answering questions");
  });

  it("listWithin adds 'and N more' and fits", () => {
    expect(listWithin(["a", "b", "c"], 100)).toBe("a, b, c");
    const out = listWithin(["aaaa", "bbbb", "cccc", "dddd"], 16);
    expect(out.length).toBeLessThanOrEqual(16);
    expect(out).toMatch(/and \d more$/);
  });
});

describe("/help", () => {
  it("explains how to ask, with the limits", () => {
    const p = formatHelp({ maxQuestionChars: 500, cooldownSeconds: 3, askChannelIds: ["323456789012345678"], askChannelsActive: true, documents: 3 });
    const d = p.embeds[0]?.description ?? "";
    expect(d).toContain("`/ask question: …`");
    expect(d).toContain("<#323456789012345678>");
    expect(d).toContain("up to 500 characters");
    expect(d).toContain("every 3 seconds");
    const off = formatHelp({ maxQuestionChars: 500, cooldownSeconds: 0, askChannelIds: ["323456789012345678"], askChannelsActive: false, documents: 3 });
    expect(off.embeds[0]?.description).not.toContain("<#");
    expect(off.embeds[0]?.description).not.toContain("every");
  });
});
