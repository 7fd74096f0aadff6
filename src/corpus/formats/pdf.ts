/**
 * PDF → text per page, in reading order, from Mozilla's pdf.js (`pdfjs-dist`, the legacy build, which runs on
 * Node 20): text items grouped into lines, lines into paragraphs by their spacing, words hyphenated at a line
 * end joined again, running headers and footers (the same line, digits aside, at the top or bottom of most
 * pages) dropped, a paragraph that runs over a page break kept whole. Each block's place is its page.
 * Encrypted, image-only (no text layer) and not-really-PDF files are skipped with what to do about them.
 */
import { createRequire } from "node:module";
import path from "node:path";
import { constants, inflateSync } from "node:zlib";
import type { Place, TextBlock } from "../../core/types.js";
import { collapse, Deadline, type ReadLimits, type ReadResult } from "./reader.js";

type PdfJs = typeof import("pdfjs-dist/legacy/build/pdf.mjs");
let pdfjs: Promise<PdfJs> | undefined;
/** Loaded on first use: a corpus without PDFs never pays for it. */
const loadPdfJs = () => (pdfjs ??= import("pdfjs-dist/legacy/build/pdf.mjs"));

const packageDir = path.dirname(createRequire(import.meta.url).resolve("pdfjs-dist/package.json"));

interface Line {
  text: string;
  /** Baseline height on the page (PDF units, upwards). */
  y: number;
  size: number;
}

export async function readPdf(bytes: Uint8Array, _name: string, limits: ReadLimits): Promise<ReadResult> {
  if (!isPdf(bytes)) {
    return { skip: "not a PDF (no %PDF header); if it is text or a web page, give it the matching extension (.txt, .md, .html)" };
  }
  const deadline = new Deadline(limits);
  if (expandsBeyond(bytes, limits.maxExpandedBytes)) {
    return { skip: `its compressed streams expand to more than ${limits.maxExpandedBytes / 1024 / 1024} MB (a PDF bomb?); not read` };
  }
  const { getDocument } = await loadPdfJs();
  const task = getDocument({
    // pdf.js takes ownership of (detaches) the buffer it is given: hand it a copy.
    data: new Uint8Array(bytes),
    isEvalSupported: false,
    disableFontFace: true,
    useSystemFonts: false,
    verbosity: 0,
    standardFontDataUrl: path.join(packageDir, "standard_fonts") + path.sep,
    cMapUrl: path.join(packageDir, "cmaps") + path.sep,
    cMapPacked: true,
  });
  try {
    let pdf: Awaited<typeof task.promise>;
    try {
      pdf = await task.promise;
    } catch (error) {
      const name = (error as Error).name;
      if (name === "PasswordException") return { skip: "encrypted PDF (needs a password); save an unprotected copy" };
      return { skip: `damaged PDF (${(error as Error).message}); re-export or re-download it` };
    }
    if (pdf.numPages > limits.maxPages) return { skip: `PDF of ${pdf.numPages} pages, more than ${limits.maxPages}; split it` };
    const pages: Line[][] = [];
    let chars = 0;
    for (let number = 1; number <= pdf.numPages; number++) {
      if (deadline.passed) return { skip: deadline.message(`at page ${number} of ${pdf.numPages}`) };
      const page = await pdf.getPage(number);
      const content = await page.getTextContent();
      page.cleanup();
      const lines = linesOf(content.items as PdfItem[]);
      for (const line of lines) chars += line.text.length;
      if (chars > limits.maxChars) return { skip: `more than ${limits.maxChars.toLocaleString("en")} characters of text; split it` };
      pages.push(lines);
    }
    if (chars === 0 || pages.every((lines) => lines.every((l) => !/\p{L}/u.test(l.text)))) {
      return { skip: "image-only PDF: no text layer; run OCR first (e.g. ocrmypdf) and add the result" };
    }
    const join = lineJoiner(pages);
    const blocks = joinAcrossPages(dropRunningLines(pages).map((lines, i) => paragraphsOf(lines, i + 1, join)), join);
    if (blocks.length === 0) return { skip: "image-only PDF: no text layer; run OCR first (e.g. ocrmypdf) and add the result" };
    const info = ((await pdf.getMetadata().catch(() => undefined))?.info ?? {}) as Record<string, unknown>;
    const meta = {
      ...(typeof info.Title === "string" && collapse(info.Title) && { title: collapse(info.Title) }),
      ...(typeof info.Author === "string" && collapse(info.Author) && { author: collapse(info.Author) }),
    };
    return { text: blocks.map((b) => b.text).join("\n\n"), blocks, meta };
  } finally {
    await task.destroy();
  }
}

/**
 * Whether the file's Flate-compressed streams (content streams, fonts, forms: all but images, which text
 * extraction never decodes) inflate to more than `budget` bytes in all. pdf.js keeps a decoded stream whole in
 * memory, so a 1 MB file whose content stream inflates to 1 GB would take gigabytes and many seconds; this
 * inflates each stream once with zlib, its output capped by what is left of the budget, before pdf.js sees it.
 * Streams that do not inflate (encrypted, other filters, damaged) are left to pdf.js.
 */
export function expandsBeyond(bytes: Uint8Array, budget: number): boolean {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("latin1");
  let left = budget;
  const keyword = /stream\r?\n/g;
  for (let match = keyword.exec(text); match; match = keyword.exec(text)) {
    if (match.index > 0 && /[a-z]/i.test(text[match.index - 1]!)) continue; // "endstream"
    const dictionary = text.slice(Math.max(0, match.index - 2048), match.index);
    const start = dictionary.lastIndexOf("obj");
    const head = start >= 0 ? dictionary.slice(start) : dictionary;
    const end = text.indexOf("endstream", keyword.lastIndex);
    const data = bytes.subarray(keyword.lastIndex, end < 0 ? bytes.length : end);
    if (end >= 0) keyword.lastIndex = end + "endstream".length;
    if (/\/Subtype\s*\/Image/.test(head)) continue;
    const layers = (head.match(/\/(?:FlateDecode|Fl)\b/g) ?? []).length;
    let inflated: Uint8Array = data;
    for (let layer = 0; layer < layers && left >= 0; layer++) {
      try {
        inflated = inflateSync(inflated, { maxOutputLength: Math.max(1, left + 1), finishFlush: constants.Z_SYNC_FLUSH });
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "ERR_BUFFER_TOO_LARGE" || error instanceof RangeError) return true;
        break; // not plain zlib data (encrypted, damaged): pdf.js decides
      }
      if (layer === layers - 1) left -= inflated.length;
    }
    if (left < 0) return true;
  }
  return false;
}

function isPdf(bytes: Uint8Array): boolean {
  // The header may follow some junk; pdf.js and Acrobat look within the first kilobyte.
  return new TextDecoder("latin1").decode(bytes.subarray(0, 1024)).includes("%PDF-");
}

interface PdfItem {
  str?: string;
  transform?: number[];
  height?: number;
  hasEOL?: boolean;
}

/** Text items (in content order) → lines: a new line where an item ends one or the baseline moves. */
function linesOf(items: readonly PdfItem[]): Line[] {
  const lines: Line[] = [];
  let current: Line | undefined;
  let ended = false;
  for (const item of items) {
    if (typeof item.str !== "string") continue;
    const y = item.transform?.[5] ?? 0;
    const size = Math.abs(item.transform?.[3] ?? item.height ?? 0) || item.height || 1;
    if (item.str !== "") {
      if (!current || ended || Math.abs(current.y - y) > size / 2) {
        current = { text: "", y, size };
        lines.push(current);
      }
      current.text += item.str;
      ended = false;
    }
    if (item.hasEOL) ended = true;
  }
  return lines.map((l) => ({ ...l, text: l.text.replace(/\s+/g, " ").trim() })).filter((l) => l.text !== "");
}

/** The key of a running line: digits (page numbers, dates) do not count, nor case and spacing. */
const runningKey = (text: string) => text.toLowerCase().replace(/\d+/g, "#").replace(/\s+/g, " ");
/** How many lines at the top and at the bottom of a page can be a running header or footer. */
const EDGE_LINES = 2;
/** Running headers and footers are short: a title, a chapter, "Page 3 of 40". */
const RUNNING_CHARS = 100;

/** Lines at the top or bottom of most pages (a running title, "Page 3 of 40") are not the document's text. */
function dropRunningLines(pages: Line[][]): Line[][] {
  if (pages.length < 3) return pages;
  const edges = (lines: Line[]) =>
    [...lines.slice(0, EDGE_LINES), ...lines.slice(Math.max(EDGE_LINES, lines.length - EDGE_LINES))].filter((l) => l.text.length <= RUNNING_CHARS);
  const pagesWith = new Map<string, number>();
  for (const lines of pages) for (const key of new Set(edges(lines).map((l) => runningKey(l.text)))) pagesWith.set(key, (pagesWith.get(key) ?? 0) + 1);
  const running = new Set([...pagesWith].filter(([, n]) => n >= Math.max(3, pages.length / 2)).map(([key]) => key));
  return pages.map((lines) => {
    const edge = new Set(edges(lines));
    return lines.filter((l) => !(edge.has(l) && running.has(runningKey(l.text))));
  });
}

/** A page's lines → paragraphs: a new one where the spacing between lines grows, the type size changes, or a column starts. */
function paragraphsOf(lines: Line[], page: number, joinLines: JoinLines): TextBlock[] {
  const gaps = lines.slice(1).map((l, i) => lines[i]!.y - l.y).filter((g) => g > 0);
  // Lines are set about 1.2 times their type size apart; with few lines on a page the median alone says little.
  const spacing = Math.min(median(gaps) ?? Infinity, 1.5 * (median(lines.map((l) => l.size)) ?? 12));
  const blocks: TextBlock[] = [];
  let text = "";
  lines.forEach((line, i) => {
    const previous = lines[i - 1];
    const gap = previous ? previous.y - line.y : 0;
    const breaks = !previous || gap <= 0 || gap > spacing * 1.3 || Math.abs(line.size - previous.size) > previous.size * 0.15;
    if (breaks) {
      if (text) blocks.push({ text, place: { page } });
      text = line.text;
    } else text = joinLines(text, line.text);
  });
  if (text) blocks.push({ text, place: { page } });
  return blocks;
}

type JoinLines = (before: string, after: string) => string;

/**
 * Joins two lines of a paragraph. A word hyphenated at the line end ("recon-" + "struction") is one word again,
 * unless the document writes it with a hyphen elsewhere ("non-" + "secure" where "non-secure" occurs within a line).
 */
function lineJoiner(pages: readonly Line[][]): JoinLines {
  const hyphenated = new Set<string>();
  for (const lines of pages) for (const line of lines) for (const m of line.text.matchAll(/\p{L}+-\p{L}+/gu)) hyphenated.add(m[0].toLowerCase());
  return (before, after) => {
    const cut = /(\p{L}+)([-\u00AD])$/u.exec(before);
    const next = /^\p{L}+/u.exec(after);
    if (!cut || !next) return before + " " + after;
    if (cut[2] === "-" && (!/^\p{Ll}/u.test(after) || hyphenated.has(`${cut[1]}-${next[0]}`.toLowerCase()))) return before + after;
    return before.slice(0, -1) + after;
  };
}

/** A paragraph cut by a page break (its page ends mid-sentence) continues on the next page. */
function joinAcrossPages(pages: TextBlock[][], joinLines: JoinLines): TextBlock[] {
  const blocks: TextBlock[] = [];
  for (const page of pages) {
    for (const [i, block] of page.entries()) {
      const last = blocks[blocks.length - 1];
      if (i === 0 && last && /[\p{Ll},;\-\u00AD]$/u.test(last.text) && /^[\p{Ll}\p{N}"“(]/u.test(block.text)) {
        const joined = joinLines(last.text, block.text);
        const offset = joined.length - block.text.length;
        blocks[blocks.length - 1] = { text: joined, place: last.place, starts: [...(last.starts ?? []), { offset, place: block.place as Place }] };
      } else blocks.push(block);
    }
  }
  return blocks;
}

function median(values: number[]): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}
