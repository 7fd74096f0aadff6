/**
 * npm run --silent ask -- [question] [--corpus DIR] [--top N] [--json]
 * Answers one question, or one question per line of standard input when none is given.
 * With --json: exactly one JSON object per line on stdout, nothing else (benchmarks depend on it):
 * {"question", "answered", "results": [{"text", "score", "source": {"id", "title"}}]}.
 */
import { createInterface } from "node:readline";
import { parseArgs } from "node:util";
import { loadConfigFromEnvironment } from "../config.js";
import { Library } from "../corpus/library.js";
import type { Answer } from "../core/types.js";
import { formatAnswer } from "../console/format.js";
import { DEFAULT_ENGINE_OPTIONS } from "../core/knowledge-base.js";

export function toJsonLine(answer: Answer, top: number): string {
  return JSON.stringify({
    question: answer.question,
    answered: answer.answered,
    results: answer.excerpts.slice(0, top).map((e) => ({
      text: e.text,
      score: Number(e.score.toFixed(6)),
      source: { id: e.citations[0]!.documentId, title: e.citations[0]!.meta.title },
    })),
  });
}

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
    options: { corpus: { type: "string" }, top: { type: "string", default: "3" }, json: { type: "boolean", default: false } },
  });
  const top = parseTop(values.top);
  const config = loadConfigFromEnvironment();
  const library = await Library.open({ corpusDir: values.corpus ?? config.corpusDir, maxFileBytes: config.maxFileBytes, maxQuestionChars: config.maxQuestionChars });
  for (const s of library.skipped) process.stderr.write(`skipped ${s.id}: ${s.reason}\n`);
  const answer = (question: string) => {
    const kb = library.current;
    const result = kb.ask(question);
    process.stdout.write((values.json ? toJsonLine(result, top) : formatAnswer(result, kb, { top, tty: false }) + "\n") + "\n");
  };
  if (positionals.length > 0) {
    answer(positionals.join(" "));
    return;
  }
  for await (const line of createInterface({ input: process.stdin })) if (line.trim()) answer(line);
}

main().catch((error: Error) => {
  process.stderr.write(`ask: ${error.message}\n`);
  process.exitCode = 1;
});
