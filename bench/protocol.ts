/**
 * The messages between the bench parent (bench/run.ts) and a child (bench/child.ts).
 * Bulky inputs (the sentence list) travel in a task file written once with node:v8 serialization,
 * so a million-sentence corpus is not pushed through the IPC channel once per system.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { deserialize, serialize } from "node:v8";
import type { BenchSentence } from "./adapter.js";

/** Everything a child needs to know about the data; written by the parent, read by each child. */
export interface TaskData {
  readonly sentences: readonly BenchSentence[];
  readonly questions: readonly string[];
  /** How many results to ask for per question. */
  readonly k: number;
  /** Seed sets over the shipped corpus (normal mode only). */
  readonly seed?: {
    readonly corpusDir: string;
    readonly sentences: readonly BenchSentence[];
    readonly answerable: readonly string[];
    readonly noAnswer: readonly string[];
  };
}

export function writeTaskData(file: string, data: TaskData): void {
  writeFileSync(file, serialize(data));
}

export function readTaskData(file: string): TaskData {
  return deserialize(readFileSync(file)) as TaskData;
}

/** Parent → child: the one job this child does before it exits. */
export type ChildJob =
  | {
      readonly kind: "system";
      readonly system: string;
      readonly taskFile: string;
      /**
       * "build": build from the sentences, then query; "build-only": build and report the time (a repeat,
       * so the reported build time is a median); "load": load an index saved by an earlier build child.
       */
      readonly mode: "build" | "build-only" | "load";
      /** Where to save (build mode, if the adapter can) or load from (load mode). */
      readonly indexPath?: string;
    }
  | { readonly kind: "floor"; readonly taskFile: string };

/** Memory growth caused by the build (or load), measured after a forced GC. */
export interface MemoryFigures {
  readonly heapBytes: number;
  readonly rssBytes: number;
  /** Which of the two the system asked to be judged by. */
  readonly kind: "heap" | "rss";
}

export interface SystemOutcome {
  readonly name: string;
  readonly config: string;
  readonly sentences: number;
  /** Build time (the median of buildRunsMs when the build was repeated), or load time in load mode. */
  readonly buildMs: number;
  /** Every build time measured, each in a fresh process. */
  readonly buildRunsMs?: readonly number[];
  readonly mode: "build" | "build-only" | "load";
  readonly memory: MemoryFigures;
  /** Top-k sentence ids per question (null = declined), from the timed pass. */
  readonly ranked: (number[] | null)[];
  /** Per-question latency of the timed pass, in microseconds. */
  readonly latencyUs: number[];
  /** Questions whose search threw (counted as declined). */
  readonly errors: number;
  readonly firstError?: string;
  /** Scale mode, systems with refresh(): each of REFRESH_ROUNDS one-document refreshes, in ms. */
  readonly refreshMs?: readonly number[];
  /** Per-question latency after those refreshes, in microseconds. */
  readonly latencyAfterRefreshUs?: readonly number[];
  /** Set when the index was saved for a later load child. */
  readonly savedIndex?: string;
  readonly saveError?: string;
  /** Seed-set excerpts per question; how the system produced them; or why it could not. */
  readonly seed?:
    | { readonly via: "own corpus loading" | "shared sentence list"; readonly answerable: (string[] | null)[]; readonly noAnswer: (string[] | null)[] }
    | { readonly error: string };
}

export interface FloorOutcome {
  readonly sentences: number;
  readonly tokens: number;
  /** The median of runsMs when the floor was measured more than once. */
  readonly ms: number;
  /** Every measurement, each in a fresh process. */
  readonly runsMs?: readonly number[];
}

/** Child → parent. */
export type ChildMessage =
  | { readonly type: "progress"; readonly phase: string; readonly done: number; readonly total: number }
  /** The system's adapter could not be loaded or refuses this size; not an error of the bench. */
  | { readonly type: "skipped"; readonly reason: string }
  | { readonly type: "system"; readonly outcome: SystemOutcome }
  | { readonly type: "floor"; readonly outcome: FloorOutcome }
  | { readonly type: "error"; readonly message: string };
