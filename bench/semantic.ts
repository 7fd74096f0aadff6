/**
 * The semantic stage's costs, as the bot meets them (real encoder, real worker thread):
 * - start-up on the shipped corpus: corpus loaded, first answer (from BM25), sentence vectors ready;
 * - answer time (Library.ask: question vector + BM25 + fusion + composing) on the shipped corpus and on SQuAD;
 * - the same with SEMANTIC=off, with the JSON line the CLI prints (what `ask --json` costs per question).
 *   npx tsx bench/semantic.ts [--squad-questions 500]
 * Run it in a fresh process on a quiet machine: it reports wall-clock times.
 */
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { Library } from "../src/corpus/library.js";
import { SemanticStage } from "../src/semantic/stage.js";
import { startUseLiteEncoder } from "../src/semantic/use-lite.js";
import { toJsonLine } from "../src/cli/json-line.js";
import { knowledgeBaseOf } from "./lookout-engine.js";
import { loadSeedQuestions, loadSquad } from "./data.js";
import { readVectorCache, writeVectorCache } from "./vector-cache.js";

const { values } = parseArgs({ options: { "squad-questions": { type: "string", default: "500" } } });
const started = performance.now();
const since = () => Math.round(performance.now() - started);
const corpusDir = fileURLToPath(new URL("../corpus", import.meta.url));

function percentiles(ms: number[]): string {
  const sorted = [...ms].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  return `p50 ${at(0.5).toFixed(2)} ms, p99 ${at(0.99).toFixed(2)} ms (${sorted.length} questions)`;
}

async function timed(ask: (q: string) => Promise<unknown>, questions: readonly string[]): Promise<number[]> {
  for (const q of questions.slice(0, 20)) await ask(q); // warm-up
  const times: number[] = [];
  for (const q of questions) {
    const t = performance.now();
    await ask(q);
    times.push(performance.now() - t);
  }
  return times;
}

// 1. Start-up on the shipped corpus, as `npm start` does it.
let readyAt = 0;
const stage = new SemanticStage(startUseLiteEncoder(), { onEvent: (e) => e.kind === "ready" && (readyAt = since()) });
const library = await Library.open({ corpusDir, maxFileBytes: 5e6, maxQuestionChars: 500, semantic: stage });
const loadedAt = since();
await library.ask("How was the call intercepted?");
const firstAnswerAt = since();
await stage.whenReady(library.current);
console.log(`shipped corpus: loaded at ${loadedAt} ms, first answer (BM25) at ${firstAnswerAt} ms, sentence vectors ready at ${readyAt} ms (${library.current.sentenceCount} sentences)`);

const seeds = loadSeedQuestions().map((q) => q.q);
const rounds = [...seeds, ...seeds, ...seeds];
console.log(`shipped corpus, semantic on: ${percentiles(await timed((q) => library.ask(q), rounds))}`);
const bm25 = await Library.open({ corpusDir, maxFileBytes: 5e6, maxQuestionChars: 500 });
console.log(`shipped corpus, SEMANTIC=off, with the CLI's JSON line: ${percentiles(await timed(async (q) => toJsonLine(await bm25.ask(q), 3), rounds))}`);

// 2. SQuAD: 5,046 sentences (vectors from the bench cache when present, else computed now).
const squad = loadSquad();
const kb = knowledgeBaseOf(squad.sentences);
const squadStage = new SemanticStage(startUseLiteEncoder(), { batchSize: 16 });
squadStage.remember(readVectorCache());
squadStage.track(kb);
await squadStage.whenReady(kb);
writeVectorCache(squadStage.entries());
const questions = squad.questions.map((q) => q.question).filter((_, i) => i % Math.max(1, Math.floor(squad.questions.length / Number(values["squad-questions"]))) === 0);
console.log(`SQuAD, semantic on: ${percentiles(await timed(async (q) => kb.ask(q, await squadStage.meaningFor(kb, q)), questions))}`);
console.log(`SQuAD, SEMANTIC=off, with the CLI's JSON line: ${percentiles(await timed(async (q) => toJsonLine(kb.ask(q), 3), squad.questions.map((q) => q.question)))}`);
await stage.close();
await squadStage.close();
