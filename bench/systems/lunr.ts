/**
 * Lunr with its default English pipeline (trimmer, stop-word filter, Porter stemmer).
 * Questions are turned into terms with lunr's own tokenizer + trimmer + stop-word filter and passed
 * through idx.query(): the query-string parser would throw on ":", "~", "^" etc. and, since the search
 * pipeline only stems, would keep trailing punctuation ("bowl?") that the index never contains.
 */
import lunr from "lunr";
import type { AdapterFactory } from "../adapter.js";

const createAdapter: AdapterFactory = () => {
  let index: lunr.Index | undefined;
  return {
    name: "Lunr",
    config: "default English pipeline (stemmer, stop words); query via tokenizer+trimmer",
    build(sentences, onProgress) {
      index = lunr(function () {
        this.ref("id");
        this.field("text");
        sentences.forEach((s, id) => {
          this.add({ id: String(id), text: s.text });
          if (id % 10_000 === 0) onProgress?.(id);
        });
      });
    },
    search(question, k) {
      if (!index) throw new Error("Lunr: search before build");
      const terms = lunr
        .tokenizer(question)
        .map((t) => lunr.stopWordFilter(lunr.trimmer(t)))
        .filter((t): t is lunr.Token => Boolean(t) && t.toString() !== "");
      if (terms.length === 0) return [];
      return index
        .query((q) => q.term(terms, {}))
        .slice(0, k)
        .map((r) => Number(r.ref));
    },
  };
};
export default createAdapter;
