/**
 * The data that flows through Lookout's core: documents in, answers out.
 * Nothing here knows about Discord, the console or the file system.
 */

/** Citation metadata of one document; only `title` is always present. */
export interface DocumentMeta {
  title: string;
  outlet?: string;
  author?: string;
  /** As written in the metadata, e.g. "2024-03-06". */
  date?: string;
  url?: string;
}

/** One corpus document as loaded. */
export interface SourceDocument {
  /** Path relative to the corpus folder, with forward slashes, e.g. "000_c0686f1146004472.txt". */
  id: string;
  /** The document's text as a reader sees it: the file itself for text formats, the extracted text otherwise. */
  text: string;
  /** The document's prose, each block with its place, as its format's reader produced them. */
  blocks: readonly TextBlock[];

  meta: DocumentMeta;
  /** Size of the file in bytes. */
  bytes: number;
}

/** A document as a knowledge base keeps it: no text and no blocks, which live in the files. */
export interface IndexedDocument {
  /** Path relative to the corpus folder (see SourceDocument). */
  id: string;
  meta: DocumentMeta;
  /** Size of the file in bytes. */
  bytes: number;
  /** The content hash the caller gave (a refresh compares it and the metadata to know what changed); "" when none was given. */
  hash: string;
}

/**
 * Where a block or sentence stands in its document, in the terms that fit its format: a page (PDF),
 * a heading path (web page, Word, Markdown: "Results › Costs"), a line (plain text, Markdown).
 * The core passes it through to citations without knowing which format produced it.
 */
export interface Place {
  /** 1-based page. */
  page?: number;
  /** The headings above the block, outermost first, joined by " › ". */
  heading?: string;
  /** 1-based line of the file. */
  line?: number;
}

/** A block of prose (a paragraph, a list item, a heading) as a reader produced it. */
export interface TextBlock {
  text: string;
  /** Where the block starts. */
  place: Place;
  /** Where later parts of the text start, when the block spans several lines or pages (offsets into `text`, ascending). */
  starts?: ReadonlyArray<{ offset: number; place: Place }>;
  /** Headings give sentences their place but are never answered. */
  isHeading?: boolean;
}

/** Where a sentence stands in its document, for citations: its place (page, heading path or line) and its rank. */
export interface Location extends Place {
  /** 1-based index of the sentence among the document's answerable sentences. */
  sentence: number;
  /** How many answerable sentences the document has. */
  sentences: number;
}

export interface Citation {
  documentId: string;
  meta: DocumentMeta;
  location: Location;
}

/** One ranked excerpt of an answer. */
export interface Excerpt {
  /** The sentence as it stands in the document (whitespace collapsed), or a passage of up to three consecutive ones. */
  text: string;
  score: number;
  /** The first citation is the excerpt's own document (where its first sentence stands); further ones are near-identical sentences elsewhere ("also in …"). */
  citations: Citation[];
  /** Character ranges [start, end) of `text` that matched a question term, for highlighting. */
  highlights: Array<[number, number]>;
  /** Neighbouring sentences of the same document, for "show context". */
  context: { before: string[]; after: string[] };
}

export type DeclineReason =
  | "empty" // nothing to search for (blank, or only stop words)
  | "too-long" // the question exceeds the configured limit
  | "no-match"; // the corpus does not answer it

/** "high": the excerpts answer the question; "low": they are the closest passages, shown as such. */
export type Confidence = "high" | "low";

export interface Answer {
  question: string;
  answered: boolean;
  /** How sure the answer is; absent when declined. */
  confidence?: Confidence;
  /** Why the question was declined; absent when answered. */
  reason?: DeclineReason;
  /** Ranked excerpts, best first; empty when declined. All of them, callers page through. */
  excerpts: Excerpt[];
}

/** A document that could not be used, and why (shown to moderators, logged). */
export interface SkippedFile {
  id: string;
  reason: string;
}
