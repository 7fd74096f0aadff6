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
  const lines = text.replace(/^\uFEFF/, "").split(/\r?\n/);
  const length = frontMatterLength(lines);
  const meta: PartialMeta = {};
  for (const line of lines.slice(1, Math.max(1, length - 1))) {
    const match = /^([A-Za-z_]+)\s*:\s*(.*?)\s*$/.exec(line);
    if (!match) continue;
    const key = match[1]!.toLowerCase();
    const value = match[2]!.replace(/^(["'])(.*)\1$/, "$2");
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
  const heading = /^#\s+(.+?)\s*#*$/m.exec(text);
  if (heading) return heading[1]!.slice(0, 200);
  const name = id.split("/").pop()!.replace(/\.[^.]+$/, "");
  const words = name.replace(/[_-]+/g, " ").trim();
  return words ? words.charAt(0).toUpperCase() + words.slice(1) : id;
}

export function metaOf(id: string, text: string, fromFile: PartialMeta | undefined): DocumentMeta {
  const meta = { ...fromFile, ...frontMatterOf(text) };
  return { ...meta, title: meta.title ?? fallbackTitle(id, text) };
}
