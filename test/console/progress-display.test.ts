/**
 * The terminal's progress display, writing to the kind of stream it writes to in use: a Writable that says it
 * is a TTY (as process.stderr does in a terminal), and one that does not (a pipe, a log file).
 */
import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import type { BuildProgress } from "../../src/core/progress.js";
import { showBuildProgress } from "../../src/console/progress-display.js";

class Terminal extends Writable {
  readonly isTTY: boolean;
  readonly columns: number;
  readonly writes: string[] = [];
  constructor(isTTY: boolean, columns = 160) {
    super();
    this.isTTY = isTTY;
    this.columns = columns;
  }
  override _write(chunk: Buffer, _encoding: string, done: () => void): void {
    this.writes.push(chunk.toString());
    done();
  }
  /** What the screen shows: each write after a `\r` replaces the line. */
  get screen(): string {
    const text = this.writes.join("");
    return text.slice(text.lastIndexOf("\r") + 1).replace("\x1b[2K", "");
  }
}

const CLEAR = "\r\x1b[2K";

/** A build of 40 documents: reading ends at 1 s, then 10 documents (800 sentences each) every 2 s, then indexing. */
function build(): BuildProgress[] {
  const steps: BuildProgress[] = [];
  for (let d = 0; d <= 40; d += 10) steps.push({ phase: "reading", documentsDone: d, documentsTotal: 40, sentences: 0, elapsedMs: d * 25 });
  for (let d = 10; d <= 40; d += 10) steps.push({ phase: "analysing", documentsDone: d, documentsTotal: 40, sentences: d * 800, elapsedMs: 1000 + d * 200 });
  steps.push({ phase: "indexing", documentsDone: 40, documentsTotal: 40, sentences: 32_000, elapsedMs: 9100 });
  return steps;
}

describe("the progress display on a terminal (TTY)", () => {
  it("shows nothing for a build that ends within a second, not even the clearing", () => {
    const tty = new Terminal(true);
    const display = showBuildProgress({ stream: tty, label: "Loading the corpus" });
    for (const p of build().filter((p) => p.elapsedMs < 1000)) display.onProgress(p);
    display.finish();
    expect(tty.writes).toEqual([]);
  });

  it("after a second, redraws one line in place: phase, documents, sentences, rate, time left, and a bar", () => {
    const tty = new Terminal(true);
    const display = showBuildProgress({ stream: tty, label: "Loading the corpus" });
    const steps = build();
    for (const p of steps.slice(0, 6)) display.onProgress(p); // reading done at 1000 ms, 10/40 analysed at 3000 ms
    expect(tty.writes.every((w) => w.startsWith(CLEAR) && !w.includes("\n"))).toBe(true);
    // 8,000 sentences in the 2 s since analysing began; 30 documents left at 10 per 2 s.
    expect(tty.screen).toBe("Loading the corpus [█████░░░░░░░░░░░░░░░] analysing 10/40 documents, 8,000 sentences, 4,000 sentences/s, about 6 s left");
    display.onProgress(steps[7]!); // 30/40 at 7000 ms
    expect(tty.screen).toBe("Loading the corpus [███████████████░░░░░] analysing 30/40 documents, 24,000 sentences, 4,000 sentences/s, about 2 s left");
    display.onProgress(steps[9]!);
    expect(tty.screen).toBe("Loading the corpus [████████████████████] indexing 32,000 sentences");
  });

  it("clears the line at the end and writes nothing more", () => {
    const tty = new Terminal(true);
    const display = showBuildProgress({ stream: tty });
    for (const p of build()) display.onProgress(p);
    const shown = tty.writes.length;
    display.finish();
    expect(tty.writes.slice(shown)).toEqual([CLEAR]);
    display.onProgress({ phase: "indexing", documentsDone: 40, documentsTotal: 40, sentences: 32_000, elapsedMs: 9500 });
    display.finish();
    expect(tty.writes).toHaveLength(shown + 1);
    expect(tty.screen).toBe("");
  });

  it("keeps the line narrower than the terminal, so that it never wraps and is redrawn in place", () => {
    const tty = new Terminal(true, 50);
    const display = showBuildProgress({ stream: tty, label: "Loading the corpus" });
    for (const p of build()) display.onProgress(p);
    for (const w of tty.writes) expect(w.length - CLEAR.length).toBeLessThan(50);
    expect(tty.writes.some((w) => w.endsWith("…"))).toBe(true);
  });
});

describe("the progress display elsewhere (not a TTY)", () => {
  it("writes a plain line after a second, then at most one every few seconds, and nothing to clear", () => {
    const pipe = new Terminal(false);
    const display = showBuildProgress({ stream: pipe, label: "Loading the corpus", logEveryMs: 4000 });
    for (const p of build()) display.onProgress(p);
    display.finish();
    expect(pipe.writes).toEqual([
      "Loading the corpus: reading 40/40 documents\n", // at 1000 ms
      "Loading the corpus: analysing 20/40 documents, 16,000 sentences, 4,000 sentences/s, about 4 s left\n", // 5000 ms
      "Loading the corpus: analysing 40/40 documents, 32,000 sentences, 4,000 sentences/s\n", // 9000 ms
    ]);
  });

  it("gives each line and its figures to the log instead, when one is given (the bot's logger)", () => {
    const pipe = new Terminal(false);
    const logged: Array<[string, BuildProgress]> = [];
    const display = showBuildProgress({ stream: pipe, label: "Refreshing", log: (text, progress) => logged.push([text, progress]) });
    for (const p of build()) display.onProgress(p);
    expect(pipe.writes).toEqual([]);
    expect(logged.map(([text]) => text)).toEqual(["Refreshing: reading 40/40 documents", "Refreshing: analysing 30/40 documents, 24,000 sentences, 4,000 sentences/s, about 2 s left"]);
    expect(logged[1]![1]).toEqual({ phase: "analysing", documentsDone: 30, documentsTotal: 40, sentences: 24_000, elapsedMs: 7000 });
  });
});
