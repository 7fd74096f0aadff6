/**
 * Generic child entry: runs one job (one system, or the tokenisation floor) and reports back.
 * Each system runs in its own process so heap figures are its own and a crash ends only this child.
 * Started by bench/spawn.ts with --expose-gc; timings are taken here, inside the child.
 */
import winkNLP from "wink-nlp";
import model from "wink-eng-lite-web-model";
import type { AdapterFactory, BenchSentence, MaybePromise, SearchAdapter, SeedIndex } from "./adapter.js";
import type { ChildJob, ChildMessage, FloorOutcome, MemoryFigures, SystemOutcome, TaskData } from "./protocol.js";
import { readTaskData } from "./protocol.js";
import { systemModuleUrl } from "./systems/index.js";

function send(message: ChildMessage): Promise<void> {
  return new Promise((resolve, reject) => {
    if (!process.send) return reject(new Error("bench/child.ts must be started by bench/run.ts (no IPC channel)"));
    process.send(message, undefined, undefined, (error) => (error ? reject(error) : resolve()));
  });
}

/** Progress messages are sent without waiting: they are advisory, and the loop must not pause for them. */
function progress(phase: string, done: number, total: number): void {
  process.send?.({ type: "progress", phase, done, total } satisfies ChildMessage);
}

function isPromise<T>(value: MaybePromise<T>): value is Promise<T> {
  return typeof (value as { then?: unknown } | null)?.then === "function";
}

/** Heap and RSS after two forced GCs (the second catches what the first one's finalizers freed). */
function settledMemory(): { heap: number; rss: number } {
  globalThis.gc?.();
  globalThis.gc?.();
  const usage = process.memoryUsage();
  return { heap: usage.heapUsed, rss: usage.rss };
}

/** How many one-document refreshes scale mode measures (issue 10: p99 unchanged after 10 of them). */
const REFRESH_ROUNDS = 10;

const elapsedMs = (start: bigint): number => Number(process.hrtime.bigint() - start) / 1e6;

async function loadFactory(system: string): Promise<AdapterFactory> {
  const mod = (await import(systemModuleUrl(system))) as { default?: AdapterFactory };
  if (typeof mod.default !== "function") throw new Error(`bench/systems/${system}.ts has no default AdapterFactory export`);
  return mod.default;
}

/** Normalises whatever a system returned to a plain list of at most k ids, or null (declined). */
function cleanResult(result: readonly number[] | null | undefined, k: number): number[] | null {
  if (result === null || result === undefined) return null;
  return Array.from(result.slice(0, k), Number);
}

interface Pass {
  ranked: (number[] | null)[];
  latencyUs: number[];
  errors: number;
  firstError?: string;
}

/** Runs every question once, timing each with hrtime; an exception is a declined result, not a crash. */
async function queryPass(adapter: SearchAdapter, questions: readonly string[], k: number, phase: string): Promise<Pass> {
  const pass: Pass = { ranked: [], latencyUs: [], errors: 0 };
  for (let i = 0; i < questions.length; i++) {
    let result: readonly number[] | null = null;
    const start = process.hrtime.bigint();
    try {
      const pending = adapter.search(questions[i]!, k);
      result = isPromise(pending) ? await pending : pending;
    } catch (error) {
      pass.errors++;
      pass.firstError ??= String(error);
    }
    pass.latencyUs.push(Number(process.hrtime.bigint() - start) / 1e3);
    pass.ranked.push(cleanResult(result, k));
    if (i % 10 === 0) progress(phase, i, questions.length);
  }
  return pass;
}

async function searchSeed(index: SeedIndex, questions: readonly string[], k: number): Promise<(string[] | null)[]> {
  const out: (string[] | null)[] = [];
  for (const question of questions) {
    try {
      const texts = await index.search(question, k);
      out.push(texts === null ? null : texts.slice(0, k));
    } catch {
      out.push(null);
    }
  }
  return out;
}

/** Seed sets: the system's own corpus loading if it has one, otherwise a fresh instance over the shared split. */
async function runSeed(factory: AdapterFactory, adapter: SearchAdapter, seed: NonNullable<TaskData["seed"]>, k: number): Promise<SystemOutcome["seed"]> {
  try {
    let index: SeedIndex;
    let via: "own corpus loading" | "shared sentence list";
    if (adapter.seed) {
      index = await adapter.seed(seed.corpusDir);
      via = "own corpus loading";
    } else {
      const fresh = await factory();
      await fresh.build(seed.sentences);
      const texts = (ids: readonly number[] | null): string[] | null =>
        ids === null ? null : ids.map((id) => seed.sentences[id]?.text ?? "");
      index = { search: async (question, n) => texts(await fresh.search(question, n)) };
      via = "shared sentence list";
    }
    return {
      via,
      answerable: await searchSeed(index, seed.answerable, k),
      noAnswer: await searchSeed(index, seed.noAnswer, k),
    };
  } catch (error) {
    return { error: String(error) };
  }
}

/** The task data this job needs; in load mode not the sentence list, so it is not in the memory baseline. */
function readJob(job: Extract<ChildJob, { kind: "system" }>): {
  sentences: readonly BenchSentence[];
  total: number;
  questions: readonly string[];
  k: number;
  seed: TaskData["seed"];
} {
  const task = readTaskData(job.taskFile);
  const build = job.mode !== "load";
  return {
    sentences: build ? task.sentences : [],
    total: task.sentences.length,
    questions: task.questions,
    k: task.k,
    seed: job.mode === "build" ? task.seed : undefined,
  };
}

async function runSystem(job: Extract<ChildJob, { kind: "system" }>): Promise<ChildMessage> {
  const { sentences, total, questions, k, seed } = readJob(job);

  const before = settledMemory();
  let factory: AdapterFactory;
  let adapter: SearchAdapter;
  try {
    factory = await loadFactory(job.system);
    adapter = await factory();
  } catch (error) {
    return { type: "skipped", reason: `adapter failed to load: ${error instanceof Error ? error.message : String(error)}` };
  }
  if (adapter.maxSentences !== undefined && total > adapter.maxSentences) {
    return { type: "skipped", reason: `size cap ${adapter.maxSentences.toLocaleString("en")} sentences < ${total.toLocaleString("en")}` };
  }

  const start = process.hrtime.bigint();
  if (job.mode === "load") {
    if (!adapter.load || !job.indexPath) return { type: "skipped", reason: "no load() support" };
    await adapter.load(job.indexPath);
  } else {
    progress("build", 0, total);
    await adapter.build(sentences, (done) => progress("build", done, total));
  }
  const buildMs = elapsedMs(start);

  const after = settledMemory();
  const memory: MemoryFigures = {
    heapBytes: after.heap - before.heap,
    rssBytes: after.rss - before.rss,
    kind: adapter.memory ?? "heap",
  };

  if (job.mode === "build-only") {
    const outcome: SystemOutcome = { name: adapter.name, config: adapter.config, sentences: total, buildMs, mode: job.mode, memory, ranked: [], latencyUs: [], errors: 0 };
    return { type: "system", outcome };
  }

  await queryPass(adapter, questions, k, "warm-up");
  const timed = await queryPass(adapter, questions, k, "queries");

  let savedIndex: string | undefined;
  let saveError: string | undefined;
  if (job.mode === "build" && job.indexPath && adapter.save) {
    try {
      await adapter.save(job.indexPath);
      savedIndex = job.indexPath;
    } catch (error) {
      saveError = String(error); // the build and query figures still stand
    }
  }

  // Scale mode (it saves the index): refreshes after one document changes, then the questions again.
  let refreshMs: number[] | undefined;
  let afterRefresh: Pass | undefined;
  if (job.mode === "build" && job.indexPath && adapter.refresh) {
    refreshMs = [];
    for (let round = 0; round < REFRESH_ROUNDS; round++) {
      progress("refresh", round, REFRESH_ROUNDS);
      refreshMs.push(await adapter.refresh(round));
    }
    await queryPass(adapter, questions, k, "warm-up after refreshes");
    afterRefresh = await queryPass(adapter, questions, k, "queries after refreshes");
  }

  const seedOutcome = job.mode === "build" && seed ? await runSeed(factory, adapter, seed, k) : undefined;

  const outcome: SystemOutcome = {
    name: adapter.name,
    config: adapter.config,
    sentences: total,
    buildMs,
    mode: job.mode,
    memory,
    ranked: timed.ranked,
    latencyUs: timed.latencyUs,
    errors: timed.errors,
    ...(timed.firstError !== undefined && { firstError: timed.firstError }),
    ...(refreshMs !== undefined && { refreshMs }),
    ...(afterRefresh !== undefined && { latencyAfterRefreshUs: afterRefresh.latencyUs }),
    ...(savedIndex !== undefined && { savedIndex }),
    ...(saveError !== undefined && { saveError }),
    ...(seedOutcome !== undefined && { seed: seedOutcome }),
  };
  return { type: "system", outcome };
}

/** The tokenisation floor: wink-nlp with no pipes, readDoc + tokens of every sentence; what any wink-based index pays. */
function runFloor(job: Extract<ChildJob, { kind: "floor" }>): ChildMessage {
  const { sentences } = readTaskData(job.taskFile);
  const nlp = winkNLP(model, []);
  let tokens = 0;
  const start = process.hrtime.bigint();
  for (let i = 0; i < sentences.length; i++) {
    tokens += nlp.readDoc(sentences[i]!.text).tokens().out().length;
    if (i % 50_000 === 0) progress("tokenise", i, sentences.length);
  }
  const outcome: FloorOutcome = { sentences: sentences.length, tokens, ms: elapsedMs(start) };
  return { type: "floor", outcome };
}

process.once("message", (job: ChildJob) => {
  const run = async (): Promise<ChildMessage> => (job.kind === "floor" ? runFloor(job) : runSystem(job));
  run()
    .catch((error: unknown): ChildMessage => ({
      type: "error",
      message: error instanceof Error ? (error.stack ?? error.message) : String(error),
    }))
    .then(send)
    .then(
      () => process.exit(0),
      () => process.exit(1),
    );
});
