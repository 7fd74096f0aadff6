/**
 * Synthetic corpus for the scale mode: about N sentences derived from the SQuAD sentences, generated
 * at run time (never stored) and deterministic (seeded PRNG), so runs are comparable.
 * Variations keep the text English-like but make most sentences distinct: words are partly shuffled,
 * some are swapped for random vocabulary words, and many sentences get a numeric suffix (which also
 * grows the vocabulary, as ids and dates do in real corpora). Sentences are grouped into synthetic
 * documents of 50. The original sentences come first, unchanged, so the questions still have answers.
 */
import type { BenchSentence } from "./adapter.js";

export const SENTENCES_PER_DOC = 50;

/** mulberry32: a tiny, fast, seedable PRNG returning floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Deterministic Fisher–Yates sample of `count` items (or all, shuffled, if there are fewer). */
export function sample<T>(items: readonly T[], count: number, seed: number): T[] {
  const random = mulberry32(seed);
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
  }
  return copy.slice(0, count);
}

export function generateScaleCorpus(
  base: readonly BenchSentence[],
  count: number,
  seed = 20240306,
  onProgress?: (done: number) => void,
): BenchSentence[] {
  const random = mulberry32(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const baseWords = base.map((s) => s.text.split(/\s+/).filter((w) => w !== ""));
  const vocabulary = [...new Set(baseWords.flat())];

  const out: BenchSentence[] = [];
  for (let i = 0; i < count; i++) {
    let text: string;
    if (i < base.length) {
      text = base[i]!.text;
    } else {
      const words = [...pick(baseWords)];
      for (let j = 0; j < words.length; j++) {
        if (random() < 0.3) {
          const other = Math.floor(random() * words.length);
          [words[j], words[other]] = [words[other] as string, words[j] as string];
        }
        if (random() < 0.15) words[j] = pick(vocabulary);
      }
      if (random() < 0.5) words.push(`(${Math.floor(random() * 1_000_000)})`);
      text = words.join(" ");
    }
    out.push({ text, doc: Math.floor(i / SENTENCES_PER_DOC), position: i % SENTENCES_PER_DOC });
    if (i % 100_000 === 0) onProgress?.(i);
  }
  return out;
}
