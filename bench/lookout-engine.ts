/**
 * Lookout as a benchmarked system (bench/systems/lookout.ts): the same engine the bot uses, built over
 * the bench's shared, pre-split sentences. `search` is the engine's retrieval and its decision to decline.
 */
import { termsOfMany } from "../src/text/analyser.js";
import { SentenceKnowledgeBase, DEFAULT_ENGINE_OPTIONS, type EngineOptions, type KnowledgeBaseSnapshot } from "../src/core/knowledge-base.js";
import type { CorpusSentence } from "../src/core/sentences.js";
import { DEFAULT_BM25_OPTIONS } from "../src/search/bm25.js";
import type { SourceDocument } from "../src/core/types.js";
import { Library } from "../src/corpus/library.js";
import { CONFIG_DEFAULTS } from "../src/config.js";
import { readFileSync, writeFileSync } from "node:fs";
import { deserialize, serialize } from "node:v8";

interface BenchSentence {
  readonly text: string;
  readonly doc: number;
  readonly position: number;
}

const PROGRESS_EVERY = 50_000;

/** The engine's knowledge base over sentences given ready-split (documents are their `doc` numbers). */
export function knowledgeBaseOf(sentences: readonly BenchSentence[], options: Partial<EngineOptions> = {}, onProgress?: (done: number) => void): SentenceKnowledgeBase {
  const corpus: CorpusSentence[] = new Array(sentences.length);
  let documents = 0;
  for (let from = 0; from < sentences.length; from += PROGRESS_EVERY) {
    onProgress?.(from);
    const chunk = sentences.slice(from, from + PROGRESS_EVERY);
    const terms = termsOfMany(chunk.map((s) => s.text));
    chunk.forEach((s, i) => {
      corpus[from + i] = { text: s.text, terms: terms[i]!, document: s.doc, line: 0, position: s.position };
      documents = Math.max(documents, s.doc + 1);
    });
  }
  const docs: SourceDocument[] = Array.from({ length: documents }, (_, d) => ({ id: String(d), text: "", bytes: 0, meta: { title: String(d) } }));
  return new SentenceKnowledgeBase(docs, corpus, options);
}

export function createLookoutAdapter(options: Partial<EngineOptions> = {}) {
  let kb: SentenceKnowledgeBase | undefined;
  const engine = { ...DEFAULT_ENGINE_OPTIONS, ...options };
  const { k1, b, neighbourWeight } = { ...DEFAULT_BM25_OPTIONS, ...engine.bm25 };
  return {
    name: "Lookout",
    config: `BM25 k1=${k1} b=${b}, neighbour field ${neighbourWeight}, porter2 stems, short stop list, calibrated three-way decline`,
    build(sentences: readonly BenchSentence[], onProgress?: (done: number) => void): void {
      kb = knowledgeBaseOf(sentences, options, onProgress);
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
