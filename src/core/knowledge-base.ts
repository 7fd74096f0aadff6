/**
 * The answering engine: documents → sentences → BM25 index → answers.
 * Built once per corpus version and never changed afterwards; a refresh builds a new one.
 */
import { termsOf } from "../text/analyser.js";
import { SentenceIndex, type Bm25Options, type Hit, type IndexSnapshot } from "../search/bm25.js";
import { ANSWER_TYPE_BOOST, answerTypeOf, holdsAnswerType } from "./answer-type.js";
import { composeExcerpts } from "./compose.js";
import type { KnowledgeBase } from "./contracts.js";
import { sentencesOf, type CorpusSentence, type StoredSentence } from "./sentences.js";
import type { Answer, SourceDocument } from "./types.js";

export interface EngineOptions {
  bm25: Partial<Bm25Options>;
  /** Longer questions are declined with reason "too-long" before any analysis. */
  maxQuestionChars: number;
  /** How many excerpts an answer holds at most (callers page through them). */
  maxExcerpts: number;
  /**
   * The best sentence must reach this share of the question's weight to count as an answer:
   * its BM25 score divided by the sum of the question terms' idf (a term the corpus lacks weighing
   * the most). It is a ratio, not a raw score, so it means the same for any corpus size.
   * Calibrated in bench/calibrate.ts (README: "Declining").
   */
  minRelevance: number;
}

export const DEFAULT_ENGINE_OPTIONS: Readonly<EngineOptions> = Object.freeze({
  bm25: {},
  maxQuestionChars: 500,
  maxExcerpts: 10,
  minRelevance: 0.35,
});

/** How many candidates the answer-type cue re-ranks. */
const RERANK_DEPTH = 30;

/** Ranked sentences for a question, before they are turned into excerpts. */
export interface Retrieval {
  terms: string[];
  hits: Hit[];
  /** The best score as a share of the question's weight (see EngineOptions.minRelevance). */
  relevance: number;
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
  private readonly documentSentenceCounts!: number[];

  constructor(documents: readonly SourceDocument[], sentences: readonly CorpusSentence[], options: Partial<EngineOptions> = {}) {
    this.documents = documents;
    this.options = { ...DEFAULT_ENGINE_OPTIONS, ...options };
    this.index = new SentenceIndex(sentences, this.options.bm25);
    this.sentences = sentences.map(({ text, document, place, position }) => ({ text, document, place, position }));
    Object.assign(this, derived(documents, sentences));
  }

  /** The whole knowledge base as plain data, for saving. */
  toSnapshot(): KnowledgeBaseSnapshot {
    return { documents: this.documents, sentences: this.sentences, options: this.options, index: this.index.toSnapshot() };
  }

  static fromSnapshot(snapshot: KnowledgeBaseSnapshot): SentenceKnowledgeBase {
    const kb = Object.create(SentenceKnowledgeBase.prototype) as SentenceKnowledgeBase;
    const index = SentenceIndex.fromSnapshot(snapshot.index);
    return Object.assign(kb, { documents: snapshot.documents, sentences: snapshot.sentences, options: snapshot.options, index }, derived(snapshot.documents, snapshot.sentences));
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

  /** Ranks sentences for a question; `limit` bounds how many come back. */
  retrieve(question: string, limit: number): Retrieval {
    const terms = termsOf(question.slice(0, this.options.maxQuestionChars)).map((t) => this.index.resolve(t));
    const unique = new Set(terms);
    const hits = this.index.search(terms, Math.max(limit, RERANK_DEPTH));
    const type = answerTypeOf(question);
    if (type) {
      for (const hit of hits) {
        if (holdsAnswerType(type, this.index.sentenceTerms(hit.sentence), unique)) hit.score *= ANSWER_TYPE_BOOST;
      }
      hits.sort((a, b) => b.score - a.score || a.sentence - b.sentence);
    }
    let weight = 0;
    for (const term of unique) weight += this.index.idf(term);
    const best = hits[0]?.score ?? 0;
    const relevance = weight > 0 ? best / weight : 0;
    const declined = terms.length === 0 ? "empty" : hits.length === 0 || relevance < this.options.minRelevance ? "no-match" : undefined;
    return { terms, hits: hits.slice(0, limit), relevance, ...(declined && { declined }) };
  }

  ask(question: string): Answer {
    const trimmed = question.trim();
    if (trimmed.length > this.options.maxQuestionChars) return declined(question, "too-long");
    const retrieval = this.retrieve(trimmed, this.options.maxExcerpts * 3);
    if (retrieval.declined) return declined(question, retrieval.declined);
    return {
      question,
      answered: true,
      excerpts: composeExcerpts(this, retrieval, this.options.maxExcerpts),
    };
  }
}

export interface KnowledgeBaseSnapshot {
  documents: readonly SourceDocument[];
  sentences: readonly StoredSentence[];
  options: EngineOptions;
  index: IndexSnapshot;
}

/** What is computed from documents and sentences rather than stored. */
function derived(documents: readonly SourceDocument[], sentences: readonly StoredSentence[]) {
  const documentSentenceCounts = documents.map(() => 0);
  for (const s of sentences) documentSentenceCounts[s.document] = (documentSentenceCounts[s.document] ?? 0) + 1;
  return { documentSentenceCounts };
}

/**
 * What the corpus is about, in a few words for "not in the corpus" hints: the capitalised words
 * (names, places, things) found in the most documents, then most often; a sentence's first word
 * does not count, it is capitalised anyway. Only the first sentences are read, so this stays cheap.
 */
function salientNames(sentences: readonly StoredSentence[], count = 6): string[] {
  const seen = new Map<string, { documents: Set<number>; times: number }>();
  for (const s of sentences.slice(0, 20_000)) {
    for (const match of s.text.matchAll(/(?<=[\p{L}\p{N},;:]\s+)\p{Lu}[\p{Ll}\p{Lu}-]{2,}\b/gu)) {
      const word = match[0];
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
  const sentences = documents.flatMap((document, i) => sentencesOf(document, i));
  return new SentenceKnowledgeBase(documents, sentences, options);
}

/**
 * The same build, yielding to the event loop between documents, so a bot refreshing a large corpus
 * keeps answering (from the old knowledge base) and keeps its gateway heartbeats while it builds.
 */
export async function buildKnowledgeBaseInSteps(documents: readonly SourceDocument[], options: Partial<EngineOptions> = {}): Promise<SentenceKnowledgeBase> {
  const sentences: CorpusSentence[] = [];
  for (const [i, document] of documents.entries()) {
    sentences.push(...sentencesOf(document, i));
    await new Promise((resolve) => setImmediate(resolve));
  }
  return new SentenceKnowledgeBase(documents, sentences, options);
}
