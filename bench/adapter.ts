/**
 * The contract every benchmarked search system implements (one file per system in bench/systems/).
 * The runner (bench/child.ts) only talks to systems through this interface, so Lookout and the
 * peer libraries are measured by exactly the same code.
 */

/** One sentence of the shared, pre-split corpus. Its index in the list is its id. */
export interface BenchSentence {
  readonly text: string;
  /** Document it belongs to (a SQuAD article, a corpus file, or a synthetic document at scale). */
  readonly doc: number;
  /** Position of the sentence within its document, counting from 0, in reading order. */
  readonly position: number;
}

/** A value or a promise of it: adapters may be synchronous (most are) or asynchronous. */
export type MaybePromise<T> = T | Promise<T>;

/** Result of one search: sentence ids (indices into the built list), best first, or null = declined. */
export type SearchResult = readonly number[] | null;

/** An index a system built from its own corpus loading (see SearchAdapter.seed). */
export interface SeedIndex {
  /** Excerpt texts, best first, at most k; null (or an empty list) = the system declines to answer. */
  search(question: string, k: number): MaybePromise<readonly string[] | null>;
}

export interface SearchAdapter {
  /** Name shown in the table. */
  readonly name: string;
  /** Short description of the configuration used, shown in the table. */
  readonly config: string;
  /**
   * How its memory is measured: V8 heap growth after a forced GC (default), or the process
   * resident-set growth for engines that keep their index outside the V8 heap (SQLite).
   */
  readonly memory?: "heap" | "rss";
  /** Scale mode skips the system when the corpus is larger than this (e.g. a per-query full scan). */
  readonly maxSentences?: number;
  /** Builds the index over the sentences; may call onProgress(sentencesDone) now and then. */
  build(sentences: readonly BenchSentence[], onProgress?: (done: number) => void): MaybePromise<void>;
  /** Top-k sentence ids for a question; null or [] = declined. May throw: the runner counts that as declined. */
  search(question: string, k: number): MaybePromise<SearchResult>;
  /**
   * Optional: load the seed corpus (a directory of .txt files) the system's own way and return an
   * index over it. Systems without it get the shared wink-nlp sentence split of that corpus instead.
   */
  seed?(corpusDir: string): MaybePromise<SeedIndex>;
  /** Optional (scale mode): save the built index, so its start-up time can be measured by load(). */
  save?(path: string): MaybePromise<void>;
  /** Optional (scale mode): load an index written by save(), instead of build(). */
  load?(path: string): MaybePromise<void>;
  /**
   * Optional (scale mode): replace one document by a changed version of it, as a refresh would, and return
   * the milliseconds that took (`round` picks the document). Searches afterwards use the refreshed index.
   */
  refresh?(round: number): MaybePromise<number>;
}

/** What a module in bench/systems/ exports by default: a factory, so a child can make fresh instances. */
export type AdapterFactory = () => MaybePromise<SearchAdapter>;
