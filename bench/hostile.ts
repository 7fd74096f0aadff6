/**
 * npx tsx bench/hostile.ts [--size BYTES] [--only NAME,…]
 *
 * Loads corpus files built to be slow for the loader (bench/hostile-texts.ts), 5 MB each by default,
 * as .txt and as .md, and prints for each:
 * - load: loadCorpus + the knowledge-base build of a folder holding only that file (ms);
 * - refresh: a Library serving the shipped corpus refreshes with the file added, while a question is
 *   asked every 20 ms; "answer max/p99" is how late answers came (from when the question was due to
 *   its answer: event-loop delay plus answering), "longest step" the longest the loop was held.
 * Targets (issue 13): load < 2,000 ms; answers during a refresh within 100 ms.
 */
import { cp, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { buildKnowledgeBaseInSteps } from "../src/core/knowledge-base.js";
import { Library } from "../src/corpus/library.js";
import { loadCorpus } from "../src/corpus/load.js";
import { HOSTILE_TEXTS } from "./hostile-texts.js";

const { values } = parseArgs({ options: { size: { type: "string", default: String(5 * 1024 * 1024) }, only: { type: "string" } } });
const size = Number(values.size);
const names = values.only ? values.only.split(",") : Object.keys(HOSTILE_TEXTS);
const SHIPPED = new URL("../corpus", import.meta.url).pathname;
const QUESTIONS = ["How was the call intercepted?", "What range does Taurus have?", "Who is the defence minister?"];
const ASK_EVERY_MS = 20;

async function timeLoad(dir: string): Promise<{ ms: number; sentences: number }> {
  const started = performance.now();
  const { documents } = await loadCorpus(dir, size * 2);
  const kb = await buildKnowledgeBaseInSteps(documents);
  void kb.topics;
  return { ms: performance.now() - started, sentences: kb.sentenceCount };
}

/** Refreshes a library (shipped corpus + the file) while asking a question every ASK_EVERY_MS. */
async function timeRefresh(dir: string, file: string, text: string) {
  await rm(path.join(dir, file), { force: true });
  const library = await Library.open({ corpusDir: dir, maxFileBytes: size * 2, maxQuestionChars: 500 });
  await writeFile(path.join(dir, file), text);
  const lateness: number[] = [];
  let done = false;
  const asking = (async () => {
    let due = performance.now() + ASK_EVERY_MS;
    for (let i = 0; !done; i++) {
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, due - performance.now())));
      const answer = library.current.ask(QUESTIONS[i % QUESTIONS.length]!);
      if (!answer.answered) throw new Error("a shipped-corpus question was not answered during the refresh");
      lateness.push(performance.now() - due);
      due = Math.max(due + ASK_EVERY_MS, performance.now());
    }
  })();
  const delay = monitorEventLoopDelay({ resolution: 1 });
  delay.enable();
  const report = await library.refresh();
  // A refresh can end with a block (swapping in, counting the report) that the histogram's timer has not
  // seen yet when the promise resolves: give it a turn first (it used to miss the longest hold).
  await new Promise((resolve) => setTimeout(resolve, 5));
  delay.disable();
  done = true;
  await asking;
  lateness.sort((a, b) => a - b);
  return {
    ms: report.milliseconds,
    asked: lateness.length,
    max: lateness[lateness.length - 1] ?? 0,
    p99: lateness[Math.floor(lateness.length * 0.99)] ?? 0,
    longestStep: delay.max / 1e6,
  };
}

const root = await mkdtemp(path.join(tmpdir(), "lookout-hostile-"));
try {
  console.log(`| file (${(size / 1024 / 1024).toFixed(1)} MB) | load ms | sentences | refresh ms | questions asked | answer max ms | answer p99 ms | longest step ms |`);
  console.log("|---|---|---|---|---|---|---|---|");
  for (const name of names) {
    const make = HOSTILE_TEXTS[name];
    if (!make) throw new Error(`no hostile text '${name}' (known: ${Object.keys(HOSTILE_TEXTS).join(", ")})`);
    const text = make(size);
    for (const ext of ["txt", "md"]) {
      const file = `${name}.${ext}`;
      const alone = path.join(root, `alone-${file}`);
      await mkdir(alone);
      await writeFile(path.join(alone, file), text);
      const load = await timeLoad(alone);
      const served = path.join(root, `served-${file}`);
      await cp(SHIPPED, served, { recursive: true });
      const refresh = await timeRefresh(served, file, text);
      const f = (n: number) => n.toFixed(0);
      console.log(`| ${file} | ${f(load.ms)} | ${load.sentences} | ${f(refresh.ms)} | ${refresh.asked} | ${f(refresh.max)} | ${f(refresh.p99)} | ${f(refresh.longestStep)} |`);
    }
  }
} finally {
  await rm(root, { recursive: true, force: true });
}

