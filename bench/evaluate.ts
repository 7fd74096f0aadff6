/**
 * Quick, in-process quality check of the engine while tuning (no child processes, no peers):
 * SQuAD Hit@1/Hit@3/MRR@10 and the seed sets, for the default settings or the ones given as JSON.
 *   npx tsx bench/evaluate.ts                      defaults
 *   npx tsx bench/evaluate.ts '{"bm25":{"k1":0.6}}' '{"bm25":{"k1":0.3}}'   one line per setting
 * Any change to ranking should be measured here (and then in `npm run bench`) before and after.
 */
import { createLookoutAdapter } from "./lookout-engine.js";
import type { EngineOptions } from "../src/core/knowledge-base.js";
import { loadSeed, loadSquad } from "./data.js";
import { containsAnswer, firstHitRank, hitAt, isSquadHit, mrrAt } from "./scoring.js";

const squad = loadSquad();
const seed = loadSeed();
const settings: Array<Partial<EngineOptions>> = process.argv.length > 2 ? process.argv.slice(2).map((a) => JSON.parse(a) as Partial<EngineOptions>) : [{}];

for (const options of settings) {
  const adapter = createLookoutAdapter(options);
  adapter.build(squad.sentences);
  const ranks = squad.questions.map((q) =>
    firstHitRank(adapter.search(q.question, 10), (id) => isSquadHit(squad.sentences[id]!, q)),
  );
  const seedIndex = await adapter.seed(seed.corpusDir);
  const seedRanks = seed.answerable.map((q) => firstHitRank(seedIndex.search(q.q, 10), (text) => containsAnswer(text, q.gold ?? [])));
  const seedDeclined = seed.answerable.filter((q) => seedIndex.search(q.q, 10) === null).length;
  const noAnswerDeclined = seed.noAnswer.filter((q) => seedIndex.search(q.q, 10) === null).length;
  console.log(
    `${JSON.stringify(options)}  SQuAD Hit@1 ${hitAt(ranks, 1).toFixed(3)} Hit@3 ${hitAt(ranks, 3).toFixed(3)} MRR@10 ${mrrAt(ranks).toFixed(3)}` +
      ` | seed Hit@1 ${hitAt(seedRanks, 1).toFixed(3)} Hit@3 ${hitAt(seedRanks, 3).toFixed(3)} declined ${seedDeclined}/${seed.answerable.length}, no-answer declined ${noAnswerDeclined}/${seed.noAnswer.length}`,
  );
}
