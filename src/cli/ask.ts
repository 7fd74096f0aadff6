/**
 * npm run --silent ask -- [question] [--corpus DIR] [--top N] [--json] [--no-cache]
 * Answers one question, or one question per line of standard input when none is given.
 * The corpus's index is saved in CACHE_DIR and reused by the next run for every file that did not change,
 * so a batch of questions (one run each) does not read and analyse the corpus every time; --no-cache
 * neither reads nor saves it.
 * With --json: exactly one JSON object per line on stdout, nothing else (benchmarks depend on it):
 * {"question", "answered", "confidence" (answered lines only: "high" or "low"), "results": [{"text", "score", "source": {"id", "title", "location"}}]},
 * where location is where the excerpt stands in its file: {"page"} (PDF), {"heading"} (web page, Word;
 * Markdown also "line"), {"line"} (text).
 * With the semantic stage on (SEMANTIC, default on) it waits for the corpus's sentence vectors before the
 * first answer, so that every answer comes from the same ranking; SEMANTIC=off answers from BM25 at once.
 */
import { createInterface } from "node:readline";
import { parseArgs } from "node:util";
import { loadConfigFromEnvironment } from "../config.js";
import { describeLibraryEvent, openLibrary } from "../open-library.js";
import { toJsonLine } from "./json-line.js";
import { formatAnswer } from "../console/format.js";
import { DEFAULT_ENGINE_OPTIONS } from "../core/knowledge-base.js";
import { showBuildProgress } from "../console/progress-display.js";

/** How many results --top may ask for: an answer holds at most this many excerpts. */
const MAX_TOP = DEFAULT_ENGINE_OPTIONS.maxExcerpts;

/** The --top value: plain decimal digits within 1..MAX_TOP (Number() would also take "1e2" and "0x10"). */
export function parseTop(value: string): number {
  const top = /^\d{1,9}$/.test(value) ? Number(value) : Number.NaN;
  if (!(top >= 1 && top <= MAX_TOP)) throw new Error(`--top must be a whole number from 1 to ${MAX_TOP}, got '${value}'`);
  return top;
}

/**
 * parseArgs reads `--top -1` as an option missing its value ("ambiguous"); joined as `--top=-1`,
 * the value reaches parseTop and gets its message.
 */
function joinTopValue(args: readonly string[]): string[] {
  const joined = [...args];
  const at = joined.indexOf("--top");
  if (at !== -1 && joined[at + 1]?.startsWith("-")) joined.splice(at, 2, `--top=${joined[at + 1]}`);
  return joined;
}

async function main(): Promise<void> {
  // A reader that stops early (`| head -1`) closes the pipe: that ends the run, quietly and successfully.
  process.stdout.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code === "EPIPE") process.exit(0);
    throw error;
  });
  const { values, positionals } = parseArgs({
    args: joinTopValue(process.argv.slice(2)),
    allowPositionals: true,
    options: {
      corpus: { type: "string" },
      top: { type: "string", default: "3" },
      json: { type: "boolean", default: false },
      "no-cache": { type: "boolean", default: false },
    },
  });
  const top = parseTop(values.top);
  const config = loadConfigFromEnvironment();
  // On stderr, like every note: stdout holds only answers (with --json, only JSON lines).
  const progress = showBuildProgress({ stream: process.stderr, label: "Loading the corpus" });
  const library = await openLibrary(
    config,
    (event) => {
      const { level, text } = describeLibraryEvent(event);
      if (level === "warn") process.stderr.write(`warning: ${text}\n`);
    },
    { corpusDir: values.corpus ?? config.corpusDir, useIndexCache: !values["no-cache"], onProgress: progress.onProgress },
  ).finally(() => progress.finish());
  for (const s of library.skipped) process.stderr.write(`skipped ${s.id}: ${s.reason}\n`);
  await library.semantic?.whenReady(library.current);
  const answer = async (question: string) => {
    const kb = library.current;
    const result = await library.ask(question);
    process.stdout.write((values.json ? toJsonLine(result, top) : formatAnswer(result, kb, { top, tty: false }) + "\n") + "\n");
  };
  if (positionals.length > 0) {
    await answer(positionals.join(" "));
    return;
  }
  for await (const line of createInterface({ input: process.stdin })) if (line.trim()) await answer(line);
}

main().catch((error: Error) => {
  process.stderr.write(`ask: ${error.message}\n`);
  process.exitCode = 1;
});
