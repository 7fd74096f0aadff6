/**
 * Citation metadata: what the file carries itself (front matter, a web page's title and byline, a PDF's or
 * Word file's properties; read by its format's reader), or `sources.json` beside the files (keyed by file path
 * relative to that folder), or, failing both, a title from the document's first heading or its file name.
 */
import type { DocumentMeta } from "../core/types.js";

export const METADATA_FILE = "sources.json";

type PartialMeta = Partial<DocumentMeta>;

const FIELDS = ["title", "outlet", "author", "date", "url"] as const;

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

/** A readable title when no metadata gives one: the document's first heading, else the file name made readable. */
export function fallbackTitle(id: string, titleHint?: string): string {
  if (titleHint) return titleHint.slice(0, 200);
  const name = id.split("/").pop()!.replace(/\.[^.]+$/, "");
  const words = name.replace(/[_-]+/g, " ").trim();
  return words ? words.charAt(0).toUpperCase() + words.slice(1) : id;
}

/** The file's own metadata wins over sources.json, field by field. */
export function metaOf(id: string, own: PartialMeta, titleHint: string | undefined, fromFile: PartialMeta | undefined): DocumentMeta {
  const meta = { ...fromFile, ...own };
  return { ...meta, title: meta.title ?? fallbackTitle(id, titleHint) };
}
