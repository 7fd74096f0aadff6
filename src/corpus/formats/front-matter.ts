/**
 * YAML front matter (`---` … `---` at the top of a text or Markdown file) → citation metadata, read by a
 * real YAML parser: nested maps, lists of authors, quoted values, comments and CRLF files as YAML says.
 */
import { parse } from "yaml";
import type { DocumentMeta } from "../../core/types.js";

/** Front matter longer than this many lines is not front matter (a document that starts with a rule). */
const MAX_LINES = 200;

/** The number of lines the front matter takes (0 when there is none). `lines` are the file's lines. */
export function frontMatterLines(lines: readonly string[]): number {
  if (lines[0]?.trim() !== "---") return 0;
  for (let i = 1; i < Math.min(lines.length, MAX_LINES); i++) {
    const line = lines[i]!.trim();
    if (line === "---" || line === "...") return i + 1;
  }
  return 0;
}

/** YAML text → the citation fields it holds; anything unreadable gives no metadata rather than an error. */
export function metaFromYaml(yaml: string): Partial<DocumentMeta> {
  let data: unknown;
  try {
    // maxAliasCount bounds "billion laughs" alias expansion.
    data = parse(yaml, { maxAliasCount: 100, uniqueKeys: false });
  } catch {
    return {};
  }
  if (typeof data !== "object" || data === null || Array.isArray(data)) return {};
  const fields = new Map(Object.entries(data as Record<string, unknown>).map(([k, v]) => [k.toLowerCase(), v]));
  const first = (...keys: string[]) => keys.map((k) => fields.get(k)).find((v) => v !== undefined && v !== null);
  const meta: Partial<DocumentMeta> = {};
  const set = (field: keyof DocumentMeta, value: string | undefined) => {
    if (value) meta[field] = value;
  };
  set("title", textOf(first("title")));
  set("outlet", textOf(first("outlet", "source", "publisher", "site", "site_name")));
  set("author", textOf(first("author", "authors", "byline")));
  set("date", textOf(first("date", "published", "published_at", "pubdate")));
  set("url", textOf(first("url", "link", "canonical", "canonical_url")));
  return meta;
}

/** A YAML value as citation text: strings as they are, lists joined ("A, B"), maps by their name or title. */
function textOf(value: unknown, depth = 0): string | undefined {
  if (depth > 3 || value === undefined || value === null) return undefined;
  if (typeof value === "string") return value.replace(/\s+/g, " ").trim() || undefined;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (Array.isArray(value)) {
    const parts = value.slice(0, 20).map((v) => textOf(v, depth + 1)).filter((v): v is string => v !== undefined);
    return parts.length ? parts.join(", ") : undefined;
  }
  if (typeof value === "object") {
    const map = value as Record<string, unknown>;
    return textOf(map.name ?? map.title ?? map.url ?? map.href, depth + 1);
  }
  return undefined;
}
