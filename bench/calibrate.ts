/**
 * Fits and calibrates the engine's decline decision (src/core/evidence.ts) and writes the model to
 * src/core/decline-model.ts. Run it after any change to ranking or to the evidence signals:
 *   npx tsx bench/calibrate.ts            fit, print the table, write the model
 *   npx tsx bench/calibrate.ts --dry-run  fit and print only
 *
 * Pools, built from data no one tuned the engine on:
 * - SQuAD, split into its even and odd articles: each half is indexed in turn; its own questions are
 *   answerable, the other half's are off-corpus (the hardest case: same style, same encyclopaedia);
 * - every SQuAD question asked of the shipped news corpus (off-corpus, another domain).
 * The seed question sets on the shipped corpus are NOT used for fitting: they are the check on a corpus,
 * a domain and a wording the model never saw, and so are the reworded news questions on the shipped corpus.
 * Nor are the reworded SQuAD questions (bench/data/README.md): fitted on, they cost more on the other pools
 * than they gained (measured 2026-11-29: SQuAD on the news corpus declined 99.1 → 97.8 %, 2 of the 12 far
 * seed questions no longer declined), so they are a check too.
 *
 * The model: logistic regression on the standardised evidence, each pool weighing the same in total.
 * Thresholds: "declined" below the probability that declines 1 % of the answerable SQuAD questions,
 * "not sure" below the one that puts 7 % of them in the middle band (NOT_SURE_SHARE).
 * Honesty check: the same fit repeated with one SQuAD half's pools held out, evaluated on them.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { knowledgeBaseOf } from "./lookout-engine.js";
import { loadRewordedNews, loadRewordedSquad, loadSquad, DATA_DIR } from "./data.js";
import { Library } from "../src/corpus/library.js";
import type { SentenceKnowledgeBase } from "../src/core/knowledge-base.js";
import { DECLINE_MODEL } from "../src/core/decline-model.js";
import { EVIDENCE_FEATURES, outcomeOf, probabilityOf, type DeclineModel, type Evidence } from "../src/core/evidence.js";

interface Row {
  pool: string;
  /** The SQuAD half whose index answered it (-1 for the shipped corpus). */
  half: number;
  answerable: boolean;
  evidence: Evidence | undefined;
}

const rows: Row[] = [];
/** Pools shown in the tables, not fitted on (see the note at the top). */
const reported: Row[] = [];
const squad = loadSquad();
for (const half of [0, 1]) {
  const kb = knowledgeBaseOf(squad.sentences.filter((s) => s.doc % 2 === half));
  for (const q of squad.questions) {
    const own = q.article % 2 === half;
    rows.push({ pool: own ? "SQuAD, own articles" : "SQuAD, other articles", half, answerable: own, evidence: kb.retrieve(q.question, 30).evidence });
  }
  // The same articles asked as people word their questions (bench/data/reworded-squad.jsonl): answerable ones in
  // their own words, and near-domain ones on an article's subject that it does not answer. Shown, not fitted on.
  for (const q of loadRewordedSquad().filter((q) => q.article % 2 === half)) {
    reported.push({ pool: q.gold ? "SQuAD reworded, own articles" : "SQuAD reworded, near-domain", half, answerable: q.gold !== undefined, evidence: kb.retrieve(q.q, 30).evidence });
  }
}
const library = await Library.open({ corpusDir: fileURLToPath(new URL("../corpus", import.meta.url)), maxFileBytes: 5e6, maxQuestionChars: 500 });
const news = library.current as SentenceKnowledgeBase;
for (const q of squad.questions) rows.push({ pool: "SQuAD on the news corpus", half: -1, answerable: false, evidence: news.retrieve(q.question, 30).evidence });
const seed = (file: string) => readFileSync(`${DATA_DIR}/${file}`, "utf8").trim().split("\n").map((l) => JSON.parse(l) as { q: string; near?: boolean });
const seedRows: Row[] = [
  ...["seed-qa-open.jsonl", "seed-qa-more.jsonl"].flatMap((f) => seed(f).map((q) => ({ q, pool: "seed answerable", answerable: true }))),
  ...["seed-noanswer-open.jsonl", "seed-noanswer-more.jsonl"].flatMap((f) => seed(f).map((q) => ({ q, pool: q.near ? "seed near-domain" : "seed far", answerable: false }))),
  ...loadRewordedNews().map((q) => ({ q, pool: q.gold ? "news reworded, answerable" : q.near ? "news reworded, near-domain" : "news reworded, far", answerable: q.gold !== undefined })),
].map(({ q, pool, answerable }) => ({ pool, half: -1, answerable, evidence: news.retrieve(q.q, 30).evidence }));

/** Logistic regression by full-batch gradient descent on standardised features; each pool weighs the same. */
function fit(training: Row[]): Omit<DeclineModel, "declineBelow" | "confidentFrom"> {
  const usable = training.filter((r) => r.evidence);
  const x = usable.map((r) => EVIDENCE_FEATURES.map((f) => r.evidence![f]));
  const k = EVIDENCE_FEATURES.length;
  const mean = EVIDENCE_FEATURES.map((_, j) => x.reduce((a, v) => a + v[j]!, 0) / x.length);
  const scale = EVIDENCE_FEATURES.map((_, j) => Math.sqrt(x.reduce((a, v) => a + (v[j]! - mean[j]!) ** 2, 0) / x.length) || 1);
  const z = x.map((v) => v.map((value, j) => (value - mean[j]!) / scale[j]!));
  const poolSize = new Map<string, number>();
  for (const r of usable) poolSize.set(r.pool, (poolSize.get(r.pool) ?? 0) + 1);
  const rowWeight = usable.map((r) => 1 / poolSize.get(r.pool)!);
  const totalWeight = rowWeight.reduce((a, b) => a + b, 0);
  const weights = new Array<number>(k).fill(0);
  let bias = 0;
  for (let step = 0; step < 800; step++) {
    const gradient = new Array<number>(k).fill(0);
    let gradientBias = 0;
    z.forEach((v, i) => {
      const p = 1 / (1 + Math.exp(-(bias + v.reduce((a, value, j) => a + value * weights[j]!, 0))));
      const error = (p - (usable[i]!.answerable ? 1 : 0)) * rowWeight[i]!;
      v.forEach((value, j) => (gradient[j]! += error * value));
      gradientBias += error;
    });
    weights.forEach((w, j) => (weights[j] = w - (gradient[j]! / totalWeight + 1e-3 * w)));
    bias -= gradientBias / totalWeight;
  }
  return { features: [...EVIDENCE_FEATURES], mean, scale, weights, bias };
}

/** The share of answerable questions the decision may refuse: issue 9 allows 1 % of SQuAD's. */
const DECLINED_SHARE = 0.01;
/**
 * The share of answerable questions it may call "not sure": issue 9 allows 3 of the 42 seed questions (7 %).
 * It was 10 % until 2026-11-29; at 7 % the middle band keeps as many near-domain seed and reworded questions
 * (README, "Declining: three outcomes", for the price on every pool).
 */
const NOT_SURE_SHARE = 0.07;

function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

function calibrate(training: Row[]): DeclineModel {
  const model = fit(training);
  const answerable = training.filter((r) => r.answerable).map((r) => (r.evidence ? probabilityOf(r.evidence, { ...model, declineBelow: 0, confidentFrom: 0 }) : 0));
  const round = (v: number) => Number(v.toPrecision(6));
  return {
    features: model.features,
    mean: model.mean.map(round),
    scale: model.scale.map(round),
    weights: model.weights.map(round),
    bias: round(model.bias),
    declineBelow: round(quantile(answerable, DECLINED_SHARE)),
    confidentFrom: round(quantile(answerable, NOT_SURE_SHARE)),
  };
}

function table(model: DeclineModel, evaluated: Row[]): string {
  const lines = ["| pool | questions | declined | not sure | confident |", "|---|---:|---:|---:|---:|"];
  for (const pool of [...new Set(evaluated.map((r) => r.pool))]) {
    const outcomes = evaluated.filter((r) => r.pool === pool).map((r) => (r.evidence ? outcomeOf(probabilityOf(r.evidence, model), model, r.evidence) : "declined"));
    const share = (o: string) => {
      const n = outcomes.filter((x) => x === o).length;
      return `${((100 * n) / outcomes.length).toFixed(1)} % (${n})`;
    };
    lines.push(`| ${pool} | ${outcomes.length} | ${share("declined")} | ${share("low")} | ${share("high")} |`);
  }
  return lines.join("\n");
}

const model = calibrate(rows);
console.log("Fitted on the SQuAD pools; the reworded, seed and news pools never seen in fitting:\n" + table(model, [...rows, ...reported, ...seedRows]));
for (const held of [0, 1]) {
  const heldOut = calibrate(rows.filter((r) => r.half !== held && r.half !== -1).concat(rows.filter((r) => r.half === -1)));
  console.log(`\nFitted without the index of SQuAD half ${held}, evaluated on it:\n` + table(heldOut, rows.filter((r) => r.half === held)));
}
console.log(`\nModel: ${JSON.stringify(model)}`);
console.log("\nThe model in use, on the same pools:\n" + table(DECLINE_MODEL, [...rows, ...reported, ...seedRows]));
console.log(`Previous model: declineBelow ${DECLINE_MODEL.declineBelow}, confidentFrom ${DECLINE_MODEL.confidentFrom}`);

if (!process.argv.includes("--dry-run")) {
  const file = fileURLToPath(new URL("../src/core/decline-model.ts", import.meta.url));
  writeFileSync(
    file,
    `/**\n * The decline decision's model, written by \`npx tsx bench/calibrate.ts\` (${new Date().toISOString().slice(0, 10)}): a logistic\n` +
      ` * regression over the evidence of src/core/evidence.ts, fitted on SQuAD and the shipped corpus (see that script).\n` +
      ` * Do not edit by hand: change the evidence or the pools, and run the script again.\n */\n` +
      `import type { DeclineModel } from "./evidence.js";\n\n` +
      `export const DECLINE_MODEL: DeclineModel = ${JSON.stringify(model, null, 2)};\n`,
  );
  console.log(`written to ${file}`);
}
