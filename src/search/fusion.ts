/**
 * The semantic second stage: BM25's best candidates reordered by BM25 and meaning together.
 * fused(s) = bm25(s) / bm25(best) + weight · cos(question, s). Dividing by the question's best score
 * puts BM25 on the same 0–1 scale for every question; the cosine of unit vectors is already there.
 * Measured on SQuAD (README, "The semantic stage"): this beat reciprocal-rank fusion and cosine alone,
 * and a learned combination of more features did no better out of fold.
 */
import type { Hit } from "./bm25.js";

/** Measured flat between 0.65 and 1.0 on SQuAD (Hit@1 0.739–0.742) and the seed sets. */
export const SEMANTIC_WEIGHT = 1.0;

/** The question's vector, and a sentence's vector when it has been computed. */
export interface MeaningOfQuestion {
  query: Float32Array;
  vectorOf(sentence: number): Float32Array | undefined;
}

/**
 * The candidates in fused order (scores replaced by the fused score), or undefined when any candidate has no
 * vector yet. Equal scores go to the lower `order` (the index's rank per sentence; default: sentence number).
 */
export function fuseWithMeaning(candidates: readonly Hit[], meaning: MeaningOfQuestion, weight: number, order?: ArrayLike<number>): Hit[] | undefined {
  const best = candidates[0]?.score;
  if (!best) return undefined;
  const fused: Hit[] = [];
  for (const hit of candidates) {
    const vector = meaning.vectorOf(hit.sentence);
    if (!vector) return undefined;
    fused.push({ sentence: hit.sentence, score: hit.score / best + weight * cosine(meaning.query, vector) });
  }
  const rank = (s: number) => (order ? order[s]! : s);
  return fused.sort((a, b) => b.score - a.score || rank(a.sentence) - rank(b.sentence));
}

/** Dot product of two vectors of the same length (the encoder's vectors are unit length, so this is the cosine). */
export function cosine(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i]! * b[i]!;
  return sum;
}
