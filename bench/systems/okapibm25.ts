/**
 * okapibm25 as documented: BM25(documents, keywords) scores every document on every call (no index),
 * with its defaults k1 1.2, b 0.75. Its matching is case-sensitive substring counting, so documents
 * and keywords are lower-cased; keywords are the question's \w+ words (the same notion of a word the
 * library uses to count document length), regex-escaped because it builds a RegExp from each.
 */
import * as okapi from "okapibm25";
import type { AdapterFactory } from "../adapter.js";

type BM25Fn = (documents: string[], keywords: string[]) => number[];

// The package is CommonJS with `exports.default`; depending on the loader the function sits on
// `default` or `default.default`.
const BM25: BM25Fn = (() => {
  const mod = okapi as unknown as { default: BM25Fn | { default: BM25Fn } };
  return typeof mod.default === "function" ? mod.default : mod.default.default;
})();

const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

const createAdapter: AdapterFactory = () => {
  let documents: string[] = [];
  return {
    name: "okapibm25",
    config: "BM25(docs, keywords) full scan per query, lower-cased, defaults",
    // A full scan per query: at 20k sentences a query already takes tens of ms.
    maxSentences: 20_000,
    build(sentences) {
      documents = sentences.map((s) => s.text.toLowerCase());
    },
    search(question, k) {
      const keywords = [...new Set(question.toLowerCase().match(/\w+/g) ?? [])].map(escapeRegExp);
      if (keywords.length === 0) return [];
      const scores = BM25(documents, keywords);
      return topK(scores, k);
    },
  };
};

/** Indices of the k highest positive scores, best first (ties: lower index first). */
function topK(scores: readonly number[], k: number): number[] {
  const best: number[] = [];
  for (let i = 0; i < scores.length; i++) {
    const score = scores[i]!;
    if (!(score > 0)) continue;
    if (best.length === k && score <= scores[best[k - 1]!]!) continue;
    let at = best.length;
    while (at > 0 && scores[best[at - 1]!]! < score) at--;
    best.splice(at, 0, i);
    if (best.length > k) best.pop();
  }
  return best;
}
export default createAdapter;
