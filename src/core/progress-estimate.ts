/**
 * The consuming side of BuildProgress (progress.ts): rate and time left worked out from successive reports,
 * and the one wording of them shared by the terminal and Discord ("analysing 12/40 documents, 8,100 sentences,
 * 2,300 sentences/s, about 20 s left").
 */
import type { BuildProgress } from "./progress.js";

export interface ProgressView extends BuildProgress {
  /** Sentences analysed per second lately (RATE_WINDOW_MS); only while analysing. */
  sentencesPerSecond?: number;
  /** The phase's remaining documents at the rate documents have gone lately; when it can be told. */
  secondsLeft?: number;
}

/** Rates over less than this are mostly noise (the first document of a phase, done in 2 ms): not shown. */
const MIN_PHASE_MS = 500;
/**
 * Rates are taken over the last few seconds rather than the whole phase, so that a slow start (the language
 * model loading with the first document) stops skewing the time left once it is past.
 */
const RATE_WINDOW_MS = 5_000;

interface Sample {
  elapsedMs: number;
  documentsDone: number;
  sentences: number;
}

/** Feed it every report of a build, in order; a report whose clock went back starts the next build (a caller that waited for one reload, then ran its own). */
export class ProgressEstimator {
  private phase: BuildProgress["phase"] | undefined;
  private lastElapsedMs = 0;
  /** The phase's reports within the window, after the last one before it (at first, the phase's start: nothing done). */
  private samples: Sample[] = [];

  update(progress: BuildProgress): ProgressView {
    const newBuild = this.phase === undefined || progress.elapsedMs < this.lastElapsedMs;
    if (newBuild || progress.phase !== this.phase) {
      // A phase begins where the one before it ended: its last report (or 0 for a build's first).
      this.samples = [{ elapsedMs: newBuild ? 0 : this.lastElapsedMs, documentsDone: 0, sentences: 0 }];
      this.phase = progress.phase;
    }
    this.lastElapsedMs = progress.elapsedMs;
    this.samples.push(progress);
    while (this.samples.length > 2 && this.samples[1]!.elapsedMs <= progress.elapsedMs - RATE_WINDOW_MS) this.samples.shift();
    const view: ProgressView = { ...progress };
    const from = this.samples[0]!;
    const seconds = (progress.elapsedMs - from.elapsedMs) / 1000;
    if (seconds * 1000 < MIN_PHASE_MS) return view;
    if (progress.phase === "analysing" && progress.sentences > 0) view.sentencesPerSecond = (progress.sentences - from.sentences) / seconds;
    const { documentsDone: done, documentsTotal: total } = progress;
    const documentsPerSecond = (done - from.documentsDone) / seconds;
    if (progress.phase !== "indexing" && done < total && documentsPerSecond > 0) view.secondsLeft = (total - done) / documentsPerSecond;
    return view;
  }
}

const count = (n: number) => Math.round(n).toLocaleString("en-US");

/** "about 20 s left", "about 3 min left". */
export function formatTimeLeft(seconds: number): string {
  if (seconds < 1) return "under 1 s left";
  if (seconds < 90) return `about ${Math.ceil(seconds)} s left`;
  return `about ${Math.round(seconds / 60)} min left`;
}

/** One line of plain text; the parts that cannot be told yet are left out. */
export function describeProgress(view: ProgressView): string {
  const parts =
    view.phase === "indexing" || view.phase === "saving"
      ? [`${view.phase} ${count(view.sentences)} sentences`]
      : [`${view.phase} ${count(view.documentsDone)}/${count(view.documentsTotal)} documents`];
  if (view.phase === "analysing") parts.push(`${count(view.sentences)} sentences`);
  if (view.sentencesPerSecond !== undefined) parts.push(`${count(view.sentencesPerSecond)} sentences/s`);
  if (view.secondsLeft !== undefined) parts.push(formatTimeLeft(view.secondsLeft));
  return parts.join(", ");
}
