/** Ranked sentences → excerpts: near-duplicates merged across sources, citations, context, highlights. */
import type { Hit } from "../search/bm25.js";
import { highlightRanges } from "../text/analyser.js";
import type { StoredSentence } from "./sentences.js";
import type { Citation, Excerpt, SourceDocument } from "./types.js";

/** What composing needs of a knowledge base: its sentences, their terms and their documents. */
export interface ComposeSource {
  readonly documents: readonly SourceDocument[];
  readonly sentences: readonly StoredSentence[];
  /** The sentence's term ids, in order (ids are the index's: equal terms, equal ids). */
  sentenceTermIds(sentence: number): ArrayLike<number>;
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

export function composeExcerpts(kb: ComposeSource, hits: readonly Hit[], questionTerms: readonly string[], max: number): Excerpt[] {
  const queryTerms = new Set(questionTerms);
  const chosen: Array<{ excerpt: Excerpt; distinctTerms: number; documents: Set<number> }> = [];
  // Which chosen excerpts hold each term and each run of terms, so a hit is compared with all of them in one pass over its own terms.
  const termOwners = new Map<number, number[]>();
  const runOwners = new Map<number, number[]>();
  for (const hit of hits) {
    const sentence = kb.sentences[hit.sentence]!;
    const termIds = kb.sentenceTermIds(hit.sentence);
    const distinct = new Set<number>();
    for (let i = 0; i < termIds.length; i++) distinct.add(termIds[i]!);
    const shared = new Array<number>(chosen.length).fill(0);
    for (const term of distinct) for (const owner of termOwners.get(term) ?? []) shared[owner]!++;
    let same = chosen.findIndex((c, i) => {
      const union = c.distinctTerms + distinct.size - shared[i]!;
      return shared[i]! >= Math.min(MIN_SHARED_TERMS, union) && shared[i]! / union >= SAME_STATEMENT;
    });
    let runs: Set<number> | undefined;
    // A common run of QUOTED_RUN terms: only worth looking for where MIN_SHARED_TERMS terms are shared at all.
    if (same < 0 && shared.some((n) => n >= MIN_SHARED_TERMS)) {
      for (const run of (runs ??= runsOf(termIds))) {
        same = (runOwners.get(run) ?? []).find((owner) => shared[owner]! >= MIN_SHARED_TERMS) ?? -1;
        if (same >= 0) break;
      }
    }
    if (same >= 0) {
      // Quoted again by another source: cite it there too; repeated in the same source: drop it.
      const statement = chosen[same]!;
      if (!statement.documents.has(sentence.document)) {
        statement.documents.add(sentence.document);
        statement.excerpt.citations.push(citationOf(kb, hit.sentence));
      }
      continue;
    }
    if (chosen.length >= max) continue;
    const index = chosen.length;
    for (const term of distinct) termOwners.set(term, [...(termOwners.get(term) ?? []), index]);
    for (const run of (runs ??= runsOf(termIds))) runOwners.set(run, [...(runOwners.get(run) ?? []), index]);
    chosen.push({
      distinctTerms: distinct.size,
      documents: new Set([sentence.document]),
      excerpt: withLazyHighlights({ text: sentence.text, score: hit.score, citations: [citationOf(kb, hit.sentence)], context: contextOf(kb, hit.sentence) }, queryTerms),
    });
  }
  return chosen.map((c) => c.excerpt);
}

/**
 * Highlights are found on first read: most callers show three excerpts of ten, and the JSON of `ask`
 * shows none, while finding them is most of the cost of composing. The property is enumerable, so the
 * excerpt still reads (and serialises) as plain data.
 */
function withLazyHighlights(excerpt: Omit<Excerpt, "highlights">, queryTerms: ReadonlySet<string>): Excerpt {
  let highlights: Excerpt["highlights"] | undefined;
  return Object.defineProperty(excerpt, "highlights", {
    enumerable: true,
    get: () => (highlights ??= highlightRanges(excerpt.text, queryTerms)),
    set: (value: Excerpt["highlights"]) => (highlights = value),
  }) as Excerpt;
}

/** Each run of QUOTED_RUN term ids, hashed to a number (a collision could at worst merge two excerpts that share three terms). */
function runsOf(termIds: ArrayLike<number>): Set<number> {
  const runs = new Set<number>();
  for (let i = 0; i + QUOTED_RUN <= termIds.length; i++) {
    let hash = 0;
    for (let k = i; k < i + QUOTED_RUN; k++) hash = (hash * 1_000_003 + termIds[k]! + 1) % 4_503_599_627_370_449;
    runs.add(hash);
  }
  return runs;
}

function citationOf(kb: ComposeSource, index: number): Citation {
  const sentence = kb.sentences[index]!;
  const document = kb.documents[sentence.document]!;
  return {
    documentId: document.id,
    meta: document.meta,
    location: { ...sentence.place, sentence: sentence.position + 1, sentences: kb.sentencesInDocument(sentence.document) },
  };
}

function contextOf(kb: ComposeSource, index: number): Excerpt["context"] {
  const document = kb.sentences[index]!.document;
  const around = (from: number, to: number) =>
    kb.sentences.slice(Math.max(0, from), Math.max(0, to)).filter((s) => s.document === document).map((s) => s.text);
  return { before: around(index - CONTEXT_SENTENCES, index), after: around(index + 1, index + 1 + CONTEXT_SENTENCES) };
}
