/**
 * npm run --silent ask -- [question] [--corpus DIR] [--top N] [--json]
 * Answers one question, or one question per line of standard input when none is given.
 * With --json: exactly one JSON object per line on stdout, nothing else (benchmarks depend on it):
 * {"question", "answered", "results": [{"text", "score", "source": {"id", "title", "location"}}]}, where location
 * is where the excerpt stands in its file: {"page"} (PDF), {"heading"} (web page, Word; Markdown also "line"), {"line"} (text).
 */
import { createInterface } from "node:readline";
import { parseArgs } from "node:util";
import { loadConfigFromEnvironment } from "../config.js";
import { Library } from "../corpus/library.js";
import type { Answer, Place } from "../core/types.js";
import { formatAnswer } from "../console/format.js";

export function toJsonLine(answer: Answer, top: number): string {
  return JSON.stringify({
    question: answer.question,
    answered: answer.answered,
    results: answer.excerpts.slice(0, top).map((e) => ({
      text: e.text,
      score: Number(e.score.toFixed(6)),
      source: { id: e.citations[0]!.documentId, title: e.citations[0]!.meta.title, location: placeOf(e.citations[0]!.location) },
    })),
  });
}

/** Only the place fields (page, heading, line) of a citation's location, in that order. */
function placeOf({ page, heading, line }: Place): Place {
  return { ...(page !== undefined && { page }), ...(heading !== undefined && { heading }), ...(line !== undefined && { line }) };
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { corpus: { type: "string" }, top: { type: "string", default: "3" }, json: { type: "boolean", default: false } },
  });
  const top = Number(values.top);
  if (!Number.isInteger(top) || top < 1) throw new Error(`--top must be a whole number ≥ 1, got '${values.top}'`);
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
