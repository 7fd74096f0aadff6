/**
 * The producing side of BuildProgress (progress.ts): a build calls `report` as often as it likes (per file,
 * per document) and the listener hears about it about once per `minIntervalMs`, plus every change of phase and
 * the end of each phase, so a display never misses a phase and a fast loop does not flood it.
 */
import type { BuildProgress, ProgressListener } from "./progress.js";

/** What a build step knows; the reporter adds the time since the build started. */
export type ProgressStep = Omit<BuildProgress, "elapsedMs">;
export type ReportProgress = (step: ProgressStep) => void;

/** About ten calls a second: often enough for a smooth bar, rare enough to cost nothing. */
export const PROGRESS_INTERVAL_MS = 100;

export function progressReporter(listener: ProgressListener | undefined, minIntervalMs = PROGRESS_INTERVAL_MS, now: () => number = () => performance.now()): ReportProgress {
  if (listener === undefined) return () => undefined;
  const started = now();
  let lastAt = -Infinity;
  let lastPhase: BuildProgress["phase"] | undefined;
  return (step) => {
    const at = now();
    const phaseEnds = step.documentsDone === step.documentsTotal;
    if (step.phase === lastPhase && !phaseEnds && at - lastAt < minIntervalMs) return;
    lastAt = at;
    lastPhase = step.phase;
    try {
      listener({ ...step, elapsedMs: Math.round(at - started) });
    } catch {
      // A display that fails must not fail the build it displays.
    }
  };
}
