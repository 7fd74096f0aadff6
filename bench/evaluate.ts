/**
 * Quick, in-process quality check of the engine while tuning (no child processes, no peers):
 * SQuAD Hit@1/Hit@3/MRR@10 of the ranked sentences (a declined question counts as a miss), Hit@1/Hit@3 of the
 * excerpts a user sees (a passage of neighbouring sentences is one excerpt), Hit@1/Hit@3 of the sentences for
 * the reworded SQuAD questions (bench/data/reworded-squad.jsonl), and on the shipped corpus the four seed sets
 * and the reworded news questions (bench/data/reworded-news-*.jsonl) with the three-way decision, for the
 * default settings or the ones given as JSON.
 *   npx tsx bench/evaluate.ts                      defaults, BM25 alone
 *   npx tsx bench/evaluate.ts --semantic           with the semantic stage (vectors cached in bench/results/)
 *   npx tsx bench/evaluate.ts '{"bm25":{"k1":0.6}}' '{"bm25":{"k1":0.3}}'   one line per setting
 * Any change to ranking or declining should be measured here (and then in `npm run bench`) before and after.
 */
import { createLookoutAdapter } from "./lookout-engine.js";
import type { EngineOptions } from "../src/core/knowledge-base.js";
import { Library } from "../src/corpus/library.js";
import { SemanticStage } from "../src/semantic/stage.js";
import { startUseLiteEncoder } from "../src/semantic/use-lite.js";
import { readVectorCache, writeVectorCache } from "./vector-cache.js";
import { CORPUS_DIR, loadRewordedNews, loadRewordedSquad, loadSquad, loadSeedQuestions, type SeedQuestion } from "./data.js";
import { containsAnswer, firstHitRank, hitAt, isSquadHit, mrrAt } from "./scoring.js";

const semantic = process.argv.includes("--semantic");
const squad = loadSquad();
const seeds = loadSeedQuestions();
const reworded = loadRewordedSquad().filter((q) => q.gold);
const rewordedNews = loadRewordedNews();
const settings = process.argv.slice(2).filter((a) => !a.startsWith("--")).map((a) => JSON.parse(a) as Partial<EngineOptions>);

for (const engine of settings.length ? settings : [{}]) {
  const adapter = createLookoutAdapter({ engine, semantic });
  adapter.build(squad.sentences);
  const ranks: Array<number | null> = [];
  const excerptRanks: Array<number | null> = [];
  for (const q of squad.questions) {
    ranks.push(firstHitRank(await adapter.search(q.question, 10), (id) => isSquadHit(squad.sentences[id]!, q)));
    excerptRanks.push(firstHitRank(await adapter.answer(q.question), (e) => e.doc === q.article && containsAnswer(e.text, q.answers)));
  }

  // The same articles asked in people's own words (bench/data/reworded-squad.jsonl, answerable ones).
  const rewordedRanks: Array<number | null> = [];
  for (const q of reworded) {
    const asSquad = { article: q.article, answers: q.gold! };
    rewordedRanks.push(firstHitRank(await adapter.search(q.q, 10), (id) => isSquadHit(squad.sentences[id]!, asSquad)));
  }

  const stage = semantic ? new SemanticStage(startUseLiteEncoder()) : undefined;
  stage?.remember(readVectorCache());
  const library = await Library.open({ corpusDir: CORPUS_DIR, maxFileBytes: 5e6, maxQuestionChars: 500, engine, ...(stage && { semantic: stage }) });
  await stage?.whenReady(library.current);
  if (stage) writeVectorCache(stage.entries());
  const seedSet = async (questions: readonly SeedQuestion[]) => {
    const ranks: Array<number | null> = [];
    const outcomes = new Map<string, number>();
    for (const q of questions) {
      const answer = await library.ask(q.q);
      const outcome = `${q.gold ? "answerable" : q.near ? "near" : "far"} ${answer.answered ? answer.confidence : "declined"}`;
      outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
      if (q.gold) ranks.push(firstHitRank(answer.answered ? answer.excerpts.map((e) => e.text) : null, (text) => containsAnswer(text, q.gold!)));
    }
    return `Hit@1 ${hitAt(ranks, 1).toFixed(3)} Hit@3 ${hitAt(ranks, 3).toFixed(3)} (${ranks.length}) | ` + [...outcomes].sort().map(([k, v]) => `${k} ${v}`).join(", ");
  };
  const seedLine = await seedSet(seeds);
  const newsLine = await seedSet(rewordedNews);
  await stage?.close();
  console.log(
    `${JSON.stringify(engine)}${semantic ? " semantic" : ""}  SQuAD Hit@1 ${hitAt(ranks, 1).toFixed(3)} Hit@3 ${hitAt(ranks, 3).toFixed(3)} MRR@10 ${mrrAt(ranks).toFixed(3)}` +
      ` (excerpts ${hitAt(excerptRanks, 1).toFixed(3)}/${hitAt(excerptRanks, 3).toFixed(3)})` +
      ` | reworded Hit@1 ${hitAt(rewordedRanks, 1).toFixed(3)} Hit@3 ${hitAt(rewordedRanks, 3).toFixed(3)} (${rewordedRanks.length})` +
      ` | seed ${seedLine}\n    reworded news ${newsLine}`,
  );
}
