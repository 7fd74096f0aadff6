/**
 * How common a word is in English at large, per million words of spoken English (SUBTLEX-US, precomputed
 * into english-frequencies.txt by scripts/english-frequencies.ts, keyed by the same porter2 stems as the
 * index). A corpus knows only its own vocabulary: a question word it lacks may be an everyday word that
 * says little ("far", "fly") or a rare one that says the question is about something else ("photosynthesis").
 */
import { readFileSync } from "node:fs";

let perMillion: Map<string, number> | undefined;

function table(): Map<string, number> {
  if (perMillion) return perMillion;
  perMillion = new Map();
  const text = readFileSync(new URL("./english-frequencies.txt", import.meta.url), "utf8");
  for (const line of text.split("\n")) {
    const tab = line.indexOf("\t");
    if (tab > 0 && line[0] !== "#") perMillion.set(line.slice(0, tab), Number(line.slice(tab + 1)));
  }
  return perMillion;
}

/** Occurrences per million words of spoken English of a term (a stem), 0 when never seen. */
export function englishFrequency(term: string): number {
  return table().get(term) ?? 0;
}

/** A term spoken English never uses: a name, jargon, or a slip of the keyboard ("elwood" for Ellwood). */
export function isNoEnglishWord(term: string): boolean {
  return englishFrequency(term) === 0;
}
