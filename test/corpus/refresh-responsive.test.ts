import { cp, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { HOSTILE_TEXTS } from "../../bench/hostile-texts.js";
import { runInSlices } from "../../src/core/steps.js";
import { Library } from "../../src/corpus/library.js";
import { SentenceIndex } from "../../src/search/bm25.js";

// Issue 13: while a refresh runs, the bot answers other questions within 100 ms. Before the build
// was stepped throughout, a refresh held the event loop for 250–700 ms at once (a 5 MB line's scan
// and inline markup, a large document's furniture pass, the BM25 index of 300,000 sentences); now
// its slices last 10 ms and its steps a few. The bound is loose, so that a loaded 2-core machine
// cannot make it flake, and still fails on any synchronous block of 400 ms.
const BOUND_MS = 250;
const ASK_EVERY_MS = 20;

/**
 * The longest the event loop was held, measured by a 1 ms timer: each gap between two ticks counts
 * as long as its wall time but no longer than the CPU time the process used in it, so time the
 * process spent descheduled on a busy machine does not count, while a synchronous block does.
 */
function watchHolds() {
  let lastWall = performance.now();
  let lastCpu = process.cpuUsage();
  let longest = 0;
  let longestWall = 0;
  const tick = () => {
    const wall = performance.now();
    const cpu = process.cpuUsage(lastCpu);
    const held = Math.min(wall - lastWall, (cpu.user + cpu.system) / 1000);
    longest = Math.max(longest, held);
    longestWall = Math.max(longestWall, wall - lastWall);
    lastWall = wall;
    lastCpu = process.cpuUsage();
  };
  const timer = setInterval(tick, 1);
  return {
    /** Counts the time since the last tick too: a refresh can end with a block that no tick has seen yet. */
    stop() {
      tick();
      clearInterval(timer);
      return { longest, longestWall };
    },
  };
}

let dir: string | undefined;
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** Short sentences of made-up words (a seeded generator): cheap to analyse, many to index. */
function generatedDocument(d: number, sentences: number): string {
  let seed = d + 1;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648);
  const syllables = ["ka", "lo", "mer", "tan", "vis", "or", "bel", "dun", "si", "rop", "ex", "gal"];
  const word = () => syllables[next() % 12]! + syllables[next() % 12]! + syllables[next() % 12]!;
  return Array.from({ length: sentences }, () => `${word()} saw ${word()} ${next() % 1000}.`).join("\n");
}

describe("a refresh of a large corpus", () => {
  it(`leaves the bot answering other questions: the event loop is never held ${BOUND_MS} ms`, async () => {
    dir = await mkdtemp(path.join(tmpdir(), "lookout-large-"));
    await cp(new URL("../../corpus", import.meta.url).pathname, dir, { recursive: true });
    const library = await Library.open({ corpusDir: dir, maxFileBytes: 20_000_000, maxQuestionChars: 500 });
    // 60,000 ordinary sentences in 300 documents, one large document of 40,000, and a 10 MB Markdown
    // line of markup runs (its scan and inline markup took 500 ms in one go).
    for (let d = 0; d < 300; d++) await writeFile(path.join(dir, `generated-${d}.txt`), generatedDocument(d, 200));
    await writeFile(path.join(dir, "generated-large.txt"), generatedDocument(300, 40_000));
    await writeFile(path.join(dir, "runs.md"), HOSTILE_TEXTS.runs!(10 * 1024 * 1024));

    const lateness: number[] = [];
    let refreshing = true;
    const asking = (async () => {
      while (refreshing) {
        const due = performance.now() + ASK_EVERY_MS;
        await new Promise((resolve) => setTimeout(resolve, ASK_EVERY_MS));
        // Answered from the knowledge base in service (the old one until the new one is swapped in).
        expect(library.current.ask("How was the call intercepted?").answered).toBe(true);
        lateness.push(performance.now() - due);
      }
    })();
    const holds = watchHolds();
    const report = await library.refresh();
    const { longest, longestWall } = holds.stop();
    refreshing = false;
    await asking;

    expect(report.sentences).toBeGreaterThan(90_000);
    expect(lateness.length).toBeGreaterThan(20);
    expect(longest, `longest hold ${longest.toFixed(0)} ms (wall ${longestWall.toFixed(0)} ms)`).toBeLessThan(BOUND_MS);
    // Wall time includes a busy machine's waits: only a gross stall fails this.
    expect(Math.max(...lateness)).toBeLessThan(4 * BOUND_MS);
  }, 180_000);

  it(`indexes 600,000 sentences in steps: the event loop is never held ${BOUND_MS} ms`, async () => {
    let seed = 5;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648);
    const vocabulary = Array.from({ length: 50_000 }, (_, i) => `w${i}`);
    const sentences = Array.from({ length: 600_000 }, (_, s) => ({
      document: Math.floor(s / 40),
      terms: Array.from({ length: 6 + (next() % 10) }, () => vocabulary[next() % vocabulary.length]!),
    }));
    const holds = watchHolds();
    const index = await runInSlices(SentenceIndex.buildInSteps(sentences), 10);
    const { longest, longestWall } = holds.stop();
    expect(index.sentenceCount).toBe(600_000);
    expect(longest, `longest hold ${longest.toFixed(0)} ms (wall ${longestWall.toFixed(0)} ms)`).toBeLessThan(BOUND_MS);
  }, 60_000);
});
