/** Made-up text for tests that need a corpus large enough to take a while to build. */

/** `sentences` short sentences of made-up words, one a line (a seeded generator: the same for the same `seed`). */
export function generatedDocument(seed: number, sentences: number): string {
  let state = seed + 1;
  const next = () => (state = (state * 1103515245 + 12345) % 2147483648);
  const syllables = ["ka", "lo", "mer", "tan", "vis", "or", "bel", "dun", "si", "rop", "ex", "gal"];
  const word = () => syllables[next() % 12]! + syllables[next() % 12]! + syllables[next() % 12]!;
  return Array.from({ length: sentences }, () => `${word()} saw ${word()} ${next() % 1000}.`).join("\n");
}
