/**
 * The knowledge base in service: loads the corpus folder, builds the index, and refreshes it.
 * A refresh builds a complete new knowledge base beside the current one and swaps the reference
 * in one step, so every question is answered by a whole index, old or new; a failed refresh
 * leaves the old one serving.
 */
import { buildKnowledgeBaseInSteps, type EngineOptions, type SentenceKnowledgeBase } from "../core/knowledge-base.js";
import type { KnowledgeBase, RefreshReport } from "../core/contracts.js";
import { LINES_PER_STEP, runInSlices, runToEnd, type Steps } from "../core/steps.js";
import type { Answer, SkippedFile, SourceDocument } from "../core/types.js";
import type { ProgressListener } from "../core/progress.js";
import { progressReporter, type ReportProgress } from "../core/progress-reporter.js";
import type { SemanticStage } from "../semantic/stage.js";
import { EXTENSIONS } from "./formats/index.js";
import { loadCorpus } from "./load.js";

export interface LibraryOptions {
  corpusDir: string;
  maxFileBytes: number;
  maxQuestionChars: number;
  engine?: Partial<EngineOptions>;
  /** The semantic second stage; without it every answer comes from BM25 alone (SEMANTIC=off). */
  semantic?: SemanticStage;
}

export class Library {
  private kb: SentenceKnowledgeBase;
  private lastSkipped: SkippedFile[];
  private refreshing: Promise<RefreshReport> | undefined;
  /** Whoever asked for the running reload and wants its progress (a caller joining it too). */
  private readonly refreshListeners = new Set<ProgressListener>();

  private constructor(
    private readonly options: LibraryOptions,
    kb: SentenceKnowledgeBase,
    skipped: SkippedFile[],
  ) {
    this.kb = kb;
    this.lastSkipped = skipped;
    options.semantic?.track(kb);
  }

  /** `onProgress` hears how far the first build got (reading, analysing, indexing), about ten times a second. */
  static async open(options: LibraryOptions, onProgress?: ProgressListener): Promise<Library> {
    const { kb, skipped } = await Library.build(options, progressReporter(onProgress));
    return new Library(options, kb, skipped);
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

  /** True while a reload runs (a refresh() now joins it). */
  get isRefreshing(): boolean {
    return this.refreshing !== undefined;
  }

  /**
   * Reloads the corpus; concurrent calls share one reload, and each caller's `onProgress` hears its progress.
   * Rejects (old index still serving) on failure.
   */
  refresh(onProgress?: ProgressListener): Promise<RefreshReport> {
    if (onProgress) this.refreshListeners.add(onProgress);
    this.refreshing ??= this.reload().finally(() => {
      this.refreshing = undefined;
      this.refreshListeners.clear();
    });
    return this.refreshing;
  }

  private async reload(): Promise<RefreshReport> {
    const started = performance.now();
    const before = this.kb;
    const report = progressReporter((progress) => {
      for (const listener of this.refreshListeners) {
        try {
          listener(progress);
        } catch {
          // One caller's failing display must not keep the others from theirs, nor fail the reload.
        }
      }
    });
    const { kb, skipped } = await Library.build(this.options, report);
    this.kb = kb;
    this.lastSkipped = skipped;
    this.options.semantic?.track(kb);
    const sentenceDiff = await runInSlices(diffSentencesInSteps(before, kb), REPORT_SLICE_MS);
    return {
      ...diffDocuments(before.documents, kb.documents),
      ...sentenceDiff,
      skipped,
      documents: kb.documents.length,
      sentences: kb.sentenceCount,
      sentencesBefore: before.sentenceCount,
      milliseconds: Math.round(performance.now() - started),
    };
  }

  private static async build(options: LibraryOptions, report: ReportProgress) {
    const { documents, skipped } = await loadCorpus(options.corpusDir, options.maxFileBytes, undefined, report);
    if (documents.length === 0) {
      const why = skipped.length ? ` (${skipped.length} skipped: ${skipped.map((s) => `${s.id}: ${s.reason}`).join("; ")})` : "";
      throw new Error(`no usable documents (${EXTENSIONS.join(" ")}) in ${options.corpusDir}${why}`);
    }
    const kb = await buildKnowledgeBaseInSteps(documents, { ...options.engine, maxQuestionChars: options.maxQuestionChars }, report);
    return { kb, skipped };
  }
}

/** How many sentence texts a reload brought in and took out (counted as multisets: repeats matter). */
export function diffSentences(before: KnowledgeBase, after: KnowledgeBase) {
  return runToEnd(diffSentencesInSteps(before, after));
}

/** How long the report's counting works before the event loop gets a turn (300,000 sentences take 60 ms). */
const REPORT_SLICE_MS = 10;

/** `diffSentences` in steps of LINES_PER_STEP sentences (see core/steps.ts). */
function* diffSentencesInSteps(before: KnowledgeBase, after: KnowledgeBase): Steps<{ sentencesAdded: number; sentencesRemoved: number }> {
  const count = new Map<string, number>();
  let seen = 0;
  for (const text of before.sentenceTexts()) {
    count.set(text, (count.get(text) ?? 0) + 1);
    if (++seen % LINES_PER_STEP === 0) yield;
  }
  let sentencesAdded = 0;
  for (const text of after.sentenceTexts()) {
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

/** Which documents a reload added, changed (same path, other text or metadata) and removed. */
export function diffDocuments(before: readonly SourceDocument[], after: readonly SourceDocument[]) {
  const old = new Map(before.map((d) => [d.id, d]));
  const now = new Map(after.map((d) => [d.id, d]));
  const same = (a: SourceDocument, b: SourceDocument) => a.text === b.text && JSON.stringify(a.meta) === JSON.stringify(b.meta);
  return {
    added: after.filter((d) => !old.has(d.id)).map((d) => d.id),
    changed: after.filter((d) => old.has(d.id) && !same(old.get(d.id)!, d)).map((d) => d.id),
    removed: before.filter((d) => !now.has(d.id)).map((d) => d.id),
  };
}
