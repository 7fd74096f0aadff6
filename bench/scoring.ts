/**
 * Pure scoring functions for the benchmark: answer matching, Hit@k, MRR@10, declined share and
 * latency percentiles. No I/O here, so test/bench-scoring.test.ts can check them by hand.
 */

/** Lower-cases, straightens curly quotes and collapses every run of whitespace to one space, so line breaks, case and typography never decide a hit. */
export function normalizeText(text: string): string {
  return text.toLowerCase().replace(/[‘’‛′]/g, "'").replace(/[“”„″]/g, '"').replace(/\s+/g, " ").trim();
}

/** True when the text contains at least one of the (non-empty) answers: case-insensitively, curly quotes straightened, whitespace collapsed (as shared/qa/README.md defines a correct excerpt). */
export function containsAnswer(text: string, answers: readonly string[]): boolean {
  const haystack = normalizeText(text);
  return answers.some((answer) => {
    const needle = normalizeText(answer);
    return needle.length > 0 && haystack.includes(needle);
  });
}

/** 1-based rank of the first hit among the top k results, or null when none of them (or a declined result) hits. */
export function firstHitRank<T>(
  results: readonly T[] | null,
  isHit: (result: T) => boolean,
  k = 10,
): number | null {
  if (results === null) return null;
  const limit = Math.min(k, results.length);
  for (let i = 0; i < limit; i++) {
    if (isHit(results[i] as T)) return i + 1;
  }
  return null;
}

/** A SQuAD hit: the sentence is from the question's own article and contains a gold answer. */
export function isSquadHit(
  sentence: { readonly text: string; readonly doc: number },
  question: { readonly article: number; readonly answers: readonly string[] },
): boolean {
  return sentence.doc === question.article && containsAnswer(sentence.text, question.answers);
}

/** A system said nothing: null (explicit decline) or an empty list. */
export function isDeclined(results: readonly unknown[] | null): boolean {
  return results === null || results.length === 0;
}

/** Share of questions whose first hit is within the top k (rank null = miss). */
export function hitAt(ranks: readonly (number | null)[], k: number): number {
  if (ranks.length === 0) return 0;
  return ranks.filter((rank) => rank !== null && rank <= k).length / ranks.length;
}

/** Mean reciprocal rank, counting only hits within the top k (default 10); misses count 0. */
export function mrrAt(ranks: readonly (number | null)[], k = 10): number {
  if (ranks.length === 0) return 0;
  let sum = 0;
  for (const rank of ranks) if (rank !== null && rank <= k) sum += 1 / rank;
  return sum / ranks.length;
}

/** Share of questions the system declined (returned nothing). */
export function declinedShare(results: readonly (readonly unknown[] | null)[]): number {
  if (results.length === 0) return 0;
  return results.filter(isDeclined).length / results.length;
}

export interface QualitySummary {
  questions: number;
  hit1: number;
  hit3: number;
  mrr10: number;
  declined: number;
}

/** All quality figures for one system on one question set, from its ranked results. */
export function summarizeQuality<T>(
  results: readonly (readonly T[] | null)[],
  isHit: (result: T, questionIndex: number) => boolean,
): QualitySummary & { ranks: (number | null)[] } {
  const ranks = results.map((ranked, q) => firstHitRank(ranked, (r: T) => isHit(r, q), 10));
  return {
    questions: results.length,
    hit1: hitAt(ranks, 1),
    hit3: hitAt(ranks, 3),
    mrr10: mrrAt(ranks, 10),
    declined: declinedShare(results),
    ranks,
  };
}

/**
 * Nearest-rank percentile (p in (0, 100]): the smallest value such that at least p% of the values
 * are ≤ it. No interpolation, so the result is always a latency that was actually measured.
 */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  if (!(p > 0 && p <= 100)) throw new RangeError(`percentile must be in (0, 100], got ${p}`);
  const sorted = [...values].sort((a, b) => a - b);
  const index = Math.ceil((p / 100) * sorted.length) - 1;
  return sorted[Math.max(0, index)] as number;
}

/** The middle value (the mean of the two middle ones for an even count): what a repeated timing reports. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
