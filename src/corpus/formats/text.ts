/**
 * Plain text (.txt): one paragraph per line, unless the file is hard-wrapped (lines cut at a fixed width,
 * detected by their lengths), then blank-line separated paragraphs. Each block's place is its line.
 * A YAML front matter block at the top gives metadata and is not prose.
 */
import { LINES_PER_STEP, runInSlices, runToEnd, type Steps } from "../../core/steps.js";
import type { DocumentMeta, SourceDocument, TextBlock } from "../../core/types.js";
import { frontMatterLines, metaFromYaml } from "./front-matter.js";
import type { ReadResult } from "./reader.js";

/** UTF-8 bytes → text, or why they are not a text file. */
export function decodeText(bytes: Uint8Array): { text: string } | { skip: string } {
  if (bytes.includes(0)) return { skip: "binary (contains NUL bytes)" };
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    return { skip: "not valid UTF-8 text; save it as UTF-8" };
  }
  if (text.trim() === "") return { skip: "empty" };
  return { text };
}

export function splitLines(text: string): string[] {
  return text.split(/\r\n|\r|\n/);
}

/** `splitLines` in 10 ms slices: a file of a million short lines takes over 100 ms to split. */
export function splitLinesInSlices(text: string): Promise<string[]> {
  return runInSlices(linesInSteps(text), SLICE_MS);
}

function* linesInSteps(text: string): Steps<string[]> {
  const lines: string[] = [];
  const breaks = /\r\n|\r|\n/g;
  let start = 0;
  for (let found = breaks.exec(text); found; found = breaks.exec(text)) {
    lines.push(text.slice(start, found.index));
    start = found.index + found[0].length;
    if (lines.length % LINES_PER_STEP === 0) yield;
  }
  lines.push(text.slice(start));
  return lines;
}

export async function readText(bytes: Uint8Array): Promise<ReadResult> {
  const decoded = decodeText(bytes);
  if ("skip" in decoded) return decoded;
  const lines = await splitLinesInSlices(decoded.text);
  const first = frontMatterLines(lines);
  const meta = first > 0 ? metaFromYaml(lines.slice(1, first - 1).join("\n")) : {};
  // In 10 ms slices: a file of a million short lines takes a few hundred milliseconds, and a refresh must
  // not hold the bot that long.
  return { text: decoded.text, blocks: await runInSlices(plainBlocksInSteps(lines, first), SLICE_MS), meta };
}

const SLICE_MS = 10;

export function plainBlocks(lines: readonly string[], first: number): TextBlock[] {
  return runToEnd(plainBlocksInSteps(lines, first));
}

function* plainBlocksInSteps(lines: readonly string[], first: number): Steps<TextBlock[]> {
  if (yield* isHardWrapped(lines, first)) return yield* paragraphs(lines, first);
  const blocks: TextBlock[] = [];
  for (let i = first; i < lines.length; i++) {
    if (i % LINES_PER_STEP === 0) yield;
    const line = lines[i]!.trim();
    if (line) blocks.push({ text: line, place: { line: i + 1 } });
  }
  return blocks;
}

/** Hard-wrapped text (lines cut at a fixed width) has most lines of similar length, ending mid-sentence. */
function* isHardWrapped(lines: readonly string[], first: number): Steps<boolean> {
  const lengths: number[] = [];
  const endsOpen: boolean[] = [];
  let longest = 0;
  for (let i = first; i < lines.length; i++) {
    if (i % LINES_PER_STEP === 0) yield;
    const line = lines[i]!.trimEnd();
    if (line.trim().length === 0) continue;
    lengths.push(line.length);
    endsOpen.push(!/[.!?:"'”’)]$/.test(line));
    if (line.length > longest) longest = line.length;
  }
  if (lengths.length < 5 || longest > 120) return false;
  let wrapped = 0;
  for (let i = 0; i < lengths.length; i++) if (lengths[i]! >= longest * 0.6 && endsOpen[i]) wrapped++;
  return wrapped >= lengths.length * 0.5;
}

/** Blank-line separated paragraphs, lines joined by a space, each line's start remembered. */
function* paragraphs(lines: readonly string[], first: number): Steps<TextBlock[]> {
  const blocks: TextBlock[] = [];
  let current: { text: string; place: { line: number }; starts: Array<{ offset: number; place: { line: number } }> } | undefined;
  for (let i = first; i < lines.length; i++) {
    if (i % LINES_PER_STEP === 0) yield;
    const line = lines[i]!.trim();
    if (!line) {
      current = undefined;
      continue;
    }
    if (!current) {
      current = { text: line, place: { line: i + 1 }, starts: [] };
      blocks.push(current);
    } else {
      current.starts.push({ offset: current.text.length + 1, place: { line: i + 1 } });
      current.text += " " + line;
    }
  }
  return blocks;
}

/** A plain text document made from a string (tests, tools): the blocks the .txt reader gives for the same bytes. */
export function textDocument(id: string, text: string, meta: DocumentMeta): SourceDocument {
  const lines = splitLines(text);
  return { id, text, meta, bytes: Buffer.byteLength(text), blocks: plainBlocks(lines, frontMatterLines(lines)) };
}
