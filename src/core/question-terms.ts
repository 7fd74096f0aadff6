/**
 * What a question searches for: its terms, without the words that frame it rather than name its subject.
 * The framing is read from the question's words; the terms come from the same analyser as the corpus's.
 */
import { termsOf } from "../text/analyser.js";

/**
 * Words that frame a request rather than name its subject ("Summarize the investigation", "What do the
 * articles say about Pistorius?", "Explain the leak, please"). When the corpus lacks one, it is not a sign
 * that the question is about something else, so the decline evidence leaves it out; a corpus that has the
 * word ("the leaked documents") weighs it like any other.
 */
export const REQUEST_WORDS: ReadonlySet<string> = new Set(
  termsOf(
    "explain summarize summarise summary describe tell list give show outline elaborate clarify detail details overview " +
      "info information know mention mentioned article articles document documents doc docs text texts source sources " +
      "file files corpus anything something everything please thanks thank hi hello hey",
  ),
);

/**
 * "What kind of weapon is Taurus?" asks about a weapon: an answer names one ("cruise missile") and seldom
 * says "kind". The frame is dropped from the text, since "of", which tells it apart from "a kind man", is a
 * stop word the terms no longer hold. Linear: no nested quantifiers.
 */
const KIND_OF = /\b(what|which)\s+(?:kinds?|types?|sorts?|forms?)\s+of\b/gi;

/**
 * The terms a question is searched by: without a "what kind of" frame, and without the request that opens it
 * ("Tell me about the bridge", "Explain the leak"), which frames the question and is no search term, while the
 * same word later in the question can be its subject ("What did Hanning tell Bild?").
 */
export function searchTermsOf(question: string): readonly string[] {
  const terms = termsOf(question.replace(KIND_OF, "$1"));
  let start = 0;
  while (start < terms.length - 1 && REQUEST_WORDS.has(terms[start]!)) start++;
  return start === 0 ? terms : terms.slice(start);
}
