/**
 * `npm run bench` — Lookout against the search libraries a JS developer would pick, same data, one run.
 *
 *   npm run bench                          quality (SQuAD + seed sets), build time, latency, memory
 *   npm run bench -- --scale 1000000       build time, memory, latency on ~N synthetic sentences
 *   options: --systems lunr,orama   --timeout <seconds per system>   --queries <n> (scale mode)
 *
 * Prints one markdown table on stdout and writes the full figures to bench/results/<timestamp>.json.
 * Every system runs in its own child process (bench/child.ts), one after the other, so timings do
 * not compete for the two cores and memory figures are each system's own.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import type { BenchSentence } from "./adapter.js";
import { loadSeed, loadSquad, type SeedTask, type SquadTask } from "./data.js";
import type { ChildJob, ChildMessage, FloorOutcome, SystemOutcome, TaskData } from "./protocol.js";
import { writeTaskData } from "./protocol.js";
import {
  environment,
  environmentLine,
  floorLine,
  qualityTable,
  scaleTable,
  writeResults,
  type SystemRow,
} from "./report.js";
import { generateScaleCorpus, sample } from "./scale.js";
import { containsAnswer, declinedShare, isSquadHit, median, percentile, summarizeQuality } from "./scoring.js";
import { runChild } from "./spawn.js";
import { StatusLine } from "./status-line.js";
import { SYSTEMS } from "./systems/index.js";

const RESULTS_DIR = fileURLToPath(new URL("./results/", import.meta.url));
const K = 10;
const SAMPLE_SEED = 7;
/** Quality mode measures every build and the floor this many times (fresh processes) and reports the median. */
const BUILD_RUNS = 3;

interface Options {
  scale?: number;
  systems: string[];
  timeoutMs: number;
  queries: number;
}

function parseOptions(): Options {
  const { values } = parseArgs({
    options: {
      scale: { type: "string" },
      systems: { type: "string" },
      timeout: { type: "string" },
      queries: { type: "string", default: "300" },
    },
  });
  const positive = (name: string, text: string): number => {
    const n = Number(text.replace(/_/g, ""));
    if (!Number.isInteger(n) || n <= 0) throw new Error(`--${name} needs a positive whole number, got "${text}"`);
    return n;
  };
  const scale = values.scale === undefined ? undefined : positive("scale", values.scale);
  const systems = values.systems?.split(",").map((s) => s.trim()).filter(Boolean) ?? [...SYSTEMS];
  const unknown = systems.filter((s) => !(SYSTEMS as readonly string[]).includes(s));
  if (unknown.length > 0) throw new Error(`unknown system(s): ${unknown.join(", ")}; known: ${SYSTEMS.join(", ")}`);
  // Generous: okapibm25 takes ~9 minutes on SQuAD (a full scan per query); builds at 1M take minutes.
  const timeoutS = values.timeout === undefined ? 1800 : positive("timeout", values.timeout);
  return { scale, systems, timeoutMs: timeoutS * 1000, queries: positive("queries", values.queries) };
}

const status = new StatusLine();

/** Runs a child job while showing its progress as "label: phase done/total (elapsed)". */
async function runWithProgress(label: string, job: ChildJob, timeoutMs: number, maxOldSpaceMb: number): Promise<ChildMessage> {
  const started = Date.now();
  let phase = "starting";
  let counts = "";
  const show = (force = false): void =>
    status.update(`${label}: ${phase} ${counts} (${((Date.now() - started) / 1000).toFixed(0)} s)`, force);
  // A ticker keeps the elapsed time moving for systems that do not report progress during their build.
  const ticker = setInterval(() => show(true), 1000);
  show(true);
  try {
    return await runChild(job, {
      timeoutMs,
      maxOldSpaceMb,
      onProgress: (p, done, total) => {
        phase = p;
        counts = `${done.toLocaleString("en")}/${total.toLocaleString("en")}`;
        show();
      },
    });
  } finally {
    clearInterval(ticker);
    status.clear();
  }
}

/** The parts of a row every mode shares: identity, build, latency and memory. */
function baseRow(id: string, outcome: SystemOutcome, notes: readonly string[] = []): SystemRow {
  const memoryBytes = outcome.memory.kind === "rss" ? outcome.memory.rssBytes : outcome.memory.heapBytes;
  const allNotes = [...notes];
  if (outcome.errors > 0) allNotes.push(`${outcome.errors} questions threw: ${(outcome.firstError ?? "").slice(0, 100)}`);
  return {
    id,
    status: "ok",
    name: outcome.name,
    config: outcome.config,
    ...(allNotes.length > 0 && { note: allNotes.join("; ") }),
    sentences: outcome.sentences,
    buildMs: outcome.buildMs,
    ...(outcome.buildRunsMs && { buildRunsMs: outcome.buildRunsMs }),
    p50Us: percentile(outcome.latencyUs, 50),
    p99Us: percentile(outcome.latencyUs, 99),
    ...(outcome.refreshMs && outcome.refreshMs.length > 0 && { refreshMs: outcome.refreshMs[0]!, refreshMedianMs: percentile(outcome.refreshMs, 50) }),
    ...(outcome.latencyAfterRefreshUs && { p99AfterRefreshUs: percentile(outcome.latencyAfterRefreshUs, 99) }),
    memoryMb: memoryBytes / 2 ** 20,
    memoryKind: outcome.memory.kind,
  };
}

/** Why a child gave no figures: skipped on purpose (no adapter, size cap) or failed (crash, time limit, error). */
interface Failure {
  readonly status: "skipped" | "error";
  readonly reason: string;
}

function failureOf(message: ChildMessage): Failure {
  if (message.type === "skipped") return { status: "skipped", reason: message.reason };
  if (message.type === "error") return { status: "error", reason: message.message };
  return { status: "error", reason: `unexpected "${message.type}" answer` };
}

/** First line only: a stack trace does not fit in a table cell (the JSON keeps it all). */
const firstLine = (text: string, max = 160): string => text.split("\n")[0]!.slice(0, max);

function failedRow(id: string, failure: Failure): SystemRow {
  return { id, status: failure.status, name: id, config: "", note: firstLine(failure.reason) };
}

/** SQuAD quality of one system: the row figures plus each question's first-hit rank (kept in the JSON). */
function scoreSquad(outcome: SystemOutcome, squad: SquadTask): ReturnType<typeof summarizeQuality> {
  return summarizeQuality(outcome.ranked, (sentenceId: number, q: number) => {
    const sentence = squad.sentences[sentenceId];
    return sentence !== undefined && isSquadHit(sentence, squad.questions[q]!);
  });
}

function qualityRow(id: string, outcome: SystemOutcome, squad: SquadTask, seed: SeedTask): SystemRow {
  const { hit1, hit3, mrr10, declined } = scoreSquad(outcome, squad);
  const quality = { hit1, hit3, mrr10, declined };
  if (!outcome.seed) return { ...baseRow(id, outcome), ...quality };
  if ("error" in outcome.seed) return { ...baseRow(id, outcome, [`seed sets failed: ${firstLine(outcome.seed.error, 120)}`]), ...quality };
  const answerable = summarizeQuality(outcome.seed.answerable, (text: string, q: number) =>
    containsAnswer(text, seed.answerable[q]!.gold ?? []),
  );
  const notes = outcome.seed.via === "own corpus loading" ? ["seed sets via its own corpus loading"] : [];
  return {
    ...baseRow(id, outcome, notes),
    ...quality,
    seedHit1: answerable.hit1,
    seedHit3: answerable.hit3,
    seedAnswerableDeclined: answerable.declined,
    seedNoAnswerDeclined: declinedShare(outcome.seed.noAnswer),
  };
}

interface RunOutcomes {
  readonly outcomes: Map<string, SystemOutcome>;
  /** Outcomes of loading a saved index in a fresh process (scale mode, systems with save/load). */
  readonly loads: Map<string, SystemOutcome | Failure>;
  readonly failures: Map<string, Failure>;
  readonly floor: FloorOutcome | string;
}

/**
 * Runs every selected system, then the tokenisation floor, on one task file. With buildRuns > 1, each
 * build and the floor are measured that many times, each in a fresh process, and the median is
 * reported: one cold run on a shared 2-core machine varies by ±15 %, too much for a 1.3× target.
 */
async function runAll(options: Options, taskFile: string, maxOldSpaceMb: number, indexDir?: string, buildRuns = 1): Promise<RunOutcomes> {
  const outcomes = new Map<string, SystemOutcome>();
  const loads = new Map<string, SystemOutcome | Failure>();
  const failures = new Map<string, Failure>();
  for (const id of options.systems) {
    const indexPath = indexDir ? join(indexDir, `${id}.index`) : undefined;
    const job: ChildJob = { kind: "system", system: id, taskFile, mode: "build", ...(indexPath && { indexPath }) };
    const message = await runWithProgress(id, job, options.timeoutMs, maxOldSpaceMb);
    if (message.type !== "system") {
      failures.set(id, failureOf(message));
      continue;
    }
    const buildRunsMs = [message.outcome.buildMs];
    for (let run = 2; run <= buildRuns; run++) {
      const repeat = await runWithProgress(`${id} (build ${run}/${buildRuns})`, { ...job, mode: "build-only" }, options.timeoutMs, maxOldSpaceMb);
      if (repeat.type === "system") buildRunsMs.push(repeat.outcome.buildMs);
    }
    outcomes.set(id, buildRuns > 1 ? { ...message.outcome, buildMs: median(buildRunsMs), buildRunsMs } : message.outcome);
    // A saved index is loaded in a fresh process: that is the start-up time a restart would see.
    if (message.outcome.savedIndex) {
      const loadJob: ChildJob = { ...job, mode: "load", indexPath: message.outcome.savedIndex };
      const load = await runWithProgress(`${id} (load)`, loadJob, options.timeoutMs, maxOldSpaceMb);
      loads.set(id, load.type === "system" ? load.outcome : failureOf(load));
    }
  }
  const floorRuns: FloorOutcome[] = [];
  let floorFailure = "";
  for (let run = 1; run <= buildRuns; run++) {
    const label = buildRuns > 1 ? `tokenisation floor (${run}/${buildRuns})` : "tokenisation floor";
    const floorMessage = await runWithProgress(label, { kind: "floor", taskFile }, options.timeoutMs, maxOldSpaceMb);
    if (floorMessage.type === "floor") floorRuns.push(floorMessage.outcome);
    else floorFailure = failureOf(floorMessage).reason;
  }
  const runsMs = floorRuns.map((f) => f.ms);
  const floor = floorRuns.length === 0 ? floorFailure : buildRuns > 1 ? { ...floorRuns[0]!, ms: median(runsMs), runsMs } : floorRuns[0]!;
  return { outcomes, loads, failures, floor };
}

async function qualityMode(options: Options, workDir: string): Promise<void> {
  status.update("splitting SQuAD and the seed corpus into sentences (wink-nlp sbd)…", true);
  const squad = loadSquad();
  const seed = loadSeed();
  status.clear();
  const task: TaskData = {
    sentences: squad.sentences,
    questions: squad.questions.map((q) => q.question),
    k: K,
    seed: {
      corpusDir: seed.corpusDir,
      sentences: seed.sentences,
      answerable: seed.answerable.map((q) => q.q),
      noAnswer: seed.noAnswer.map((q) => q.q),
    },
  };
  const taskFile = join(workDir, "task.bin");
  writeTaskData(taskFile, task);

  const env = environment();
  const { outcomes, failures, floor } = await runAll(options, taskFile, 8192, undefined, BUILD_RUNS);
  const rows = options.systems.map((id) => {
    const outcome = outcomes.get(id);
    return outcome ? qualityRow(id, outcome, squad, seed) : failedRow(id, failures.get(id)!);
  });

  const lines = [
    "## Lookout benchmark — retrieval quality and cost",
    "",
    environmentLine(env),
    "",
    `SQuAD v1.1 dev, even-position articles: ${squad.articles.length} articles, ${squad.sentences.length.toLocaleString("en")} sentences ` +
      `(wink-nlp sbd, pooled), ${squad.questions.length.toLocaleString("en")} questions, top ${K}. ` +
      `Seed sets: ${seed.answerable.length} answerable + ${seed.noAnswer.length} no-answer questions over ${seed.files.length} corpus files ` +
      `(${seed.sentences.length} sentences).`,
    "",
    qualityTable(rows),
    "",
    floorLine(floor),
    `Build: the median of ${BUILD_RUNS} builds, each in a fresh process. Latency: each question once as warm-up, then once timed (inside the child). Memory: V8 heap growth after GC; (RSS) = resident-set growth.`,
  ];
  console.log(lines.join("\n"));

  const file = writeResults(RESULTS_DIR, env.date, {
    mode: "quality",
    environment: env,
    data: { articles: squad.articles.length, sentences: squad.sentences.length, questions: squad.questions.length, seedSentences: seed.sentences.length },
    floor,
    systems: rows.map((row) => {
      const outcome = outcomes.get(row.id);
      return {
        ...row,
        // First-hit rank per SQuAD question (null = miss): enough to diff two runs question by question.
        ranks: outcome && scoreSquad(outcome, squad).ranks,
        seed: outcome?.seed,
        failure: failures.get(row.id),
      };
    }),
  });
  console.error(`results written to ${file}`);
}

async function scaleMode(options: Options, size: number, workDir: string): Promise<void> {
  status.update("loading SQuAD…", true);
  const squad = loadSquad();
  const sentences: BenchSentence[] = generateScaleCorpus(squad.sentences, size, undefined, (done) =>
    status.update(`generating synthetic corpus: ${done.toLocaleString("en")}/${size.toLocaleString("en")}`),
  );
  const questions = sample(squad.questions, options.queries, SAMPLE_SEED).map((q) => q.question);
  status.update("writing the task file…", true);
  const taskFile = join(workDir, "task.bin");
  writeTaskData(taskFile, { sentences, questions, k: K });
  const documents = sentences.length === 0 ? 0 : sentences[sentences.length - 1]!.doc + 1;
  status.clear();

  const env = environment();
  // Large indexes need room; the machine has 24 GB and children run one at a time.
  const { outcomes, loads, failures, floor } = await runAll(options, taskFile, 16384, workDir);
  const rows = options.systems.map((id): SystemRow => {
    const outcome = outcomes.get(id);
    if (!outcome) return failedRow(id, failures.get(id)!);
    const load = loads.get(id);
    if (outcome.saveError) return baseRow(id, outcome, [`saving the index failed: ${firstLine(outcome.saveError, 100)}`]);
    if (load === undefined) return baseRow(id, outcome);
    if ("reason" in load) return baseRow(id, outcome, [`loading the saved index failed: ${firstLine(load.reason, 100)}`]);
    return { ...baseRow(id, outcome), loadMs: load.buildMs };
  });

  const lines = [
    `## Lookout benchmark — scale (${size.toLocaleString("en")} sentences)`,
    "",
    environmentLine(env),
    "",
    `Synthetic corpus: ${sentences.length.toLocaleString("en")} sentences in ${documents.toLocaleString("en")} documents, ` +
      `derived from the ${squad.sentences.length.toLocaleString("en")} SQuAD sentences (seeded word shuffles, substitutions, numeric suffixes). ` +
      `${questions.length} SQuAD questions, top ${K}. Quality is not measured at scale.`,
    "",
    scaleTable(rows),
    "",
    floorLine(floor),
    "Latency: each question once as warm-up, then once timed. Memory: V8 heap growth after GC; (RSS) = resident-set growth. " +
      "Start-up = loading a saved index in a fresh process (only for systems with save/load; Lookout: its segments' flat records, one file per segment, read as views). " +
      "Refresh = one document replaced by an edited version (Lookout: withChanges, build time only), 10 times; then every question again for the p99 after refreshes.",
  ];
  console.log(lines.join("\n"));

  const file = writeResults(RESULTS_DIR, env.date, {
    mode: "scale",
    environment: env,
    data: { sentences: sentences.length, documents, questions: questions.length },
    floor,
    systems: rows.map((row) => {
      const load = loads.get(row.id);
      // The loaded index's own figures (memory, latency) without its result lists.
      return { ...row, load: load && ("reason" in load ? load : { ...load, ranked: undefined }), failure: failures.get(row.id) };
    }),
  });
  console.error(`results written to ${file}`);
}

async function main(): Promise<void> {
  const options = parseOptions();
  const workDir = mkdtempSync(join(tmpdir(), "lookout-bench-"));
  try {
    if (options.scale === undefined) await qualityMode(options, workDir);
    else await scaleMode(options, options.scale, workDir);
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  status.clear();
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
