import { cp, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HOSTILE_TEXTS } from "../../bench/hostile-texts.js";
import { buildKnowledgeBaseInSteps } from "../../src/core/knowledge-base.js";
import { Library } from "../../src/corpus/library.js";
import { loadCorpus } from "../../src/corpus/load.js";

// 200 kB: linear code loads each in well under a second; the quadratic regexes these replace took
// seconds at 50 kB and would take minutes here. The bound is loose so that a slow machine cannot flake.
const SIZE = 200_000;
const BOUND_MS = 3_000;

let root: string;
beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), "lookout-hostile-"));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe("a corpus file built to be slow for the loader", () => {
  for (const [name, make] of Object.entries(HOSTILE_TEXTS)) {
    for (const ext of ["txt", "md"]) {
      it(`loads in bounded time: ${name}.${ext}`, async () => {
        const dir = path.join(root, `${name}-${ext}`);
        await cp(new URL("../../corpus", import.meta.url).pathname, dir, { recursive: true });
        await writeFile(path.join(dir, `${name}.${ext}`), make(SIZE));
        const started = performance.now();
        const { documents, skipped } = await loadCorpus(dir, 1_000_000);
        const kb = await buildKnowledgeBaseInSteps(documents);
        expect(kb.topics.length).toBeGreaterThan(0);
        expect(performance.now() - started).toBeLessThan(BOUND_MS);
        expect(skipped).toEqual([]);
        // The shipped articles still answer beside it.
        expect(kb.ask("How was the call intercepted?").answered).toBe(true);
      }, 30_000);
    }
  }
});

describe("refreshing with a large file", () => {
  it("keeps answering questions while the new index is built", async () => {
    const dir = path.join(root, "refresh");
    await cp(new URL("../../corpus", import.meta.url).pathname, dir, { recursive: true });
    const library = await Library.open({ corpusDir: dir, maxFileBytes: 5_000_000, maxQuestionChars: 500 });
    await writeFile(path.join(dir, "big.md"), HOSTILE_TEXTS["wordy-markup"]!(1_000_000));
    const answeredAt: number[] = [];
    let refreshing = true;
    const asking = (async () => {
      while (refreshing) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        if (library.current.ask("What range does Taurus have?").answered) answeredAt.push(performance.now());
      }
    })();
    const started = performance.now();
    await library.refresh();
    const ended = performance.now();
    refreshing = false;
    await asking;
    // One document of a megabyte takes seconds to analyse; questions are answered all along, not after it.
    const during = answeredAt.filter((t) => t < ended);
    expect(ended - started).toBeGreaterThan(200);
    expect(during.length).toBeGreaterThan(5);
    const gaps = [started, ...during].slice(1).map((t, i) => t - [started, ...during][i]!);
    expect(Math.max(...gaps)).toBeLessThan(1_000);
  }, 60_000);
});
