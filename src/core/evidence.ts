/**
 * Whether the corpus answers a question, decided from several signals combined by one calibrated
 * logistic model (bench/calibrate.ts fits it; src/core/decline-model.ts holds the result):
 *
 * - relevance: the best sentence's BM25 score as a share of the question's weight (the sum of its
 *   terms' idf, a term the corpus lacks counted at the highest idf);
 * - relevanceKnown: the same share counting only the terms the corpus has;
 * - missingShare: how much of the question the corpus lacks, where a missing word weighs by how rare it
 *   is in English at large: "far" and "fly" are everyday words that say little, "photosynthesis" says the
 *   question is about something else;
 * - coverage: the share of the question's known weight found around the best sentence (itself and its
 *   neighbours), so that one lucky rare word does not make an answer;
 * - salientCoverage: the same share where each word also weighs by how rare it is in English, and a missing
 *   word counts too: the words that say what a question is about ("Moscow", "Luther", "network") must be
 *   found, while everyday ones ("get", "talk", "take place") are often worded otherwise in the answer;
 * - typeMissing: a "when" or "how many" question whose best three sentences hold no date or number.
 *
 * Each signal alone, used as a gate, refuses answerable questions; combined, they separate far-away
 * questions cleanly and leave the hard near-domain ones to the middle band ("not sure, the closest passages").
 */
import type { SentenceIndex } from "../search/bm25.js";
import { englishFrequency } from "../text/english.js";
import { answerTypeOf, holdsAnswerType } from "./answer-type.js";
import { REQUEST_WORDS } from "./question-terms.js";

export const EVIDENCE_FEATURES = ["relevance", "relevanceKnown", "missingShare", "coverage", "salientCoverage", "typeMissing"] as const;
export type Evidence = Record<(typeof EVIDENCE_FEATURES)[number], number>;

/** A fitted logistic model over Evidence, with the two probabilities that bound the middle band. */
export interface DeclineModel {
  /** Feature order of `mean`, `scale` and `weights`. */
  features: readonly string[];
  mean: readonly number[];
  scale: readonly number[];
  weights: readonly number[];
  bias: number;
  /** Below this probability the question is declined ("not in the documents"). */
  declineBelow: number;
  /** From this probability on the answer is confident; between the two it is shown as "not sure". */
  confidentFrom: number;
}

export type Outcome = "high" | "low" | "declined";

/** What the ranking hands to the decision: the question's terms and its best sentences, best first. */
export interface RankedQuestion {
  question: string;
  terms: readonly string[];
  /** Sentence numbers, best first (by BM25). */
  sentences: readonly number[];
  /** The best sentence's BM25 score. */
  bestScore: number;
}

/** How many of the best sentences are searched for the wanted answer type. */
const TYPE_DEPTH = 3;

export function evidenceOf(index: SentenceIndex, ranked: RankedQuestion, documentOf: (sentence: number) => number, textOf: (sentence: number) => string): Evidence {
  const unique = [...new Set(ranked.terms)];
  const unknownIdf = index.idf("");
  let knownWeight = 0;
  let missingWeight = 0;
  let missingRareWeight = 0;
  const known: string[] = [];
  for (const term of unique) {
    if (!index.hasTerm(term)) {
      if (REQUEST_WORDS.has(term)) continue;
      missingWeight += unknownIdf;
      missingRareWeight += rarityInEnglish(term) * unknownIdf;
    } else {
      known.push(term);
      knownWeight += index.idf(term);
    }
  }
  const best = ranked.sentences[0];
  const window = new Set<string>();
  if (best !== undefined) {
    for (const s of [best - 1, best, best + 1]) {
      if (s >= 0 && s < index.sentenceCount && documentOf(s) === documentOf(best)) for (const t of index.sentenceTerms(s)) window.add(t);
    }
  }
  let covered = 0;
  let salientKnown = 0;
  let salientCovered = 0;
  for (const term of known) {
    const salience = index.idf(term) * rarityInEnglish(term);
    salientKnown += salience;
    if (window.has(term)) (covered += index.idf(term)), (salientCovered += salience);
  }
  const type = answerTypeOf(ranked.question);
  const questionTerms = new Set(ranked.terms);
  const typeFound = ranked.sentences.slice(0, TYPE_DEPTH).some((s) => holdsAnswerType(type, index.sentenceTerms(s), questionTerms, textOf(s)));
  return {
    relevance: knownWeight + missingWeight > 0 ? ranked.bestScore / (knownWeight + missingWeight) : 0,
    relevanceKnown: knownWeight > 0 ? ranked.bestScore / knownWeight : 0,
    missingShare: knownWeight + missingRareWeight > 0 ? missingRareWeight / (knownWeight + missingRareWeight) : 0,
    coverage: knownWeight > 0 ? covered / knownWeight : 0,
    salientCoverage: salientKnown + missingRareWeight > 0 ? salientCovered / (salientKnown + missingRareWeight) : 0,
    typeMissing: type && !typeFound ? 1 : 0,
  };
}

/**
 * 0 for everyday English words (a thousand or more per million words: "far" is 221, "fly" 150), 1 for
 * words English hardly has (names, jargon: "photosynthesis" is 0.2), on a log scale between.
 */
export function rarityInEnglish(term: string): number {
  const decades = Math.log10(1e6 / (englishFrequency(term) + 0.1));
  return Math.min(1, Math.max(0, (decades - RARITY_FROM) / RARITY_SPAN));
}

const RARITY_FROM = 3;
const RARITY_SPAN = 3;

/** The model's probability that the corpus answers the question. */
export function probabilityOf(evidence: Evidence, model: DeclineModel): number {
  let z = model.bias;
  model.features.forEach((name, k) => {
    z += (model.weights[k]! * ((evidence[name as keyof Evidence] ?? 0) - model.mean[k]!)) / model.scale[k]!;
  });
  return 1 / (1 + Math.exp(-z));
}

/**
 * The outcome for a probability. A question that wants a date or a number none of its best sentences holds is
 * never answered confidently: "When did Olaf Scholz become chancellor?" matches every name in the corpus, and
 * the excerpts still cannot say when.
 */
export function outcomeOf(probability: number, model: DeclineModel, evidence?: Pick<Evidence, "typeMissing">): Outcome {
  if (probability < model.declineBelow) return "declined";
  return probability >= model.confidentFrom && !evidence?.typeMissing ? "high" : "low";
}
