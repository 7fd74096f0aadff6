/** MiniSearch with its defaults: default tokenizer, lower-casing, no stemming or stop words, OR query, BM25+. */
import MiniSearch from "minisearch";
import type { AdapterFactory } from "../adapter.js";

interface Doc {
  id: number;
  text: string;
}

const createAdapter: AdapterFactory = () => {
  const index = new MiniSearch<Doc>({ fields: ["text"] });
  return {
    name: "MiniSearch",
    config: "defaults (fields: text; OR, no stemming)",
    // An OR query scores and returns every matching document (there is no result limit): p50 was ~1 s at
    // 200k sentences (2-core EPYC), so 1M would not finish its queries within the time limit.
    maxSentences: 250_000,
    build(sentences, onProgress) {
      sentences.forEach((s, id) => {
        index.add({ id, text: s.text });
        if (id % 10_000 === 0) onProgress?.(id);
      });
    },
    search(question, k) {
      return index
        .search(question)
        .slice(0, k)
        .map((r) => r.id as number);
    },
  };
};
export default createAdapter;
