/**
 * The one interface every file format implements: the file's bytes and name in, the document's prose out
 * (text blocks, each with its place: page, heading path or line), or the reason it cannot be used.
 * Readers know nothing of the index; the core knows nothing of formats.
 */
import type { DocumentMeta, TextBlock } from "../../core/types.js";

export interface ReadDocument {
  blocks: TextBlock[];
  /** The document's text as a person reads it (the file itself for text formats, extracted text otherwise). */
  text: string;
  /** Citation metadata the file carries itself (front matter, the page's title and byline, …). */
  meta: Partial<DocumentMeta>;
  /** A title to use only when no metadata gives one (a Markdown document's first heading). */
  titleHint?: string;
}

/** Why a file cannot be used, for the moderator: what is wrong and, when something can be done, what. */
export interface Skip {
  skip: string;
}

export type ReadResult = ReadDocument | Skip;

/** Bounds on the work one file may cost, so that a hostile file is skipped instead of hanging a refresh. */
export interface ReadLimits {
  /** Wall-clock time one file may take, checked between pages, parts and steps. */
  milliseconds: number;
  /** PDF pages read at most; longer documents are skipped. */
  maxPages: number;
  /** Characters of extracted text kept at most. */
  maxChars: number;
  /** Bytes a compressed container (.docx) may expand to. */
  maxExpandedBytes: number;
  /** Element nesting depth of an HTML page (or converted Word document) at most. */
  maxDepth: number;
}

export const DEFAULT_LIMITS: Readonly<ReadLimits> = Object.freeze({
  milliseconds: 30_000,
  maxPages: 2_000,
  maxChars: 20_000_000,
  maxExpandedBytes: 100 * 1024 * 1024,
  maxDepth: 500,
});

export type Reader = (bytes: Uint8Array, name: string, limits: ReadLimits) => Promise<ReadResult>;

export function isSkip(result: ReadResult): result is Skip {
  return "skip" in result;
}

/** Throws when the deadline has passed; readers call it between units of work. */
export class Deadline {
  private readonly end: number;
  constructor(private readonly limits: ReadLimits) {
    this.end = performance.now() + limits.milliseconds;
  }
  get passed(): boolean {
    return performance.now() > this.end;
  }
  message(where: string): string {
    return `took longer than ${this.limits.milliseconds / 1000} s to read (stopped ${where}); split the file or convert it to text`;
  }
}

/** Whitespace collapsed to single spaces, trimmed. */
export function collapse(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}
