/**
 * A document's blocks, as its reader produced them, → the blocks worth analysing: blocks that are mostly not
 * words (base64, hashes, minified code) left out, very long paragraphs cut into pieces so that no single text
 * sent to the NLP is unbounded. Nothing here knows about file formats: a block is text with its place.
 */
import type { Place, TextBlock } from "./types.js";

/** Paragraphs longer than this are cut into pieces at whitespace, so no single text sent to the NLP is unbounded. */
export const MAX_BLOCK_CHARS = 8_000;

export function analysableBlocks(blocks: readonly TextBlock[]): TextBlock[] {
  return blocks.filter(isProse).flatMap(splitLongBlock);
}

/** Runs of this many non-space characters are not words (base64, hashes, minified code). */
const LONGEST_WORD = 40;
const NON_WORD = new RegExp(`\\S{${LONGEST_WORD},}`, "g");

/** Text mostly made of non-words is skipped: it cannot answer a question and only costs analysis time. */
function isProse(block: TextBlock): boolean {
  let junk = 0;
  for (const match of block.text.matchAll(NON_WORD)) junk += match[0].length;
  return junk <= block.text.length / 2;
}

function splitLongBlock(block: TextBlock): TextBlock[] {
  if (block.text.length <= MAX_BLOCK_CHARS) return [block];
  const pieces: TextBlock[] = [];
  let offset = 0;
  while (offset < block.text.length) {
    let end = Math.min(block.text.length, offset + MAX_BLOCK_CHARS);
    if (end < block.text.length) {
      // Prefer to cut after a sentence end, else at a space, within the last quarter of the piece.
      const window = block.text.slice(offset + MAX_BLOCK_CHARS * 0.75, end);
      let sentenceEnd = -1;
      for (const match of window.matchAll(/[.!?]\s/g)) sentenceEnd = match.index;
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

/** The place of a character offset within a block: where the part of the block holding it starts. */
export function placeAt(block: TextBlock, offset: number): Place {
  let place = block.place;
  for (const start of block.starts ?? []) {
    if (start.offset <= offset) place = start.place;
    else break;
  }
  return place;
}
