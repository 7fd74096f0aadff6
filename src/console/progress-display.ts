/**
 * A corpus build's progress in the terminal. Nothing for a build that ends within a second; after that, on a
 * TTY a one-line bar redrawn in place (and cleared when the build ends), otherwise a plain line every few
 * seconds, to the stream or to the given log (the bot's pino logger). Always meant for stderr: stdout belongs
 * to answers (`ask --json` prints nothing else there).
 *
 * Hand-written rather than a library: the bar is one line of `\r`, an erase and text (cli-progress or
 * progress would bring their own formats and timers for that), and the same wording serves Discord.
 */
import type { BuildProgress, ProgressListener } from "../core/progress.js";
import { describeProgress, ProgressEstimator } from "../core/progress-estimate.js";

/** The stream's side the display uses: `isTTY` and `columns` are what a terminal's WriteStream adds. */
export interface ProgressStream {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export interface ProgressDisplayOptions {
  /** Where the bar (TTY) or the lines (otherwise, unless `log` is given) go: process.stderr. */
  stream: ProgressStream;
  /** Not a TTY: each line goes here instead of the stream (the bot's logger), with the figures. */
  log?: (text: string, progress: BuildProgress) => void;
  /** Draw the bar; default: when the stream is a TTY. False for a build that runs while the console chat waits at its prompt. */
  bar?: boolean;
  /** What is being built, at the start of each line: "Loading the corpus", "Refreshing". */
  label?: string;
  /** Builds quicker than this show nothing. */
  delayMs?: number;
  /** Not a TTY: at most one line this often. */
  logEveryMs?: number;
}

export interface ProgressDisplay {
  readonly onProgress: ProgressListener;
  /** The build ended (or failed): the bar is erased. Safe to call more than once. */
  finish(): void;
}

export const SHOW_AFTER_MS = 1_000;
export const LOG_EVERY_MS = 5_000;
const BAR_WIDTH = 20;
/** ANSI "erase the whole line"; with `\r` before it the cursor is back at the start of a blank line. */
const CLEAR_LINE = "\r\x1b[2K";

export function showBuildProgress(options: ProgressDisplayOptions): ProgressDisplay {
  const { stream, log, label = "Building the corpus", delayMs = SHOW_AFTER_MS, logEveryMs = LOG_EVERY_MS } = options;
  const tty = options.bar ?? stream.isTTY === true;
  const estimator = new ProgressEstimator();
  let barShown = false;
  let lastLogMs = -Infinity;
  let finished = false;

  const onProgress: ProgressListener = (progress) => {
    if (finished) return;
    const described = describeProgress(estimator.update(progress));
    if (progress.elapsedMs < delayMs) return;
    if (tty) {
      // Kept within the terminal's width: a line that wraps would not be redrawn in place by `\r`.
      const columns = Math.max(20, stream.columns || 80) - 1;
      const line = `${label} ${bar(progress)} ${described}`;
      stream.write(CLEAR_LINE + (line.length > columns ? line.slice(0, columns - 1) + "…" : line));
      barShown = true;
      return;
    }
    if (progress.elapsedMs - lastLogMs < logEveryMs) return;
    lastLogMs = progress.elapsedMs;
    const text = `${label}: ${described}`;
    if (log) log(text, progress);
    else stream.write(text + "\n");
  };

  return {
    onProgress,
    finish() {
      if (finished) return;
      finished = true;
      if (barShown) stream.write(CLEAR_LINE);
    },
  };
}

/** `[██████░░░░░░░░░░░░░░]`: documents done in this phase (full while indexing, which has no count of its own). */
function bar(progress: BuildProgress): string {
  const share = progress.documentsTotal > 0 ? progress.documentsDone / progress.documentsTotal : 1;
  const filled = Math.round(Math.min(1, Math.max(0, share)) * BAR_WIDTH);
  return `[${"█".repeat(filled)}${"░".repeat(BAR_WIDTH - filled)}]`;
}
