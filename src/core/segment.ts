/**
 * A segment of the corpus index: the analysed sentences and BM25 postings of one or more whole documents,
 * immutable once built. A knowledge base is a list of them (knowledge-base.ts); a refresh keeps the
 * segments it does not touch, rebuilds the ones that lose documents from their own stored data, and
 * analyses only the documents it adds. Everything is flat (typed arrays, one UTF-8 buffer of sentence
 * texts), so a segment saves as a FlatRecord and loads from views of a file's bytes, with no object per
 * sentence.
 */
import { mergePostingsInSteps, POSTINGS_ARRAY_NAMES, POSTINGS_STEP, postingsInSteps, SegmentPostings, type PostingsArrays } from "../search/postings.js";
import type { FlatArray, FlatRecord } from "./flat.js";
import type { CorpusSentence } from "./sentences.js";
import type { Steps } from "./steps.js";
import type { IndexedDocument, Place } from "./types.js";

export type { IndexedDocument };

/** Version of the flat form (toFlat/fromFlat): a record of another version is refused. 2: postings arrays as Int32Array. */
export const SEGMENT_FORMAT = 2;

/** What `fromFlat` expects besides the postings: name → the typed array it must be. */
const SENTENCE_ARRAYS = { textBytes: Uint8Array, textStart: Uint32Array, sentPage: Int32Array, sentLine: Int32Array, sentHeading: Int32Array } as const;
const POSTINGS_TYPES: Record<(typeof POSTINGS_ARRAY_NAMES)[number], new (length: number) => FlatArray> = {
  termBytes: Uint8Array,
  termStart: Int32Array,
  postStart: Int32Array,
  postSentence: Int32Array,
  postTf: Uint16Array,
  sentStart: Int32Array,
  sentTerms: Int32Array,
  docStart: Int32Array,
};

interface SentenceArrays {
  /** Sentence texts, UTF-8, one after another: sentence s is textBytes[textStart[s] .. textStart[s+1]). */
  textBytes: Uint8Array;
  textStart: Uint32Array;
  /** Where each sentence stands: page and line (−1: none), heading as an index into `headings` (−1: none). */
  sentPage: Int32Array;
  sentLine: Int32Array;
  sentHeading: Int32Array;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export class CorpusSegment {
  readonly documents: readonly IndexedDocument[];
  readonly postings: SegmentPostings;
  readonly headings: readonly string[];
  private readonly text: SentenceArrays;

  private constructor(documents: readonly IndexedDocument[], postings: SegmentPostings, headings: readonly string[], text: SentenceArrays) {
    this.documents = documents;
    this.postings = postings;
    this.headings = headings;
    this.text = text;
  }

  get sentenceCount(): number {
    return this.postings.sentenceCount;
  }

  /** Sentences of the segment's document d: documentStart(d) .. documentStart(d + 1). */
  documentStart(document: number): number {
    return this.postings.docStart[document]!;
  }

  /** Decoded on each call: the segment keeps only the bytes. */
  sentenceText(sentence: number): string {
    return decoder.decode(this.text.textBytes.subarray(this.text.textStart[sentence]!, this.text.textStart[sentence + 1]!));
  }

  placeOf(sentence: number): Place {
    const place: Place = {};
    const page = this.text.sentPage[sentence]!;
    const heading = this.text.sentHeading[sentence]!;
    const line = this.text.sentLine[sentence]!;
    if (page >= 0) place.page = page;
    if (heading >= 0) place.heading = this.headings[heading]!;
    if (line >= 0) place.line = line;
    return place;
  }

  /**
   * A segment of these documents and their analysed sentences, in document order (a sentence's `document`
   * minus `firstDocument` is the index of its document in `documents`). Of the analysis only terms are kept.
   */
  static *buildInSteps(documents: readonly IndexedDocument[], sentences: readonly CorpusSentence[], firstDocument = 0): Steps<CorpusSegment> {
    const sizes = documents.map(() => 0);
    for (const s of sentences) {
      const d = s.document - firstDocument;
      if (!(d >= 0 && d < sizes.length)) throw new Error(`sentence of document ${s.document} outside ${firstDocument}..${firstDocument + sizes.length - 1}`);
      sizes[d]!++;
    }
    const postings = yield* postingsInSteps(sentences, sizes);
    const n = sentences.length;
    let chars = 0;
    for (const s of sentences) chars += s.text.length;
    // At most three UTF-8 bytes per UTF-16 unit; the buffer is cut to what was written.
    let textBytes = new Uint8Array(chars * 3);
    const textStart = new Uint32Array(n + 1);
    const sentPage = new Int32Array(n);
    const sentLine = new Int32Array(n);
    const sentHeading = new Int32Array(n);
    const headings = new HeadingTable();
    let written = 0;
    for (let s = 0; s < n; s++) {
      const { text, place } = sentences[s]!;
      textStart[s] = written;
      written += encoder.encodeInto(text, textBytes.subarray(written)).written;
      sentPage[s] = place.page ?? -1;
      sentLine[s] = place.line ?? -1;
      sentHeading[s] = place.heading === undefined ? -1 : headings.idOf(place.heading);
      if (s % POSTINGS_STEP === POSTINGS_STEP - 1) yield;
    }
    textStart[n] = written;
    textBytes = textBytes.slice(0, written);
    return new CorpusSegment(documents.map(copyDocument), postings, headings.list, { textBytes, textStart, sentPage, sentLine, sentHeading });
  }

  /**
   * A segment made of whole documents of existing segments (`documents`: their local numbers), from their
   * stored data: no text is analysed again. A segment without its removed documents, or small ones merged.
   */
  static *fromPartsInSteps(parts: ReadonlyArray<{ segment: CorpusSegment; documents: readonly number[] }>): Steps<CorpusSegment> {
    const postings = yield* mergePostingsInSteps(parts.map(({ segment, documents }) => ({ source: segment.postings, documents })));
    const n = postings.sentenceCount;
    let bytes = 0;
    for (const { segment, documents } of parts) {
      for (const d of documents) bytes += segment.text.textStart[segment.documentStart(d + 1)]! - segment.text.textStart[segment.documentStart(d)]!;
    }
    const textBytes = new Uint8Array(bytes);
    const textStart = new Uint32Array(n + 1);
    const sentPage = new Int32Array(n);
    const sentLine = new Int32Array(n);
    const sentHeading = new Int32Array(n);
    const headings = new HeadingTable();
    const kept: IndexedDocument[] = [];
    let s = 0;
    let written = 0;
    for (const { segment, documents } of parts) {
      const { text } = segment;
      // The part's heading table → the new one, made on first use of each heading.
      const headingMap = new Int32Array(segment.headings.length).fill(-1);
      for (const d of documents) {
        kept.push(segment.documents[d]!);
        const from = segment.documentStart(d);
        const to = segment.documentStart(d + 1);
        const byteFrom = text.textStart[from]!;
        textBytes.set(text.textBytes.subarray(byteFrom, text.textStart[to]!), written);
        for (let local = from; local < to; local++, s++) {
          textStart[s] = written + text.textStart[local]! - byteFrom;
          sentPage[s] = text.sentPage[local]!;
          sentLine[s] = text.sentLine[local]!;
          const old = text.sentHeading[local]!;
          if (old >= 0 && headingMap[old] === -1) headingMap[old] = headings.idOf(segment.headings[old]!);
          sentHeading[s] = old >= 0 ? headingMap[old]! : -1;
          if (s % POSTINGS_STEP === POSTINGS_STEP - 1) yield;
        }
        written += text.textStart[to]! - byteFrom;
      }
    }
    textStart[n] = written;
    return new CorpusSegment(kept, postings, headings.list, { textBytes, textStart, sentPage, sentLine, sentHeading });
  }

  /** The segment as flat data (views of its own arrays: nothing is copied), for the cache to write. */
  toFlat(): FlatRecord {
    const { postings, text } = this;
    const arrays: Record<string, FlatArray> = { ...text };
    for (const name of POSTINGS_ARRAY_NAMES) arrays[name] = postings[name];
    return { header: { format: SEGMENT_FORMAT, documents: this.documents, headings: this.headings }, arrays };
  }

  /**
   * A segment from flat data, taking the arrays as they are (views of a file's bytes, say: nothing large is
   * copied, no object is made per sentence). Throws an Error saying what is wrong when the data is not a
   * consistent segment of this format: the caller treats such a record as unusable and rebuilds.
   */
  static fromFlat(record: FlatRecord): CorpusSegment {
    const fail = (what: string): never => {
      throw new Error(`inconsistent index segment: ${what}`);
    };
    const { header, arrays } = record;
    if (typeof header !== "object" || header === null || typeof arrays !== "object" || arrays === null) fail("not a flat record");
    if (header.format !== SEGMENT_FORMAT) fail(`format ${String(header.format)}, expected ${SEGMENT_FORMAT}`);
    const documents = header.documents;
    const headings = header.headings;
    if (!Array.isArray(documents) || !documents.every(isIndexedDocument)) fail("documents");
    if (!Array.isArray(headings) || !headings.every((h) => typeof h === "string")) fail("headings");
    const typed = <T extends FlatArray>(name: string, type: new (length: number) => T): T => {
      const array = arrays[name];
      return array instanceof type ? (array as T) : fail(`${name} missing or not a ${type.name}`);
    };
    const postingArrays = Object.fromEntries(POSTINGS_ARRAY_NAMES.map((name) => [name, typed(name, POSTINGS_TYPES[name])])) as unknown as PostingsArrays;
    const postings = SegmentPostings.check(postingArrays);
    const text: SentenceArrays = {
      textBytes: typed("textBytes", SENTENCE_ARRAYS.textBytes),
      textStart: typed("textStart", SENTENCE_ARRAYS.textStart),
      sentPage: typed("sentPage", SENTENCE_ARRAYS.sentPage),
      sentLine: typed("sentLine", SENTENCE_ARRAYS.sentLine),
      sentHeading: typed("sentHeading", SENTENCE_ARRAYS.sentHeading),
    };
    const n = postings.sentenceCount;
    if (postings.documentCount !== (documents as unknown[]).length) fail("document count");
    if (text.textStart.length !== n + 1 || text.sentPage.length !== n || text.sentLine.length !== n || text.sentHeading.length !== n) fail("sentence array lengths");
    if (text.textStart[0] !== 0 || text.textStart[n] !== text.textBytes.length) fail("textStart does not span textBytes");
    for (let s = 0; s < n; s++) {
      if (text.textStart[s + 1]! < text.textStart[s]!) fail("textStart not ascending");
      if (text.sentHeading[s]! >= (headings as string[]).length || text.sentHeading[s]! < -1) fail("heading out of range");
    }
    return new CorpusSegment(documents as IndexedDocument[], postings, headings as string[], text);
  }
}

function copyDocument({ id, meta, bytes, hash }: IndexedDocument): IndexedDocument {
  return { id, meta, bytes, hash };
}

function isIndexedDocument(value: unknown): value is IndexedDocument {
  if (typeof value !== "object" || value === null) return false;
  const d = value as Record<string, unknown>;
  const meta = d.meta as Record<string, unknown> | null;
  return typeof d.id === "string" && typeof d.hash === "string" && typeof d.bytes === "number" && typeof meta === "object" && meta !== null && typeof meta.title === "string";
}

/** A segment's distinct heading paths, each stored once; sentences refer to them by number. */
class HeadingTable {
  readonly list: string[] = [];
  private readonly ids = new Map<string, number>();

  idOf(heading: string): number {
    let id = this.ids.get(heading);
    if (id === undefined) (id = this.list.length), this.ids.set(heading, id), this.list.push(heading);
    return id;
  }
}
