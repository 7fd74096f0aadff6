/**
 * Ranked sentences → excerpts: near-duplicates merged across sources, neighbours joined into passages,
 * citations, context, highlights.
 */
import type { Hit } from "../search/bm25.js";
import { highlightRanges } from "../text/analyser.js";
import type { Citation, Excerpt, IndexedDocument, Place } from "./types.js";

/** What composing needs of a knowledge base: its sentences, their terms and their documents. */
export interface ComposeSource {
  readonly documents: readonly IndexedDocument[];
  readonly sentenceCount: number;
  sentenceText(sentence: number): string;
  documentOf(sentence: number): number;
  placeOf(sentence: number): Place;
  positionOf(sentence: number): number;
  /** The sentence's terms, in order, with repeats. */
  sentenceTerms(sentence: number): readonly string[];
  sentencesInDocument(document: number): number;
}

/**
 * Two sentences are one statement quoted by several sources when their distinct terms overlap this much
 * (Jaccard), or when they share a run of QUOTED_RUN consecutive terms (the same quote, framed differently:
 * "…," emphasized Pistorius / "…, to put it very clearly," he said).
 */
const SAME_STATEMENT = 0.5;
const MIN_SHARED_TERMS = 3;
const QUOTED_RUN = 5;
const CONTEXT_SENTENCES = 2;
/**
 * A ranked sentence next to an excerpt's sentences in the same document joins it as one passage (in document
 * order, up to PASSAGE_SENTENCES) when it scores at least PASSAGE_SHARE of the best: news text answers in
 * runs ("August Hanning warned …" / "He told Germany's Bild newspaper: …"), and three neighbouring
 * sentences shown as three excerpts with three citations read worse than one passage.
 */
const PASSAGE_SENTENCES = 3;
const PASSAGE_SHARE = 0.7;

export function composeExcerpts(kb: ComposeSource, hits: readonly Hit[], questionTerms: readonly string[], max: number): Excerpt[] {
  const queryTerms = new Set(questionTerms);
  const chosen: Chosen[] = [];
  const joinFrom = (hits[0]?.score ?? 0) * PASSAGE_SHARE;
  // Which chosen excerpts hold each term and each run of terms (a bit per excerpt), so a hit is compared
  // with all of them in one pass over its own terms. Excerpts past the 31st are not compared (answers hold 10).
  const termOwners: number[] = []; // by term number (numbers are dense, from 0)
  const runOwners = new Map<number, number>();
  const shared = new Int32Array(MAX_COMPARED);
  // Terms as numbers for this answer only (the index's ids are per segment: equal terms, equal numbers here).
  const termNumbers = new Map<string, number>();
  // The hit that last saw each term number: a hit's distinct terms without a Set per hit.
  const lastSeen: number[] = [];
  for (let h = 0; h < hits.length; h++) {
    const hit = hits[h]!;
    const document = kb.documentOf(hit.sentence);
    const terms = kb.sentenceTerms(hit.sentence);
    const termIds = new Array<number>(terms.length);
    const distinct: number[] = [];
    for (let i = 0; i < terms.length; i++) {
      let id = termNumbers.get(terms[i]!);
      if (id === undefined) termNumbers.set(terms[i]!, (id = termNumbers.size));
      termIds[i] = id;
      if (lastSeen[id] !== h) (lastSeen[id] = h), distinct.push(id);
    }
    shared.fill(0);
    let anyOwner = 0;
    for (const term of distinct) {
      const owners = termOwners[term] ?? 0;
      anyOwner |= owners;
      for (let bits = owners; bits !== 0; bits &= bits - 1) shared[31 - Math.clz32(bits & -bits)]!++;
    }
    let same = -1;
    let sharesEnough = false;
    for (let bits = anyOwner; bits !== 0 && same < 0; bits &= bits - 1) {
      const i = 31 - Math.clz32(bits & -bits);
      const union = chosen[i]!.distinctTerms.size + distinct.length - shared[i]!;
      if (shared[i]! >= Math.min(MIN_SHARED_TERMS, union) && shared[i]! / union >= SAME_STATEMENT) same = i;
      if (shared[i]! >= MIN_SHARED_TERMS) sharesEnough = true;
    }
    let runs: Int32Array | undefined;
    // A common run of QUOTED_RUN terms: only worth looking for where MIN_SHARED_TERMS terms are shared at all.
    if (same < 0 && sharesEnough) {
      for (const run of (runs = runsOf(termIds))) {
        for (let bits = runOwners.get(run) ?? 0; bits !== 0 && same < 0; bits &= bits - 1) {
          const i = 31 - Math.clz32(bits & -bits);
          if (shared[i]! >= MIN_SHARED_TERMS) same = i;
        }
        if (same >= 0) break;
      }
    }
    if (same >= 0) {
      // Quoted again by another source: cite it there too; repeated in the same source: drop it.
      const statement = chosen[same]!;
      if (!statement.documents.has(document)) {
        statement.documents.add(document);
        statement.excerpt.citations.push(citationOf(kb, hit.sentence));
      }
      continue;
    }
    const passage = hit.score >= joinFrom ? passageNextTo(chosen, document, hit.sentence) : -1;
    if (passage >= 0) {
      const joined = chosen[passage]!;
      joined.first = Math.min(joined.first, hit.sentence);
      joined.last = Math.max(joined.last, hit.sentence);
      joined.excerpt.text = passageText(kb, joined.first, joined.last);
      if (joined.first === hit.sentence) joined.excerpt.citations[0] = citationOf(kb, hit.sentence);
      for (const term of distinct) joined.distinctTerms.add(term);
      markOwner(passage, distinct, runs ?? runsOf(termIds), termOwners, runOwners);
      continue;
    }
    if (chosen.length >= max) continue;
    markOwner(chosen.length, distinct, runs ?? runsOf(termIds), termOwners, runOwners);
    const entry: Chosen = {
      distinctTerms: new Set(distinct),
      documents: new Set([document]),
      document,
      first: hit.sentence,
      last: hit.sentence,
      // Highlights and context read the passage as it ends up, once every hit is placed.
      excerpt: lazyExcerpt({ text: kb.sentenceText(hit.sentence), score: hit.score, citations: [citationOf(kb, hit.sentence)] }, {
        highlights: () => highlightRanges(entry.excerpt.text, queryTerms),
        context: () => contextOf(kb, entry.first, entry.last),
      }),
    };
    chosen.push(entry);
  }
  return chosen.map((c) => c.excerpt);
}

/** An excerpt being composed: its passage (first to last sentence of one document) and what it is compared by. */
interface Chosen {
  excerpt: Excerpt;
  distinctTerms: Set<number>;
  /** Every document quoting it (the first is its own). */
  documents: Set<number>;
  document: number;
  first: number;
  last: number;
}

/** The chosen excerpt a sentence of `document` continues (before its first or after its last sentence), or -1. */
function passageNextTo(chosen: readonly Chosen[], document: number, sentence: number): number {
  for (let i = 0; i < chosen.length; i++) {
    const c = chosen[i]!;
    if (c.document === document && c.last - c.first + 1 < PASSAGE_SENTENCES && (c.first === sentence + 1 || c.last === sentence - 1)) return i;
  }
  return -1;
}

/** Records that excerpt `i` holds these terms and runs of terms. */
function markOwner(i: number, distinct: readonly number[], runs: Int32Array, termOwners: number[], runOwners: Map<number, number>): void {
  if (i >= MAX_COMPARED) return;
  for (const term of distinct) termOwners[term] = (termOwners[term] ?? 0) | (1 << i);
  for (const run of runs) runOwners.set(run, (runOwners.get(run) ?? 0) | (1 << i));
}

/** One bit per chosen excerpt in a 32-bit integer, sign bit left alone. */
const MAX_COMPARED = 31;

/**
 * Highlights and context are made on first read: most callers show three excerpts of ten, and the JSON of
 * `ask` shows neither, while finding highlights was most of the cost of composing. The properties are
 * enumerable, so an excerpt still reads (and serialises) as plain data.
 */
function lazyExcerpt(
  excerpt: Omit<Excerpt, "highlights" | "context">,
  make: { highlights: () => Excerpt["highlights"]; context: () => Excerpt["context"] },
): Excerpt {
  // Accessors in an object literal, not defineProperty: the object keeps V8's fast shape.
  let highlights: Excerpt["highlights"] | undefined;
  let context: Excerpt["context"] | undefined;
  return {
    ...excerpt,
    get highlights() {
      return (highlights ??= make.highlights());
    },
    set highlights(next) {
      highlights = next;
    },
    get context() {
      return (context ??= make.context());
    },
    set context(next) {
      context = next;
    },
  };
}

/**
 * Each run of QUOTED_RUN term ids, hashed to a 32-bit number (integer multiply-xor: the float arithmetic of a
 * wider hash was a third of composing). A collision could at worst merge two excerpts that share three terms.
 */
function runsOf(termIds: ArrayLike<number>): Int32Array {
  const runs = new Int32Array(Math.max(0, termIds.length - QUOTED_RUN + 1));
  for (let i = 0; i < runs.length; i++) {
    let hash = 0x811c9dc5;
    for (let k = i; k < i + QUOTED_RUN; k++) hash = Math.imul(hash ^ termIds[k]!, 0x01000193);
    runs[i] = hash;
  }
  return runs;
}

function citationOf(kb: ComposeSource, index: number): Citation {
  const documentIndex = kb.documentOf(index);
  const document = kb.documents[documentIndex]!;
  return {
    documentId: document.id,
    meta: document.meta,
    location: { ...kb.placeOf(index), sentence: kb.positionOf(index) + 1, sentences: kb.sentencesInDocument(documentIndex) },
  };
}

/** Consecutive sentences of one document as one text, as a reader would quote them. */
function passageText(kb: ComposeSource, first: number, last: number): string {
  const texts: string[] = [];
  for (let s = first; s <= last; s++) texts.push(kb.sentenceText(s));
  return texts.join(" ");
}

function contextOf(kb: ComposeSource, first: number, last: number): Excerpt["context"] {
  const document = kb.documentOf(first);
  const around = (from: number, to: number) => {
    const texts: string[] = [];
    for (let s = Math.max(0, from); s < Math.min(to, kb.sentenceCount); s++) if (kb.documentOf(s) === document) texts.push(kb.sentenceText(s));
    return texts;
  };
  return { before: around(first - CONTEXT_SENTENCES, first), after: around(last + 1, last + 1 + CONTEXT_SENTENCES) };
}
