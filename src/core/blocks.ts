/**
 * A document's text → blocks of prose (paragraphs) with the line each starts on.
 * Plain text: one paragraph per line, unless the file is hard-wrapped (then blank lines separate paragraphs).
 * Markdown: blank-line paragraphs, headings and list items as their own blocks, code and tables skipped,
 * inline markup reduced to its text. Front matter is skipped in both.
 */

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
  const lines = text.replace(/^\uFEFF/, "").split(/\r\n|\r|\n/);
  const first = frontMatterLength(lines);
  const raw = format === "md" ? markdownBlocks(lines, first) : plainBlocks(lines, first);
  return raw.filter(isProse).flatMap(splitLongBlock);
}

/** Runs of this many non-space characters are not words (base64, hashes, minified code). */
const LONGEST_WORD = 40;

/** Text mostly made of non-words is skipped: it cannot answer a question and only costs analysis time. */
function isProse(block: Block): boolean {
  let junk = 0;
  for (const match of block.text.matchAll(new RegExp(`\\S{${LONGEST_WORD},}`, "g"))) junk += match[0].length;
  return junk <= block.text.length / 2;
}

function plainBlocks(lines: readonly string[], first: number): Block[] {
  if (isHardWrapped(lines.slice(first))) return paragraphs(lines, first, (line) => line);
  const blocks: Block[] = [];
  for (let i = first; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line) blocks.push({ text: line, line: i + 1, lineStarts: [{ offset: 0, line: i + 1 }], isHeading: false });
  }
  return blocks;
}

/** Hard-wrapped text (lines cut at a fixed width) has most lines of similar length, ending mid-sentence. */
function isHardWrapped(lines: readonly string[]): boolean {
  const nonBlank = lines.map((l) => l.trimEnd()).filter((l) => l.trim().length > 0);
  if (nonBlank.length < 5) return false;
  const longest = Math.max(...nonBlank.map((l) => l.length));
  if (longest > 120) return false;
  const wrapped = nonBlank.filter((l) => l.length >= longest * 0.6 && !/[.!?:"'”’)]$/.test(l));
  return wrapped.length >= nonBlank.length * 0.5;
}

/** Blank-line separated paragraphs, lines joined by a space. */
function paragraphs(lines: readonly string[], first: number, clean: (line: string) => string): Block[] {
  const blocks: Block[] = [];
  let current: Block | undefined;
  for (let i = first; i < lines.length; i++) {
    const line = clean(lines[i]!.trim());
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

function markdownBlocks(lines: readonly string[], first: number): Block[] {
  const blocks: Block[] = [];
  let current: Block | undefined;
  let inFence = false;
  const push = (text: string, line: number, isHeading: boolean) => {
    const block: Block = { text, line, lineStarts: [{ offset: 0, line }], isHeading };
    blocks.push(block);
    return block;
  };
  for (let i = first; i < lines.length; i++) {
    const rawLine = lines[i]!;
    const line = rawLine.trim();
    if (/^(```|~~~)/.test(line)) {
      inFence = !inFence;
      current = undefined;
      continue;
    }
    // Code, tables, rules and HTML are not prose to answer with.
    if (inFence || /^\|/.test(line) || /^([-*_]\s*){3,}$/.test(line) || /^<[^>]+>$/.test(line) || /^ {4,}\S/.test(rawLine)) {
      current = undefined;
      continue;
    }
    if (!line) {
      current = undefined;
      continue;
    }
    const heading = /^#{1,6}\s+(.*?)\s*#*$/.exec(line);
    if (heading) {
      push(inlineText(heading[1]!), i + 1, true);
      current = undefined;
      continue;
    }
    const item = /^(?:[-*+]|\d+[.)])\s+(.*)$/.exec(line);
    const text = inlineText((item ? item[1]! : line).replace(/^>\s?/, ""));
    if (!text) continue;
    if (item || !current) {
      current = push(text, i + 1, false);
    } else {
      current.lineStarts.push({ offset: current.text.length + 1, line: i + 1 });
      current.text += " " + text;
    }
  }
  return blocks;
}

/** Markdown inline markup → the text a reader sees. */
export function inlineText(text: string): string {
  return text
    .replace(/!\[([^\]]*)\]\([^)]*\)/g, "$1")
    .replace(/\[([^\]]+)\]\([^)]*\)/g, "$1")
    .replace(/<(https?:[^>]+)>/g, "$1")
    .replace(/(\*\*|__)(.+?)\1/g, "$2")
    .replace(/(^|[^\w*])\*(?!\s)(.+?)\*(?!\w)/g, "$1$2")
    .replace(/`([^`]*)`/g, "$1")
    .replace(/<\/?[a-z][^>]*>/gi, "")
    .trim();
}

function splitLongBlock(block: Block): Block[] {
  if (block.text.length <= MAX_BLOCK_CHARS) return [block];
  const pieces: Block[] = [];
  let offset = 0;
  while (offset < block.text.length) {
    let end = Math.min(block.text.length, offset + MAX_BLOCK_CHARS);
    if (end < block.text.length) {
      // Prefer to cut after a sentence end, else at a space, within the last quarter of the piece.
      const window = block.text.slice(offset + MAX_BLOCK_CHARS * 0.75, end);
      const sentenceEnd = window.search(/[.!?]\s(?!.*[.!?]\s)/);
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

/** The document line of a character offset within a block. */
export function lineAt(block: Block, offset: number): number {
  let line = block.line;
  for (const start of block.lineStarts) {
    if (start.offset <= offset) line = start.line;
    else break;
  }
  return line;
}
