/**
 * A document's text → blocks of prose (paragraphs) with the line each starts on.
 * Plain text: one paragraph per line, unless the file is hard-wrapped (then blank lines separate paragraphs).
 * Markdown: blank-line paragraphs, headings and list items as their own blocks, code and tables skipped,
 * inline markup reduced to its text. Front matter is skipped in both.
 *
 * Everything here runs in time linear in the text: a corpus file is untrusted input, and one line that
 * makes a regular expression backtrack would stall every refresh (see test/corpus/hostile-files.test.ts).
 */
import { inlineTextInSteps } from "./inline-markup.js";
import { CHARS_PER_STEP, LINES_PER_STEP, runToEnd, type Steps } from "./steps.js";
import { isSpaceCode, wordCharacterAt } from "../text/characters.js";

export interface Block {
  text: string;
  /** 1-based line of the document where the block starts. */
  line: number;
  /** Lines of the document where each joined source line starts within `text` (for hard-wrapped paragraphs). */
  lineStarts: Array<{ offset: number; line: number }>;
  isHeading: boolean;
}

/** Paragraphs longer than this are cut into pieces at whitespace, so no single text sent to the NLP is unbounded. */
export const MAX_BLOCK_CHARS = 8_000;

export function frontMatterLength(lines: readonly string[]): number {
  if (lines[0]?.trim() !== "---") return 0;
  for (let i = 1; i < Math.min(lines.length, 200); i++) {
    if (lines[i]!.trim() === "---" || lines[i]!.trim() === "...") return i + 1;
  }
  return 0;
}

export function blocksOf(text: string, format: "txt" | "md"): Block[] {
  return runToEnd(blocksInSteps(text, format));
}

/** `blocksOf` as steps, pausing every LINES_PER_STEP lines and blocks (see steps.ts). */
export function* blocksInSteps(text: string, format: "txt" | "md"): Steps<Block[]> {
  const lines = yield* linesOf(text.replace(/^\uFEFF/, ""));
  const first = frontMatterLength(lines);
  const raw = yield* (format === "md" ? markdownBlocks(lines, first) : plainBlocks(lines, first));
  const blocks: Block[] = [];
  for (const [i, block] of raw.entries()) {
    if (yield* isProse(block)) for (const piece of yield* splitLongBlock(block)) blocks.push(piece);
    if (i % LINES_PER_STEP === LINES_PER_STEP - 1) yield;
  }
  return blocks;
}

/** Runs of this many non-space characters are not words (base64, hashes, minified code). */
const LONGEST_WORD = 40;

/**
 * Text mostly made of non-words is skipped: it cannot answer a question and only costs analysis time.
 * That is overlong "words" (`\S{40,}` covering over half the text), or symbols outnumbering letters and
 * digits two to one (markup debris such as `* * *` or `[ ( <`, which wink-nlp would otherwise turn into
 * one token per character). One scan of the text: regular expressions cost a match object per symbol.
 */
function* isProse(block: Block): Steps<boolean> {
  const { text } = block;
  let junk = 0;
  let run = 0;
  let nonSpace = 0;
  let symbols = 0;
  for (let i = 0, pause = CHARS_PER_STEP; i < text.length; ) {
    if (i >= pause) {
      pause += CHARS_PER_STEP;
      yield;
    }
    if (isSpaceCode(text.charCodeAt(i))) {
      if (run >= LONGEST_WORD) junk += run;
      run = 0;
      i++;
      continue;
    }
    const word = wordCharacterAt(text, i);
    const units = word || (text.codePointAt(i)! > 0xffff ? 2 : 1);
    if (!word) symbols += units;
    nonSpace += units;
    run += units;
    i += units;
  }
  if (run >= LONGEST_WORD) junk += run;
  return junk <= text.length / 2 && symbols <= (nonSpace * 2) / 3;
}

function* plainBlocks(lines: readonly string[], first: number): Steps<Block[]> {
  if (yield* isHardWrapped(lines, first)) return yield* paragraphs(lines, first);
  const blocks: Block[] = [];
  for (let i = first; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line) blocks.push({ text: line, line: i + 1, lineStarts: [{ offset: 0, line: i + 1 }], isHeading: false });
    if (i % LINES_PER_STEP === 0) yield;
  }
  return blocks;
}

/** `text.split(/\r\n|\r|\n/)`, pausing every LINES_PER_STEP lines: a million short lines take a while. */
function* linesOf(text: string): Steps<string[]> {
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

/** The length of a line without its trailing white space (`line.trimEnd().length`, without the copy). */
function trimmedLength(line: string): number {
  let end = line.length;
  while (end > 0 && isSpaceCode(line.charCodeAt(end - 1))) end--;
  return end;
}

/**
 * Hard-wrapped text (lines cut at a fixed width) has most lines of similar length, ending mid-sentence.
 * Two counting passes over the lines from `first`, pausing as they go.
 */
function* isHardWrapped(lines: readonly string[], first: number): Steps<boolean> {
  let nonBlank = 0;
  let longest = 0;
  for (let i = first; i < lines.length; i++) {
    const length = trimmedLength(lines[i]!);
    if (length > 0) nonBlank++;
    longest = Math.max(longest, length);
    if (i % LINES_PER_STEP === 0) yield;
  }
  if (nonBlank < 5 || longest > 120) return false;
  let wrapped = 0;
  for (let i = first; i < lines.length; i++) {
    const line = lines[i]!;
    const length = trimmedLength(line);
    if (length > 0 && length >= longest * 0.6 && !LINE_END_PUNCTUATION.includes(line[length - 1]!)) wrapped++;
    if (i % LINES_PER_STEP === 0) yield;
  }
  return wrapped >= nonBlank * 0.5;
}

const LINE_END_PUNCTUATION = `.!?:"'”’)`;

/** Blank-line separated paragraphs, lines joined by a space. */
function* paragraphs(lines: readonly string[], first: number): Steps<Block[]> {
  const blocks: Block[] = [];
  let current: Block | undefined;
  for (let i = first; i < lines.length; i++) {
    if (i % LINES_PER_STEP === 0) yield;
    const line = lines[i]!.trim();
    if (!line) {
      current = undefined;
      continue;
    }
    if (!current) {
      current = { text: line, line: i + 1, lineStarts: [{ offset: 0, line: i + 1 }], isHeading: false };
      blocks.push(current);
    } else {
      current.lineStarts.push({ offset: current.text.length + 1, line: i + 1 });
      current.text += " " + line;
    }
  }
  return blocks;
}

function* markdownBlocks(lines: readonly string[], first: number): Steps<Block[]> {
  const blocks: Block[] = [];
  let current: Block | undefined;
  let inFence = false;
  const push = (text: string, line: number, isHeading: boolean) => {
    const block: Block = { text, line, lineStarts: [{ offset: 0, line }], isHeading };
    blocks.push(block);
    return block;
  };
  for (let i = first; i < lines.length; i++) {
    if (i % LINES_PER_STEP === 0) yield;
    const rawLine = lines[i]!;
    const line = rawLine.trim();
    if (/^(```|~~~)/.test(line)) {
      inFence = !inFence;
      current = undefined;
      continue;
    }
    // Code, tables, rules and HTML are not prose to answer with.
    if (inFence || line.startsWith("|") || isRule(line) || /^<[^>]+>$/.test(line) || /^ {4,}\S/.test(rawLine)) {
      current = undefined;
      continue;
    }
    if (!line) {
      current = undefined;
      continue;
    }
    const heading = headingText(line);
    if (heading !== undefined) {
      push(yield* inlineTextInSteps(heading), i + 1, true);
      current = undefined;
      continue;
    }
    const item = listItemText(line);
    const text = yield* inlineTextInSteps((item ?? line).replace(/^>\s?/, ""));
    if (!text) continue;
    if (item !== undefined || !current) {
      current = push(text, i + 1, false);
    } else {
      current.lineStarts.push({ offset: current.text.length + 1, line: i + 1 });
      current.text += " " + text;
    }
  }
  return blocks;
}

/** A thematic break: three or more of `-`, `*`, `_` and nothing else but spaces (`/^([-*_]\s*){3,}$/`). */
function isRule(line: string): boolean {
  return /^[-*_][-*_\s]*$/.test(line) && line.replace(/\s+/g, "").length >= 3;
}

/**
 * The text of a Markdown heading line (trimmed), as `/^#{1,6}\s+(.*?)\s*#*$/` would capture it, or undefined.
 * Closing `#`s and spaces are cut from the end by a scan: the regex retried the tail at every character.
 */
function headingText(line: string): string | undefined {
  const opening = /^#{1,6}\s+/.exec(line);
  if (!opening) return undefined;
  let end = line.length;
  while (end > opening[0].length && line[end - 1] === "#") end--;
  while (end > opening[0].length && /\s/.test(line[end - 1]!)) end--;
  const text = line.slice(opening[0].length, end);
  return LINE_TERMINATOR.test(text) ? undefined : text;
}

/** The text of a list item line, as `/^(?:[-*+]|\d+[.)])\s+(.*)$/` would capture it, or undefined. */
function listItemText(line: string): string | undefined {
  const marker = /^(?:[-*+]|\d+[.)])\s+/.exec(line);
  if (!marker) return undefined;
  const text = line.slice(marker[0].length);
  return LINE_TERMINATOR.test(text) ? undefined : text;
}

/** The characters `.` does not match (lines are split at \n and \r, but U+2028/9 can remain). */
const LINE_TERMINATOR = /[\n\r\u2028\u2029]/;

/** Pieces of a long block, pausing every PIECES_PER_STEP pieces (a 5 MB line makes 650 of them). */
function* splitLongBlock(block: Block): Steps<Block[]> {
  if (block.text.length <= MAX_BLOCK_CHARS) return [block];
  const pieces: Block[] = [];
  let offset = 0;
  while (offset < block.text.length) {
    if (pieces.length % PIECES_PER_STEP === PIECES_PER_STEP - 1) yield;
    let end = Math.min(block.text.length, offset + MAX_BLOCK_CHARS);
    if (end < block.text.length) {
      // Prefer to cut after a sentence end, else at a space, within the last quarter of the piece.
      const window = block.text.slice(offset + MAX_BLOCK_CHARS * 0.75, end);
      const sentenceEnd = lastSentenceEnd(window);
      const space = window.lastIndexOf(" ");
      const cut = sentenceEnd >= 0 ? sentenceEnd + 1 : space;
      if (cut >= 0) end = offset + MAX_BLOCK_CHARS * 0.75 + cut;
    }
    pieces.push({
      text: block.text.slice(offset, end).trim(),
      line: lineAt(block, offset),
      lineStarts: [{ offset: 0, line: lineAt(block, offset) }],
      isHeading: block.isHeading,
    });
    offset = end;
  }
  return pieces.filter((p) => p.text);
}

const PIECES_PER_STEP = 32;

/**
 * Where `/[.!?]\s(?!.*[.!?]\s)/` matches: the last sentence end of the line, found in one pass over the
 * sentence ends (the lookahead rescanned the rest of the text from each of them).
 */
function lastSentenceEnd(text: string): number {
  const ends = [...text.matchAll(/[.!?]\s/g)].map((m) => m.index);
  for (let i = 0; i < ends.length; i++) {
    const next = ends[i + 1];
    // `.` stops at a line terminator, so a later sentence end on another line does not count.
    if (next === undefined || LINE_TERMINATOR.test(text.slice(ends[i]! + 2, next))) return ends[i]!;
  }
  return -1;
}

/** The document line of a character offset within a block. */
export function lineAt(block: Block, offset: number): number {
  let line = block.line;
  for (const start of block.lineStarts) {
    if (start.offset <= offset) line = start.line;
    else break;
  }
  return line;
}
