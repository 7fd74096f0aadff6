import { runToEnd, type Steps } from "../core/steps.js";
import { postingsInSteps, POSTINGS_STEP, type SegmentPostings, type TermsOfSentence } from "./postings.js";

/**
 * Okapi BM25 over sentences, with the neighbouring sentences of the same document as a
 * down-weighted second field (BM25F). Pure: terms in, ranked sentence numbers out.
 *
 * score(s) = Σ_t idf(t) · tf'(s,t)·(k1+1) / (tf'(s,t) + k1)
 * tf'(s,t) = tf(s,t)/B(s) + Σ_{d=1..span} w(d) · [ tf(s−d,t)/B(s−d) + following · tf(s+d,t)/B(s+d) ]
 * B(s)     = 1 − b + b·len(s)/avgLen,   w(d) = neighbourWeight · neighbourDecay^(d−1)
 * idf(t)   = ln(1 + (N − df + 0.5)/(df + 0.5))   (Lucene's, never negative)
 *
 * With neighbourWeight = 0 this is plain Okapi BM25 (the unit tests check it against hand-computed values).
 */

export interface Bm25Options {
  /** Term-frequency saturation. Lucene's default is 1.2; 0.4 measured better on sentences (shared/RESEARCH.md). */
  k1: number;
  /** Length normalisation. Lucene's default is 0.75; 0.45 measured better on sentences. */
  b: number;
  /** Weight of a query term found in the sentence just before; 0 turns the neighbour field off. */
  neighbourWeight: number;
  /** Each further sentence away counts this much less. */
  neighbourDecay: number;
  /** How many sentences either side count. */
  neighbourSpan: number;
  /** Sentences after count this fraction of sentences before (an answer tends to follow its topic sentence). */
  followingFactor: number;
}

/** Defaults measured on the SQuAD sentence-retrieval data (shared/RESEARCH.md and the README's table). */
export const DEFAULT_BM25_OPTIONS: Readonly<Bm25Options> = Object.freeze({
  k1: 0.4,
  b: 0.45,
  neighbourWeight: 0.2,
  neighbourDecay: 0.85,
  neighbourSpan: 6,
  followingFactor: 0.5,
});

/** Lucene's classic defaults, for comparison and for the hand-checked tests. */
export const LUCENE_BM25_OPTIONS: Readonly<Bm25Options> = Object.freeze({
  ...DEFAULT_BM25_OPTIONS,
  k1: 1.2,
  b: 0.75,
  neighbourWeight: 0,
});

/** One sentence to index: its terms (with repeats) and the document it belongs to. */
export type IndexableSentence = TermsOfSentence;

export interface Hit {
  sentence: number;
  score: number;
}

/** A query term as the segments know it: its id in each (−1 where absent) and its corpus-wide df. */
interface QueryTerm {
  ids: Int32Array;
  df: number;
}

/**
 * BM25 over a list of segments (postings.ts), each a run of whole documents. Sentence numbers are global:
 * a segment's sentences follow the previous segment's. The corpus-wide statistics (sentence count, average
 * length, so each sentence's length normalisation) are computed here when the list is assembled, and a
 * term's df is summed over the segments at query time, so a score depends only on the corpus, never on how
 * it is cut into segments. Ties are broken by `order` (a rank per sentence), not by sentence number.
 * Assembling one computes two numbers per sentence (its length normalisation and, given by the caller, its
 * rank for ties) and copies nothing of the segments, so a refresh that shares most segments pays little more
 * than the ones it builds.
 */
export class SentenceIndex {
  readonly options!: Bm25Options;
  readonly sentenceCount!: number;
  readonly averageLength!: number;
  readonly segments!: readonly SegmentPostings[];
  /** Global number of each segment's first sentence (and the sentence count at the end). */
  readonly bases!: Int32Array;
  /** Rank of each sentence among equal scores: the lower wins. */
  readonly order!: Int32Array;
  /** 1 / B(s) of every sentence, as float32 (a posting's count times it is what a search adds up). */
  private readonly inverseNorms!: Float32Array;
  private readonly neighbourWeights!: Float64Array;
  /** neighbourWeights × followingFactor, for terms in the sentences after. */
  private readonly followingWeights!: Float64Array;
  // Scratch space reused by every search (searches are synchronous), made on first use.
  private termTf?: Float32Array;
  private scores?: Float32Array;
  private seenInQuery?: Uint8Array;
  private queryTouched?: Int32Array;
  private readonly looked!: Map<string, QueryTerm>;
  /** Overrides EXACT_WORK_LIMIT for this index (tests force either path with it). */
  exactWorkLimit?: number;

  /** One segment of these sentences (in document order: all sentences of a document next to each other). */
  constructor(sentences: readonly IndexableSentence[], options: Partial<Bm25Options> = {}) {
    this.assemble([runToEnd(postingsInSteps(sentences))], { ...DEFAULT_BM25_OPTIONS, ...options });
  }

  /** The constructor's index, built in steps (see steps.ts) that each handle a bounded number of sentences. */
  static *buildInSteps(sentences: readonly IndexableSentence[], options: Partial<Bm25Options> = {}): Steps<SentenceIndex> {
    const postings = yield* postingsInSteps(sentences);
    return SentenceIndex.over([postings], options);
  }

  /**
   * An index over segments, in this order; `order` ranks sentences for ties (default: sentence number).
   * Linear in the sentence count (a few milliseconds per million): nothing of the segments is copied.
   */
  static over(segments: readonly SegmentPostings[], options: Partial<Bm25Options> = {}, order?: Int32Array): SentenceIndex {
    const index = Object.create(SentenceIndex.prototype) as SentenceIndex;
    index.assemble(segments, { ...DEFAULT_BM25_OPTIONS, ...options }, order);
    return index;
  }

  /** The one place an index's fields are set. */
  private assemble(segments: readonly SegmentPostings[], options: Bm25Options, order?: Int32Array): void {
    const bases = new Int32Array(segments.length + 1);
    let totalTerms = 0;
    segments.forEach((segment, k) => {
      bases[k + 1] = bases[k]! + segment.sentenceCount;
      totalTerms += segment.sentTerms.length;
    });
    const n = bases[segments.length]!;
    const averageLength = n > 0 ? totalTerms / n : 0;
    const inverseNorms = new Float32Array(n);
    segments.forEach((segment, k) => {
      const { sentStart } = segment;
      for (let s = 0, base = bases[k]!; s < segment.sentenceCount; s++) inverseNorms[base + s] = inverseNormOf(options.b, sentStart[s + 1]! - sentStart[s]!, averageLength);
    });
    if (order && order.length !== n) throw new Error(`order has ${order.length} ranks for ${n} sentences`);
    const { neighbourWeight, neighbourDecay, neighbourSpan } = options;
    const neighbourWeights = new Float64Array(neighbourWeight > 0 ? neighbourSpan + 1 : 1);
    for (let d = 1; d < neighbourWeights.length; d++) neighbourWeights[d] = neighbourWeight * neighbourDecay ** (d - 1);
    Object.assign(this, {
      options,
      sentenceCount: n,
      averageLength,
      segments,
      bases,
      order: order ?? Int32Array.from({ length: n }, (_, i) => i),
      looked: new Map<string, QueryTerm>(),
      inverseNorms,
      neighbourWeights,
      followingWeights: neighbourWeights.map((w) => w * options.followingFactor),
    });
  }

  /** The segment holding a global sentence number. */
  segmentOf(sentence: number): number {
    const { bases } = this;
    let low = 0;
    let high = bases.length - 2;
    while (low < high) {
      const mid = (low + high + 1) >>> 1;
      if (bases[mid]! <= sentence) low = mid;
      else high = mid - 1;
    }
    return low;
  }

  /**
   * A term's ids and df, remembered: one question looks each of its terms up several times (resolving,
   * searching, weighing the evidence), each time in every segment.
   */
  private lookup(term: string): QueryTerm {
    const known = this.looked.get(term);
    if (known) return known;
    if (this.looked.size >= LOOKUPS_KEPT) this.looked.clear();
    const found = this.lookupInSegments(term);
    this.looked.set(term, found);
    return found;
  }

  private lookupInSegments(term: string): QueryTerm {
    const key = encoder.encode(term);
    const ids = new Int32Array(this.segments.length);
    let df = 0;
    this.segments.forEach((segment, k) => {
      const id = segment.termIdOfBytes(key);
      ids[k] = id;
      if (id >= 0) df += segment.documentFrequency(id);
    });
    return { ids, df };
  }

  /** Whether any sentence contains the term. */
  hasTerm(term: string): boolean {
    return this.lookup(term).df > 0;
  }

  /**
   * A query term the index lacks, matched to the longest indexed term that is a prefix of it
   * (at least 5 characters and 60% of it): porter2 stems a word's forms apart at times
   * ("delivered" → deliv, "delivery" → deliveri). Failing that, a term `mayBeMisspelt` accepts is matched to the
   * indexed term one edit away (see oneEditAway). Known terms come back unchanged.
   */
  resolve(term: string, mayBeMisspelt?: (term: string) => boolean): string {
    if (this.hasTerm(term)) return term;
    for (let length = term.length - 1; length >= Math.max(5, Math.ceil(term.length * 0.6)); length--) {
      const prefix = term.slice(0, length);
      if (this.hasTerm(prefix)) return prefix;
    }
    return mayBeMisspelt?.(term) ? (this.oneEditAway(term) ?? term) : term;
  }

  /**
   * The indexed term one edit away (a letter dropped, added, changed, or two swapped) from a term of at least
   * MIN_MISSPELT_LENGTH letters, the most frequent when several are ("Elwood" → ellwood, "Gerharz" → gerhartz).
   * Variants are looked up in the segments directly: they would only crowd the lookup cache. Each costs a
   * search of every segment's dictionary, so a corpus of more than MISSPELT_SEGMENTS segments is not searched.
   */
  private oneEditAway(term: string): string | undefined {
    if (term.length < MIN_MISSPELT_LENGTH || term.length > MAX_MISSPELT_LENGTH || !/^[a-z]+$/.test(term) || this.segments.length > MISSPELT_SEGMENTS) return undefined;
    let best: string | undefined;
    let bestDf = 0;
    const consider = (variant: string) => {
      const df = this.lookupInSegments(variant).df;
      if (df > bestDf) (best = variant), (bestDf = df);
    };
    for (let i = 0; i <= term.length; i++) {
      const head = term.slice(0, i);
      const tail = term.slice(i);
      if (i < term.length) consider(head + tail.slice(1));
      if (i + 1 < term.length && term[i] !== term[i + 1]) consider(head + term[i + 1] + term[i] + tail.slice(2));
      for (const letter of LETTERS) {
        consider(head + letter + tail);
        if (i < term.length && letter !== term[i]) consider(head + letter + tail.slice(1));
      }
    }
    return best;
  }

  /** How many sentences contain the term (summed over the segments). */
  documentFrequency(term: string): number {
    return this.lookup(term).df;
  }

  /** Lucene's idf; a term no sentence contains gets the highest possible value. */
  idf(term: string): number {
    return this.idfOf(this.lookup(term).df);
  }

  private idfOf(df: number): number {
    return Math.log(1 + (this.sentenceCount - df + 0.5) / (df + 0.5));
  }

  /** The terms of a sentence, in order, with repeats (the segments keep them as ids, so sentences need not). */
  sentenceTerms(sentence: number): string[] {
    const k = this.segmentOf(sentence);
    const segment = this.segments[k]!;
    const local = sentence - this.bases[k]!;
    const terms: string[] = [];
    for (let i = segment.sentStart[local]!; i < segment.sentStart[local + 1]!; i++) terms.push(segment.term(segment.sentTerms[i]!));
    return terms;
  }

  /** The scratch arrays, made on the first search (an index assembled only to be replaced never pays for them). */
  private scratch() {
    const n = this.sentenceCount;
    this.termTf ??= new Float32Array(n);
    this.scores ??= new Float32Array(n);
    this.seenInQuery ??= new Uint8Array(n);
    this.queryTouched ??= new Int32Array(n);
    return { termTf: this.termTf, scores: this.scores, seenInQuery: this.seenInQuery, queryTouched: this.queryTouched };
  }

  /**
   * The `limit` best sentences for the query terms (repeats in the query count once), best first.
   * Ties go to the lower `order`, so results are deterministic and do not depend on the segments.
   *
   * Spreading every posting over its neighbour window costs about (postings × window); below
   * EXACT_WORK_LIMIT that is done for every sentence and the result is exact. Above it (only very large
   * corpora, where a question's common words have hundreds of thousands of postings), sentences are first
   * ranked by their own text alone, and the best RERANK_POOL of those get their full score from their
   * neighbour windows: a sentence outside that pool (one that matches only through its neighbours, say)
   * cannot come back. How often this agrees with the exact ranking is measured in the README (Scale).
   */
  search(queryTerms: readonly string[], limit: number): Hit[] {
    const terms = [...new Set(queryTerms)].map((t) => this.lookup(t)).filter((t) => t.df > 0);
    const window = 2 * (this.neighbourWeights.length - 1) + 1;
    let work = 0;
    for (const term of terms) work += term.df * window;
    return window > 1 && work > (this.exactWorkLimit ?? EXACT_WORK_LIMIT) ? this.searchOwnThenWindows(terms, limit) : this.searchExact(terms, limit);
  }

  private searchExact(terms: readonly QueryTerm[], limit: number): Hit[] {
    const { k1 } = this.options;
    const weights = this.neighbourWeights;
    const following = this.followingWeights;
    const span = weights.length - 1;
    const { termTf, scores, seenInQuery, queryTouched } = this.scratch();
    const { segments, bases, inverseNorms } = this;
    let candidates = 0;

    for (const term of terms) {
      const idf = this.idfOf(term.df);
      // One sweep over the term's postings (in sentence order: segment after segment): each adds the term's
      // length-normalised count to its sentence and, down-weighted, to the sentences around it in the same
      // document; a sentence that no later posting can reach is final, so its combined count is saturated
      // and added to its score right away (while still in cache), then reset for the next term.
      let pendingFrom = 0;
      let pendingTo = -1;
      for (let k = 0; k <= segments.length; k++) {
        // Past the last segment, everything still pending is final.
        const last = k === segments.length;
        const id = last ? 0 : term.ids[k]!;
        if (id < 0) continue;
        const segment = segments[k];
        const base = bases[k]!;
        const postSentence = segment?.postSentence;
        const postTf = segment?.postTf;
        const docStart = segment?.docStart;
        const documentOf = segment?.documentOfSentence();
        for (let p = last ? 0 : segment!.postStart[id]!, end = last ? 1 : segment!.postStart[id + 1]!; p < end; p++) {
          const local = last ? 0 : postSentence![p]!;
          const s = last ? this.sentenceCount + span + 1 : base + local;
          const document = last ? 0 : documentOf![local]!;
          const from = last ? s : Math.max(s - span, base + docStart![document]!);
          if (from > pendingFrom) {
            for (let x = pendingFrom, stop = Math.min(pendingTo, from - 1); x <= stop; x++) {
              const tf = termTf[x]!;
              if (tf === 0) continue;
              termTf[x] = 0;
              if (seenInQuery[x] === 0) (seenInQuery[x] = 1), (queryTouched[candidates++] = x);
              scores[x] = scores[x]! + (idf * tf * (k1 + 1)) / (tf + k1);
            }
            pendingFrom = from;
          }
          if (last) break;
          const to = Math.min(s + span, base + docStart![document + 1]! - 1);
          const weighted = Math.fround(postTf![p]! * inverseNorms[s]!);
          termTf[s] = termTf[s]! + weighted;
          for (let x = s + 1; x <= to; x++) termTf[x] = termTf[x]! + weights[x - s]! * weighted; // s precedes x
          for (let x = s - 1; x >= from; x--) termTf[x] = termTf[x]! + following[s - x]! * weighted; // s follows x
          if (to > pendingTo) pendingTo = to;
        }
      }
    }

    return this.takeBest(candidates, limit);
  }

  /** The `limit` best candidates, with the scratch space cleared for the next search. */
  private takeBest(candidates: number, limit: number): Hit[] {
    const { queryTouched, scores, seenInQuery } = this.scratch();
    const best = topK(queryTouched, candidates, scores, this.order, limit);
    for (let i = 0; i < candidates; i++) {
      const s = queryTouched[i]!;
      scores[s] = 0;
      seenInQuery[s] = 0;
    }
    return best;
  }

  /** See `search`: own-text BM25 for every sentence, then the full score for the best RERANK_POOL. */
  private searchOwnThenWindows(terms: readonly QueryTerm[], limit: number): Hit[] {
    const { k1 } = this.options;
    const { scores, seenInQuery, queryTouched } = this.scratch();
    const { neighbourWeights, followingWeights, segments, bases, order, averageLength, inverseNorms } = this;
    const { b } = this.options;
    const idfs = terms.map((term) => this.idfOf(term.df));
    let candidates = 0;
    for (let j = 0; j < terms.length; j++) {
      const idf = idfs[j]!;
      for (let k = 0; k < segments.length; k++) {
        const id = terms[j]!.ids[k]!;
        if (id < 0) continue;
        const base = bases[k]!;
        const { postSentence, postTf, postStart } = segments[k]!;
        for (let p = postStart[id]!, end = postStart[id + 1]!; p < end; p++) {
          const s = base + postSentence[p]!;
          const tf = Math.fround(postTf[p]! * inverseNorms[s]!);
          if (seenInQuery[s] === 0) (seenInQuery[s] = 1), (queryTouched[candidates++] = s);
          scores[s] = scores[s]! + (idf * tf * (k1 + 1)) / (tf + k1);
        }
      }
    }
    const pool = this.takeBest(candidates, Math.max(limit, RERANK_POOL));

    const span = neighbourWeights.length - 1;
    const counts = new Float64Array(terms.length);
    const local = new Int32Array(terms.length);
    for (const hit of pool) {
      const x = hit.sentence;
      // A window stays in its document, so in the segment of x.
      const k = this.segmentOf(x);
      const segment = segments[k]!;
      const base = bases[k]!;
      // The query's terms as this segment numbers them (−1: absent), compared with each word of the window:
      // a handful of comparisons, where a table by term id would be one more cold array per segment.
      for (let j = 0; j < terms.length; j++) local[j] = terms[j]!.ids[k]!;
      counts.fill(0);
      // The segment's arrays as locals: read through the object, the inner loop reloads them every time.
      const { sentStart, sentTerms, docStart } = segment;
      const document = segment.documentOfSentence()[x - base]!;
      const docFirst = base + docStart[document]!;
      const docEnd = base + docStart[document + 1]!;
      for (let s = Math.max(x - span, docFirst), last = Math.min(x + span, docEnd - 1); s <= last; s++) {
        const weight = s === x ? 1 : s < x ? neighbourWeights[x - s]! : followingWeights[s - x]!;
        const from = sentStart[s - base]!;
        const to = sentStart[s - base + 1]!;
        const weighted = weight * inverseNormOf(b, to - from, averageLength);
        for (let i = from; i < to; i++) {
          const term = sentTerms[i]!;
          for (let j = 0; j < local.length; j++) if (local[j] === term) counts[j] = counts[j]! + weighted;
        }
      }
      let score = 0;
      for (let j = 0; j < terms.length; j++) {
        const tf = counts[j]!;
        if (tf > 0) score += (idfs[j]! * tf * (k1 + 1)) / (tf + k1);
      }
      hit.score = score;
    }
    return pool.sort((x, y) => y.score - x.score || order[x.sentence]! - order[y.sentence]!).slice(0, limit);
  }
}

/** Shorter words are too close to other words for a one-letter difference to be a slip ("plan", "plant"). */
const MIN_MISSPELT_LENGTH = 5;
/** Longer runs of letters are no words ("xxxx…" in a checksum): their variants are not worth looking up. */
const MAX_MISSPELT_LENGTH = 24;
const LETTERS = "abcdefghijklmnopqrstuvwxyz";
/**
 * A word of 8 letters has about 450 variants one edit away: about 0.25 ms to look up in one segment (SQuAD,
 * measured), so up to 2 ms a word over 8 segments (about 65,000 sentences and more).
 */
const MISSPELT_SEGMENTS = 8;

/**
 * Above this much spreading work (about 1.5 ms of it), search ranks by own text first (see
 * SentenceIndex.search). No question on SQuAD's 5,046 sentences or the shipped corpus comes near it.
 */
export const EXACT_WORK_LIMIT = 200_000;
/**
 * How many own-text leaders get their full, neighbour-window score on that path. Measured at 1,000,000
 * sentences against the exact ranking (300 SQuAD questions): same top result for 299, top-10 overlap
 * 0.977, p99 12 ms instead of 44 ms; with 300 the top result agreed for 291.
 */
export const RERANK_POOL = 1_000;

/** How many looked-up terms an index remembers (then it starts again): a few questions' worth, a few hundred kB. */
const LOOKUPS_KEPT = 4_096;

/** Sentences handled between two pauses of a stepped build (see postings.ts). */
export const INDEX_STEP = POSTINGS_STEP;

const encoder = new TextEncoder();

/** 1 / B(s) for a sentence of `length` terms: BM25's length normalisation. */
function inverseNormOf(b: number, length: number, averageLength: number): number {
  return 1 / (1 - b + (b * length) / (averageLength || 1));
}

/** The k highest-scoring candidates, best first (a bounded min-heap: no sort of every candidate). */
function topK(candidates: Int32Array, count: number, scores: Float32Array, order: Int32Array, k: number): Hit[] {
  if (k <= 0 || count === 0) return [];
  const heap: number[] = [];
  // "Worse" = lower score, or equal score and later in `order` (so earlier sentences win ties).
  const worse = (a: number, b: number) => scores[a]! < scores[b]! || (scores[a] === scores[b] && order[a]! > order[b]!);
  const siftDown = (i: number) => {
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < heap.length && worse(heap[l]!, heap[m]!)) m = l;
      if (r < heap.length && worse(heap[r]!, heap[m]!)) m = r;
      if (m === i) return;
      [heap[i], heap[m]] = [heap[m]!, heap[i]!];
      i = m;
    }
  };
  for (let c = 0; c < count; c++) {
    const s = candidates[c]!;
    if (heap.length < k) {
      heap.push(s);
      for (let i = heap.length - 1; i > 0; ) {
        const parent = (i - 1) >> 1;
        if (!worse(heap[i]!, heap[parent]!)) break;
        [heap[i], heap[parent]] = [heap[parent]!, heap[i]!];
        i = parent;
      }
    } else if (worse(heap[0]!, s)) {
      heap[0] = s;
      siftDown(0);
    }
  }
  return heap
    .sort((a, b) => (worse(a, b) ? 1 : worse(b, a) ? -1 : 0))
    .map((sentence) => ({ sentence, score: scores[sentence]! }));
}
