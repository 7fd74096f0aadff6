/**
 * The answering engine: documents → sentences → BM25 index → answers.
 * Built once per corpus version and never changed afterwards; a refresh builds a new one.
 */
import { termsOf } from "../text/analyser.js";
import { INDEX_STEP, SentenceIndex, type Bm25Options, type Hit, type IndexSnapshot } from "../search/bm25.js";
import { fuseWithMeaning, SEMANTIC_WEIGHT, type MeaningOfQuestion } from "../search/fusion.js";
import { ANSWER_TYPE_BOOST, answerTypeOf, holdsAnswerType } from "./answer-type.js";
import { composeExcerpts } from "./compose.js";
import type { KnowledgeBase } from "./contracts.js";
import { DECLINE_MODEL } from "./decline-model.js";
import { evidenceOf, outcomeOf, probabilityOf, type DeclineModel, type Evidence } from "./evidence.js";
import { sentencesInSteps, type CorpusSentence, type StoredSentence } from "./sentences.js";
import { runInSlices, runToEnd, type Steps } from "./steps.js";
import type { ReportProgress } from "./progress-reporter.js";
import type { Answer, Confidence, SourceDocument } from "./types.js";

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
}

export const DEFAULT_ENGINE_OPTIONS: Readonly<EngineOptions> = Object.freeze({
  bm25: {},
  maxQuestionChars: 500,
  maxExcerpts: 10,
  decline: DECLINE_MODEL,
  semanticWeight: SEMANTIC_WEIGHT,
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

export class SentenceKnowledgeBase implements KnowledgeBase {
  readonly documents: readonly SourceDocument[];
  /** The answerable sentences, in document order; their terms live in the index. */
  readonly sentences: readonly StoredSentence[];
  readonly index: SentenceIndex;
  readonly options: EngineOptions;
  private topicsCache: readonly string[] | undefined;
  private readonly documentSentenceCounts: number[];

  /** Sentences are indexed here; `fromSnapshot` passes an index already built. */
  constructor(documents: readonly SourceDocument[], sentences: readonly CorpusSentence[], options?: Partial<EngineOptions>);
  constructor(documents: readonly SourceDocument[], sentences: readonly StoredSentence[], options: Partial<EngineOptions>, index: SentenceIndex);
  constructor(documents: readonly SourceDocument[], sentences: readonly (StoredSentence | CorpusSentence)[], options: Partial<EngineOptions> = {}, index?: SentenceIndex) {
    this.documents = documents;
    this.options = { ...DEFAULT_ENGINE_OPTIONS, ...options };
    this.index = index ?? new SentenceIndex(sentences as readonly CorpusSentence[], this.options.bm25);
    // With an index, the sentences are already stored ones (a snapshot's, or copied in steps): kept as they are.
    this.sentences = index ? (sentences as readonly StoredSentence[]) : sentences.map(storedSentence);
    this.documentSentenceCounts = documents.map(() => 0);
    for (const s of sentences) this.documentSentenceCounts[s.document] = (this.documentSentenceCounts[s.document] ?? 0) + 1;
  }

  /** The whole knowledge base as plain data, for saving. */
  toSnapshot(): KnowledgeBaseSnapshot {
    return { documents: this.documents, sentences: this.sentences, options: this.options, index: this.index.toSnapshot() };
  }

  static fromSnapshot(snapshot: KnowledgeBaseSnapshot): SentenceKnowledgeBase {
    return new SentenceKnowledgeBase(snapshot.documents, snapshot.sentences, snapshot.options, SentenceIndex.fromSnapshot(snapshot.index));
  }

  sentencesInDocument(document: number): number {
    return this.documentSentenceCounts[document] ?? 0;
  }

  /** Computed on first use: most knowledge bases are asked about things they hold. */
  get topics(): readonly string[] {
    this.topicsCache ??= salientNames(this.sentences);
    return this.topicsCache;
  }

  *sentenceTexts(): Iterable<string> {
    for (const s of this.sentences) yield s.text;
  }

  get sentenceCount(): number {
    return this.sentences.length;
  }

  /**
   * Ranks sentences for a question; `limit` bounds how many come back. With `meaning` (the question's
   * vector and the sentences'), the best RERANK_DEPTH candidates are reordered by BM25 and cosine
   * together; when any of them has no vector yet, the BM25 order stands.
   */
  retrieve(question: string, limit: number, meaning?: MeaningOfQuestion): Retrieval {
    const terms = termsOf(question.slice(0, this.options.maxQuestionChars)).map((t) => this.index.resolve(t));
    let hits = this.index.search(terms, Math.max(limit, RERANK_DEPTH));
    const type = answerTypeOf(question);
    if (type) {
      const unique = new Set(terms);
      for (const hit of hits) {
        if (holdsAnswerType(type, this.index.sentenceTerms(hit.sentence), unique)) hit.score *= ANSWER_TYPE_BOOST;
      }
      hits.sort((a, b) => b.score - a.score || a.sentence - b.sentence);
    }
    if (terms.length === 0 || hits.length === 0) {
      return { terms, hits: [], relevance: 0, probability: 0, semantic: false, declined: terms.length === 0 ? "empty" : "no-match" };
    }
    const evidence = evidenceOf(this.index, { question, terms, sentences: hits.map((h) => h.sentence), bestScore: hits[0]!.score }, (s) => this.sentences[s]!.document);
    const probability = probabilityOf(evidence, this.options.decline);
    const outcome = outcomeOf(probability, this.options.decline);
    const fused = meaning ? fuseWithMeaning(hits.slice(0, RERANK_DEPTH), meaning, this.options.semanticWeight) : undefined;
    if (fused) hits = [...fused, ...hits.slice(RERANK_DEPTH)];
    const decided = outcome === "declined" ? { declined: "no-match" as const } : { confidence: outcome };
    return { terms, hits: hits.slice(0, limit), relevance: evidence.relevance, evidence, probability, semantic: fused !== undefined, ...decided };
  }

  /** Answers from BM25 alone, or with the semantic stage when `meaning` is given. Never throws. */
  ask(question: string, meaning?: MeaningOfQuestion): Answer {
    const trimmed = question.trim();
    if (trimmed.length > this.options.maxQuestionChars) return declined(question, "too-long");
    const retrieval = this.retrieve(trimmed, this.options.maxExcerpts * 3, meaning);
    if (retrieval.declined) return declined(question, retrieval.declined);
    return {
      question,
      answered: true,
      confidence: retrieval.confidence!,
      excerpts: composeExcerpts(this, retrieval.hits, retrieval.terms, this.options.maxExcerpts),
    };
  }

  /** The term ids of a sentence, in order (for composing excerpts). */
  sentenceTermIds(sentence: number): ArrayLike<number> {
    return this.index.sentenceTermIds(sentence);
  }
}

/** A sentence as the knowledge base keeps it: without its terms, which the index holds. */
function storedSentence({ text, document, place, position }: StoredSentence): StoredSentence {
  return { text, document, place, position };
}

export interface KnowledgeBaseSnapshot {
  documents: readonly SourceDocument[];
  sentences: readonly StoredSentence[];
  options: EngineOptions;
  index: IndexSnapshot;
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

function salientNames(sentences: readonly StoredSentence[], count = 6): string[] {
  const seen = new Map<string, { documents: Set<number>; times: number }>();
  for (const s of sentences.slice(0, 20_000)) {
    for (const match of s.text.matchAll(NAME_AFTER_WORD)) {
      const word = match[1]!;
      if (word === word.toUpperCase() && word.length > 5) continue; // SHOUTING, not a name
      const entry = seen.get(word) ?? { documents: new Set(), times: 0 };
      entry.documents.add(s.document);
      entry.times++;
      seen.set(word, entry);
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
export function buildKnowledgeBase(documents: readonly SourceDocument[], options: Partial<EngineOptions> = {}): SentenceKnowledgeBase {
  return runToEnd(knowledgeBaseInSteps(documents, options));
}

/**
 * The build as steps (see steps.ts), each bounded in size: a paragraph, a furniture check, a few thousand
 * sentences of indexing or of copying. `buildKnowledgeBase` runs it straight through, a refresh in slices.
 */
export function* knowledgeBaseInSteps(documents: readonly SourceDocument[], options: Partial<EngineOptions> = {}, report?: ReportProgress): Steps<SentenceKnowledgeBase> {
  const sentences: CorpusSentence[] = [];
  const documentsTotal = documents.length;
  for (const [i, document] of documents.entries()) {
    for (const sentence of yield* sentencesInSteps(document, i)) sentences.push(sentence); // not push(...): a large document would overflow the stack
    report?.({ phase: "analysing", documentsDone: i + 1, documentsTotal, sentences: sentences.length });
  }
  report?.({ phase: "indexing", documentsDone: documentsTotal, documentsTotal, sentences: sentences.length });
  const engine = { ...DEFAULT_ENGINE_OPTIONS, ...options };
  const index = yield* SentenceIndex.buildInSteps(sentences, engine.bm25);
  const stored: StoredSentence[] = [];
  for (let i = 0; i < sentences.length; i++) {
    stored.push(storedSentence(sentences[i]!));
    if (i % INDEX_STEP === INDEX_STEP - 1) yield;
  }
  return new SentenceKnowledgeBase(documents, stored, options, index);
}

/** How long the build works before it gives the event loop a turn. */
const BUILD_SLICE_MS = 10;

/**
 * The same build, giving the event loop a turn every BUILD_SLICE_MS of work (no step holds it for long,
 * so even a single 5 MB document or a 300,000-sentence index does not), so a bot refreshing a large
 * corpus keeps answering (from the old knowledge base) and keeps its gateway heartbeats.
 */
export function buildKnowledgeBaseInSteps(documents: readonly SourceDocument[], options: Partial<EngineOptions> = {}, report?: ReportProgress): Promise<SentenceKnowledgeBase> {
  return runInSlices(knowledgeBaseInSteps(documents, options, report), BUILD_SLICE_MS);
}
