/** The two sides of BuildProgress: the build's throttled reporter, and the estimate (rate, time left) displays share. */
import { describe, expect, it } from "vitest";
import type { BuildProgress } from "../../src/core/progress.js";
import { describeProgress, ProgressEstimator } from "../../src/core/progress-estimate.js";
import { progressReporter } from "../../src/core/progress-reporter.js";

describe("progressReporter", () => {
  it("passes on about one report per interval, but every change of phase and every phase's end", () => {
    let clock = 0;
    const heard: BuildProgress[] = [];
    const report = progressReporter((p) => heard.push(p), 100, () => clock);
    for (let d = 0; d <= 50; d++, clock += 10) report({ phase: "reading", documentsDone: d, documentsTotal: 50, sentences: 0 });
    for (let d = 1; d <= 50; d++, clock += 10) report({ phase: "analysing", documentsDone: d, documentsTotal: 50, sentences: d * 3 });
    report({ phase: "indexing", documentsDone: 50, documentsTotal: 50, sentences: 150 });
    expect(heard.map((p) => `${p.phase} ${p.documentsDone} ${p.elapsedMs}`)).toEqual([
      "reading 0 0",
      "reading 10 100",
      "reading 20 200",
      "reading 30 300",
      "reading 40 400",
      "reading 50 500", // the end of the phase, though only 100 ms later
      "analysing 1 510", // a new phase at once
      "analysing 11 610",
      "analysing 21 710",
      "analysing 31 810",
      "analysing 41 910",
      "analysing 50 1000",
      "indexing 50 1010",
    ]);
  });

  it("keeps a failing listener from failing the build", () => {
    const report = progressReporter(() => {
      throw new Error("the terminal went away");
    });
    expect(() => report({ phase: "reading", documentsDone: 0, documentsTotal: 1, sentences: 0 })).not.toThrow();
  });
});

describe("ProgressEstimator", () => {
  it("starts over when a second build follows (its clock starts again at 0)", () => {
    const estimator = new ProgressEstimator();
    estimator.update({ phase: "analysing", documentsDone: 5, documentsTotal: 10, sentences: 500, elapsedMs: 9000 });
    estimator.update({ phase: "indexing", documentsDone: 10, documentsTotal: 10, sentences: 1000, elapsedMs: 12_000 });
    const next = estimator.update({ phase: "reading", documentsDone: 4, documentsTotal: 10, sentences: 0, elapsedMs: 2000 });
    expect(next.secondsLeft).toBe(3); // 4 documents in 2 s, 6 to go
    expect(describeProgress(next)).toBe("reading 4/10 documents, about 3 s left");
  });

  it("tells no rate and no time left until the phase has run half a second (a first document's rate is noise)", () => {
    const estimator = new ProgressEstimator();
    estimator.update({ phase: "reading", documentsDone: 10, documentsTotal: 10, sentences: 0, elapsedMs: 1000 });
    expect(describeProgress(estimator.update({ phase: "analysing", documentsDone: 1, documentsTotal: 10, sentences: 100, elapsedMs: 1002 }))).toBe("analysing 1/10 documents, 100 sentences");
    expect(describeProgress(estimator.update({ phase: "analysing", documentsDone: 5, documentsTotal: 10, sentences: 500, elapsedMs: 1500 }))).toBe(
      "analysing 5/10 documents, 500 sentences, 1,000 sentences/s, under 1 s left",
    );
  });

  it("goes by the last few seconds' rate, so that a slow start stops counting once it is past", () => {
    const estimator = new ProgressEstimator();
    // The first document takes 3 s (the language model loading), then 10 documents a second.
    estimator.update({ phase: "analysing", documentsDone: 1, documentsTotal: 200, sentences: 100, elapsedMs: 3000 });
    let view = estimator.update({ phase: "analysing", documentsDone: 11, documentsTotal: 200, sentences: 1100, elapsedMs: 4000 });
    expect(view.secondsLeft).toBeCloseTo(189 / (11 / 4)); // the slow start still in the window: 69 s
    for (let s = 5; s <= 10; s++) view = estimator.update({ phase: "analysing", documentsDone: 1 + (s - 3) * 10, documentsTotal: 200, sentences: (1 + (s - 3) * 10) * 100, elapsedMs: s * 1000 });
    expect(view.documentsDone).toBe(71);
    expect(view.secondsLeft).toBeCloseTo(129 / 10); // 10 a second over the last 5 s
    expect(view.sentencesPerSecond).toBeCloseTo(1000);
    expect(describeProgress(view)).toBe("analysing 71/200 documents, 7,100 sentences, 1,000 sentences/s, about 13 s left");
  });

  it("tells minutes once it is over a minute and a half", () => {
    const estimator = new ProgressEstimator();
    estimator.update({ phase: "reading", documentsDone: 10, documentsTotal: 10, sentences: 0, elapsedMs: 1000 });
    const view = estimator.update({ phase: "analysing", documentsDone: 10, documentsTotal: 1000, sentences: 1234, elapsedMs: 3000 }); // 990 left at 5 a second: 198 s
    expect(describeProgress(view)).toBe("analysing 10/1,000 documents, 1,234 sentences, 617 sentences/s, about 3 min left");
  });
});
