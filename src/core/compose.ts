/** Ranked sentences → excerpts: near-duplicates merged across sources, citations, context, highlights. */
import { highlightRanges } from "../text/analyser.js";
import type { Retrieval, SentenceKnowledgeBase } from "./knowledge-base.js";
import type { Citation, Excerpt } from "./types.js";

/**
 * Two sentences are one statement quoted by several sources when their distinct terms overlap this much
 * (Jaccard), or when they share a run of QUOTED_RUN consecutive terms (the same quote, framed differently:
 * "…," emphasized Pistorius / "…, to put it very clearly," he said).
 */
const SAME_STATEMENT = 0.5;
const MIN_SHARED_TERMS = 3;
const QUOTED_RUN = 5;
const CONTEXT_SENTENCES = 2;

export function composeExcerpts(kb: SentenceKnowledgeBase, retrieval: Retrieval, max: number): Excerpt[] {
  const queryTerms = new Set(retrieval.terms);
  const chosen: Array<{ excerpt: Excerpt; terms: Set<string>; sequence: readonly string[]; documents: Set<number> }> = [];
  for (const hit of retrieval.hits) {
    const sentence = kb.sentences[hit.sentence]!;
    const sequence = kb.index.sentenceTerms(hit.sentence);
    const terms = new Set(sequence);
    const same = chosen.find((c) => isSameStatement(c.terms, terms) || sharesRun(c.sequence, sequence, QUOTED_RUN));
    if (same) {
      // Quoted again by another source: cite it there too; repeated in the same source: drop it.
      if (!same.documents.has(sentence.document)) {
        same.documents.add(sentence.document);
        same.excerpt.citations.push(citationOf(kb, hit.sentence));
      }
      continue;
    }
    if (chosen.length >= max) continue;
    chosen.push({
      terms,
      sequence,
      documents: new Set([sentence.document]),
      excerpt: {
        text: sentence.text,
        score: hit.score,
        citations: [citationOf(kb, hit.sentence)],
        highlights: highlightRanges(sentence.text, queryTerms),
        context: contextOf(kb, hit.sentence),
      },
    });
  }
  return chosen.map((c) => c.excerpt);
}

function isSameStatement(a: Set<string>, b: Set<string>): boolean {
  let shared = 0;
  for (const t of a) if (b.has(t)) shared++;
  const union = a.size + b.size - shared;
  return shared >= Math.min(MIN_SHARED_TERMS, union) && shared / union >= SAME_STATEMENT;
}

/** Whether two term sequences have `run` consecutive terms in common. */
function sharesRun(a: readonly string[], b: readonly string[], run: number): boolean {
  if (a.length < run || b.length < run) return false;
  let previous = new Uint16Array(b.length + 1);
  let current = new Uint16Array(b.length + 1);
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      current[j] = a[i - 1] === b[j - 1] ? previous[j - 1]! + 1 : 0;
      if (current[j]! >= run) return true;
    }
    [previous, current] = [current, previous];
  }
  return false;
}

function citationOf(kb: SentenceKnowledgeBase, index: number): Citation {
  const sentence = kb.sentences[index]!;
  const document = kb.documents[sentence.document]!;
  return {
    documentId: document.id,
    meta: document.meta,
    location: { ...sentence.place, sentence: sentence.position + 1, sentences: kb.sentencesInDocument(sentence.document) },
  };
}

function contextOf(kb: SentenceKnowledgeBase, index: number): Excerpt["context"] {
  const document = kb.sentences[index]!.document;
  const around = (from: number, to: number) =>
    kb.sentences.slice(Math.max(0, from), Math.max(0, to)).filter((s) => s.document === document).map((s) => s.text);
  return { before: around(index - CONTEXT_SENTENCES, index), after: around(index + 1, index + 1 + CONTEXT_SENTENCES) };
}
