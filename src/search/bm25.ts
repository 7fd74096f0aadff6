import { runToEnd, type Steps } from "../core/steps.js";

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
export interface IndexableSentence {
  terms: readonly string[];
  document: number;
}

/** Everything an index needs to answer, as plain data (typed arrays and strings): what `save` writes. */
export interface IndexSnapshot {
  options: Bm25Options;
  averageLength: number;
  termsById: string[];
  postStart: Int32Array;
  postSentence: Int32Array;
  postWeight: Float32Array;
  sentStart: Int32Array;
  sentTerms: Int32Array;
  docFirst: Int32Array;
  docEnd: Int32Array;
}

/** What the build computes: the snapshot's data and the term lookup. */
type IndexData = IndexSnapshot & { termIds: Map<string, number> };

export interface Hit {
  sentence: number;
  score: number;
}

export class SentenceIndex {
  readonly options!: Bm25Options;
  readonly sentenceCount!: number;
  readonly averageLength!: number;
  private readonly termIds!: Map<string, number>;
  /** Term id → term. */
  private readonly termsById!: string[];
  /** Postings in CSR form: sentences of term t are postSentence[postStart[t] .. postStart[t+1]). */
  private readonly postStart!: Int32Array;
  private readonly postSentence!: Int32Array;
  /** A posting's length-normalised count, tf(s,t) / B(s): all a search needs of it. */
  private readonly postWeight!: Float32Array;
  /** Terms of sentence s (with repeats): sentTerms[sentStart[s] .. sentStart[s+1]). */
  private readonly sentStart!: Int32Array;
  private readonly sentTerms!: Int32Array;
  /** The first and one-past-last sentence of the sentence's document (neighbours never cross documents). */
  private readonly docFirst!: Int32Array;
  private readonly docEnd!: Int32Array;
  private readonly neighbourWeights!: Float64Array;
  /** neighbourWeights × followingFactor, for terms in the sentences after. */
  private readonly followingWeights!: Float64Array;
  // Scratch space reused by every search (see workingState).
  private readonly termTf!: Float32Array;
  private readonly scores!: Float32Array;
  private readonly seenInQuery!: Uint8Array;
  private readonly queryTouched!: Int32Array;
  /** Scratch for searchOwnThenWindows, made on first use. */
  private querySlot?: Int32Array;
  /** Overrides EXACT_WORK_LIMIT for this index (tests force either path with it). */
  exactWorkLimit?: number;

  /** Sentences must come in document order: all sentences of a document next to each other. */
  constructor(sentences: readonly IndexableSentence[], options: Partial<Bm25Options> = {}) {
    assemble(this, runToEnd(indexDataInSteps(sentences, { ...DEFAULT_BM25_OPTIONS, ...options })));
  }

  /**
   * The same index as the constructor's, built in steps (see steps.ts) that each handle a bounded number
   * of sentences or postings (INDEX_STEP), so a caller can give the event loop a turn between them.
   */
  static *buildInSteps(sentences: readonly IndexableSentence[], options: Partial<Bm25Options> = {}): Steps<SentenceIndex> {
    const data = yield* indexDataInSteps(sentences, { ...DEFAULT_BM25_OPTIONS, ...options });
    return assemble(Object.create(SentenceIndex.prototype) as SentenceIndex, data);
  }

  /** The index as plain data, for saving (v8.serialize keeps typed arrays compact). */
  toSnapshot(): IndexSnapshot {
    const { options, averageLength, termsById, postStart, postSentence, postWeight, sentStart, sentTerms, docFirst, docEnd } = this;
    return { options, averageLength, termsById, postStart, postSentence, postWeight, sentStart, sentTerms, docFirst, docEnd };
  }

  /** An index from a snapshot, without rebuilding anything but the term lookup. */
  static fromSnapshot(snapshot: IndexSnapshot): SentenceIndex {
    const termIds = new Map(snapshot.termsById.map((term, id) => [term, id]));
    return assemble(Object.create(SentenceIndex.prototype) as SentenceIndex, { ...snapshot, termIds });
  }

  get termCount(): number {
    return this.termIds.size;
  }

  /** The id of a term, or undefined when no sentence contains it. */
  termId(term: string): number | undefined {
    return this.termIds.get(term);
  }

  /**
   * A query term the index lacks, matched to the longest indexed term that is a prefix of it
   * (at least 5 characters and 60% of it): porter2 stems a word's forms apart at times
   * ("delivered" → deliv, "delivery" → deliveri). Known terms come back unchanged.
   */
  resolve(term: string): string {
    if (this.termIds.has(term)) return term;
    for (let length = term.length - 1; length >= Math.max(5, Math.ceil(term.length * 0.6)); length--) {
      const prefix = term.slice(0, length);
      if (this.termIds.has(prefix)) return prefix;
    }
    return term;
  }

  documentFrequency(termId: number): number {
    return this.postStart[termId + 1]! - this.postStart[termId]!;
  }

  /** 1 / B(s): BM25's length normalisation of sentence s. */
  private inverseNorm(s: number): number {
    return inverseNormOf(this.options.b, this.sentStart[s + 1]! - this.sentStart[s]!, this.averageLength);
  }

  /** Lucene's idf; a term no sentence contains gets the highest possible value. */
  idf(term: string): number {
    const id = this.termIds.get(term);
    return this.idfOf(id);
  }

  private idfOf(id: number | undefined): number {
    const df = id === undefined ? 0 : this.documentFrequency(id);
    return Math.log(1 + (this.sentenceCount - df + 0.5) / (df + 0.5));
  }

  /** The term ids of a sentence, in order, with repeats (a view into the index: no copy). */
  sentenceTermIds(sentence: number): Int32Array {
    return this.sentTerms.subarray(this.sentStart[sentence]!, this.sentStart[sentence + 1]!);
  }

  /** The terms of a sentence, in order, with repeats (the index keeps them as ids, so sentences need not). */
  sentenceTerms(sentence: number): string[] {
    const terms: string[] = [];
    for (let i = this.sentStart[sentence]!; i < this.sentStart[sentence + 1]!; i++) terms.push(this.termsById[this.sentTerms[i]!]!);
    return terms;
  }

  /**
   * The `limit` best sentences for the query terms (repeats in the query count once), best first.
   * Ties keep index order, so results are deterministic.
   *
   * Spreading every posting over its neighbour window costs about (postings × window); below
   * EXACT_WORK_LIMIT that is done for every sentence and the result is exact. Above it (only very large
   * corpora, where a question's common words have hundreds of thousands of postings), sentences are first
   * ranked by their own text alone, and the best RERANK_POOL of those get their full score from their
   * neighbour windows: a sentence outside that pool (one that matches only through its neighbours, say)
   * cannot come back. How often this agrees with the exact ranking is measured in the README (Scale).
   */
  search(queryTerms: readonly string[], limit: number): Hit[] {
    const ids = [...new Set(queryTerms)].map((t) => this.termIds.get(t)).filter((id): id is number => id !== undefined);
    const window = 2 * (this.neighbourWeights.length - 1) + 1;
    let work = 0;
    for (const id of ids) work += this.documentFrequency(id) * window;
    return window > 1 && work > (this.exactWorkLimit ?? EXACT_WORK_LIMIT) ? this.searchOwnThenWindows(ids, limit) : this.searchExact(ids, limit);
  }

  private searchExact(ids: readonly number[], limit: number): Hit[] {
    const { k1 } = this.options;
    const weights = this.neighbourWeights;
    const following = this.followingWeights;
    const span = weights.length - 1;
    const { termTf, scores, seenInQuery, queryTouched, postSentence, postWeight, docFirst, docEnd } = this;
    let candidates = 0;

    for (const id of ids) {
      const idf = this.idfOf(id);
      // One sweep over the term's postings (in sentence order): each adds the term's length-normalised
      // count to its sentence and, down-weighted, to the sentences around it in the same document; a
      // sentence that no later posting can reach is final, so its combined count is saturated and added
      // to its score right away (while still in cache), then reset for the next term.
      let pendingFrom = 0;
      let pendingTo = -1;
      for (let p = this.postStart[id]!, end = this.postStart[id + 1]!; p <= end; p++) {
        // Past the last posting, everything still pending is final.
        const s = p < end ? postSentence[p]! : this.sentenceCount + span + 1;
        const from = p < end ? Math.max(s - span, docFirst[s]!) : s;
        if (from > pendingFrom) {
          for (let x = pendingFrom, last = Math.min(pendingTo, from - 1); x <= last; x++) {
            const tf = termTf[x]!;
            if (tf === 0) continue;
            termTf[x] = 0;
            if (seenInQuery[x] === 0) (seenInQuery[x] = 1), (queryTouched[candidates++] = x);
            scores[x] = scores[x]! + (idf * tf * (k1 + 1)) / (tf + k1);
          }
          pendingFrom = from;
        }
        if (p === end) break;
        const to = Math.min(s + span, docEnd[s]! - 1);
        const weighted = postWeight[p]!;
        termTf[s] = termTf[s]! + weighted;
        for (let x = s + 1; x <= to; x++) termTf[x] = termTf[x]! + weights[x - s]! * weighted; // s precedes x
        for (let x = s - 1; x >= from; x--) termTf[x] = termTf[x]! + following[s - x]! * weighted; // s follows x
        if (to > pendingTo) pendingTo = to;
      }
    }

    return this.takeBest(candidates, limit);
  }

  /** The `limit` best candidates, with the scratch space cleared for the next search. */
  private takeBest(candidates: number, limit: number): Hit[] {
    const { queryTouched, scores, seenInQuery } = this;
    const best = topK(queryTouched, candidates, scores, limit);
    for (let i = 0; i < candidates; i++) {
      const s = queryTouched[i]!;
      scores[s] = 0;
      seenInQuery[s] = 0;
    }
    return best;
  }

  /** See `search`: own-text BM25 for every sentence, then the full score for the best RERANK_POOL. */
  private searchOwnThenWindows(ids: readonly number[], limit: number): Hit[] {
    const { k1 } = this.options;
    const { scores, seenInQuery, queryTouched, postSentence, postWeight, sentStart, sentTerms, docFirst, docEnd, neighbourWeights, followingWeights } = this;
    const idfs = ids.map((id) => this.idfOf(id));
    let candidates = 0;
    ids.forEach((id, j) => {
      const idf = idfs[j]!;
      for (let p = this.postStart[id]!, end = this.postStart[id + 1]!; p < end; p++) {
        const s = postSentence[p]!;
        const tf = postWeight[p]!;
        if (seenInQuery[s] === 0) (seenInQuery[s] = 1), (queryTouched[candidates++] = s);
        scores[s] = scores[s]! + (idf * tf * (k1 + 1)) / (tf + k1);
      }
    });
    const pool = this.takeBest(candidates, Math.max(limit, RERANK_POOL));

    const span = neighbourWeights.length - 1;
    const counts = new Float64Array(ids.length);
    // Term id → its place in the query (−1: not in it), so a window is read with one lookup per word.
    const slot = (this.querySlot ??= new Int32Array(this.termsById.length).fill(-1));
    ids.forEach((id, j) => (slot[id] = j));
    for (const hit of pool) {
      const x = hit.sentence;
      counts.fill(0);
      for (let s = Math.max(x - span, docFirst[x]!), last = Math.min(x + span, docEnd[x]! - 1); s <= last; s++) {
        const weight = s === x ? 1 : s < x ? neighbourWeights[x - s]! : followingWeights[s - x]!;
        const weighted = weight * this.inverseNorm(s);
        for (let i = sentStart[s]!; i < sentStart[s + 1]!; i++) {
          const j = slot[sentTerms[i]!]!;
          if (j >= 0) counts[j] = counts[j]! + weighted;
        }
      }
      let score = 0;
      for (let j = 0; j < ids.length; j++) {
        const tf = counts[j]!;
        if (tf > 0) score += (idfs[j]! * tf * (k1 + 1)) / (tf + k1);
      }
      hit.score = score;
    }
    for (const id of ids) slot[id] = -1;
    return pool.sort((x, y) => y.score - x.score || x.sentence - y.sentence).slice(0, limit);
  }
}

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

/** 1 / B(s) for a sentence of `length` terms: BM25's length normalisation. */
function inverseNormOf(b: number, length: number, averageLength: number): number {
  return 1 / (1 - b + (b * length) / (averageLength || 1));
}

/** Fills an index (made by `new` or by Object.create) from built or saved data: the one place its fields are set. */
function assemble(index: SentenceIndex, data: IndexData): SentenceIndex {
  const { options, averageLength, termsById, termIds, postStart, postSentence, postWeight, sentStart, sentTerms, docFirst, docEnd } = data;
  const sentenceCount = sentStart.length - 1;
  const fields = { options, sentenceCount, averageLength, termIds, termsById, postStart, postSentence, postWeight, sentStart, sentTerms, docFirst, docEnd };
  return Object.assign(index, fields, workingState(options, sentenceCount));
}

/**
 * Sentences (or postings) handled between two pauses of the stepped build: a few milliseconds of work
 * at most (the slowest piece, term lookup, runs at about a microsecond per sentence).
 */
export const INDEX_STEP = 4_096;

/**
 * The index's data, pausing every INDEX_STEP sentences or postings. The constructor runs it straight
 * through (runToEnd), the bot's refresh with pauses: both get the same arrays.
 */
function* indexDataInSteps(sentences: readonly IndexableSentence[], options: Bm25Options): Steps<IndexData> {
  const n = sentences.length;
  const termIds = new Map<string, number>();
  const termsById: string[] = [];

  // Pass 1: term ids, sentence term lists, document boundaries.
  let totalTerms = 0;
  for (let s = 0; s < n; s++) {
    totalTerms += sentences[s]!.terms.length;
    if (s % INDEX_STEP === INDEX_STEP - 1) yield;
  }
  const sentStart = new Int32Array(n + 1);
  const sentTerms = new Int32Array(totalTerms);
  const docFirst = new Int32Array(n);
  const docEnd = new Int32Array(n);
  const df: number[] = [];
  let cursor = 0;
  let runStart = 0;
  for (let s = 0; s < n; s++) {
    const sentence = sentences[s]!;
    sentStart[s] = cursor;
    for (const term of sentence.terms) {
      let id = termIds.get(term);
      if (id === undefined) {
        id = df.length;
        termIds.set(term, id);
        termsById.push(term);
        df.push(0);
      }
      sentTerms[cursor++] = id;
    }
    if (s > 0 && sentence.document !== sentences[s - 1]!.document) {
      docFirst.fill(runStart, runStart, s);
      docEnd.fill(s, runStart, s);
      runStart = s;
    }
    if (s % INDEX_STEP === INDEX_STEP - 1) yield;
  }
  sentStart[n] = cursor;
  docFirst.fill(runStart, runStart, n);
  docEnd.fill(n, runStart, n);
  const averageLength = n > 0 ? totalTerms / n : 0;

  // Pass 2: postings, counted first and then filled in place (no per-term or per-sentence arrays,
  // which would cost gigabytes at a million sentences). `lastSentence` marks a term's first
  // occurrence in a sentence, `lastPosting` where its posting for that sentence went.
  const termCount = df.length;
  const lastSentence = new Int32Array(termCount).fill(-1);
  for (let s = 0; s < n; s++) {
    for (let i = sentStart[s]!; i < sentStart[s + 1]!; i++) {
      const id = sentTerms[i]!;
      if (lastSentence[id] !== s) (lastSentence[id] = s), df[id]!++;
    }
    if (s % INDEX_STEP === INDEX_STEP - 1) yield;
  }
  const postStart = new Int32Array(termCount + 1);
  for (let t = 0; t < termCount; t++) {
    postStart[t + 1] = postStart[t]! + df[t]!;
    if (t % INDEX_STEP === INDEX_STEP - 1) yield;
  }
  const fill = postStart.slice(0, termCount);
  const lastPosting = new Int32Array(termCount);
  lastSentence.fill(-1);
  const postSentence = new Int32Array(postStart[termCount]!);
  const postWeight = new Float32Array(postStart[termCount]!);
  for (let s = 0; s < n; s++) {
    for (let i = sentStart[s]!; i < sentStart[s + 1]!; i++) {
      const id = sentTerms[i]!;
      if (lastSentence[id] === s) {
        postWeight[lastPosting[id]!]!++;
      } else {
        const at = fill[id]!++;
        lastSentence[id] = s;
        lastPosting[id] = at;
        postSentence[at] = s;
        postWeight[at] = 1;
      }
    }
    if (s % INDEX_STEP === INDEX_STEP - 1) yield;
  }

  // Each posting's count divided by its sentence's length normalisation B(s), once, here.
  const inverseNorm = new Float32Array(n);
  for (let s = 0; s < n; s++) inverseNorm[s] = inverseNormOf(options.b, sentStart[s + 1]! - sentStart[s]!, averageLength);
  yield;
  for (let p = 0; p < postWeight.length; p++) {
    postWeight[p] = postWeight[p]! * inverseNorm[postSentence[p]!]!;
    if (p % (INDEX_STEP * 16) === INDEX_STEP * 16 - 1) yield;
  }
  return { options, averageLength, termsById, termIds, postStart, postSentence, postWeight, sentStart, sentTerms, docFirst, docEnd };
}

/** The neighbour weights and the scratch arrays a search reuses (one set: searches are synchronous). */
function workingState(options: Bm25Options, n: number) {
  const { neighbourWeight, neighbourDecay, neighbourSpan } = options;
  const neighbourWeights = new Float64Array(neighbourWeight > 0 ? neighbourSpan + 1 : 1);
  for (let d = 1; d < neighbourWeights.length; d++) neighbourWeights[d] = neighbourWeight * neighbourDecay ** (d - 1);
  return {
    neighbourWeights,
    followingWeights: neighbourWeights.map((w) => w * options.followingFactor),
    termTf: new Float32Array(n),
    scores: new Float32Array(n),
    seenInQuery: new Uint8Array(n),
    queryTouched: new Int32Array(n),
  };
}

/** The k highest-scoring candidates, best first (a bounded min-heap: no sort of every candidate). */
function topK(candidates: Int32Array, count: number, scores: Float32Array, k: number): Hit[] {
  if (k <= 0 || count === 0) return [];
  const heap: number[] = [];
  // "Worse" = lower score, or equal score and later sentence (so earlier sentences win ties).
  const worse = (a: number, b: number) => scores[a]! < scores[b]! || (scores[a] === scores[b] && a > b);
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
