/**
 * Calibrates the engine's decline threshold (EngineOptions.minRelevance) on data no one tuned for:
 * the SQuAD articles are split in two halves; each half is indexed in turn, its own questions are the
 * answerable ones and the other half's questions are off-corpus. Prints, per threshold, the share of
 * answerable questions declined and of off-corpus questions answered, plus the seed sets' relevances.
 *   npx tsx bench/calibrate.ts
 */
import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { createLookoutAdapter } from "../src/bench-api.js";
import { splitSentences } from "../src/text/analyser.js";
import { Library } from "../src/corpus/library.js";
import { SentenceKnowledgeBase } from "../src/core/knowledge-base.js";

interface Squad { data: Array<{ paragraphs: Array<{ context: string; qas: Array<{ question: string }> }> }> }
const squad = JSON.parse(gunzipSync(readFileSync(new URL("./data/squad-open.json.gz", import.meta.url))).toString()) as Squad;

const answerable: number[] = [];
const offCorpus: number[] = [];
for (const half of [0, 1]) {
  const mine = squad.data.filter((_, i) => i % 2 === half);
  const others = squad.data.filter((_, i) => i % 2 !== half);
  const sentences = mine.flatMap((article, doc) => {
    let position = 0;
    return article.paragraphs.flatMap((p) => splitSentences(p.context).map((s) => ({ text: s.text, doc, position: position++ })));
  });
  const adapter = createLookoutAdapter({ minRelevance: 0 });
  adapter.build(sentences);
  const relevance = (q: string) => adapter.relevance(q);
  for (const a of mine) for (const p of a.paragraphs) for (const qa of p.qas) answerable.push(relevance(qa.question));
  for (const a of others) for (const p of a.paragraphs) for (const qa of p.qas) offCorpus.push(relevance(qa.question));
}

const library = await Library.open({ corpusDir: new URL("../corpus", import.meta.url).pathname, maxFileBytes: 5e6, maxQuestionChars: 500 });
const seed = (file: string) =>
  readFileSync(new URL(`./data/${file}`, import.meta.url), "utf8").trim().split("\n").map((l) => (JSON.parse(l) as { q: string }).q);
const kb = library.current as SentenceKnowledgeBase;
const seedRelevance = (q: string) => kb.retrieve(q, 1).relevance;
console.log("seed answerable:", seed("seed-qa-open.jsonl").map(seedRelevance).map((r) => r.toFixed(2)).join(" "));
console.log("seed no-answer: ", seed("seed-noanswer-open.jsonl").map(seedRelevance).map((r) => r.toFixed(2)).join(" "));
console.log("threshold | answerable declined | off-corpus answered");
for (let t = 0.2; t <= 0.8001; t += 0.05) {
  const declined = answerable.filter((r) => r < t).length / answerable.length;
  const answered = offCorpus.filter((r) => r >= t).length / offCorpus.length;
  console.log(`${t.toFixed(2)} | ${declined.toFixed(3)} | ${answered.toFixed(3)}`);
}
