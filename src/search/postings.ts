import type { Steps } from "../core/steps.js";

/**
 * The search side of one index segment: the terms of its sentences and their postings, for a run of whole
 * documents. Immutable once built. Everything is segment-local (sentence 0 is the segment's first, term ids
 * are ranks in the segment's sorted dictionary) and nothing depends on the rest of the corpus: postings
 * hold raw counts, since the average sentence length that normalises them is corpus-wide and changes.
 * SentenceIndex (bm25.ts) searches a list of them with the corpus-wide statistics.
 */
export interface PostingsArrays {
  /** The dictionary, sorted by UTF-8 bytes: term t is termBytes[termStart[t] .. termStart[t+1]). */
  termBytes: Uint8Array;
  termStart: Int32Array;
  /** Postings in CSR form: the sentences holding term t are postSentence[postStart[t] .. postStart[t+1]), ascending. */
  postStart: Int32Array;
  postSentence: Int32Array;
  /** How often the term occurs in that sentence (saturated at 65,535). */
  postTf: Uint16Array;
  /** Terms of sentence s, in order, with repeats: sentTerms[sentStart[s] .. sentStart[s+1]). */
  sentStart: Int32Array;
  sentTerms: Int32Array;
  /** Sentences of the segment's document d: docStart[d] .. docStart[d+1). */
  docStart: Int32Array;
}

export const POSTINGS_ARRAY_NAMES = ["termBytes", "termStart", "postStart", "postSentence", "postTf", "sentStart", "sentTerms", "docStart"] as const;

/** Sentences (or postings) handled between two pauses of a stepped build: a few milliseconds at most. */
export const POSTINGS_STEP = 4_096;

const MAX_TF = 65_535;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

export class SegmentPostings implements PostingsArrays {
  readonly termBytes!: Uint8Array;
  readonly termStart!: Int32Array;
  readonly postStart!: Int32Array;
  readonly postSentence!: Int32Array;
  readonly postTf!: Uint16Array;
  readonly sentStart!: Int32Array;
  readonly sentTerms!: Int32Array;
  readonly docStart!: Int32Array;
  readonly sentenceCount: number;
  readonly termCount: number;
  readonly documentCount: number;
  /** Terms decoded so far (by id): a search decodes only the few it meets. */
  private readonly decoded: Array<string | undefined> = [];
  private sentenceDocuments?: Int32Array;

  /** Trusts the arrays: `check` validates arrays that come from outside (a file). */
  constructor(arrays: PostingsArrays) {
    Object.assign(this, pickArrays(arrays));
    this.sentenceCount = arrays.sentStart.length - 1;
    this.termCount = arrays.termStart.length - 1;
    this.documentCount = arrays.docStart.length - 1;
  }

  /** Throws when the arrays do not make a consistent segment (every later read relies on it). */
  static check(arrays: PostingsArrays): SegmentPostings {
    const { termBytes, termStart, postStart, postSentence, postTf, sentStart, sentTerms, docStart } = arrays;
    const fail = (what: string) => {
      throw new Error(`inconsistent index segment: ${what}`);
    };
    if (termStart.length < 1 || sentStart.length < 1 || docStart.length < 1) fail("empty offset array");
    const terms = termStart.length - 1;
    const sentences = sentStart.length - 1;
    if (postStart.length !== terms + 1) fail("postStart length");
    ascending(termStart, termBytes.length, "termStart", fail);
    ascending(postStart, postSentence.length, "postStart", fail);
    ascending(sentStart, sentTerms.length, "sentStart", fail);
    ascending(docStart, sentences, "docStart", fail);
    if (postTf.length !== postSentence.length) fail("postTf length");
    for (let i = 0; i < sentTerms.length; i++) if (sentTerms[i]! < 0 || sentTerms[i]! >= terms) fail("term id out of range");
    for (let t = 0; t < terms; t++) {
      let previous = -1;
      for (let p = postStart[t]!; p < postStart[t + 1]!; p++) {
        const s = postSentence[p]!;
        if (s <= previous || s >= sentences) fail("postings not ascending or out of range");
        if (postTf[p] === 0) fail("zero count");
        previous = s;
      }
      if (t > 0 && compareBytes(termBytes, termStart[t - 1]!, termStart[t]!, termBytes, termStart[t]!, termStart[t + 1]!) >= 0) fail("dictionary not sorted");
    }
    return new SegmentPostings(arrays);
  }

  /** The segment-local id of a term, or -1 (binary search over the sorted dictionary: nothing built at load). */
  termId(term: string): number {
    return this.termIdOfBytes(encoder.encode(term));
  }

  /** `termId` for a term already encoded (a query looks a term up in every segment). */
  termIdOfBytes(key: Uint8Array): number {
    let low = 0;
    let high = this.termCount - 1;
    while (low <= high) {
      const mid = (low + high) >>> 1;
      const order = compareBytes(this.termBytes, this.termStart[mid]!, this.termStart[mid + 1]!, key, 0, key.length);
      if (order === 0) return mid;
      if (order < 0) low = mid + 1;
      else high = mid - 1;
    }
    return -1;
  }

  term(id: number): string {
    return (this.decoded[id] ??= decoder.decode(this.termBytes.subarray(this.termStart[id]!, this.termStart[id + 1]!)));
  }

  /** The segment-local document of each sentence, made on first use and kept (the segment never changes). */
  documentOfSentence(): Int32Array {
    if (this.sentenceDocuments) return this.sentenceDocuments;
    const of = new Int32Array(this.sentenceCount);
    for (let d = 0; d < this.documentCount; d++) of.fill(d, this.docStart[d]!, this.docStart[d + 1]!);
    return (this.sentenceDocuments = of);
  }

  documentFrequency(id: number): number {
    return this.postStart[id + 1]! - this.postStart[id]!;
  }

  sentenceLength(sentence: number): number {
    return this.sentStart[sentence + 1]! - this.sentStart[sentence]!;
  }
}

function pickArrays(a: PostingsArrays): PostingsArrays {
  const { termBytes, termStart, postStart, postSentence, postTf, sentStart, sentTerms, docStart } = a;
  return { termBytes, termStart, postStart, postSentence, postTf, sentStart, sentTerms, docStart };
}

function ascending(offsets: Int32Array, end: number, name: string, fail: (what: string) => never | void): void {
  if (offsets[0] !== 0 || offsets[offsets.length - 1] !== end) fail(`${name} does not span its data`);
  for (let i = 1; i < offsets.length; i++) if (offsets[i]! < offsets[i - 1]!) fail(`${name} not ascending`);
}

/** Orders two byte ranges like their strings' UTF-8 forms (shorter first on a common prefix). */
export function compareBytes(a: Uint8Array, aFrom: number, aTo: number, b: Uint8Array, bFrom: number, bTo: number): number {
  const length = Math.min(aTo - aFrom, bTo - bFrom);
  for (let i = 0; i < length; i++) {
    const d = a[aFrom + i]! - b[bFrom + i]!;
    if (d !== 0) return d;
  }
  return aTo - aFrom - (bTo - bFrom);
}

/**
 * Two strings in the order of their UTF-8 bytes. For strings without UTF-16 units from U+D800 up (every term
 * of most corpora) that is the order of their units, compared without encoding them; the others (surrogate
 * pairs, lone surrogates written as U+FFFD, U+E000–U+FFFF) are encoded and compared byte by byte.
 */
export function compareAsUtf8(a: string, b: string): number {
  if (HIGH_UNIT.test(a) || HIGH_UNIT.test(b)) {
    const x = encoder.encode(a);
    const y = encoder.encode(b);
    return compareBytes(x, 0, x.length, y, 0, y.length);
  }
  return a < b ? -1 : a > b ? 1 : 0;
}

const HIGH_UNIT = /[\ud800-\uffff]/;

/** One sentence on its way into a segment: its terms and its document (sentences of a document next to each other). */
export interface TermsOfSentence {
  terms: readonly string[];
  document: number;
}

/**
 * A segment's postings from analysed sentences (the only place terms arrive as strings). `documentSizes`
 * gives each document's sentence count (a document may have none); without it, documents are the runs of
 * equal `document` numbers.
 */
export function* postingsInSteps(sentences: readonly TermsOfSentence[], documentSizes?: readonly number[]): Steps<SegmentPostings> {
  const n = sentences.length;
  const provisional = new Map<string, number>();
  const names: string[] = [];
  let total = 0;
  for (let s = 0; s < n; s++) {
    total += sentences[s]!.terms.length;
    if (s % POSTINGS_STEP === POSTINGS_STEP - 1) yield;
  }
  const sentStart = new Int32Array(n + 1);
  const sentTerms = new Int32Array(total);
  const docStarts: number[] = [];
  let cursor = 0;
  for (let s = 0; s < n; s++) {
    const sentence = sentences[s]!;
    if (!documentSizes && (s === 0 || sentence.document !== sentences[s - 1]!.document)) docStarts.push(s);
    sentStart[s] = cursor;
    for (const term of sentence.terms) {
      let id = provisional.get(term);
      if (id === undefined) {
        id = names.length;
        provisional.set(term, id);
        names.push(term);
      }
      sentTerms[cursor++] = id;
    }
    if (s % POSTINGS_STEP === POSTINGS_STEP - 1) yield;
  }
  sentStart[n] = cursor;
  docStarts.push(n);
  const docStart = documentSizes ? startsOf(documentSizes, n) : Int32Array.from(docStarts);

  // The dictionary sorted by UTF-8 bytes (the order lookups compare in), and provisional ids renumbered to it.
  const high = names.map((name) => HIGH_UNIT.test(name));
  const order = names.map((_, i) => i).sort((x, y) => (high[x] || high[y] ? compareAsUtf8(names[x]!, names[y]!) : names[x]! < names[y]! ? -1 : 1));
  yield;
  const rank = new Int32Array(names.length);
  const termStart = new Int32Array(names.length + 1);
  let bytes = 0;
  for (const name of names) bytes += name.length * 3; // UTF-8 takes at most 3 bytes per UTF-16 unit
  const written = new Uint8Array(bytes);
  for (let r = 0; r < order.length; r++) {
    rank[order[r]!] = r;
    termStart[r + 1] = termStart[r]! + encoder.encodeInto(names[order[r]!]!, written.subarray(termStart[r]!)).written;
  }
  const termBytes = written.slice(0, termStart[names.length]!);
  yield;
  for (let i = 0; i < sentTerms.length; i++) {
    sentTerms[i] = rank[sentTerms[i]!]!;
    if (i % (POSTINGS_STEP * 16) === POSTINGS_STEP * 16 - 1) yield;
  }
  const postings = yield* postingsOfTerms(sentStart, sentTerms, names.length);
  return new SegmentPostings({ termBytes, termStart, ...postings, sentStart, sentTerms, docStart });
}

function startsOf(sizes: readonly number[], total: number): Int32Array {
  const starts = new Int32Array(sizes.length + 1);
  for (let d = 0; d < sizes.length; d++) starts[d + 1] = starts[d]! + sizes[d]!;
  if (starts[sizes.length] !== total) throw new Error(`documents hold ${starts[sizes.length]} sentences, ${total} given`);
  return starts;
}

/**
 * The postings of sentences given as term ids, counted first and then filled in place (no per-term or
 * per-sentence arrays). `lastSentence` marks a term's first occurrence in a sentence, `lastPosting` where
 * its posting for that sentence went.
 */
function* postingsOfTerms(sentStart: Int32Array, sentTerms: Int32Array, termCount: number): Steps<{ postStart: Int32Array; postSentence: Int32Array; postTf: Uint16Array }> {
  const n = sentStart.length - 1;
  const lastSentence = new Int32Array(termCount).fill(-1);
  const df = new Int32Array(termCount);
  for (let s = 0; s < n; s++) {
    for (let i = sentStart[s]!; i < sentStart[s + 1]!; i++) {
      const id = sentTerms[i]!;
      if (lastSentence[id] !== s) (lastSentence[id] = s), df[id]!++;
    }
    if (s % POSTINGS_STEP === POSTINGS_STEP - 1) yield;
  }
  const postStart = new Int32Array(termCount + 1);
  for (let t = 0; t < termCount; t++) postStart[t + 1] = postStart[t]! + df[t]!;
  const fill = postStart.slice(0, termCount);
  const lastPosting = new Int32Array(termCount);
  lastSentence.fill(-1);
  const postSentence = new Int32Array(postStart[termCount]!);
  const postTf = new Uint16Array(postStart[termCount]!);
  yield;
  for (let s = 0; s < n; s++) {
    for (let i = sentStart[s]!; i < sentStart[s + 1]!; i++) {
      const id = sentTerms[i]!;
      if (lastSentence[id] === s) {
        const at = lastPosting[id]!;
        if (postTf[at]! < MAX_TF) postTf[at]!++;
      } else {
        const at = fill[id]!++;
        lastSentence[id] = s;
        lastPosting[id] = at;
        postSentence[at] = s;
        postTf[at] = 1;
      }
    }
    if (s % POSTINGS_STEP === POSTINGS_STEP - 1) yield;
  }
  return { postStart, postSentence, postTf };
}

/** Some documents of one segment, by their local numbers, in the order they are to keep. */
export interface PostingsPart {
  source: SegmentPostings;
  documents: readonly number[];
}

/**
 * A new segment's postings made of whole documents of existing segments, from their stored term ids (no
 * re-analysis): a segment without its removed documents, or several small segments merged into one. The
 * dictionaries are already sorted, so the new one is their merge, restricted to the terms still used.
 */
export function* mergePostingsInSteps(parts: readonly PostingsPart[]): Steps<SegmentPostings> {
  // Terms each part still uses, and the sizes of the result.
  let sentences = 0;
  let total = 0;
  let documents = 0;
  const used: Uint8Array[] = [];
  for (const { source, documents: kept } of parts) {
    const marks = new Uint8Array(source.termCount);
    for (const d of kept) {
      const from = source.sentStart[source.docStart[d]!]!;
      const to = source.sentStart[source.docStart[d + 1]!]!;
      for (let i = from; i < to; i++) marks[source.sentTerms[i]!] = 1;
      sentences += source.docStart[d + 1]! - source.docStart[d]!;
      total += to - from;
      documents++;
      if (to - from > POSTINGS_STEP) yield;
    }
    used.push(marks);
    yield;
  }

  // A k-way merge of the sorted dictionaries: each part's old id → new id.
  const remap = parts.map(({ source }) => new Int32Array(source.termCount));
  const heads = parts.map(() => -1);
  const advance = (k: number) => {
    const marks = used[k]!;
    let t = heads[k]! + 1;
    while (t < marks.length && marks[t] === 0) t++;
    heads[k] = t;
  };
  parts.forEach((_, k) => advance(k));
  let byteCount = 0;
  for (const [k, { source }] of parts.entries()) for (let t = 0; t < source.termCount; t++) if (used[k]![t]) byteCount += source.termStart[t + 1]! - source.termStart[t]!;
  const termBytes = new Uint8Array(byteCount);
  const starts: number[] = [0];
  let written = 0;
  let steps = 0;
  for (;;) {
    let least = -1;
    for (let k = 0; k < parts.length; k++) {
      if (heads[k]! >= parts[k]!.source.termCount) continue;
      if (least < 0 || compareTerms(parts[k]!.source, heads[k]!, parts[least]!.source, heads[least]!) < 0) least = k;
    }
    if (least < 0) break;
    const { source } = parts[least]!;
    const t = heads[least]!;
    const bytes = source.termBytes.subarray(source.termStart[t]!, source.termStart[t + 1]!);
    termBytes.set(bytes, written);
    written += bytes.length;
    const id = starts.length - 1;
    starts.push(written);
    for (let k = 0; k < parts.length; k++) {
      if (heads[k]! < parts[k]!.source.termCount && (k === least || compareTerms(parts[k]!.source, heads[k]!, source, t) === 0)) {
        remap[k]![heads[k]!] = id;
        advance(k);
      }
    }
    if (++steps % POSTINGS_STEP === 0) yield;
  }

  // The kept sentences' terms, renumbered.
  const sentStart = new Int32Array(sentences + 1);
  const sentTerms = new Int32Array(total);
  const docStart = new Int32Array(documents + 1);
  let s = 0;
  let cursor = 0;
  let doc = 0;
  for (const [k, { source, documents: kept }] of parts.entries()) {
    const map = remap[k]!;
    for (const d of kept) {
      docStart[doc++] = s;
      for (let local = source.docStart[d]!; local < source.docStart[d + 1]!; local++) {
        sentStart[s++] = cursor;
        for (let i = source.sentStart[local]!; i < source.sentStart[local + 1]!; i++) sentTerms[cursor++] = map[source.sentTerms[i]!]!;
        if (s % POSTINGS_STEP === 0) yield;
      }
    }
  }
  sentStart[sentences] = cursor;
  docStart[documents] = sentences;
  const termCount = starts.length - 1;
  const postings = yield* postingsOfTerms(sentStart, sentTerms, termCount);
  // A term two parts share was counted twice in byteCount and written once.
  return new SegmentPostings({ termBytes: termBytes.slice(0, written), termStart: Int32Array.from(starts), ...postings, sentStart, sentTerms, docStart });
}

function compareTerms(a: SegmentPostings, x: number, b: SegmentPostings, y: number): number {
  return compareBytes(a.termBytes, a.termStart[x]!, a.termStart[x + 1]!, b.termBytes, b.termStart[y]!, b.termStart[y + 1]!);
}
