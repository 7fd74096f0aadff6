/**
 * Turns the measured figures into the markdown printed on stdout, and the JSON kept in bench/results/.
 * Formatting only: every number here was computed by bench/run.ts (with bench/scoring.ts).
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { join } from "node:path";

export interface Environment {
  readonly date: string;
  readonly node: string;
  readonly cpu: string;
  readonly cores: number;
}

export function environment(): Environment {
  const all = cpus();
  return { date: new Date().toISOString(), node: process.version, cpu: all[0]?.model ?? "unknown", cores: all.length };
}

export function environmentLine(env: Environment): string {
  return `Date: ${env.date} · Node ${env.node} · CPU: ${env.cpu} · ${env.cores} cores`;
}

/** Per-system figures; a field is undefined when it was not measured (skipped, failed, or not applicable). */
export interface SystemRow {
  readonly id: string;
  readonly status: "ok" | "skipped" | "error";
  readonly name: string;
  readonly config: string;
  readonly note?: string;
  readonly hit1?: number;
  readonly hit3?: number;
  readonly mrr10?: number;
  readonly declined?: number;
  readonly seedHit1?: number;
  readonly seedHit3?: number;
  readonly seedAnswerableDeclined?: number;
  readonly seedNoAnswerDeclined?: number;
  readonly sentences?: number;
  readonly buildMs?: number;
  /** Every build measured (fresh processes), when buildMs is their median. */
  readonly buildRunsMs?: readonly number[];
  readonly loadMs?: number;
  /** Scale mode: the first one-document refresh, and the median of all of them. */
  readonly refreshMs?: number;
  readonly refreshMedianMs?: number;
  /** Scale mode: p99 after the refreshes. */
  readonly p99AfterRefreshUs?: number;
  readonly p50Us?: number;
  readonly p99Us?: number;
  readonly memoryMb?: number;
  readonly memoryKind?: "heap" | "rss";
}

const DASH = "—";

const fixed = (digits: number) => (value: number | undefined): string =>
  value === undefined || Number.isNaN(value) ? DASH : value.toFixed(digits);
const share = fixed(3);
const oneDecimal = fixed(1);
const whole = (value: number | undefined): string =>
  value === undefined || Number.isNaN(value) ? DASH : Math.round(value).toLocaleString("en");
/** Latencies: one decimal below 10 µs, where rounding would hide the differences. */
const micros = (value: number | undefined): string =>
  value === undefined ? DASH : value < 10 ? value.toFixed(1) : whole(value);
const memory = (row: SystemRow): string =>
  row.memoryMb === undefined ? DASH : `${oneDecimal(row.memoryMb)}${row.memoryKind === "rss" ? " (RSS)" : ""}`;

/** The configuration cell; for a system that did not run it carries the reason instead. */
function configCell(row: SystemRow): string {
  if (row.status === "ok") return row.note ? `${row.config} (${row.note})` : row.config;
  const label = row.status === "skipped" ? "skipped" : "FAILED";
  return `${label}: ${row.note ?? "no result"}`;
}

function escapeCell(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\s+/g, " ");
}

export function markdownTable(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]): string => `| ${cells.map(escapeCell).join(" | ")} |`;
  const align = headers.map((_, i) => (i < 2 ? "---" : "---:"));
  return [line(headers), `|${align.join("|")}|`, ...rows.map(line)].join("\n");
}

export function qualityTable(rows: readonly SystemRow[]): string {
  const headers = [
    "system", "configuration", "Hit@1", "Hit@3", "MRR@10", "declined",
    "seed Hit@1", "seed Hit@3", "seed answerable declined", "seed no-answer declined",
    "build ms", "p50 µs", "p99 µs", "memory MB",
  ];
  return markdownTable(
    headers,
    rows.map((r) => [
      r.name, configCell(r), share(r.hit1), share(r.hit3), share(r.mrr10), share(r.declined),
      share(r.seedHit1), share(r.seedHit3), share(r.seedAnswerableDeclined), share(r.seedNoAnswerDeclined),
      whole(r.buildMs), micros(r.p50Us), micros(r.p99Us), memory(r),
    ]),
  );
}

export function scaleTable(rows: readonly SystemRow[]): string {
  const headers = ["system", "configuration", "sentences", "build ms", "start-up (load) ms", "p50 µs", "p99 µs", "memory MB", "refresh, 1 doc changed: ms (median of 10)", "p99 µs after 10 refreshes"];
  return markdownTable(
    headers,
    rows.map((r) => [
      r.name, configCell(r), whole(r.sentences), whole(r.buildMs), whole(r.loadMs), micros(r.p50Us), micros(r.p99Us), memory(r),
      r.refreshMs === undefined ? DASH : `${whole(r.refreshMs)} (${whole(r.refreshMedianMs)})`, micros(r.p99AfterRefreshUs),
    ]),
  );
}

export interface FloorFigures {
  readonly sentences: number;
  readonly tokens: number;
  readonly ms: number;
  readonly runsMs?: readonly number[];
}

export function floorLine(floor: FloorFigures | string): string {
  if (typeof floor === "string") return `Tokenisation floor: not measured (${floor}).`;
  return (
    `Tokenisation floor: wink-nlp with no pipes, readDoc + tokens().out() of ${whole(floor.sentences)} sentences ` +
    `(${whole(floor.tokens)} tokens): ${whole(floor.ms)} ms` +
    (floor.runsMs && floor.runsMs.length > 1 ? ` (median of ${floor.runsMs.map(whole).join(", ")} ms, each in a fresh process)` : "") +
    ` — index build should be ≤ 1.3× this = ${whole(floor.ms * 1.3)} ms.`
  );
}

/** Writes bench/results/<timestamp>.json and returns its path. */
export function writeResults(dir: string, date: string, data: unknown): string {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${date.replace(/[:.]/g, "-")}.json`);
  // Indented for reading, but lists of numbers (ranks per question) kept on one line each.
  const json = JSON.stringify(data, null, 2).replace(/\[(\s*(?:-?[\d.e+-]+|null)\s*,?)+\]/g, (list) => list.replace(/\s+/g, ""));
  writeFileSync(file, json + "\n");
  return file;
}
