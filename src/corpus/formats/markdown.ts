/**
 * Markdown (.md, .markdown) read by `markdown-it` in its CommonMark mode with tables (a CommonMark-compliant
 * parser with a line map on every block): paragraphs, list items and quoted paragraphs are blocks; headings
 * give the following blocks their heading path; code, tables, raw HTML and rules are not prose and are left
 * out. Each block's place is its heading path and its line. YAML front matter gives metadata.
 *
 * Why not micromark (remark's parser): on this machine it read prose at ~1–2.5 MB/s, and a 200 kB file of short
 * Markdown lines took 13.5 s, a 1 MB unclosed-emphasis paragraph 6.3 s (test/corpus/hostile-files.test.ts
 * allows 3 s); markdown-it took 43 ms, 201 ms and 374 ms on the same three texts.
 */
import MarkdownIt from "markdown-it";
import { LINES_PER_STEP, runInSlices, type Steps } from "../../core/steps.js";
import type { Token } from "markdown-it/index.js";
import type { Place, TextBlock } from "../../core/types.js";
import { frontMatterLines, metaFromYaml } from "./front-matter.js";
import { decodeText, splitLinesInSlices } from "./text.js";
import { Deadline, type ReadLimits, type ReadResult } from "./reader.js";

/** CommonMark, plus GFM tables (which must be recognised to be left out); no raw HTML rendering is involved. */
const parser = new MarkdownIt("commonmark").enable("table");

export async function readMarkdown(bytes: Uint8Array, _name: string, limits: ReadLimits): Promise<ReadResult> {
  const decoded = decodeText(bytes);
  if ("skip" in decoded) return decoded;
  const lines = await splitLinesInSlices(decoded.text.replace(/^\uFEFF/, ""));
  const depth = await runInSlices(markdownNesting(lines), 10);
  if (depth > limits.maxDepth) return { skip: `nested ${depth} levels deep (more than ${limits.maxDepth}); not read` };
  const deadline = new Deadline(limits);
  // Front matter is read as YAML and replaced by blank lines, so that line numbers stay those of the file.
  const front = frontMatterLines(lines);
  const meta = front > 0 ? metaFromYaml(lines.slice(1, front - 1).join("\n")) : {};
  let titleHint: string | undefined;
  const blocks: TextBlock[] = [];
  const headings: string[] = [];
  const place = (line: number): Place => {
    const heading = headings.filter(Boolean).join(" › ");
    return { ...(heading && { heading }), line };
  };
  // A large file is parsed a chunk of paragraphs at a time, with a turn for the event loop between chunks:
  // markdown-it reads a few MB per second, and a refresh must not stop the bot answering for seconds.
  for (const chunk of chunksOf(lines, front)) {
    if (chunk.plain) {
      // One line longer than a chunk: no reader needs its markup; taken as it stands (it is rarely prose;
      // the analysis collapses its white space in steps).
      const text = lines[chunk.first]!.trim();
      if (text) blocks.push({ text, place: place(chunk.first + 1) });
    } else {
      const source = lines.slice(chunk.first, chunk.end).map((line, i) => (chunk.first + i < front ? "" : line)).join("\n");
      titleHint = blocksOfTokens(parser.parse(source, {}), chunk.first, headings, place, blocks) ?? titleHint;
    }
    if (deadline.passed) return { skip: deadline.message("while parsing") };
    if (chunk.end < lines.length) await new Promise((resolve) => setImmediate(resolve));
  }
  return { text: decoded.text, blocks, meta, ...(titleHint && { titleHint }) };
}

/**
 * The blocks of one parsed chunk, appended to `blocks`; `offset` is the chunk's first line in the file, and
 * `headings` the heading path so far (it carries over from chunk to chunk). Returns the first level-1
 * heading, if the chunk has one.
 */
function blocksOfTokens(tokens: readonly Token[], offset: number, headings: string[], place: (line: number) => Place, blocks: TextBlock[]): string | undefined {
  let titleHint: string | undefined;
  let depthInTable = 0;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (token.type === "table_open") depthInTable++;
    else if (token.type === "table_close") depthInTable--;
    if (depthInTable > 0 || token.type !== "inline") continue;
    const opener = tokens[i - 1];
    const startLine = offset + (token.map?.[0] ?? opener?.map?.[0] ?? 0) + 1;
    const { text, lines: starts } = inlineText(token.children ?? [], startLine);
    if (opener?.type === "heading_open") {
      const level = Number(opener.tag.slice(1));
      headings.length = level - 1;
      headings[level - 1] = text;
      if (level === 1) titleHint ??= text;
      if (text) blocks.push({ text, place: place(startLine), isHeading: true });
    } else if (opener?.type === "paragraph_open" && text) {
      const [first, ...rest] = starts;
      blocks.push({ text, place: place(first?.line ?? startLine), ...(rest.length > 0 && { starts: rest.map((l) => ({ offset: l.offset, place: place(l.line) })) }) });
    }
  }
  return titleHint;
}

/** Files up to this size are parsed whole (every Markdown construct across the file works as CommonMark says). */
const WHOLE_CHARS = 256 * 1024;
/** Larger files are cut into chunks of about this size, at a blank line outside a code fence (markdown-it reads dense Markdown at about 1 MB/s). */
const CHUNK_CHARS = 32 * 1024;

/**
 * Line ranges [first, end) to parse one at a time. A chunk ends at the first blank line (outside a fenced
 * code block) once it holds CHUNK_CHARS, or anywhere once it holds twice that (a file without blank
 * lines); a single line longer than CHUNK_CHARS is a chunk of its own, taken as plain text. Constructs that
 * span a cut (a reference link defined in another chunk, a loose list) read as plain text there.
 */
function chunksOf(lines: readonly string[], front: number): Array<{ first: number; end: number; plain?: true }> {
  let total = 0;
  for (const line of lines) total += line.length + 1;
  if (total <= WHOLE_CHARS) return [{ first: 0, end: lines.length }];
  const chunks: Array<{ first: number; end: number; plain?: true }> = [];
  let first = 0;
  let size = 0;
  let inFence = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.length > CHUNK_CHARS && i >= front) {
      if (i > first) chunks.push({ first, end: i });
      chunks.push({ first: i, end: i + 1, plain: true });
      first = i + 1;
      size = 0;
      continue;
    }
    if (/^ {0,3}(```|~~~)/.test(line)) inFence = !inFence;
    size += line.length + 1;
    const blank = line.trim() === "";
    if ((size >= CHUNK_CHARS && blank && !inFence) || size >= 2 * CHUNK_CHARS) {
      chunks.push({ first, end: i + 1 });
      first = i + 1;
      size = 0;
    }
  }
  if (first < lines.length) chunks.push({ first, end: lines.length });
  return chunks;
}

/**
 * Inline tokens → the text a reader sees (emphasis, links and code reduced to their text, images to their alt
 * text, raw HTML dropped), whitespace collapsed, with the offset at which each source line starts.
 */
function inlineText(children: readonly Token[], startLine: number): { text: string; lines: Array<{ offset: number; line: number }> } {
  let raw = "";
  const collect = (list: readonly Token[]) => {
    for (const token of list) {
      if (token.type === "text" || token.type === "code_inline") raw += token.content;
      else if (token.type === "softbreak" || token.type === "hardbreak") raw += "\n";
      else if (token.type === "image") collect(token.children ?? []);
    }
  };
  collect(children);
  // Each source line's text collapsed on its own (one regex pass), then joined by single spaces.
  let text = "";
  const lines: Array<{ offset: number; line: number }> = [];
  raw.split("\n").forEach((segment, k) => {
    const collapsed = segment.replace(/\s+/g, " ").trim();
    if (!collapsed) return;
    if (text) text += " ";
    lines.push({ offset: text.length, line: startLine + k });
    text += collapsed;
  });
  if (lines.length === 0) lines.push({ offset: 0, line: startLine });
  return { text, lines };
}

/**
 * How deeply block quotes and lists nest, counted from line prefixes before parsing: `>`s, list markers
 * (`-`, `*`, `+` followed by a space) and leading indentation (4 columns a level). markdown-it itself stops
 * nesting at 20 levels; a file nested hundreds deep is refused with its reason rather than read flattened.
 */
function* markdownNesting(lines: readonly string[]): Steps<number> {
  let deepest = 0;
  for (const [n, line] of lines.entries()) {
    if (n % LINES_PER_STEP === LINES_PER_STEP - 1) yield;
    let depth = 0;
    let leading = 0;
    let indented = true;
    for (let i = 0; i < line.length; i++) {
      const char = line[i]!;
      const next = line[i + 1];
      if (char === ">") depth++;
      else if ((char === "*" || char === "+" || char === "-") && (next === " " || next === "\t")) depth++;
      else if (char === " " || char === "\t") {
        if (indented) leading++;
        continue;
      } else if (!(char >= "0" && char <= "9") && char !== "." && char !== ")") break;
      indented = false;
    }
    deepest = Math.max(deepest, depth, Math.floor(leading / 4));
  }
  return deepest;
}
