/**
 * A document's blocks, as its reader produced them, → the blocks worth analysing: blocks that are mostly not
 * words (base64, hashes, minified code, markup debris) left out, very long paragraphs cut into pieces so that
 * no single text sent to the NLP is unbounded. Nothing here knows about file formats: a block is text with
 * its place (src/corpus/formats/ make them).
 *
 * Everything here runs in time linear in the text: a corpus file is untrusted input, and one line that
 * makes a regular expression backtrack would stall every refresh (see test/corpus/hostile-files.test.ts).
 */
import { CHARS_PER_STEP, LINES_PER_STEP, runToEnd, type Steps } from "./steps.js";
import type { Place, TextBlock } from "./types.js";
import { isSpaceCode, wordCharacterAt } from "../text/characters.js";

/** Paragraphs longer than this are cut into pieces at whitespace, so no single text sent to the NLP is unbounded. */
export const MAX_BLOCK_CHARS = 8_000;

export function analysableBlocks(blocks: readonly TextBlock[]): TextBlock[] {
  return runToEnd(analysableBlocksInSteps(blocks));
}

/** `analysableBlocks` as steps, pausing every LINES_PER_STEP blocks and inside long ones (see steps.ts). */
export function* analysableBlocksInSteps(blocks: readonly TextBlock[]): Steps<TextBlock[]> {
  const kept: TextBlock[] = [];
  for (const [i, block] of blocks.entries()) {
    if (yield* isProse(block)) for (const piece of yield* splitLongBlock(block)) kept.push(piece);
    if (i % LINES_PER_STEP === LINES_PER_STEP - 1) yield;
  }
  return kept;
}

/** Runs of this many non-space characters are not words (base64, hashes, minified code). */
const LONGEST_WORD = 40;

/**
 * Text mostly made of non-words is skipped: it cannot answer a question and only costs analysis time.
 * That is overlong "words" (`\S{40,}` covering over half the text), or symbols outnumbering letters and
 * digits two to one (markup debris such as `* * *` or `[ ( <`, which wink-nlp would otherwise turn into
 * one token per character). One scan of the text: regular expressions cost a match object per symbol.
 */
function* isProse(block: TextBlock): Steps<boolean> {
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

/** The characters `.` does not match (lines are split at \n and \r, but U+2028/9 can remain). */
const LINE_TERMINATOR = /[\n\r\u2028\u2029]/;

/** Pieces of a long block, pausing every PIECES_PER_STEP pieces (a 5 MB line makes 650 of them). */
function* splitLongBlock(block: TextBlock): Steps<TextBlock[]> {
  if (block.text.length <= MAX_BLOCK_CHARS) return [block];
  const pieces: TextBlock[] = [];
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
    const text = block.text.slice(offset, end);
    const lead = text.length - text.trimStart().length;
    const starts = (block.starts ?? [])
      .filter((s) => s.offset > offset + lead && s.offset < end)
      .map((s) => ({ offset: s.offset - offset - lead, place: s.place }));
    if (text.trim()) {
      pieces.push({ text: text.trim(), place: placeAt(block, offset + lead), ...(starts.length > 0 && { starts }), ...(block.isHeading && { isHeading: true }) });
    }
    offset = end;
  }
  return pieces;
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

/** The place of a character offset within a block: where the part of the block holding it starts. */
export function placeAt(block: TextBlock, offset: number): Place {
  let place = block.place;
  for (const start of block.starts ?? []) {
    if (start.offset <= offset) place = start.place;
    else break;
  }
  return place;
}
