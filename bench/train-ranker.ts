/**
 * Trains and measures the learned ranker (bench/ranker.ts): LambdaMART trees over features of
 * BM25's best RERANK_DEPTH candidates, on the SQuAD open half, measured by 5-fold cross-validation by
 * article (a question is always ranked by trees that never saw its article). Two variants: with the
 * cosine features (semantic stage on) and without them (SEMANTIC=off). Prints out-of-fold Hit@1, Hit@3
 * and MRR@10 for BM25, the hand fusion and the trees, then the seed sets on the shipped corpus with
 * trees trained on all of SQuAD (as the bot would use them).
 *   npx tsx bench/train-ranker.ts                 measure only
 *   npx tsx bench/train-ranker.ts --write         also save the models trained on all of SQuAD in src/search/
 *   npx tsx bench/train-ranker.ts --trees 200 --learning-rate 0.05 --leaves 8
 * Sentence and question vectors come from the bench's vector cache (bench/results/use-lite-vectors.bin),
 * the missing ones are computed with the real encoder first (about 25 ms each) and saved there.
 */
import { writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { fileURLToPath } from "node:url";
import { RERANK_DEPTH, type SentenceKnowledgeBase } from "../src/core/knowledge-base.js";
import { composeExcerpts } from "../src/core/compose.js";
import { Library } from "../src/corpus/library.js";
import type { Hit } from "../src/search/bm25.js";
import type { MeaningOfQuestion } from "../src/search/fusion.js";
import { RANKER_FEATURES, SEMANTIC_FEATURES, candidateFeatures, rankWithModel, scoreRows, type CandidateCorpus, type RankerFeature, type RankerModel } from "./ranker.js";
import { startUseLiteEncoder } from "../src/semantic/use-lite.js";
import { CORPUS_DIR, loadSeedQuestions, loadSquad } from "./data.js";
import { trainLambdaMart, type LambdaMartOptions, type RankingData } from "./lambdamart.js";
import { knowledgeBaseOf } from "./lookout-engine.js";
import { containsAnswer, firstHitRank, hitAt, isSquadHit, mrrAt } from "./scoring.js";
import { readVectorCache, writeVectorCache } from "./vector-cache.js";

const { values } = parseArgs({
  options: {
    write: { type: "boolean", default: false },
    trees: { type: "string", default: "500" },
    leaves: { type: "string", default: "8" },
    "learning-rate": { type: "string", default: "0.1" },
    "min-leaf-rows": { type: "string", default: "20" },
    folds: { type: "string", default: "5" },
    /** Trees correct `scale × fusion` (semantic) or `scale × bm25Ratio` (BM25-only) instead of starting from nothing; 0: off. */
    "base-scale": { type: "string", default: "0" },
    variants: { type: "string", default: "bm25,semantic" },
  },
});
const FOLDS = Number(values.folds);
const baseScale = Number(values["base-scale"]);
const variants = values.variants.split(",").map((v) => v === "semantic");
const training = { trees: Number(values.trees), leaves: Number(values.leaves), learningRate: Number(values["learning-rate"]), minLeafRows: Number(values["min-leaf-rows"]), lambda: 1 };
const started = performance.now();
const log = (line: string) => console.log(`[${((performance.now() - started) / 1000).toFixed(0)} s] ${line}`);

/** The knowledge base's sentences as the ranker's features read them. */
export function candidateCorpusOf(kb: SentenceKnowledgeBase): CandidateCorpus {
  return { index: kb.index, documentOf: (s) => kb.documentOf(s), positionOf: (s) => kb.positionOf(s), textOf: (s) => kb.sentenceText(s) };
}

// Vectors: cached by text, the missing ones computed now.
const squad = loadSquad();
const seeds = loadSeedQuestions();
const seedLibrary = await Library.open({ corpusDir: CORPUS_DIR, maxFileBytes: 5e6, maxQuestionChars: 500 });
const seedKb = seedLibrary.current;
const vectors = readVectorCache();
const wanted = [...squad.sentences.map((s) => s.text), ...squad.questions.map((q) => q.question), ...seedKb.sentenceTexts(), ...seeds.map((q) => q.q)];
const missing = [...new Set(wanted)].filter((t) => !vectors.has(t));
if (missing.length) {
  log(`embedding ${missing.length} texts missing from the vector cache`);
  const encoder = await startUseLiteEncoder();
  for (let i = 0; i < missing.length; i += 64) {
    const batch = missing.slice(i, i + 64);
    (await encoder.embed(batch)).forEach((v, j) => vectors.set(batch[j]!, v));
  }
  await encoder.close();
  writeVectorCache(vectors);
}
const meaningOf = (kb: SentenceKnowledgeBase, question: string): MeaningOfQuestion => ({ query: vectors.get(question)!, vectorOf: (s) => vectors.get(kb.sentenceText(s)) });

/** One question's candidates as the engine finds them, with the orders the baselines give them. */
interface Group {
  fold: number;
  declined: boolean;
  sentences: number[];
  rows: Float64Array[];
  label: boolean[];
  fusion: number[];
}

const kb = knowledgeBaseOf(squad.sentences);
const corpus = candidateCorpusOf(kb);
const groups: Group[] = squad.questions.map((q) => {
  const bm25 = kb.retrieve(q.question, RERANK_DEPTH);
  const meaning = meaningOf(kb, q.question);
  const fused = kb.retrieve(q.question, RERANK_DEPTH, meaning);
  const rows = candidateFeatures(corpus, { question: q.question, terms: bm25.terms, meaning }, bm25.hits) ?? [];
  return {
    fold: q.article % FOLDS,
    declined: bm25.declined !== undefined,
    sentences: bm25.hits.map((h) => h.sentence),
    rows,
    label: bm25.hits.map((h) => isSquadHit(squad.sentences[h.sentence]!, q)),
    fusion: fused.hits.map((h) => h.sentence),
  };
});
log(`features for ${groups.length} SQuAD questions (${groups.reduce((a, g) => a + g.rows.length, 0)} candidates, ${squad.articles.length} articles, ${FOLDS} folds by article)`);

function rankingData(of: readonly Group[]): RankingData {
  const groupStart = new Int32Array(of.length + 1);
  of.forEach((g, i) => (groupStart[i + 1] = groupStart[i]! + g.rows.length));
  const rows = groupStart[of.length]!;
  const x = new Float64Array(rows * RANKER_FEATURES.length);
  const label = new Uint8Array(rows);
  let r = 0;
  for (const g of of) {
    g.rows.forEach((row, i) => {
      x.set(row, (r + i) * RANKER_FEATURES.length);
      label[r + i] = g.label[i] ? 1 : 0;
    });
    r += g.rows.length;
  }
  return { features: RANKER_FEATURES.length, x, label, groupStart };
}

/** Trains on these groups; the model names only the features it may use, the trees' numbers point into that list. */
function train(of: readonly Group[], semantic: boolean): RankerModel {
  const names = RANKER_FEATURES.filter((f) => semantic || !SEMANTIC_FEATURES.has(f));
  const allowed = names.map((n) => RANKER_FEATURES.indexOf(n));
  const options: LambdaMartOptions = { ...training, allowed };
  const data = rankingData(of);
  const base = baseScale > 0 ? { feature: semantic ? "fusion" : "bm25Ratio", scale: baseScale } : undefined;
  const baseColumn = base && RANKER_FEATURES.indexOf(base.feature as RankerFeature);
  const initial = base && Float64Array.from({ length: data.label.length }, (_, r) => base.scale * data.x[r * data.features + baseColumn!]!);
  const trees = trainLambdaMart(data, options, initial).map((tree) => ({ ...tree, feature: tree.feature.map((f) => (f < 0 ? -1 : allowed.indexOf(f))) }));
  const description =
    `LambdaMART (${training.trees} trees, ${training.leaves} leaves, learning rate ${training.learningRate}, at least ${training.minLeafRows} rows a leaf) ` +
    `over BM25's top ${RERANK_DEPTH}, ${semantic ? "with" : "without"} cosine features${base ? `, correcting ${base.scale} × ${base.feature}` : ""}; ` +
    `trained on the SQuAD open half by bench/train-ranker.ts`;
  return { description, features: [...names], semantic, trees, ...(base && { base }) };
}

const rankOf = (order: readonly number[], g: Group) => (g.declined ? null : firstHitRank(order.slice(0, 10), (s) => g.label[g.sentences.indexOf(s)] === true));
const treeOrder = (model: RankerModel, g: Group) => {
  const scores = scoreRows(model, g.rows);
  return g.sentences.map((s, i) => ({ s, i, score: scores[i]! })).sort((a, b) => b.score - a.score || a.i - b.i).map((c) => c.s);
};
const figures = (ranks: readonly (number | null)[]) => `Hit@1 ${hitAt(ranks, 1).toFixed(3)}  Hit@3 ${hitAt(ranks, 3).toFixed(3)}  MRR@10 ${mrrAt(ranks).toFixed(3)}`;

console.log(`\nSQuAD open half, ${groups.length} questions, out of fold (${FOLDS} folds by article):`);
console.log(`  BM25 (SEMANTIC=off engine)      ${figures(groups.map((g) => rankOf(g.sentences, g)))}`);
console.log(`  hand fusion (semantic engine)   ${figures(groups.map((g) => rankOf(g.fusion, g)))}`);
const oof: Record<string, Array<number | null>> = {};
for (const semantic of variants) {
  const ranks = new Array<number | null>(groups.length).fill(null);
  for (let fold = 0; fold < FOLDS; fold++) {
    const model = train(groups.filter((g) => g.fold !== fold), semantic);
    groups.forEach((g, i) => {
      if (g.fold === fold) ranks[i] = rankOf(treeOrder(model, g), g);
    });
    log(`${semantic ? "semantic" : "BM25-only"} trees, fold ${fold + 1} of ${FOLDS} done`);
  }
  oof[semantic ? "semantic" : "bm25"] = ranks;
  // Paired against the engine the trees would replace: questions only one of the two gets right first.
  const baseline = groups.map((g) => rankOf(semantic ? g.fusion : g.sentences, g));
  const won = ranks.filter((r, i) => r === 1 && baseline[i] !== 1).length;
  const lost = ranks.filter((r, i) => r !== 1 && baseline[i] === 1).length;
  console.log(`  trees, ${semantic ? "with cosine features   " : "BM25 features only     "} ${figures(ranks)}  (first right where ${semantic ? "fusion" : "BM25"} was not: ${won}, the reverse: ${lost})`);
}
const perFold = (ranks: readonly (number | null)[]) => Array.from({ length: FOLDS }, (_, f) => hitAt(ranks.filter((_, i) => groups[i]!.fold === f), 1).toFixed(3)).join(" ");
if (oof.semantic) console.log(`  Hit@1 per fold: fusion ${perFold(groups.map((g) => rankOf(g.fusion, g)))} | semantic trees ${perFold(oof.semantic)}`);
if (oof.bm25) console.log(`  Hit@1 per fold: BM25 ${perFold(groups.map((g) => rankOf(g.sentences, g)))} | BM25-only trees ${perFold(oof.bm25)}`);

// Seed sets on the shipped corpus, with trees trained on all of SQuAD: answers composed as `ask` composes them.
const models: { bm25?: RankerModel; semantic?: RankerModel } = {};
for (const semantic of variants) models[semantic ? "semantic" : "bm25"] = train(groups, semantic);
log("models trained on all of SQuAD");
// What the trees would add to an answer: features and scores of the 30 candidates (not the BM25 search before them).
for (const [name, model] of Object.entries(models)) {
  const times: number[] = [];
  for (const q of squad.questions.slice(0, 1000)) {
    const plain = kb.retrieve(q.question, RERANK_DEPTH);
    const t = performance.now();
    rankWithModel(model, corpus, { question: q.question, terms: plain.terms, meaning: meaningOf(kb, q.question) }, plain.hits);
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  console.log(`  ${name} trees, features + scoring per SQuAD question: p50 ${times[500]!.toFixed(2)} ms, p99 ${times[990]!.toFixed(2)} ms`);
}
const seedCorpus = candidateCorpusOf(seedKb);
const maxExcerpts = seedKb.options.maxExcerpts;
const seedRanks: Record<string, Array<number | null>> = { bm25: [], fusion: [], bm25Trees: [], semanticTrees: [] };
for (const q of seeds.filter((s) => s.gold)) {
  const meaning = meaningOf(seedKb, q.q);
  const plain = seedKb.retrieve(q.q.trim(), maxExcerpts * 3);
  const fused = seedKb.retrieve(q.q.trim(), maxExcerpts * 3, meaning);
  const candidates = plain.hits.slice(0, RERANK_DEPTH);
  const rows = candidateFeatures(seedCorpus, { question: q.q.trim(), terms: plain.terms, meaning }, candidates) ?? [];
  const byTrees = (model: RankerModel): Hit[] => {
    const scores = scoreRows(model, rows);
    return candidates.map((h, i) => ({ sentence: h.sentence, score: scores[i]!, i })).sort((a, b) => b.score - a.score || a.i - b.i);
  };
  const rankIn = (hits: readonly Hit[]) =>
    plain.declined ? null : firstHitRank(composeExcerpts(seedKb, hits, plain.terms, maxExcerpts).map((e) => e.text), (text) => containsAnswer(text, q.gold!));
  seedRanks.bm25!.push(rankIn(plain.hits));
  seedRanks.fusion!.push(rankIn(fused.hits));
  if (models.bm25) seedRanks.bm25Trees!.push(rankIn(byTrees(models.bm25)));
  if (models.semantic) seedRanks.semanticTrees!.push(rankIn(byTrees(models.semantic)));
}
const n = seedRanks.bm25!.length;
console.log(`\nSeed sets on the shipped corpus (${n} answerable questions; trees trained on all of SQuAD):`);
console.log(`  BM25 (SEMANTIC=off engine)      ${figures(seedRanks.bm25!)}`);
console.log(`  hand fusion (semantic engine)   ${figures(seedRanks.fusion!)}`);
if (models.bm25) console.log(`  trees, BM25 features only       ${figures(seedRanks.bm25Trees!)}`);
if (models.semantic) console.log(`  trees, with cosine features     ${figures(seedRanks.semanticTrees!)}`);

if (values.write) {
  for (const [name, model] of [["ranker-bm25.json", models.bm25], ["ranker-semantic.json", models.semantic]] as const) {
    if (!model) continue;
    const file = fileURLToPath(new URL(`../src/search/${name}`, import.meta.url));
    writeFileSync(file, JSON.stringify(model) + "\n");
    log(`saved ${file}`);
  }
}
