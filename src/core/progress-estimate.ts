/**
 * The consuming side of BuildProgress (progress.ts): rate and time left worked out from successive reports,
 * and the one wording of them shared by the terminal and Discord ("analysing 12/40 documents, 8,100 sentences,
 * 2,300 sentences/s, about 20 s left").
 */
import type { BuildProgress } from "./progress.js";

export interface ProgressView extends BuildProgress {
  /** Sentences analysed per second since analysing began; only while analysing. */
  sentencesPerSecond?: number;
  /** The phase's remaining documents at the rate its documents have gone so far; when it can be told. */
  secondsLeft?: number;
}

/** Rates over less than this are mostly noise (the first document of a phase, done in 2 ms): not shown. */
const MIN_PHASE_MS = 500;

/** Feed it every report of a build, in order; a report whose clock went back starts the next build (a caller that waited for one reload, then ran its own). */
export class ProgressEstimator {
  private phase: BuildProgress["phase"] | undefined;
  /** When the current phase began: the last report of the phase before it (0 for the first). */
  private phaseStartMs = 0;
  private lastElapsedMs = 0;

  update(progress: BuildProgress): ProgressView {
    const newBuild = this.phase === undefined || progress.elapsedMs < this.lastElapsedMs;
    if (newBuild || progress.phase !== this.phase) {
      this.phaseStartMs = newBuild ? 0 : this.lastElapsedMs;
      this.phase = progress.phase;
    }
    this.lastElapsedMs = progress.elapsedMs;
    const view: ProgressView = { ...progress };
    const phaseMs = progress.elapsedMs - this.phaseStartMs;
    if (phaseMs < MIN_PHASE_MS) return view;
    const phaseSeconds = phaseMs / 1000;
    if (progress.phase === "analysing" && progress.sentences > 0) view.sentencesPerSecond = progress.sentences / phaseSeconds;
    const { documentsDone: done, documentsTotal: total } = progress;
    if (progress.phase !== "indexing" && done > 0 && done < total) view.secondsLeft = ((total - done) * phaseSeconds) / done;
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
