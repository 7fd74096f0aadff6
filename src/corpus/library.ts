/**
 * The knowledge base in service: loads the corpus folder, builds the index, and refreshes it.
 *
 * With a cache folder (CACHE_DIR), the index saved by the last run is the starting point: every file is
 * listed and hashed (bytes and its sources.json entry), documents whose hash the saved index holds come from
 * it (never read by their readers nor analysed again), and only the rest are read and analysed. A refresh does
 * the same against the knowledge base in service. Either way the new knowledge base is built beside the
 * current one and swapped in one step, so every question is answered by a whole index, old or new; a failed
 * refresh leaves the old one serving. The index is saved after the swap, in the background; a failed save
 * is a warning, never a failed start or refresh.
 */
import { IndexCache, type RejectedFile, type SegmentCodec } from "../cache/index-cache.js";
import { CorpusSegment, SentenceKnowledgeBase, type EngineOptions } from "../core/knowledge-base.js";
import type { KnowledgeBase, RefreshReport } from "../core/contracts.js";
import type { BuildProgress, ProgressListener } from "../core/progress.js";
import { progressReporter } from "../core/progress-reporter.js";
import { LINES_PER_STEP, runInSlices, runToEnd, type Steps } from "../core/steps.js";
import type { Answer, SkippedFile } from "../core/types.js";
import type { SemanticStage } from "../semantic/stage.js";
import { prepareDocumentAnalysis } from "../text/analyser.js";
import { EXTENSIONS } from "./formats/index.js";
import { readScannedFiles, scanCorpus, type FileStamp, type ScanOptions } from "./load.js";

export interface LibraryOptions {
  corpusDir: string;
  maxFileBytes: number;
  maxQuestionChars: number;
  engine?: Partial<EngineOptions>;
  /** The semantic second stage; without it every answer comes from BM25 alone (SEMANTIC=off). */
  semantic?: SemanticStage;
  /** CACHE_DIR: the index is saved in its `index/` folder and reused by the next start. Unset: nothing saved. */
  cacheDir?: string;
  /** false: the saved index is read but never written (every shard but one: several writers would remove each other's files). */
  saveIndex?: boolean;
  /** A saved index not reused (why), or not saved: the work is redone, nothing is lost. */
  onWarning?: (message: string) => void;
  /** How far a build has got (analysing, indexing), while it runs. */
  onProgress?: ProgressListener;
  /** The saved index's version (INDEX_VERSION in src/cache/index-cache.ts); tests set another to see a change of engine. */
  indexVersion?: number;
}

/** How the documents of a load came to be in the index. */
export interface LoadCounts {
  /** Documents taken from the index already built (saved, or in service), neither read nor analysed. */
  reused: number;
  /** Files read by their format's reader (new or changed; some may have been skipped). */
  read: number;
  /** Documents analysed into sentences. */
  analysed: number;
}

/** A refresh's report, with how much of the index it could reuse. */
export interface LibraryRefreshReport extends RefreshReport, LoadCounts {}

/** The counts of a report that has them (a Library's), for callers that see reports through the RefreshReport contract. */
export function loadCountsOf(report: RefreshReport & Partial<LoadCounts>): LoadCounts | undefined {
  const { reused, read, analysed } = report;
  return reused === undefined || read === undefined || analysed === undefined ? undefined : { reused, read, analysed };
}

/** How the cache saves and revives index segments. */
const SEGMENTS: SegmentCodec<CorpusSegment> = {
  toFlat: (segment) => segment.toFlat(),
  fromFlat: (record) => CorpusSegment.fromFlat(record),
  documentsOf: (segment) => segment.documents,
};

/** Reports the "reading" phase (files read by their readers), throttled; nothing when there is nothing to read. */
function readingProgress(listener: ProgressListener | undefined, total: number): ((done: number) => void) | undefined {
  if (!listener || total === 0) return undefined;
  const report = progressReporter(listener);
  return (done) => report({ phase: "reading", documentsDone: done, documentsTotal: total, sentences: 0 });
}

/** How long a build works before the event loop gets a turn, so a bot refreshing keeps answering. */
const BUILD_SLICE_MS = 10;

export class Library {
  private kb: SentenceKnowledgeBase;
  private lastSkipped: SkippedFile[];
  /** Files their reader refused, with the hash of what it refused: not read again until they change. */
  private rejected: RejectedFile[];
  /** What the last scan saw of each file: a file whose stamp still holds is not read again. */
  private stamps: ReadonlyMap<string, FileStamp>;
  /** The reload running, if any, and whether it can still be joined (it has not listed the folder yet). */
  private running: Promise<LibraryRefreshReport> | undefined;
  private runningJoinable = false;
  /** The one reload asked for while another ran: it starts when that one ends. */
  private queued: Promise<LibraryRefreshReport> | undefined;
  private saving: Promise<void> = Promise.resolve();
  /** Callers of refresh() that want its progress, until the reload they asked for ends (a caller joining or following one too). */
  private readonly refreshListeners = new Set<ProgressListener>();

  private constructor(
    private readonly options: LibraryOptions,
    private readonly cache: IndexCache<CorpusSegment> | undefined,
    kb: SentenceKnowledgeBase,
    skipped: SkippedFile[],
    rejected: RejectedFile[],
    stamps: ReadonlyMap<string, FileStamp>,
    /** How the first load went: documents reused from the saved index, read, analysed. */
    readonly opened: LoadCounts,
  ) {
    this.kb = kb;
    this.lastSkipped = skipped;
    this.rejected = rejected;
    this.stamps = stamps;
    options.semantic?.track(kb);
  }

  /** `onProgress` (or the options') hears how far the first build got (reading, analysing, indexing), about ten times a second. */
  static async open(options: LibraryOptions, onProgress: ProgressListener | undefined = options.onProgress): Promise<Library> {
    const cache = options.cacheDir === undefined ? undefined : new IndexCache({ cacheDir: options.cacheDir, codec: SEGMENTS, ...(options.indexVersion !== undefined && { version: options.indexVersion }) });
    const saved = cache?.load() ?? { segments: [], rejected: [], stamps: new Map<string, FileStamp>(), problems: [] };
    for (const problem of saved.problems) options.onWarning?.(`saved index not reused: ${problem}; its documents are read and analysed again`);
    const base = SentenceKnowledgeBase.fromSegments(saved.segments, Library.engineOptions(options));
    // Nothing is served yet: the folder is read with blocking reads, far faster for many small files.
    const { kb, skipped, rejected, stamps, counts, hashed } = await Library.update(options, base, saved.rejected, onProgress, { blocking: true, stamps: saved.stamps });
    // Everything came from the saved index: load the splitter and tagger now, not in the first refresh.
    if (counts.analysed === 0) prepareDocumentAnalysis();
    const library = new Library(options, cache, kb, skipped, rejected, stamps, counts);
    // Saved when anything differs from what is saved: the index, a file read, a part of the cache not reused.
    if (kb !== base || hashed > 0 || saved.problems.length > 0) library.saveInBackground(kb);
    return library;
  }

  get current(): SentenceKnowledgeBase {
    return this.kb;
  }

  get semantic(): SemanticStage | undefined {
    return this.options.semantic;
  }

  /**
   * Answers from the knowledge base in service: with the semantic stage once its sentence vectors are
   * ready, from BM25 alone until then. The whole answer comes from one knowledge base, even when a
   * refresh swaps in another while the question's vector is computed.
   */
  async ask(question: string): Promise<Answer> {
    const kb = this.kb;
    const meaning = question.length <= this.options.maxQuestionChars ? await this.options.semantic?.meaningFor(kb, question) : undefined;
    return kb.ask(question, meaning);
  }

  get skipped(): SkippedFile[] {
    return this.lastSkipped;
  }

  /** True while a reload runs or waits to run (a refresh() now joins or follows it). */
  get isRefreshing(): boolean {
    return this.running !== undefined || this.queued !== undefined;
  }

  /**
   * Reloads the corpus incrementally (only added and changed files are read and analysed, removed ones
   * dropped) and swaps the result in. Two reloads never run at once: a refresh asked for in the same turn as
   * one starts shares it; one asked for while a reload runs waits for it and then runs once more (every
   * request made meanwhile shares that run), so a change made during a reload is never missed. Rejects
   * (the old index still serving) on failure.
   */
  refresh(onProgress?: ProgressListener): Promise<LibraryRefreshReport> {
    const run = this.requestReload();
    if (onProgress) {
      this.refreshListeners.add(onProgress);
      const done = () => void this.refreshListeners.delete(onProgress);
      run.then(done, done);
    }
    return run;
  }

  private requestReload(): Promise<LibraryRefreshReport> {
    if (this.running && this.runningJoinable) return this.running;
    if (this.queued) return this.queued;
    if (!this.running) return this.startReload();
    const after = this.running.then(
      () => undefined,
      () => undefined,
    );
    this.queued = after.then(() => {
      this.queued = undefined;
      return this.startReload();
    });
    return this.queued;
  }

  /** Resolves when the index in service has been saved (or failed to be, with a warning); for tests and short-lived commands. */
  whenSaved(): Promise<void> {
    return this.saving;
  }

  private startReload(): Promise<LibraryRefreshReport> {
    this.runningJoinable = true;
    const run = this.reload().finally(() => {
      this.running = undefined;
    });
    this.running = run;
    return run;
  }

  private async reload(): Promise<LibraryRefreshReport> {
    // Requests made in the same turn share this reload: it has not looked at the folder yet.
    await new Promise((resolve) => setImmediate(resolve));
    this.runningJoinable = false;
    const started = performance.now();
    const before = this.kb;
    const { kb, skipped, rejected, stamps, counts, hashed, added, changed, removed } = await Library.update(this.options, before, this.rejected, (progress) => this.tellProgress(progress), { stamps: this.stamps });
    this.kb = kb;
    this.lastSkipped = skipped;
    this.rejected = rejected;
    this.stamps = stamps;
    this.options.semantic?.track(kb);
    if (kb !== before || hashed > 0) this.saveInBackground(kb);
    // Documents that did not change hold the same sentences before and after: only the others are counted.
    const touched = new Set([...removed, ...changed]);
    const brought = new Set([...added, ...changed]);
    const sentenceDiff = await runInSlices(diffTextsInSteps(textsOfDocuments(before, touched), textsOfDocuments(kb, brought)), REPORT_SLICE_MS);
    return {
      added,
      changed,
      removed,
      ...sentenceDiff,
      skipped,
      documents: kb.documents.length,
      sentences: kb.sentenceCount,
      sentencesBefore: before.sentenceCount,
      milliseconds: Math.round(performance.now() - started),
      ...counts,
    };
  }

  /** A reload's progress, to the options' listener and every caller waiting for it; a failing display fails nothing. */
  private tellProgress(progress: BuildProgress): void {
    for (const listener of [this.options.onProgress, ...this.refreshListeners]) {
      try {
        listener?.(progress);
      } catch {
        // One caller's display must not keep the others from theirs, nor fail the reload.
      }
    }
  }

  private static engineOptions(options: LibraryOptions): Partial<EngineOptions> {
    return { ...options.engine, maxQuestionChars: options.maxQuestionChars };
  }

  /**
   * The knowledge base for the folder as it is now, built from `base` (saved or in service): files whose
   * hash `base` holds are reused, new and changed ones read and analysed, the others dropped. A file its
   * reader refused before (`rejectedBefore`) is not read again while its hash is the same: the same reason stands.
   */
  private static async update(options: LibraryOptions, base: SentenceKnowledgeBase, rejectedBefore: readonly RejectedFile[], onProgress: ProgressListener | undefined, scanning: ScanOptions = {}) {
    const documents = new Map(base.documents.map((d) => [d.id, d.hash]));
    const known = new Map([...rejectedBefore.map((r) => [r.id, r.hash] as const), ...documents]);
    const scan = await scanCorpus(options.corpusDir, options.maxFileBytes, known, scanning);
    const hashes = new Map(scan.files.map((f) => [f.id, f.hash]));
    const toRead = scan.files.filter((f) => f.bytes !== undefined);
    const read = await readScannedFiles(toRead, undefined, readingProgress(onProgress, toRead.length));
    const stillRejected = rejectedBefore.filter((r) => !documents.has(r.id) && hashes.get(r.id) === r.hash);
    const rejected = [...stillRejected, ...read.skipped.map((s) => ({ ...s, hash: hashes.get(s.id)! }))];
    const skipped = [...scan.skipped, ...rejected.map(({ id, reason }) => ({ id, reason }))].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    // Gone, changed, or no longer readable: what `base` holds of them goes.
    const removed = base.documents.filter((d) => hashes.get(d.id) !== d.hash).map((d) => d.id);
    const reused = documents.size - removed.length;
    if (reused + read.documents.length === 0) {
      const why = skipped.length ? ` (${skipped.length} skipped: ${skipped.map((s) => `${s.id}: ${s.reason}`).join("; ")})` : "";
      throw new Error(`no usable documents (${EXTENSIONS.join(" ")}) in ${options.corpusDir}${why}`);
    }
    const kb =
      removed.length === 0 && read.documents.length === 0
        ? base
        : await runInSlices(base.withChanges({ removed, added: read.documents }, hashes, onProgress), BUILD_SLICE_MS);
    const readIds = new Set(read.documents.map((d) => d.id));
    return {
      kb,
      skipped,
      rejected,
      stamps: new Map(scan.files.map((f) => [f.id, f.stamp])),
      hashed: scan.hashed,
      counts: { reused, read: toRead.length, analysed: read.documents.length },
      added: read.documents.filter((d) => !documents.has(d.id)).map((d) => d.id),
      changed: read.documents.filter((d) => documents.has(d.id)).map((d) => d.id),
      removed: removed.filter((id) => !readIds.has(id)),
    };
  }

  /** Saves the index after the swap, one save after another; only the latest knowledge base is worth saving. */
  private saveInBackground(kb: SentenceKnowledgeBase): void {
    const cache = this.cache;
    if (!cache || this.options.saveIndex === false) return;
    this.saving = this.saving.then(async () => {
      if (this.kb !== kb) return; // a newer one is in service: its own save follows
      try {
        await cache.save(kb.segments, this.rejected, this.stamps);
      } catch (error) {
        this.options.onWarning?.(`the index could not be saved in ${cache.dir} (${(error as Error).message}); answers are not affected, the next start reads and analyses the corpus again`);
      }
    });
  }
}

/** How many sentence texts a reload brought in and took out (counted as multisets: repeats matter). */
export function diffSentences(before: KnowledgeBase, after: KnowledgeBase) {
  return runToEnd(diffTextsInSteps(before.sentenceTexts(), after.sentenceTexts()));
}

/** The sentence texts of the documents named. */
function* textsOfDocuments(kb: SentenceKnowledgeBase, ids: ReadonlySet<string>): Generator<string> {
  if (ids.size === 0) return;
  for (let d = 0; d < kb.documents.length; d++) {
    if (!ids.has(kb.documents[d]!.id)) continue;
    const first = kb.firstSentenceOf(d);
    for (let s = first, end = first + kb.sentencesInDocument(d); s < end; s++) yield kb.sentenceText(s);
  }
}

/** How long the report's counting works before the event loop gets a turn (300,000 sentences take 60 ms). */
const REPORT_SLICE_MS = 10;

/** `diffSentences` in steps of LINES_PER_STEP sentences (see core/steps.ts). */
function* diffTextsInSteps(before: Iterable<string>, after: Iterable<string>): Steps<{ sentencesAdded: number; sentencesRemoved: number }> {
  const count = new Map<string, number>();
  let seen = 0;
  for (const text of before) {
    count.set(text, (count.get(text) ?? 0) + 1);
    if (++seen % LINES_PER_STEP === 0) yield;
  }
  let sentencesAdded = 0;
  for (const text of after) {
    const left = count.get(text) ?? 0;
    if (left > 0) count.set(text, left - 1);
    else sentencesAdded++;
    if (++seen % LINES_PER_STEP === 0) yield;
  }
  let sentencesRemoved = 0;
  for (const left of count.values()) {
    sentencesRemoved += left;
    if (++seen % LINES_PER_STEP === 0) yield;
  }
  return { sentencesAdded, sentencesRemoved };
}
