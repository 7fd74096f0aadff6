/**
 * Answer-type cues: a "when" question wants a date (a year, a month or weekday, a written date, a clock time,
 * an ordinal), a "how long" question a number or a span of time, a "how many" question a number (in digits or
 * words).
 * Among the best candidates, a sentence that holds such a value (not one the question already names)
 * gets a small boost (measured: +0.005 Hit@1 on SQuAD, shared/RESEARCH.md).
 */
import { termsOf } from "../text/analyser.js";

export type AnswerType = "time" | "quantity" | "duration" | undefined;

export const ANSWER_TYPE_BOOST = 1.2;

const DATE_WORDS: ReadonlySet<string> = new Set(
  termsOf(
    "January February March April June July August September October November December " +
      "Monday Tuesday Wednesday Thursday Friday Saturday Sunday century decade",
  )
);

/** "How long" is answered by a number ("38-minute", "500 kilometres") or a span of time ("a fortnight ago"). */
const DURATION_WORDS: ReadonlySet<string> = new Set(
  termsOf("second seconds minute minutes hour hours day days week weeks fortnight month months year years decade decades century centuries"),
);

/** Numbers are often written as words ("all four participants", "leaves at nine"). */
const NUMBER_WORDS: ReadonlySet<string> = new Set(
  termsOf(
    "two three four five six seven eight nine ten eleven twelve thirteen fifteen twenty thirty forty fifty " +
      "sixty seventy eighty ninety hundred hundreds thousand thousands million millions billion billions dozen dozens",
  ),
);

/**
 * Digits with separators and at least one digit (two tests: one regex with both backtracks), a number with its
 * unit written on ("500km", "150m", "5bn"), or a number word.
 */
const isNumber = (term: string) => NUMBER_WORDS.has(term) || (/^[\d.,:/-]+$/.test(term) && /\d/.test(term)) || /^\d[\d.,]*[a-z]{1,3}$/.test(term);

export function answerTypeOf(question: string): AnswerType {
  // Word pairs, not a regular expression: this runs twice for every question.
  const words = question.toLowerCase().split(/[^a-z]+/);
  let type: AnswerType;
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    const next = words[i + 1] ?? "";
    if (word === "how" && next === "long") return "duration";
    if ((word === "how" && HOW_QUANTITY.has(next)) || ((word === "what" || word === "which") && WHAT_QUANTITY.has(next))) return "quantity";
    if (word === "when" || ((word === "what" || word === "which") && WHAT_TIME.has(next))) type = "time";
  }
  return type;
}

const HOW_QUANTITY = new Set("many much far big large tall high old wide deep heavy fast often".split(" "));
const WHAT_QUANTITY = new Set("size distance length age population price cost percentage share number".split(" "));
const WHAT_TIME = new Set("year date day month century decade time".split(" "));

/**
 * An hour of the clock in running text: "opens at eight", "from 9 until noon", "at 6pm". Bare small numbers
 * are not times ("five euros", "four officers"), so this reads the words around them.
 */
const CLOCK_TIME = /\b(?:(?:at|from|until|till|by|before|after) (?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|\d{1,2})\b|\d{1,2} ?(?:am|pm|a\.m\.|p\.m\.|o'clock)|noon\b|midnight\b)/i;

/**
 * Whether a sentence holds a value of the wanted type that the question does not already contain: its terms,
 * and for a time its text (clock hours are told by the words around them).
 */
export function holdsAnswerType(type: AnswerType, sentenceTerms: Iterable<string>, questionTerms: ReadonlySet<string>, text?: string): boolean {
  if (!type) return false;
  if (type === "time" && text !== undefined && CLOCK_TIME.test(text)) return true;
  // A time wants a date, not any number: "500 kilometres" does not say when.
  const holds = type === "time" ? isTime : isNumber;
  for (const term of sentenceTerms) {
    if (questionTerms.has(term)) continue;
    if (holds(term)) return true;
    if (type === "time" && DATE_WORDS.has(term)) return true;
    if (type === "duration" && DURATION_WORDS.has(term)) return true;
  }
  return false;
}

/**
 * A year (1871, 1990s), a written date or a clock time (12/03/2024, 2024-03-01, 3:30), an ordinal (19th).
 */
const isTime = (term: string) =>
  /^(1[0-9]{3}|20[0-9]{2})s?$/.test(term) || /^\d+[/:.-]\d+([/:.-]\d+)?$/.test(term) || /^\d+(st|nd|rd|th)$/.test(term);
