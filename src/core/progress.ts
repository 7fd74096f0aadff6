/**
 * How far a corpus build has got, reported while it runs: the terminal shows a progress bar (or log lines),
 * a deferred Discord reply is edited with it. The core only reports; adapters decide how to show it.
 */
export interface BuildProgress {
  /** What the build is doing now. */
  phase: "reading" | "analysing" | "indexing" | "saving";
  /** Documents handled so far in this phase, of all it has to handle (documents reused unchanged are not counted). */
  documentsDone: number;
  documentsTotal: number;
  /** Sentences analysed so far. */
  sentences: number;
  /** Milliseconds since the build started. */
  elapsedMs: number;
}

export type ProgressListener = (progress: BuildProgress) => void;
