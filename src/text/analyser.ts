/**
 * The one place that owns wink-nlp: sentence splitting and term analysis.
 * Every token, of a question or of a corpus sentence, becomes a term through the same `analyseToken`
 * (case folding, stop words, numbers kept, porter2 stems), so questions and sentences meet on equal terms.
 */
import winkNLP, { type WinkMethods } from "wink-nlp";
import model from "wink-eng-lite-web-model";
import { STOP_WORDS } from "./stop-words.js";

/** wink-nlp's tokenizer is quadratic in the length of one token; longer runs are cut before it sees them. */
export const MAX_TOKEN_CHARS = 100;

/** A token of an analysed text that became an index term. */
export interface TermToken {
  term: string;
  /** Character range [start, end) in the analysed text. */
  start: number;
  end: number;
}

export interface AnalysedSentence {
  text: string;
  /** Character offset of the sentence in the text given to `splitSentences`. */
  start: number;
  terms: TermToken[];
}

// One model, loaded once: sentence splitting needs the "sbd" stage; part-of-speech is loaded
// separately and lazily because only page-furniture detection needs it.
const splitter: WinkMethods = winkNLP(model, ["sbd"]);
const its = splitter.its;
let tagger: WinkMethods | undefined;

type KnownTerm = string | null;
/** What a wink token id stands for as a term: its stem, or null for stop words and punctuation. */
const termOfTokenId = new Map<number, KnownTerm>();
const stem = (model as unknown as { addons: { stem(word: string): string } }).addons.stem;

/** Same-length replacements, so offsets into the analysed text are offsets into the original. */
function normaliseQuotes(text: string): string {
  return text.replace(/[\u2018\u2019\u02bc\u2032]/g, "'").replace(/[\u201c\u201d\u201e\u2033]/g, '"');
}

/**
 * Bounds a text for wink-nlp: a run of non-space characters longer than MAX_TOKEN_CHARS
 * (a base64 blob, a pasted hash) gets a space inserted, so no single token can stall the tokenizer.
 */
export function boundTokens(text: string): string {
  if (text.length <= MAX_TOKEN_CHARS) return text;
  return text.replace(new RegExp(`\\S{${MAX_TOKEN_CHARS}}(?=\\S)`, "g"), "$& ");
}

function analyseToken(id: number, value: string, type: string): KnownTerm {
  let known = termOfTokenId.get(id);
  if (known !== undefined) return known;
  const normal = value.toLowerCase();
  if (type === "number" || type === "ordinal") {
    known = normal.replace(/,/g, "");
  } else if ((type === "word" || type === "alpha_num" || type === "hashtag") && !STOP_WORDS.has(normal)) {
    known = stem(normal);
  } else {
    known = null;
  }
  termOfTokenId.set(id, known);
  return known;
}

interface WinkDoc {
  tokens(): { out(f: unknown): unknown[] };
  sentences(): { out(f?: unknown): unknown[] };
}

/** Walks a wink document once, giving each token's term (if any) and its character offsets. */
function tokenTerms(doc: WinkDoc): { terms: Array<TermToken | null>; starts: number[]; ends: number[] } {
  const ids = doc.tokens().out(its.uniqueId) as number[];
  const values = doc.tokens().out(its.value) as string[];
  const types = doc.tokens().out(its.type) as string[];
  const spaces = doc.tokens().out(its.precedingSpaces) as string[];
  const terms: Array<TermToken | null> = new Array(ids.length);
  const starts: number[] = new Array(ids.length);
  const ends: number[] = new Array(ids.length);
  let offset = 0;
  for (let i = 0; i < ids.length; i++) {
    offset += spaces[i]!.length;
    const value = values[i]!;
    starts[i] = offset;
    const known = analyseToken(ids[i]!, value, types[i]!);
    terms[i] = known === null ? null : { term: known, start: offset, end: offset + value.length };
    offset += value.length;
    ends[i] = offset;
  }
  return { terms, starts, ends };
}

/**
 * The index terms of a short text (a question, or one sentence given ready-split), as fast as wink-nlp
 * allows: a token's value and type are only read the first time its id is seen; after that the id alone
 * finds its term.
 */
export function termsOf(text: string): string[] {
  const doc = splitter.readDoc(boundTokens(normaliseQuotes(text)));
  const ids = doc.tokens().out(its.uniqueId) as number[];
  const terms: string[] = [];
  let values: string[] | undefined;
  let types: string[] | undefined;
  for (let i = 0; i < ids.length; i++) {
    let known = termOfTokenId.get(ids[i]!);
    if (known === undefined) {
      values ??= doc.tokens().out(its.value) as string[];
      types ??= doc.tokens().out(its.type) as string[];
      known = analyseToken(ids[i]!, values[i]!, types[i]!);
    }
    if (known !== null) terms.push(known);
  }
  return terms;
}

/**
 * Splits a block of prose (one paragraph) into sentences with their terms.
 * The text must already be bounded in size by the caller (a paragraph, not a whole file).
 */
export function splitSentences(text: string): AnalysedSentence[] {
  const bounded = boundTokens(text);
  const doc = splitter.readDoc(normaliseQuotes(bounded)) as unknown as WinkDoc;
  const { terms, starts, ends } = tokenTerms(doc);
  const spans = doc.sentences().out(its.span) as Array<[number, number]>;
  const sentences: AnalysedSentence[] = [];
  for (const [first, last] of spans) {
    const start = starts[first]!;
    const text = bounded.slice(start, ends[last]!);
    if (!text.trim()) continue;
    const sentenceTerms: TermToken[] = [];
    for (let i = first; i <= last; i++) {
      const t = terms[i];
      if (t) sentenceTerms.push({ ...t, start: t.start - start, end: t.end - start });
    }
    sentences.push({ text, start, terms: sentenceTerms });
  }
  return sentences;
}

/** Part-of-speech tags of a short text (used only for page-furniture detection at document edges). */
export function partsOfSpeech(text: string): Array<{ value: string; pos: string; lemma: string }> {
  tagger ??= winkNLP(model, ["sbd", "pos"]);
  const doc = tagger.readDoc(boundTokens(normaliseQuotes(text)));
  const t = tagger.its;
  const values = doc.tokens().out(t.value) as string[];
  const pos = doc.tokens().out(t.pos) as string[];
  const lemmas = doc.tokens().out(t.lemma as never) as string[];
  return values.map((value, i) => ({ value, pos: pos[i]!, lemma: lemmas[i]! }));
}

const termOfWord = new Map<string, string | null>();

/**
 * Character ranges [start, end) of the words of `text` whose term is one of `terms`, for highlighting.
 * A plain word scan with the same stop words and stemmer: much cheaper than a second wink-nlp pass,
 * and exact enough for bolding.
 */
export function highlightRanges(text: string, terms: ReadonlySet<string>): Array<[number, number]> {
  const ranges: Array<[number, number]> = [];
  for (const match of text.matchAll(/[\p{L}\p{N}]+(?:[.,'’][\p{L}\p{N}]+)*/gu)) {
    const word = match[0].toLowerCase().replace(/’/g, "'");
    let term = termOfWord.get(word);
    if (term === undefined) {
      term = STOP_WORDS.has(word) ? null : /^[\d.,]+$/.test(word) ? word.replace(/,/g, "") : stem(word);
      if (termOfWord.size < 100_000) termOfWord.set(word, term);
    }
    if (term !== null && terms.has(term)) ranges.push([match.index, match.index + match[0].length]);
  }
  return ranges;
}
