/**
 * The answering engine: documents → sentences → BM25 index → answers.
 * Built once per corpus version and never changed afterwards; a refresh builds a new one, sharing the
 * index segments (segment.ts) that the change does not touch.
 */
import { isNoEnglishWord } from "../text/english.js";
import { SentenceIndex, type Bm25Options, type Hit } from "../search/bm25.js";
import { fuseWithMeaning, SEMANTIC_WEIGHT, type MeaningOfQuestion } from "../search/fusion.js";
import { ANSWER_TYPE_BOOST, answerTypeOf, holdsAnswerType } from "./answer-type.js";
import { composeExcerpts } from "./compose.js";
import type { KnowledgeBase } from "./contracts.js";
import { DECLINE_MODEL } from "./decline-model.js";
import { evidenceOf, outcomeOf, probabilityOf, type DeclineModel, type Evidence } from "./evidence.js";
import { searchTermsOf } from "./question-terms.js";
import type { BuildProgress, ProgressListener } from "./progress.js";
import { progressReporter } from "./progress-reporter.js";
import { CorpusSegment } from "./segment.js";
import { sentencesInSteps, type CorpusSentence, type StoredSentence } from "./sentences.js";
import { runInSlices, runToEnd, type Steps } from "./steps.js";
import type { Answer, Confidence, IndexedDocument, Place, SourceDocument } from "./types.js";

export { CorpusSegment } from "./segment.js";
export type { IndexedDocument } from "./types.js";

export interface EngineOptions {
  bm25: Partial<Bm25Options>;
  /** Longer questions are declined with reason "too-long" before any analysis. */
  maxQuestionChars: number;
  /** How many excerpts an answer holds at most (callers page through them). */
  maxExcerpts: number;
  /**
   * Decides between a confident answer, "not sure, the closest passages", and "not in the documents":
   * a logistic model over the question's evidence (src/core/evidence.ts), fitted and calibrated by
   * bench/calibrate.ts (README: "Declining").
   */
  decline: DeclineModel;
  /** Weight of the meaning (cosine) against BM25 when the semantic stage reorders candidates. */
  semanticWeight: number;
  /** Sentences per index segment, about (SEGMENT_SENTENCES; tests make it small to get many segments). */
  segmentSentences: number;
}

export const DEFAULT_ENGINE_OPTIONS: Readonly<EngineOptions> = Object.freeze({
  bm25: {},
  maxQuestionChars: 500,
  maxExcerpts: 10,
  decline: DECLINE_MODEL,
  semanticWeight: SEMANTIC_WEIGHT,
  segmentSentences: 8_192,
});

/** How many candidates the answer-type cue and the semantic stage re-rank. */
export const RERANK_DEPTH = 30;

/** Ranked sentences for a question, before they are turned into excerpts. */
export interface Retrieval {
  terms: string[];
  hits: Hit[];
  /** The best BM25 score as a share of the question's weight (one of the evidence signals). */
  relevance: number;
  /** The signals the decision was made from, and the model's probability that the corpus answers. */
  evidence?: Evidence;
  probability: number;
  /** How sure the answer is; undefined when declined. */
  confidence?: Confidence;
  /** Whether the semantic stage reordered the candidates (false: BM25 order). */
  semantic: boolean;
  /** Why the corpus does not answer, or undefined when it does: the one place this is decided. */
  declined?: "empty" | "no-match";
}

/**
 * Sentences per segment, about (a document is never split, so one document can make a larger one): what a
 * refresh rebuilds at most per touched segment, against how many segments a query looks a term up in.
 */
export const SEGMENT_SENTENCES = DEFAULT_ENGINE_OPTIONS.segmentSentences;

/** What a refresh changed: a changed document is removed and added again. */
export interface CorpusChanges {
  removed: readonly string[];
  added: readonly SourceDocument[];
}

/** Besides the documents, what a build may be given: content hashes (by document id) and a progress listener. */
export interface BuildOptions {
  hashes?: ReadonlyMap<string, string>;
  onProgress?: ProgressListener;
}

export class SentenceKnowledgeBase implements KnowledgeBase {
  /** The index's segments, each a run of whole documents; shared with the knowledge bases refreshed from this one. */
  readonly segments: readonly CorpusSegment[];
  /** The documents, sorted by id (sentences of a document with no answerable sentence: none). */
  readonly documents: readonly IndexedDocument[];
  readonly index: SentenceIndex;
  readonly options: EngineOptions;
  private topicsCache: readonly string[] | undefined;
  /** Per segment, its documents' places in `documents`. */
  private readonly segmentDocuments: Int32Array[];
  /** Per document: its first sentence and how many it has. */
  private readonly documentFirst: Int32Array;
  private readonly documentSize: Int32Array;
  /** Rank of each sentence among equal scores (see orderOf): read for every tie, so kept as an array. */
  private readonly order: Int32Array;

  private constructor(segments: readonly CorpusSegment[], options: Partial<EngineOptions>) {
    this.segments = segments;
    this.options = { ...DEFAULT_ENGINE_OPTIONS, ...options };
    // Documents sorted by id (then by place, should two share one): the order that breaks ties, so the
    // order of segments never shows in a ranking. All per document, but for the order of each sentence.
    const places: Array<{ document: IndexedDocument; segment: number; local: number; first: number; size: number }> = [];
    let base = 0;
    segments.forEach((segment, k) => {
      for (let d = 0; d < segment.documents.length; d++) {
        const first = segment.documentStart(d);
        places.push({ document: segment.documents[d]!, segment: k, local: d, first: base + first, size: segment.documentStart(d + 1) - first });
      }
      base += segment.sentenceCount;
    });
    const sorted = places.map((_, i) => i).sort((x, y) => compareIds(places[x]!.document.id, places[y]!.document.id) || x - y);
    this.segmentDocuments = segments.map((segment) => new Int32Array(segment.documents.length));
    this.documentFirst = new Int32Array(sorted.length);
    this.documentSize = new Int32Array(sorted.length);
    this.order = new Int32Array(base);
    let rank = 0;
    this.documents = sorted.map((at, g) => {
      const { document, segment, local, first, size } = places[at]!;
      this.segmentDocuments[segment]![local] = g;
      this.documentFirst[g] = first;
      this.documentSize[g] = size;
      for (let p = 0; p < size; p++) this.order[first + p] = rank++;
      return document;
    });
    this.index = SentenceIndex.over(
      segments.map((s) => s.postings),
      this.options.bm25,
      this.order,
    );
  }

  /** A knowledge base over these segments (shared, not copied), with its corpus-wide statistics computed now. */
  static fromSegments(segments: readonly CorpusSegment[], options: Partial<EngineOptions> = {}): SentenceKnowledgeBase {
    return new SentenceKnowledgeBase(segments, options);
  }

  /**
   * A knowledge base over sentences already analysed (each sentence's `document` indexes `documents`; in
   * document order), cut into segments at document boundaries.
   */
  static fromSentences(documents: readonly (IndexedDocument | SourceDocument)[], sentences: readonly CorpusSentence[], options: Partial<EngineOptions> = {}): SentenceKnowledgeBase {
    return runToEnd(segmentsOfSentencesInSteps(documents.map((d) => indexedDocument(d)), sentences, options));
  }

  sentencesInDocument(document: number): number {
    return this.documentSize[document] ?? 0;
  }

  openingSentences(document: number, max: number): string[] {
    const first = this.firstSentenceOf(document);
    const texts: string[] = [];
    for (let s = first, end = first + Math.min(max, this.sentencesInDocument(document)); s < end; s++) texts.push(this.sentenceText(s));
    return texts;
  }

  /** The document's first sentence (its sentences follow it: first .. first + sentencesInDocument). */
  firstSentenceOf(document: number): number {
    return this.documentFirst[document]!;
  }

  /** Computed on first use: most knowledge bases are asked about things they hold. */
  get topics(): readonly string[] {
    this.topicsCache ??= salientNames(this);
    return this.topicsCache;
  }

  *sentenceTexts(): Iterable<string> {
    for (const segment of this.segments) {
      for (let s = 0; s < segment.sentenceCount; s++) yield segment.sentenceText(s);
    }
  }

  get sentenceCount(): number {
    return this.index.sentenceCount;
  }

  /** The segment and local number of a sentence. */
  private locate(sentence: number): { segment: CorpusSegment; local: number } {
    if (!(sentence >= 0 && sentence < this.sentenceCount)) throw new RangeError(`no sentence ${sentence} (${this.sentenceCount} sentences)`);
    const k = this.index.segmentOf(sentence);
    return { segment: this.segments[k]!, local: sentence - this.index.bases[k]! };
  }

  sentenceText(sentence: number): string {
    const { segment, local } = this.locate(sentence);
    return segment.sentenceText(local);
  }

  /** The sentence's document: an index into `documents`. */
  documentOf(sentence: number): number {
    const k = this.index.segmentOf(sentence);
    return this.segmentDocuments[k]![this.segments[k]!.postings.documentOfSentence()[sentence - this.index.bases[k]!]!]!;
  }

  placeOf(sentence: number): Place {
    const { segment, local } = this.locate(sentence);
    return segment.placeOf(local);
  }

  /** 0-based position among its document's answerable sentences. */
  positionOf(sentence: number): number {
    return sentence - this.documentFirst[this.documentOf(sentence)]!;
  }

  /** One sentence as an object (made on each call: the knowledge base keeps none). */
  sentence(sentence: number): StoredSentence {
    return { text: this.sentenceText(sentence), document: this.documentOf(sentence), place: this.placeOf(sentence), position: this.positionOf(sentence) };
  }

  /** The terms of a sentence, in order, with repeats. */
  sentenceTerms(sentence: number): string[] {
    return this.index.sentenceTerms(sentence);
  }

  /** Rank of a sentence among equal scores (documents by id, then position): lower wins. */
  orderOf(sentence: number): number {
    return this.order[sentence]!;
  }

  /**
   * Ranks sentences for a question; `limit` bounds how many come back. With `meaning` (the question's
   * vector and the sentences'), the best RERANK_DEPTH candidates are reordered by BM25 and cosine
   * together; when any of them has no vector yet, the BM25 order stands.
   */
  retrieve(question: string, limit: number, meaning?: MeaningOfQuestion): Retrieval {
    // Each distinct word resolved once: a slip of the keyboard is looked for among hundreds of variants.
    const resolved = new Map<string, string>();
    const resolve = (term: string) => {
      let found = resolved.get(term);
      if (found === undefined) resolved.set(term, (found = this.index.resolve(term, isNoEnglishWord)));
      return found;
    };
    const terms = searchTermsOf(question.slice(0, this.options.maxQuestionChars)).map(resolve);
    let hits = this.index.search(terms, Math.max(limit, RERANK_DEPTH));
    const type = answerTypeOf(question);
    const order = (sentence: number) => this.order[sentence]!;
    if (type) {
      const unique = new Set(terms);
      for (const hit of hits) {
        if (holdsAnswerType(type, this.index.sentenceTerms(hit.sentence), unique, this.sentenceText(hit.sentence))) hit.score *= ANSWER_TYPE_BOOST;
      }
      hits.sort((a, b) => b.score - a.score || order(a.sentence) - order(b.sentence));
    }
    if (terms.length === 0 || hits.length === 0) {
      return { terms, hits: [], relevance: 0, probability: 0, semantic: false, declined: terms.length === 0 ? "empty" : "no-match" };
    }
    const evidence = evidenceOf(this.index, { question, terms, sentences: hits.map((h) => h.sentence), bestScore: hits[0]!.score }, (s) => this.documentOf(s), (s) => this.sentenceText(s));
    const probability = probabilityOf(evidence, this.options.decline);
    const outcome = outcomeOf(probability, this.options.decline, evidence);
    const fused = meaning ? fuseWithMeaning(hits.slice(0, RERANK_DEPTH), meaning, this.options.semanticWeight, this.order) : undefined;
    if (fused) hits = [...fused, ...hits.slice(RERANK_DEPTH)];
    const decided = outcome === "declined" ? { declined: "no-match" as const } : { confidence: outcome };
    return { terms, hits: hits.slice(0, limit), relevance: evidence.relevance, evidence, probability, semantic: fused !== undefined, ...decided };
  }

  /** Answers from BM25 alone, or with the semantic stage when `meaning` is given. Never throws. */
  ask(question: string, meaning?: MeaningOfQuestion): Answer {
    const trimmed = question.trim();
    if (trimmed.length > this.options.maxQuestionChars) return declined(question, "too-long");
    // Twice the excerpts: enough for repeats merged and passages joined (measured on SQuAD: ten excerpts from
    // 20 hits for all but a handful of questions), at two thirds of the composing cost of 30.
    const retrieval = this.retrieve(trimmed, this.options.maxExcerpts * 2, meaning);
    if (retrieval.declined) return declined(question, retrieval.declined);
    return {
      question,
      answered: true,
      confidence: retrieval.confidence!,
      excerpts: composeExcerpts(this, retrieval.hits, retrieval.terms, this.options.maxExcerpts),
    };
  }

  /**
   * This knowledge base with documents removed and added, as steps (a refresh runs them in slices). Only the
   * added documents are analysed; a segment that loses documents is rebuilt without them from its own
   * stored data, small segments are merged (see planSegments), and every other segment is shared. Ranks
   * exactly like a full build of the same documents. `hashes`: content hashes of the added documents.
   */
  *withChanges(changes: CorpusChanges, hashes: ReadonlyMap<string, string> = new Map(), onProgress?: ProgressListener): Steps<SentenceKnowledgeBase> {
    const report = reporterFor(onProgress, changes.added.length);
    const gone = new Set(changes.removed);
    for (const document of changes.added) gone.add(document.id);
    const plan: Planned[] = [];
    for (const segment of this.segments) {
      const kept: number[] = [];
      segment.documents.forEach((document, d) => gone.has(document.id) || kept.push(d));
      if (kept.length > 0) plan.push({ parts: [{ segment, documents: kept }], sentences: keptSentences(segment, kept) });
    }
    report("analysing", 0, 0);
    const added = yield* segmentsOfDocumentsInSteps(changes.added, hashes, this.options.segmentSentences, report);
    for (const segment of added) plan.push({ parts: [{ segment, documents: segment.documents.map((_, d) => d) }], sentences: segment.sentenceCount });
    report("indexing", changes.added.length, sentencesIn(added));
    const segments: CorpusSegment[] = [];
    for (const planned of mergeSmall(plan, this.options.segmentSentences)) {
      const [only] = planned.parts;
      const whole = planned.parts.length === 1 && only!.documents.length === only!.segment.documents.length;
      segments.push(whole ? only!.segment : yield* CorpusSegment.fromPartsInSteps(planned.parts));
    }
    yield;
    return new SentenceKnowledgeBase(segments, this.options);
  }
}

/** A segment to be: whole documents of existing segments, and how many sentences they hold. */
interface Planned {
  parts: Array<{ segment: CorpusSegment; documents: readonly number[] }>;
  sentences: number;
}

function keptSentences(segment: CorpusSegment, documents: readonly number[]): number {
  let n = 0;
  for (const d of documents) n += segment.documentStart(d + 1) - segment.documentStart(d);
  return n;
}

function sentencesIn(segments: readonly CorpusSegment[]): number {
  return segments.reduce((n, s) => n + s.sentenceCount, 0);
}

/**
 * The merge policy: neighbours that fit in SEGMENT_SENTENCES together are merged, smallest pair first,
 * until no two neighbours fit. Then every two neighbours hold more than SEGMENT_SENTENCES, so a corpus of
 * N sentences has at most 2·N/SEGMENT_SENTENCES + 1 segments however many refreshes made it; and a change
 * costs at most a few rebuilds of one segment's size.
 */
function mergeSmall(plan: Planned[], segmentSentences: number): Planned[] {
  const merged = [...plan];
  for (;;) {
    let best = -1;
    for (let i = 0; i + 1 < merged.length; i++) {
      const size = merged[i]!.sentences + merged[i + 1]!.sentences;
      if (size <= segmentSentences && (best < 0 || size < merged[best]!.sentences + merged[best + 1]!.sentences)) best = i;
    }
    if (best < 0) return merged;
    const [a, b] = [merged[best]!, merged[best + 1]!];
    merged.splice(best, 2, { parts: [...a.parts, ...b.parts], sentences: a.sentences + b.sentences });
  }
}

function indexedDocument(document: IndexedDocument | SourceDocument, hashes?: ReadonlyMap<string, string>): IndexedDocument {
  const hash = hashes?.get(document.id) ?? ("hash" in document ? document.hash : "");
  return { id: document.id, meta: document.meta, bytes: document.bytes, hash };
}

/** Ids in the loader's order (JavaScript's default string order). */
function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A build's progress for one phase and count, throttled by progressReporter (a phase's start and end always pass). */
type Report = (phase: BuildProgress["phase"], documentsDone: number, sentences: number) => void;

function reporterFor(listener: ProgressListener | undefined, documentsTotal: number): Report {
  const report = progressReporter(listener);
  return (phase, documentsDone, sentences) => report({ phase, documentsDone, documentsTotal, sentences });
}

/**
 * Documents analysed into segments of about SEGMENT_SENTENCES sentences, in the order given (a document is
 * never split). Sentences are held only for the segment being filled.
 */
function* segmentsOfDocumentsInSteps(
  documents: readonly SourceDocument[],
  hashes: ReadonlyMap<string, string> | undefined,
  segmentSentences: number,
  report: Report,
): Steps<CorpusSegment[]> {
  const segments: CorpusSegment[] = [];
  let group: IndexedDocument[] = [];
  let first = 0;
  let sentences: CorpusSentence[] = [];
  let analysed = 0;
  for (const [i, document] of documents.entries()) {
    const own = yield* sentencesInSteps(document, i);
    if (group.length > 0 && sentences.length + own.length > segmentSentences) {
      segments.push(yield* CorpusSegment.buildInSteps(group, sentences, first));
      (group = []), (sentences = []), (first = i);
    }
    group.push(indexedDocument(document, hashes));
    for (const s of own) sentences.push(s); // not push(...): a large document would overflow the stack
    analysed += own.length;
    report("analysing", i + 1, analysed);
  }
  if (group.length > 0) segments.push(yield* CorpusSegment.buildInSteps(group, sentences, first));
  return segments;
}

/** `fromSentences` as steps: sentences already analysed, cut into segments at document boundaries. */
function* segmentsOfSentencesInSteps(documents: readonly IndexedDocument[], sentences: readonly CorpusSentence[], options: Partial<EngineOptions>): Steps<SentenceKnowledgeBase> {
  const { segmentSentences } = { ...DEFAULT_ENGINE_OPTIONS, ...options };
  const segments: CorpusSegment[] = [];
  let firstDocument = 0;
  let firstSentence = 0;
  let s = 0;
  for (let d = 0; d <= documents.length; d++) {
    while (s < sentences.length && sentences[s]!.document < d) s++;
    // Before document d: cut here when the group is full, or at the end.
    if (d > firstDocument && (d === documents.length || s - firstSentence >= segmentSentences)) {
      segments.push(yield* CorpusSegment.buildInSteps(documents.slice(firstDocument, d), sentences.slice(firstSentence, s), firstDocument));
      (firstDocument = d), (firstSentence = s);
    }
  }
  return SentenceKnowledgeBase.fromSegments(segments, options);
}

/**
 * What the corpus is about, in a few words for "not in the corpus" hints: the capitalised words
 * (names, places, things) found in the most documents, then most often; a sentence's first word
 * does not count, it is capitalised anyway. Only the first sentences are read, so this stays cheap.
 */
/**
 * A capitalised word after a word (or `,;:`) and white space. The lookahead version of
 * `(?<=[\p{L}\p{N},;:]\s+)\p{Lu}[\p{Ll}\p{Lu}-]{2,}\b`: the lookbehind rescanned a run of spaces at
 * every position in it, which is quadratic in the run's length.
 */
const NAME_AFTER_WORD = /[\p{L}\p{N},;:](?=\s+(\p{Lu}[\p{Ll}\p{Lu}-]{2,})\b)/gu;

function salientNames(kb: SentenceKnowledgeBase, count = 6): string[] {
  const seen = new Map<string, { documents: Set<number>; times: number }>();
  // Documents in id order (not segment order), so a refreshed knowledge base reads the same sentences as a rebuilt one.
  let read = 0;
  for (let document = 0; document < kb.documents.length && read < 20_000; document++) {
    const first = kb.firstSentenceOf(document);
    for (let s = first, end = first + kb.sentencesInDocument(document); s < end && read < 20_000; s++, read++) {
      for (const match of kb.sentenceText(s).matchAll(NAME_AFTER_WORD)) {
        const word = match[1]!;
        if (word === word.toUpperCase() && word.length > 5) continue; // SHOUTING, not a name
        const entry = seen.get(word) ?? { documents: new Set(), times: 0 };
        entry.documents.add(document);
        entry.times++;
        seen.set(word, entry);
      }
    }
  }
  const ranked = [...seen]
    .filter(([, e]) => e.times >= 2)
    .sort((a, b) => b[1].documents.size - a[1].documents.size || b[1].times - a[1].times)
    .map(([word]) => word);
  // One form per word family: "Germany" and "German" would say the same twice.
  const names: string[] = [];
  for (const word of ranked) {
    if (names.length === count) break;
    if (!names.some((n) => n.slice(0, 5) === word.slice(0, 5))) names.push(word);
  }
  return names;
}

function declined(question: string, reason: Answer["reason"] & string): Answer {
  return { question, answered: false, reason, excerpts: [] };
}

/** Builds a knowledge base from documents (pure: the documents are already in memory). */
export function buildKnowledgeBase(documents: readonly SourceDocument[], options: Partial<EngineOptions> = {}, build: BuildOptions = {}): SentenceKnowledgeBase {
  return runToEnd(knowledgeBaseInSteps(documents, options, build));
}

/**
 * The build as steps (see steps.ts), each bounded in size: a paragraph, a furniture check, a few thousand
 * sentences of indexing or of copying. `buildKnowledgeBase` runs it straight through, a refresh in slices.
 * Documents are analysed in the order given into segments of about SEGMENT_SENTENCES sentences.
 */
export function* knowledgeBaseInSteps(documents: readonly SourceDocument[], options: Partial<EngineOptions> = {}, build: BuildOptions = {}): Steps<SentenceKnowledgeBase> {
  const report = reporterFor(build.onProgress, documents.length);
  report("analysing", 0, 0);
  const { segmentSentences } = { ...DEFAULT_ENGINE_OPTIONS, ...options };
  const segments = yield* segmentsOfDocumentsInSteps(documents, build.hashes, segmentSentences, report);
  report("indexing", documents.length, sentencesIn(segments));
  yield;
  return SentenceKnowledgeBase.fromSegments(segments, options);
}

/** How long the build works before it gives the event loop a turn. */
export const BUILD_SLICE_MS = 10;

/**
 * The same build, giving the event loop a turn every BUILD_SLICE_MS of work (no step holds it for long,
 * so even a single 5 MB document or a 300,000-sentence index does not), so a bot refreshing a large
 * corpus keeps answering (from the old knowledge base) and keeps its gateway heartbeats.
 */
export function buildKnowledgeBaseInSteps(documents: readonly SourceDocument[], options: Partial<EngineOptions> = {}, build: BuildOptions = {}): Promise<SentenceKnowledgeBase> {
  return runInSlices(knowledgeBaseInSteps(documents, options, build), BUILD_SLICE_MS);
}
