/**
 * Lookout as a benchmarked system (bench/systems/lookout.ts): the same engine the bot uses, built over
 * the bench's shared, pre-split sentences. `search` is the engine's retrieval and its decision to decline.
 */
import { termsOfMany } from "./text/analyser.js";
import { SentenceKnowledgeBase, DEFAULT_ENGINE_OPTIONS, type EngineOptions, type KnowledgeBaseSnapshot } from "./core/knowledge-base.js";
import type { CorpusSentence } from "./core/sentences.js";
import { DEFAULT_BM25_OPTIONS } from "./search/bm25.js";
import type { SourceDocument } from "./core/types.js";
import { Library } from "./corpus/library.js";
import { CONFIG_DEFAULTS } from "./config.js";
import { readFileSync, writeFileSync } from "node:fs";
import { deserialize, serialize } from "node:v8";

interface BenchSentence {
  readonly text: string;
  readonly doc: number;
  readonly position: number;
}

const PROGRESS_EVERY = 50_000;
/** Bench sentences have no place in a file: one shared empty place, not an object per sentence. */
const NO_PLACE = Object.freeze({});

export function createLookoutAdapter(options: Partial<EngineOptions> = {}) {
  let kb: SentenceKnowledgeBase | undefined;
  const engine = { ...DEFAULT_ENGINE_OPTIONS, ...options };
  const { k1, b, neighbourWeight } = { ...DEFAULT_BM25_OPTIONS, ...engine.bm25 };
  return {
    name: "Lookout",
    config: `BM25 k1=${k1} b=${b}, neighbour field ${neighbourWeight}, porter2 stems, short stop list, declines below ${engine.minRelevance}`,
    build(sentences: readonly BenchSentence[], onProgress?: (done: number) => void): void {
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
      const docs: SourceDocument[] = Array.from({ length: documents }, (_, d) => ({ id: String(d), text: "", blocks: [], bytes: 0, meta: { title: String(d) } }));
      kb = new SentenceKnowledgeBase(docs, corpus, options);
    },
    /** The best sentence's relevance (see EngineOptions.minRelevance), for calibration. */
    relevance(question: string): number {
      return kb!.retrieve(question, 1).relevance;
    },
    search(question: string, k: number): number[] | null {
      const retrieval = kb!.retrieve(question, k);
      return retrieval.declined ? null : retrieval.hits.map((h) => h.sentence);
    },
    /** Saves the built index (scale mode measures start-up from it). */
    save(path: string): void {
      writeFileSync(path, serialize(kb!.toSnapshot()));
    },
    load(path: string): void {
      kb = SentenceKnowledgeBase.fromSnapshot(deserialize(readFileSync(path)) as KnowledgeBaseSnapshot);
    },
    async seed(corpusDir: string) {
      const library = await Library.open({ corpusDir, maxFileBytes: CONFIG_DEFAULTS.maxFileBytes, maxQuestionChars: engine.maxQuestionChars, engine: options });
      return {
        search(question: string, k: number): string[] | null {
          const answer = library.current.ask(question);
          return answer.answered ? answer.excerpts.slice(0, k).map((e) => e.text) : null;
        },
      };
    },
  };
}
