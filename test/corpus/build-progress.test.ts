/** A real build (files on disk, the real engine) reports its progress through Library.open and Library.refresh. */
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { BuildProgress } from "../../src/core/progress.js";
import { Library } from "../../src/corpus/library.js";
import { tempCorpus } from "../temp-folder.js";

const files = Object.fromEntries(
  Array.from({ length: 30 }, (_, d) => [`doc-${d}.txt`, Array.from({ length: 20 }, (_, s) => `Ship ${d} sailed to harbour ${s} at dawn.`).join("\n")]),
);

describe("a build's progress", () => {
  it("goes reading → analysing → indexing, counts every document, and ends with every sentence", async () => {
    const dir = await tempCorpus({ ...files, "notes.bin": "not a document" });
    const heard: BuildProgress[] = [];
    const library = await Library.open({ corpusDir: dir, maxFileBytes: 1e6, maxQuestionChars: 500 }, (p) => heard.push(p));
    const phases = heard.map((p) => p.phase).filter((phase, i, all) => phase !== all[i - 1]);
    expect(phases).toEqual(["reading", "analysing", "indexing"]);
    expect(heard.every((p) => p.documentsTotal === 30)).toBe(true);
    const analysed = heard.filter((p) => p.phase === "analysing").at(-1)!;
    expect(analysed).toMatchObject({ documentsDone: 30, sentences: library.current.sentenceCount });
    expect(heard.at(-1)).toMatchObject({ phase: "indexing", sentences: library.current.sentenceCount });
    const times = heard.map((p) => p.elapsedMs);
    expect(times).toEqual([...times].sort((a, b) => a - b));
  });

  it("reaches every caller of a refresh, the one that started it and one that joined it", async () => {
    const dir = await tempCorpus(files);
    const library = await Library.open({ corpusDir: dir, maxFileBytes: 1e6, maxQuestionChars: 500 });
    // A refresh reads and analyses only new and changed files: its progress counts those.
    for (const [name, text] of Object.entries(files)) await writeFile(path.join(dir, `new-${name}`), text.replaceAll("Ship", "Boat"));
    const before = library.current.sentenceCount;
    const first: BuildProgress[] = [];
    const second: BuildProgress[] = [];
    const running = library.refresh((p) => first.push(p));
    const joined = library.refresh((p) => second.push(p));
    expect(await joined).toBe(await running);
    for (const heard of [first, second]) expect(heard.at(-1)).toMatchObject({ phase: "indexing", documentsTotal: 30, sentences: library.current.sentenceCount - before });
    // A later refresh does not call the earlier listeners.
    const count = first.length;
    await library.refresh();
    expect(first).toHaveLength(count);
  });
});
