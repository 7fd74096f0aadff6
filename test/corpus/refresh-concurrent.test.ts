/**
 * Incremental refresh: only added and changed files are read and analysed, and the result answers exactly
 * as a fresh start on the same folder. Two refreshes never run at once: asked together they share one
 * reload; one asked while a reload runs waits for it and runs once more, so a change made meanwhile is seen.
 */
import { rm, unlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { diffSentences, Library } from "../../src/corpus/library.js";
import { tempCorpus } from "../temp-folder.js";

const open = (dir: string) => Library.open({ corpusDir: dir, maxFileBytes: 5_000_000, maxQuestionChars: 500 });

/** Seeded sentences over a shared vocabulary, so documents compete for the same terms and scores tie. */
function documentText(seed: number, sentences: number): string {
  let state = seed + 7;
  const next = () => (state = (state * 1103515245 + 12345) % 2147483648);
  const words = ["harbour", "ferry", "island", "ticket", "museum", "lighthouse", "cliff", "market", "bus", "walk", "morning", "office", "north", "quay", "tide"];
  const lines: string[] = [];
  for (let i = 0; i < sentences; i++) {
    const pick = () => words[next() % words.length]!;
    // Every fifth sentence repeats one made from a small pool: duplicates across documents.
    lines.push(i % 5 === 0 ? `The ${words[(i / 5) % 3]} opens at ${(i / 5) % 4} o'clock.` : `The ${pick()} near the ${pick()} has a ${pick()} and ${next() % 50} ${pick()}s.`);
  }
  return lines.join("\n") + "\n";
}

const QUESTIONS = ["When does the harbour open?", "Which ferry has a ticket?", "lighthouse cliff", "How many markets near the quay?", "museum island tide", "Who wrote Hamlet?"];

async function expectSameAnswers(library: Library, dir: string) {
  const fresh = await open(dir);
  for (const question of QUESTIONS) expect(await library.ask(question), question).toEqual(await fresh.ask(question));
  expect(library.current.documents.map((d) => d.id).sort()).toEqual(fresh.current.documents.map((d) => d.id).sort());
}

describe("an incremental refresh", () => {
  it("reads only added and changed files, and answers exactly as a fresh start on the same folder", async () => {
    const files = Object.fromEntries(Array.from({ length: 8 }, (_, d) => [`doc-${d}.txt`, documentText(d, 40)]));
    const dir = await tempCorpus(files);
    const library = await open(dir);

    await writeFile(path.join(dir, "doc-8.txt"), documentText(8, 40));
    let report = await library.refresh();
    expect(report).toMatchObject({ added: ["doc-8.txt"], changed: [], removed: [], reused: 8, read: 1, analysed: 1 });
    await expectSameAnswers(library, dir);

    await writeFile(path.join(dir, "doc-3.txt"), documentText(33, 25));
    report = await library.refresh();
    expect(report).toMatchObject({ added: [], changed: ["doc-3.txt"], removed: [], reused: 8, read: 1, analysed: 1 });
    await expectSameAnswers(library, dir);

    await unlink(path.join(dir, "doc-0.txt"));
    report = await library.refresh();
    expect(report).toMatchObject({ added: [], changed: [], removed: ["doc-0.txt"], reused: 8, read: 0, analysed: 0 });
    await expectSameAnswers(library, dir);

    // All three at once, and a document that turned unreadable (it is skipped, and its old version dropped).
    await writeFile(path.join(dir, "doc-9.txt"), documentText(9, 30));
    await writeFile(path.join(dir, "doc-5.txt"), documentText(55, 30));
    await writeFile(path.join(dir, "doc-6.txt"), Buffer.from([0x48, 0x00, 0x01]));
    await rm(path.join(dir, "doc-1.txt"));
    const previous = library.current;
    report = await library.refresh();
    // Counted over the changed documents only, the sentences added and removed are those of the whole corpora.
    expect({ sentencesAdded: report.sentencesAdded, sentencesRemoved: report.sentencesRemoved }).toEqual(diffSentences(previous, library.current));
    expect(report.sentencesAdded).toBeGreaterThan(0);
    expect(report.sentencesRemoved).toBeGreaterThan(0);
    expect(report).toMatchObject({ added: ["doc-9.txt"], changed: ["doc-5.txt"], removed: ["doc-1.txt", "doc-6.txt"], reused: 5, read: 3, analysed: 2 });
    expect(report.skipped.map((s) => s.id)).toEqual(["doc-6.txt"]);
    await expectSameAnswers(library, dir);

    // Nothing changed: nothing read, the same knowledge base kept.
    const before = library.current;
    report = await library.refresh();
    expect(report).toMatchObject({ added: [], changed: [], removed: [], read: 0, analysed: 0, sentencesAdded: 0, sentencesRemoved: 0 });
    expect(library.current).toBe(before);
  });
});

it("reports its progress: reading the new files, then analysing and indexing them", async () => {
  const dir = await tempCorpus({ "doc-0.txt": documentText(0, 20) });
  const phases: string[] = [];
  const library = await Library.open({ corpusDir: dir, maxFileBytes: 5_000_000, maxQuestionChars: 500, onProgress: (p) => phases.push(`${p.phase} ${p.documentsDone}/${p.documentsTotal}`) });
  expect(phases[0]).toBe("reading 0/1");
  phases.length = 0;
  for (let d = 1; d <= 3; d++) await writeFile(path.join(dir, `doc-${d}.txt`), documentText(d, 20));
  await library.refresh();
  expect(phases[0]).toBe("reading 0/3");
  expect(phases.findIndex((p) => p.startsWith("analysing"))).toBeGreaterThan(0);
  expect(phases.some((p) => p.startsWith("indexing"))).toBe(true);
  expect(phases.some((p) => p.endsWith("/4")), "documents reused are not counted").toBe(false);
});

describe("refreshes at the same time", () => {
  it("asked together share one reload: the same report", async () => {
    const dir = await tempCorpus({ "ferry.txt": "The ferry to the island leaves at nine every morning.\n" });
    const library = await open(dir);
    await writeFile(path.join(dir, "museum.txt"), "The lighthouse museum is on the north cliff.\n");
    const [first, second] = await Promise.all([library.refresh(), library.refresh()]);
    expect(second).toBe(first);
    expect(first).toMatchObject({ added: ["museum.txt"], read: 1, analysed: 1 });
    // Once it has finished, the next refresh is a reload of its own.
    const third = await library.refresh();
    expect(third).not.toBe(first);
    expect(third).toMatchObject({ added: [], read: 0 });
  });

  it("one asked while a reload runs waits for it, then runs once more for everyone who asked meanwhile, and sees the change", async () => {
    const dir = await tempCorpus({ "ferry.txt": "The ferry to the island leaves at nine every morning.\n" });
    const library = await open(dir);
    // A large document, so the first reload is still analysing when the change below is made.
    await writeFile(path.join(dir, "large.txt"), documentText(1, 30_000));
    const first = library.refresh();
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(library.isRefreshing).toBe(true);
    await writeFile(path.join(dir, "late.txt"), "The late ferry leaves at midnight from the quay.\n");
    const second = library.refresh();
    const third = library.refresh();
    expect(third).toBe(second);
    const [a, b, c] = await Promise.all([first, second, third]);
    expect(a.added).toEqual(["large.txt"]); // it had listed the folder before late.txt was written
    expect(b).toBe(c);
    expect(b).toMatchObject({ added: ["late.txt"], reused: 2, read: 1, analysed: 1 });
    expect(library.isRefreshing).toBe(false);
    expect((await library.ask("When does the late ferry leave?")).excerpts[0]!.text).toMatch(/midnight/);
  }, 60_000);
});
