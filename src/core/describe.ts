/** How every front end (console, CLI, Discord) names a document's source and a file's size. */
import type { DocumentMeta } from "./types.js";

/** How the parts of a source are shown: plain text by default; Discord escapes, cuts and italicises. */
export interface SourceStyle {
  title: (title: string) => string;
  detail: (detail: string, kind: "by" | "date") => string;
}

const PLAIN: SourceStyle = { title: (t) => t, detail: (d) => d };

/**
 * "Title — outlet, date": the outlet (or the author when no outlet is known) and the date, with
 * whatever is known. The link is not part of it: each front end shows it its own way.
 */
export function describeSource(meta: DocumentMeta, style: SourceStyle = PLAIN): string {
  const by = meta.outlet ?? meta.author;
  const details = [by === undefined ? "" : style.detail(by, "by"), meta.date === undefined ? "" : style.detail(meta.date, "date")].filter((s) => s !== "");
  const title = style.title(meta.title);
  return details.length > 0 ? `${title} — ${details.join(", ")}` : title;
}

/** "812 B", "3.0 kB", "5.2 MB" (binary multiples, SI spelling). */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} kB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}
