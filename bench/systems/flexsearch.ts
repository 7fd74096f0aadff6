/**
 * FlexSearch 0.8 Index with the English language pack (stemmer + stop-word filter) on the LatinBalance
 * charset, as its README suggests for English content. `suggest: true` is needed for questions: without
 * it a query only matches sentences containing every term, which almost never happens.
 */
import { Charset, Encoder, Index } from "flexsearch";
import EnglishPreset from "flexsearch/lang/en";
import type { AdapterFactory } from "../adapter.js";

const createAdapter: AdapterFactory = () => {
  const index = new Index({
    // Same as the README's `new Encoder(Charset.LatinBalance, EnglishPreset)`: the constructor assigns each in turn.
    encoder: new Encoder(Charset.LatinBalance).assign(EnglishPreset),
  });
  return {
    name: "FlexSearch",
    config: "Index, encoder LatinBalance + lang/en, search suggest:true",
    build(sentences, onProgress) {
      sentences.forEach((s, id) => {
        index.add(id, s.text);
        if (id % 10_000 === 0) onProgress?.(id);
      });
    },
    search(question, k) {
      return index.search(question, { limit: k, suggest: true }).map(Number);
    },
  };
};
export default createAdapter;
