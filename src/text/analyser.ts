/**
 * The one place that owns wink-nlp: sentence splitting and term analysis.
 * Every token, of a question or of a corpus sentence, becomes a term through the same `analyseToken`
 * (case folding, stop words, numbers kept, porter2 stems), so questions and sentences meet on equal terms.
 */
import winkNLP, { type WinkMethods } from "wink-nlp";
import model from "wink-eng-lite-web-model";
// The stemmer is the `porter2` package rather than the one wink-eng-lite-web-model bundles: the same
// Snowball algorithm, about 4× faster on first sight of a word (stemming was 15% of an index build),
// and it keeps digits ("mp3", "mid-1953") that wink's version turns into "i".
import { stem } from "porter2";
import { STOP_WORDS } from "./stop-words.js";
import { oneSpelling, oneStem } from "./spelling.js";
import { isSpaceCode } from "./characters.js";

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

// wink-nlp instances of the same model, each made for one job. Analysing text that is already one
// sentence (a question, or sentences given ready-split) needs no pipeline stage, and skipping "sbd"
// makes it about 10% faster; it is loaded at start because every question needs it. Splitting a
// corpus into sentences needs "sbd", and page-furniture detection needs "pos" at document edges:
// both are loaded on first use. Each instance numbers unknown words itself, so each has its own
// id → term memo.
const tokenizer: WinkMethods = winkNLP(model, []);
const its = tokenizer.its;
let splitterInstance: WinkMethods | undefined;
const splitter = (): WinkMethods => (splitterInstance ??= winkNLP(model, ["sbd"]));
let tagger: WinkMethods | undefined;

type KnownTerm = string | null;

/** Token id → term. Ids are small dense integers (the model's vocabulary, then new words in order), so an array beats a Map. */
class TermMemo {
  private readonly terms: Array<KnownTerm | undefined> = new Array<KnownTerm | undefined>(1 << 17).fill(undefined);
  get(id: number): KnownTerm | undefined {
    return this.terms[id];
  }
  set(id: number, term: KnownTerm): void {
    while (id >= this.terms.length) this.terms.push(undefined);
    this.terms[id] = term;
  }
}
/** What a wink token id stands for as a term, per instance: its stem, or null for stop words and punctuation. */
const splitterTerms = new TermMemo();
const tokenizerTerms = new TermMemo();

/** Same-length replacements, so offsets into the analysed text are offsets into the original. */
function normaliseQuotes(text: string): string {
  return text.replace(/[\u2018\u2019\u02bc\u2032]/g, "'").replace(/[\u201c\u201d\u201e\u2033]/g, '"');
}

/**
 * Bounds a text for wink-nlp: a run of non-space characters longer than MAX_TOKEN_CHARS
 * (a base64 blob, a pasted hash) gets a space inserted, so no single token can stall the tokenizer.
 */
export function boundTokens(text: string): string {
  return hasLongRun(text) ? text.replace(LONG_RUN, "$& ") : text;
}

const LONG_RUN = new RegExp(`\\S{${MAX_TOKEN_CHARS}}(?=\\S)`, "g");

/** Whether some run of non-space characters is longer than MAX_TOKEN_CHARS (a plain scan: far cheaper than the regex). */
function hasLongRun(text: string): boolean {
  let run = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    // Exactly the characters the regex's \s matches end a run.
    if (isSpaceCode(c)) run = 0;
    else if (++run > MAX_TOKEN_CHARS) return true;
  }
  return false;
}

/** A lower-case word's term: one spelling of it (spelling.ts), stemmed. scripts/english-frequencies.ts keys by it too. */
export function termOfWord(word: string): string {
  return oneStem(stem(oneSpelling(word)));
}

function analyseToken(memo: TermMemo, id: number, value: string, type: string): KnownTerm {
  let known = memo.get(id);
  if (known !== undefined) return known;
  const normal = value.toLowerCase();
  if (type === "number" || type === "ordinal") {
    known = normal.replace(/,/g, "");
  } else if ((type === "word" || type === "alpha_num" || type === "hashtag") && !STOP_WORDS.has(normal)) {
    known = termOfWord(normal);
  } else {
    known = null;
  }
  memo.set(id, known);
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
    const known = analyseToken(splitterTerms, ids[i]!, value, types[i]!);
    terms[i] = known === null ? null : { term: known, start: offset, end: offset + value.length };
    offset += value.length;
    ends[i] = offset;
  }
  return { terms, starts, ends };
}

interface TermsWalk {
  /** Terms per text, in order. */
  terms: string[][];
  /** How many tokens were the separator between texts (a batch is only trusted if this is texts − 1). */
  separators: number;
}

/**
 * The terms of one wink document, split into texts at every SEPARATOR token. A token's value and
 * type are only read (token by token) the first time its id is seen; after that the id alone finds its term.
 */
function walkTerms(text: string): TermsWalk {
  const tokens = tokenizer.readDoc(text).tokens();
  const ids = tokens.out(its.uniqueId) as number[];
  const all: string[][] = [];
  let terms: string[] = [];
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i]!;
    if (id === separatorId) {
      all.push(terms);
      terms = [];
      continue;
    }
    let known = tokenizerTerms.get(id);
    if (known === undefined) {
      const token = tokens.itemAt(i);
      known = analyseToken(tokenizerTerms, id, token.out(its.value) as string, token.out(its.type) as string);
    }
    if (known !== null) terms.push(known);
  }
  all.push(terms);
  return { terms: all, separators: all.length - 1 };
}

/** Texts of a batch are joined by a lone newline, which wink-nlp always makes a token of its own. */
const SEPARATOR = "\n";
const separatorId = (tokenizer.readDoc(SEPARATOR).tokens().out(its.uniqueId) as number[])[0];
/** Line breaks and tabs inside a text become spaces, so only separators make newline tokens (neither is ever a term). */
const LINE_BREAKS = /[\t\n\v\f\r\u0085\u2028\u2029]/g;
/** How many characters go into one batched wink-nlp document (measured: 16 sentences or so do as well as more). */
const BATCH_CHARS = 2_000;

function prepare(text: string): string {
  return boundTokens(normaliseQuotes(text)).replace(LINE_BREAKS, " ");
}

/** The index terms of a short text: a question, or one sentence given ready-split. */
export function termsOf(text: string): string[] {
  return walkTerms(prepare(text)).terms.flat();
}

/**
 * The terms of many short texts (sentences given ready-split), each as `termsOf` would give them.
 * They are tokenised in batches of about BATCH_CHARS: wink-nlp's cost per readDoc call is a fifth
 * of the time for sentence-sized texts. A batch whose separators do not come back one for one is
 * redone text by text, so a batch can never shift terms between texts.
 */
export function termsOfMany(texts: readonly string[]): string[][] {
  const result: string[][] = [];
  let batch: string[] = [];
  let chars = 0;
  const flush = () => {
    if (batch.length === 0) return;
    const walk = walkTerms(batch.join(SEPARATOR));
    if (walk.separators === batch.length - 1) result.push(...walk.terms);
    else for (const text of batch) result.push(walkTerms(text).terms.flat());
    batch = [];
    chars = 0;
  };
  for (const text of texts) {
    const prepared = prepare(text) || " ";
    batch.push(prepared);
    chars += prepared.length;
    if (chars >= BATCH_CHARS) flush();
  }
  flush();
  return result;
}

/**
 * Splits a block of prose (one paragraph) into sentences with their terms.
 * The text must already be bounded in size by the caller (a paragraph, not a whole file).
 */
export function splitSentences(text: string): AnalysedSentence[] {
  const bounded = boundTokens(text);
  const doc = splitter().readDoc(normaliseQuotes(bounded)) as unknown as WinkDoc;
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

/**
 * Loads what analysing a document needs beyond a question's terms (the sentence splitter, the tagger) and
 * runs each once: about 60–100 ms the first time. A start that analysed nothing (every document came from
 * the saved index) calls it, so that the first refresh after it does not pay this.
 */
export function prepareDocumentAnalysis(): void {
  splitSentences("Ready.");
  partsOfSpeech("Ready.");
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

const highlightTermOf = new Map<string, string | null>();

/**
 * Character ranges [start, end) of the words of `text` whose term is one of `terms`, for highlighting.
 * A plain word scan with the same stop words and stemmer: much cheaper than a second wink-nlp pass,
 * and exact enough for bolding.
 */
export function highlightRanges(text: string, terms: ReadonlySet<string>): Array<[number, number]> {
  const ranges: Array<[number, number]> = [];
  // Words are runs of letters and digits, joined across one inner . , or apostrophe ("U.S.", "1,000", "don't").
  // A plain character scan: a Unicode regex with matchAll cost ~20 µs a sentence, most of composing an answer.
  let i = 0;
  while (i < text.length) {
    if (!isWordChar(text, i)) {
      i++;
      continue;
    }
    const start = i;
    while (i < text.length && (isWordChar(text, i) || (JOINERS.includes(text[i]!) && i + 1 < text.length && isWordChar(text, i + 1)))) i++;
    const word = text.slice(start, i).toLowerCase().replace(/’/g, "'");
    let term = highlightTermOf.get(word);
    if (term === undefined) {
      term = STOP_WORDS.has(word) ? null : /^[\d.,]+$/.test(word) ? word.replace(/,/g, "") : termOfWord(word);
      if (highlightTermOf.size < 100_000) highlightTermOf.set(word, term);
    }
    if (term !== null && terms.has(term)) ranges.push([start, i]);
  }
  return ranges;
}

const JOINERS = ".,'’";
const NON_ASCII_WORD_CHAR = /[\p{L}\p{N}]/u;

function isWordChar(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  if (c < 128) return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
  if (c >= 0xd800 && c <= 0xdfff) return NON_ASCII_WORD_CHAR.test(String.fromCodePoint(text.codePointAt(i) ?? c));
  return NON_ASCII_WORD_CHAR.test(text[i]!);
}
