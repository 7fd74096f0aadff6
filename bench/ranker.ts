/**
 * A learned ranker over BM25's best candidates: features of each candidate (cheap: what the index and
 * the sentence vectors already hold), scored by gradient-boosted regression trees trained with
 * LambdaMART (bench/train-ranker.ts). Pure: the features are read through accessors, the model is data.
 *
 * The same `candidateFeatures` serves training and answering, so the two cannot drift apart.
 */
import type { Hit, SentenceIndex } from "../src/search/bm25.js";
import { cosine, type MeaningOfQuestion } from "../src/search/fusion.js";
import { answerTypeOf, holdsAnswerType } from "../src/core/answer-type.js";

/** What the features read of the corpus: the index's public methods and a sentence's document, place and text. */
export interface CandidateCorpus {
  readonly index: SentenceIndex;
  documentOf(sentence: number): number;
  /** 0-based position of the sentence in its document. */
  positionOf(sentence: number): number;
  textOf(sentence: number): string;
}

/** The question as the ranking sees it: its text, its (resolved) terms, and its meaning when the semantic stage has it. */
export interface RankingQuestion {
  question: string;
  terms: readonly string[];
  meaning?: MeaningOfQuestion;
}

/**
 * The features, in the order `candidateFeatures` writes them. A model names the ones it uses, so this
 * list can grow without breaking saved models. The last five need sentence vectors (semantic stage).
 */
export const RANKER_FEATURES = [
  "bm25", // the engine's score (BM25F with the neighbour field, answer-type boost applied)
  "bm25Ratio", // that score divided by the best candidate's
  "rank", // 0-based place in the BM25 order
  "ownBm25", // BM25 of the sentence's own words (no neighbour field)
  "ownRatio", // ownBm25 divided by the best ownBm25 among the candidates
  "previousBm25", // ownBm25 of the sentence before, in the same document (0 without one)
  "nextBm25", // ownBm25 of the sentence after
  "coverage", // share of the question's idf (terms the corpus has) found in the sentence
  "windowCoverage", // the same over the sentence and its two neighbours
  "termShare", // share of the question's known terms found in the sentence, unweighted
  "typeWanted", // 0 none, 1 a date or time, 2 a quantity (src/core/answer-type.ts)
  "typePresent", // the sentence holds a value of the wanted type the question does not name
  "typeMissing", // wanted but not present
  "length", // terms in the sentence
  "position", // place of the sentence in its document
  "newNumbers", // numbers in the sentence that the question does not contain
  "newNames", // capitalised words (not the first) that the question does not contain
  "span", // fewest consecutive terms holding every matched question term, per matched term (1: adjacent)
  "whWord", // 0 none, 1 what, 2 which, 3 who/whom/whose, 4 when, 5 where, 6 why, 7 how
  "questionTerms", // distinct terms of the question
  "cosine", // cosine of question and sentence
  "cosineGap", // cosine minus the best cosine among the candidates
  "cosineRank", // 0-based place by cosine among the candidates
  "windowCosine", // the best cosine of the two neighbours (the sentence's own without any)
  "fusion", // the hand fusion: bm25Ratio + 1.0 × cosine (src/search/fusion.ts)
] as const;

export type RankerFeature = (typeof RANKER_FEATURES)[number];
/** The features that need sentence vectors. */
export const SEMANTIC_FEATURES: ReadonlySet<RankerFeature> = new Set(["cosine", "cosineGap", "cosineRank", "windowCosine", "fusion"]);
const FEATURE_COUNT = RANKER_FEATURES.length;
const at = Object.fromEntries(RANKER_FEATURES.map((name, i) => [name, i])) as Record<RankerFeature, number>;

const WH_WORDS: ReadonlyMap<string, number> = new Map([
  ["what", 1], ["which", 2], ["who", 3], ["whom", 3], ["whose", 3], ["when", 4], ["where", 5], ["why", 6], ["how", 7],
]);

/** What one sentence holds of the question: its own BM25 and which of the question's terms it has. */
interface SentenceMatch {
  own: number;
  matched: Uint8Array;
  length: number;
  /** See the "span" feature. */
  span: number;
}

/**
 * One row of RANKER_FEATURES per candidate, in the candidates' order. With `meaning`, a candidate without
 * a vector yet makes the whole list undefined (the semantic model cannot rank it; the caller falls back).
 * Without it, the semantic features are 0 (a BM25-only model never reads them).
 */
export function candidateFeatures(corpus: CandidateCorpus, question: RankingQuestion, candidates: readonly Hit[]): Float64Array[] | undefined {
  const { index } = corpus;
  const { k1, b } = index.options;
  const ids: string[] = [];
  const idfs: number[] = [];
  for (const term of new Set(question.terms)) {
    if (index.hasTerm(term)) ids.push(term), idfs.push(index.idf(term));
  }
  const knownWeight = idfs.reduce((a, v) => a + v, 0) || 1;
  const slot = new Map(ids.map((id, j) => [id, j]));
  const type = answerTypeOf(question.question);
  const questionTerms = new Set(question.terms);
  const questionWords = new Set(question.question.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []);
  const wh = whWordOf(question.question);

  const matches = new Map<number, SentenceMatch>();
  const matchOf = (s: number): SentenceMatch => {
    let m = matches.get(s);
    if (!m) {
      const words = index.sentenceTerms(s);
      const counts = new Float64Array(ids.length);
      const positions: number[] = [];
      for (let p = 0; p < words.length; p++) {
        const j = slot.get(words[p]!);
        if (j !== undefined) counts[j]!++, positions.push(p);
      }
      const inverseNorm = 1 / (1 - b + (b * words.length) / (index.averageLength || 1));
      let own = 0;
      const matched = new Uint8Array(ids.length);
      for (let j = 0; j < ids.length; j++) {
        if (counts[j] === 0) continue;
        matched[j] = 1;
        const tf = counts[j]! * inverseNorm;
        own += (idfs[j]! * tf * (k1 + 1)) / (tf + k1);
      }
      m = { own, matched, length: words.length, span: spanOf(words, positions, slot, matched) };
      matches.set(s, m);
    }
    return m;
  };
  const neighbour = (s: number, step: -1 | 1): number | undefined => {
    const n = s + step;
    return n >= 0 && n < index.sentenceCount && corpus.documentOf(n) === corpus.documentOf(s) ? n : undefined;
  };

  const best = candidates[0]?.score || 1;
  let bestOwn = 0;
  for (const hit of candidates) bestOwn = Math.max(bestOwn, matchOf(hit.sentence).own);
  const rows: Float64Array[] = [];
  for (const [rank, hit] of candidates.entries()) {
    const s = hit.sentence;
    const m = matchOf(s);
    const previous = neighbour(s, -1);
    const next = neighbour(s, 1);
    const pm = previous === undefined ? undefined : matchOf(previous);
    const nm = next === undefined ? undefined : matchOf(next);
    let covered = 0, coveredWindow = 0, count = 0;
    for (let j = 0; j < ids.length; j++) {
      if (m.matched[j]) covered += idfs[j]!, count++;
      if (m.matched[j] || pm?.matched[j] || nm?.matched[j]) coveredWindow += idfs[j]!;
    }
    const present = type !== undefined && holdsAnswerType(type, index.sentenceTerms(s), questionTerms);
    const text = corpus.textOf(s);
    const x = new Float64Array(FEATURE_COUNT);
    x[at.bm25] = hit.score;
    x[at.bm25Ratio] = hit.score / best;
    x[at.rank] = rank;
    x[at.ownBm25] = m.own;
    x[at.ownRatio] = bestOwn > 0 ? m.own / bestOwn : 0;
    x[at.previousBm25] = pm?.own ?? 0;
    x[at.nextBm25] = nm?.own ?? 0;
    x[at.coverage] = covered / knownWeight;
    x[at.windowCoverage] = coveredWindow / knownWeight;
    x[at.termShare] = ids.length ? count / ids.length : 0;
    x[at.typeWanted] = type === "time" ? 1 : type === "quantity" ? 2 : 0;
    x[at.typePresent] = present ? 1 : 0;
    x[at.typeMissing] = type !== undefined && !present ? 1 : 0;
    x[at.length] = m.length;
    x[at.position] = corpus.positionOf(s);
    x[at.newNumbers] = countNew(text, NUMBER, questionWords);
    x[at.newNames] = countNew(text, NAME_AFTER_WORD, questionWords);
    x[at.span] = m.span;
    x[at.whWord] = wh;
    x[at.questionTerms] = ids.length;
    rows.push(x);
  }
  const { meaning } = question;
  if (meaning) {
    const cosineOf = (s: number | undefined) => {
      const vector = s === undefined ? undefined : meaning.vectorOf(s);
      return vector ? cosine(meaning.query, vector) : undefined;
    };
    const cosines: number[] = [];
    for (const hit of candidates) {
      const c = cosineOf(hit.sentence);
      if (c === undefined) return undefined;
      cosines.push(c);
    }
    const bestCosine = Math.max(...cosines);
    const byCosine = cosines.map((_, i) => i).sort((p, q) => cosines[q]! - cosines[p]! || p - q);
    byCosine.forEach((i, place) => (rows[i]![at.cosineRank] = place));
    candidates.forEach((hit, i) => {
      const x = rows[i]!;
      const c = cosines[i]!;
      const around = [cosineOf(neighbour(hit.sentence, -1)), cosineOf(neighbour(hit.sentence, 1))].filter((v): v is number => v !== undefined);
      x[at.cosine] = c;
      x[at.cosineGap] = c - bestCosine;
      x[at.windowCosine] = around.length ? Math.max(...around) : c;
      x[at.fusion] = x[at.bm25Ratio]! + c;
    });
  }
  return rows;
}

/** The first question word's code (see the "whWord" feature). */
function whWordOf(question: string): number {
  for (const word of question.toLowerCase().split(/[^a-z]+/)) {
    const code = WH_WORDS.get(word);
    if (code !== undefined) return code;
  }
  return 0;
}

const NUMBER = /\d[\d,.]*/g;
/** A capitalised word after a word (so not the sentence's first), as in knowledge-base.ts's topic names. */
const NAME_AFTER_WORD = /(?<=[\p{L}\p{N},;:]\s)\p{Lu}[\p{L}-]+/gu;

/** How many matches of `pattern` in the text the question's words do not contain (case-insensitive). */
function countNew(text: string, pattern: RegExp, questionWords: ReadonlySet<string>): number {
  let count = 0;
  for (const match of text.matchAll(pattern)) {
    const word = match[0].toLowerCase().replace(/[,.]+$/, "");
    if (!questionWords.has(word)) count++;
  }
  return count;
}

/** The fewest consecutive terms that hold every matched question term, divided by how many those are. */
function spanOf(words: readonly string[], positions: readonly number[], slot: ReadonlyMap<string, number>, matched: Uint8Array): number {
  let distinct = 0;
  for (const v of matched) distinct += v;
  if (distinct <= 1) return 1;
  const inWindow = new Map<number, number>();
  let shortest = Infinity;
  let from = 0;
  for (let to = 0; to < positions.length; to++) {
    const j = slot.get(words[positions[to]!]!)!;
    inWindow.set(j, (inWindow.get(j) ?? 0) + 1);
    while (inWindow.size === distinct) {
      shortest = Math.min(shortest, positions[to]! - positions[from]! + 1);
      const k = slot.get(words[positions[from]!]!)!;
      const left = inWindow.get(k)! - 1;
      if (left === 0) inWindow.delete(k);
      else inWindow.set(k, left);
      from++;
    }
  }
  return shortest / distinct;
}

/**
 * One regression tree as flat arrays, node 0 the root: an inner node sends a row to `left` when its
 * feature's value is at most `threshold`, else to `right`; a leaf (`feature` −1) gives `value`.
 */
export interface RankerTree {
  feature: number[];
  threshold: number[];
  left: number[];
  right: number[];
  value: number[];
}

export interface RankerModel {
  /** What the model was trained for and how (shown in logs and the README). */
  description: string;
  /** The features the trees' `feature` numbers point into, by name (see RANKER_FEATURES). */
  features: string[];
  /** Whether it needs sentence vectors (the semantic stage). */
  semantic: boolean;
  trees: RankerTree[];
  /** A score the trees correct rather than replace: `scale` × the named feature (one of `features`). */
  base?: { feature: string; scale: number };
}

/** A tree ensemble's score for one row of a model's own features (the learning rate is already in the leaves). */
export function scoreTrees(trees: readonly RankerTree[], x: ArrayLike<number>): number {
  let score = 0;
  for (const tree of trees) {
    let node = 0;
    while (tree.feature[node]! >= 0) node = x[tree.feature[node]!]! <= tree.threshold[node]! ? tree.left[node]! : tree.right[node]!;
    score += tree.value[node]!;
  }
  return score;
}

/** Where each of the model's features sits in a RANKER_FEATURES row; throws on a name this code does not compute. */
const columnsCache = new WeakMap<RankerModel, number[]>();
function columnsOf(model: RankerModel): number[] {
  let columns = columnsCache.get(model);
  if (!columns) {
    columns = model.features.map((name) => {
      const i = (RANKER_FEATURES as readonly string[]).indexOf(name);
      if (i < 0) throw new Error(`Ranker model uses an unknown feature "${name}"`);
      return i;
    });
    columnsCache.set(model, columns);
  }
  return columns;
}

/** Model scores for rows of RANKER_FEATURES. */
export function scoreRows(model: RankerModel, rows: readonly Float64Array[]): number[] {
  const columns = columnsOf(model);
  const own = new Float64Array(columns.length);
  const base = model.base && model.features.indexOf(model.base.feature);
  if (base !== undefined && base < 0) throw new Error(`Ranker model's base feature "${model.base!.feature}" is not among its features`);
  return rows.map((row) => {
    for (let i = 0; i < columns.length; i++) own[i] = row[columns[i]!]!;
    return scoreTrees(model.trees, own) + (base === undefined ? 0 : model.base!.scale * own[base]!);
  });
}

/**
 * The candidates in the model's order (scores replaced by the model's), or undefined when the model
 * cannot rank them: a semantic model without the question's meaning or a candidate's vector.
 */
export function rankWithModel(model: RankerModel, corpus: CandidateCorpus, question: RankingQuestion, candidates: readonly Hit[]): Hit[] | undefined {
  if (candidates.length === 0 || (model.semantic && !question.meaning)) return undefined;
  const rows = candidateFeatures(corpus, model.semantic ? question : { question: question.question, terms: question.terms }, candidates);
  if (!rows) return undefined;
  const scores = scoreRows(model, rows);
  return candidates
    .map((hit, i) => ({ sentence: hit.sentence, score: scores[i]!, i }))
    .sort((p, q) => q.score - p.score || p.i - q.i)
    .map(({ sentence, score }) => ({ sentence, score }));
}
