/**
 * Citation metadata: from a document's YAML-style front matter, or from `sources.json` beside the texts
 * (keyed by file path relative to that folder), or, failing both, a title made from the text or file name.
 */
import type { DocumentMeta } from "../core/types.js";
import { frontMatterLength } from "../core/blocks.js";

export const METADATA_FILE = "sources.json";

type PartialMeta = Partial<DocumentMeta>;

const FIELDS = ["title", "outlet", "author", "date", "url"] as const;

/** Reads the simple `key: value` lines of a front matter block (no nested YAML). */
export function frontMatterOf(text: string): PartialMeta {
  // Front matter is looked for in the first 200 lines only (frontMatterLength): splitting a file of a
  // million lines whole held the event loop for 200 ms.
  const lines = text.replace(/^\uFEFF/, "").split(/\r?\n/, 200);
  const length = frontMatterLength(lines);
  const meta: PartialMeta = {};
  for (const line of lines.slice(1, Math.max(1, length - 1))) {
    // `key: value`; the value's trailing spaces are cut by trimEnd, not by the regex (`(.*?)\s*$` backtracks).
    const match = /^([A-Za-z_]+)\s*:\s*/.exec(line);
    const rest = match ? line.slice(match[0].length).trimEnd() : "";
    if (!match || LINE_TERMINATOR.test(rest)) continue;
    const key = match[1]!.toLowerCase();
    const value = rest.replace(/^(["'])(.*)\1$/, "$2");
    const field = key === "source" || key === "publisher" ? "outlet" : key === "link" ? "url" : key;
    if ((FIELDS as readonly string[]).includes(field) && value) meta[field as keyof DocumentMeta] = value;
  }
  return meta;
}

/** Parses a sources.json: `{ "file.txt": { "title": …, "outlet": …, … } }`. Throws with a readable message. */
export function parseSourcesFile(json: string): Map<string, PartialMeta> {
  const parsed: unknown = JSON.parse(json);
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new Error("must be a JSON object mapping file names to { title, outlet, author, date, url }");
  }
  const result = new Map<string, PartialMeta>();
  for (const [file, value] of Object.entries(parsed)) {
    if (typeof value !== "object" || value === null) continue;
    const meta: PartialMeta = {};
    for (const field of FIELDS) {
      const v = (value as Record<string, unknown>)[field];
      if (typeof v === "string" && v.trim()) meta[field] = v.trim();
    }
    result.set(file, meta);
  }
  return result;
}

/** A readable title when no metadata gives one: a markdown heading, else the file name made readable. */
export function fallbackTitle(id: string, text: string): string {
  const heading = firstHeading(text);
  if (heading !== undefined) return heading.slice(0, 200);
  const name = id.split("/").pop()!.replace(/\.[^.]+$/, "");
  const words = name.replace(/[_-]+/g, " ").trim();
  return words ? words.charAt(0).toUpperCase() + words.slice(1) : id;
}

export function metaOf(id: string, text: string, fromFile: PartialMeta | undefined): DocumentMeta {
  const meta = { ...fromFile, ...frontMatterOf(text) };
  return { ...meta, title: meta.title ?? fallbackTitle(id, text) };
}

/** The characters `.` does not match, and where `^` matches after in multiline mode. */
const LINE_TERMINATOR = /[\n\r\u2028\u2029]/;

/**
 * What `/^#\s+(.+?)\s*#*$/m` captures, found line by line in linear time (the regex retried the end of
 * the line at every character of a long heading: `# a`, 50,000 spaces and `b` took seconds).
 */
function firstHeading(text: string): string | undefined {
  const lineStarts = /[\n\r\u2028\u2029]/g;
  for (let start = 0; start < text.length; ) {
    if (text[start] === "#") {
      const heading = headingAt(text, start);
      if (heading !== undefined) return heading;
    }
    lineStarts.lastIndex = start;
    const end = lineStarts.exec(text);
    if (!end) break;
    start = end.index + 1;
  }
  return undefined;
}

/** The regex's capture at a line starting with `#`: `\s+` may run over blank lines, the capture may not. */
function headingAt(text: string, hash: number): string | undefined {
  let from = hash + 1;
  while (from < text.length && /\s/.test(text[from]!)) from++;
  if (from === hash + 1) return undefined;
  if (from === text.length) {
    // Only white space follows: the regex backtracks and captures its last character `.` matches.
    for (let i = text.length - 1; i > hash + 1; i--) if (!LINE_TERMINATOR.test(text[i]!)) return text[i];
    return undefined;
  }
  const terminator = /[\n\r\u2028\u2029]/g;
  terminator.lastIndex = from;
  let end = terminator.exec(text)?.index ?? text.length;
  while (end > from && text[end - 1] === "#") end--;
  while (end > from && /\s/.test(text[end - 1]!)) end--;
  return text.slice(from, Math.max(end, from + 1));
}
