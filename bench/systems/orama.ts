/** Orama with its default English tokenizer and the built-in English stemmer switched on (its docs' recommendation). */
import { create, insert, search, type Results } from "@orama/orama";
import type { AdapterFactory, SearchResult } from "../adapter.js";

const schema = { text: "string" } as const;

function ids(result: Results<unknown>): number[] {
  return result.hits.map((h) => Number(h.id));
}

const createAdapter: AdapterFactory = () => {
  const db = create({
    schema,
    components: { tokenizer: { language: "english", stemming: true } },
  });
  return {
    name: "Orama",
    config: "default tokenizer, english, stemming:true, BM25 defaults",
    // Every query term is also a prefix match and stop words are kept, so questions touch most of the
    // corpus: p50 was 0.85 s at 50k sentences (2-core EPYC) and 200k did not finish 600 queries in 30 min.
    maxSentences: 50_000,
    async build(sentences, onProgress) {
      for (let i = 0; i < sentences.length; i++) {
        // insert() is synchronous unless async hooks are configured; only await a real promise.
        const inserted = insert(db, { id: String(i), text: sentences[i]!.text });
        if (inserted instanceof Promise) await inserted;
        if (i % 10_000 === 0) onProgress?.(i);
      }
    },
    search(question, k): SearchResult | Promise<SearchResult> {
      const result = search(db, { term: question, properties: ["text"], limit: k });
      return result instanceof Promise ? result.then(ids) : ids(result);
    },
  };
};
export default createAdapter;
