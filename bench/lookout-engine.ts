/**
 * Lookout as a benchmarked system (bench/systems/lookout.ts): the same engine the bot uses, built over
 * the bench's shared, pre-split sentences. `search` is the engine's retrieval and its decision to decline.
 */
import { prepareDocumentAnalysis, termsOfMany } from "../src/text/analyser.js";
import { SentenceKnowledgeBase, DEFAULT_ENGINE_OPTIONS, type EngineOptions, type IndexedDocument } from "../src/core/knowledge-base.js";
import type { CorpusSentence } from "../src/core/sentences.js";
import { DEFAULT_BM25_OPTIONS } from "../src/search/bm25.js";
import { Library } from "../src/corpus/library.js";
import { CONFIG_DEFAULTS } from "../src/config.js";
import { SemanticStage } from "../src/semantic/stage.js";
import { startUseLiteEncoder } from "../src/semantic/use-lite.js";
import { readVectorCache, writeVectorCache } from "./vector-cache.js";
import { loadSegments, saveSegments } from "./flat-file.js";
import { textDocument } from "../src/corpus/formats/text.js";
import { runToEnd } from "../src/core/steps.js";

interface BenchSentence {
  readonly text: string;
  readonly doc: number;
  readonly position: number;
}

const PROGRESS_EVERY = 50_000;
/** Bench sentences have no place in a file: one shared empty place, not an object per sentence. */
const NO_PLACE = Object.freeze({});

/** The engine's knowledge base over sentences given ready-split (documents are their `doc` numbers). */
export function knowledgeBaseOf(sentences: readonly BenchSentence[], options: Partial<EngineOptions> = {}, onProgress?: (done: number) => void): SentenceKnowledgeBase {
  const corpus: CorpusSentence[] = new Array(sentences.length);
  let documents = 0;
  for (let from = 0; from < sentences.length; from += PROGRESS_EVERY) {
    onProgress?.(from);
    const chunk = sentences.slice(from, from + PROGRESS_EVERY);
    const terms = termsOfMany(chunk.map((s) => s.text));
    chunk.forEach((s, i) => {
      corpus[from + i] = { text: s.text, terms: terms[i]!, document: s.doc, place: NO_PLACE, position: s.position };
      documents = Math.max(documents, s.doc + 1);
    });
  }
  // Ids that sort like the numbers, so ties keep the bench's sentence order.
  const docs: IndexedDocument[] = Array.from({ length: documents }, (_, d) => ({ id: benchDocumentId(d), hash: "", bytes: 0, meta: { title: String(d) } }));
  return SentenceKnowledgeBase.fromSentences(docs, corpus, options);
}

export function benchDocumentId(doc: number): string {
  return String(doc).padStart(9, "0");
}

/** Corpora up to this size get their sentence vectors before the timed questions (SQuAD: 5,046). */
const WAIT_FOR_VECTORS = 50_000;

export interface LookoutBenchOptions {
  engine?: Partial<EngineOptions>;
  /** The semantic stage (the product's default); vectors come from the bench's cache when it has them. */
  semantic?: boolean;
}

/** A semantic stage with the real encoder, primed from the bench's vector cache. */
function benchSemanticStage(): SemanticStage {
  const stage = new SemanticStage(startUseLiteEncoder(), { batchSize: 16, questionTimeoutMs: 60_000 });
  stage.remember(readVectorCache());
  return stage;
}

export function createLookoutAdapter({ engine: options = {}, semantic = false }: LookoutBenchOptions = {}) {
  let kb: SentenceKnowledgeBase | undefined;
  let stage: SemanticStage | undefined;
  let vectorsReady: Promise<void> | undefined;
  const engine = { ...DEFAULT_ENGINE_OPTIONS, ...options };
  const { k1, b, neighbourWeight } = { ...DEFAULT_BM25_OPTIONS, ...engine.bm25 };
  /**
   * Vectors are computed after the build (as in the bot, in the background); the first question waits for
   * them, in the untimed warm-up. Above WAIT_FOR_VECTORS sentences (scale mode) it does not: computing them
   * would take hours (about 13 ms a sentence), and the bot answers from BM25 alone meanwhile, as measured then.
   */
  const meaningFor = async (question: string) => {
    if (!stage || !kb) return undefined;
    if (kb.sentenceCount <= WAIT_FOR_VECTORS) {
      vectorsReady ??= stage.whenReady(kb).then(() => writeVectorCache(stage!.entries()));
      await vectorsReady;
    }
    return stage.meaningFor(kb, question);
  };
  return {
    name: semantic ? "Lookout" : "Lookout, SEMANTIC=off",
    config: `BM25 k1=${k1} b=${b}, neighbour field ${neighbourWeight}, porter2 stems, short stop list, ${semantic ? "top 30 fused with USE Lite cosine (weight " + engine.semanticWeight + "), " : ""}calibrated three-way decline`,
    build(sentences: readonly BenchSentence[], onProgress?: (done: number) => void): void {
      kb = knowledgeBaseOf(sentences, options, onProgress);
      if (semantic) {
        stage ??= benchSemanticStage();
        stage.track(kb);
      }
    },
    async search(question: string, k: number): Promise<number[] | null> {
      const retrieval = kb!.retrieve(question, k, await meaningFor(question));
      return retrieval.declined ? null : retrieval.hits.map((h) => h.sentence);
    },
    /** The answer a user would see (excerpts: sentences or passages), with the first excerpt's document. */
    async answer(question: string): Promise<Array<{ text: string; doc: number }> | null> {
      const answer = kb!.ask(question, await meaningFor(question));
      return answer.answered ? answer.excerpts.map((e) => ({ text: e.text, doc: Number(e.citations[0]!.documentId) })) : null;
    },
    /** Saves the built index (scale mode measures start-up from it). */
    save(path: string): void {
      saveSegments(kb!, path);
    },
    load(path: string): void {
      kb = loadSegments(path, options);
    },
    /** One document's sentences, reordered and with one added, as a refresh after an edit would see it. */
    refresh(round: number): number {
      const document = (round * 7_919) % kb!.documents.length;
      const { id, meta } = kb!.documents[document]!;
      const texts = kb!.openingSentences(document, kb!.sentencesInDocument(document)).reverse();
      const changed = textDocument(id, [...texts, `Revision ${round} of this document was measured by the bench.`].join("\n"), meta);
      prepareDocumentAnalysis(); // as Library.open does after a start from the saved index (no-op once loaded)
      const start = performance.now();
      kb = runToEnd(kb!.withChanges({ removed: [], added: [changed] }));
      const ms = performance.now() - start;
      stage?.track(kb);
      return ms;
    },
    async seed(corpusDir: string) {
      const seedStage = semantic ? benchSemanticStage() : undefined;
      const library = await Library.open({ corpusDir, maxFileBytes: CONFIG_DEFAULTS.maxFileBytes, maxQuestionChars: engine.maxQuestionChars, engine: options, ...(seedStage && { semantic: seedStage }) });
      await seedStage?.whenReady(library.current);
      if (seedStage) writeVectorCache(seedStage.entries());
      return {
        async search(question: string, k: number): Promise<string[] | null> {
          const answer = await library.ask(question);
          return answer.answered ? answer.excerpts.slice(0, k).map((e) => e.text) : null;
        },
      };
    },
  };
}
