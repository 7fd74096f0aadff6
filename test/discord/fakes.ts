/** Hand-built knowledge bases for the Discord adapter's tests (plain objects satisfying the core interfaces). */
import type { KnowledgeBase } from "../../src/core/contracts.js";
import type { Answer, Citation, DocumentMeta, Excerpt, SourceDocument } from "../../src/core/types.js";

export function doc(id: string, meta: Partial<DocumentMeta> = {}, text = "First line.\nSecond line."): SourceDocument {
  return { id, text, blocks: [], meta: { title: meta.title ?? id, ...meta }, bytes: Buffer.byteLength(text) };
}

export function citation(d: SourceDocument, line = 1): Citation {
  return { documentId: d.id, meta: d.meta, location: { line, sentence: 1, sentences: 10 } };
}

/** An excerpt whose highlights are every occurrence of `terms` (case-insensitive). */
export function excerpt(text: string, citations: Citation[], terms: string[] = [], context: Excerpt["context"] = { before: [], after: [] }): Excerpt {
  const highlights: Array<[number, number]> = [];
  for (const term of terms) {
    const lower = text.toLowerCase();
    let at = lower.indexOf(term.toLowerCase());
    while (at !== -1) {
      highlights.push([at, at + term.length]);
      at = lower.indexOf(term.toLowerCase(), at + term.length);
    }
  }
  return { text, score: 1, citations, highlights, context };
}

export function answered(question: string, excerpts: Excerpt[]): Answer {
  return { question, answered: true, excerpts };
}

export function declined(question: string, reason: NonNullable<Answer["reason"]>): Answer {
  return { question, answered: false, reason, excerpts: [] };
}

/** A knowledge base answering from a fixed table; anything else is 'no-match' (or 'empty'/'too-long'). */
export function fakeKb(documents: SourceDocument[], answers: Record<string, Excerpt[]>, options: { topics?: string[]; maxQuestionChars?: number } = {}): KnowledgeBase {
  const max = options.maxQuestionChars ?? 500;
  return {
    documents: documents.map(({ id, meta, bytes }) => ({ id, meta, bytes, hash: "" })),
    sentenceCount: documents.length * 10,
    sentencesInDocument: () => 10,
    openingSentences: (document, max) => documents[document]!.text.split("\n").slice(0, max),
    topics: options.topics ?? ["taurus", "leak"],
    sentenceTexts: () => [],
    ask(question: string): Answer {
      const q = question.trim();
      if (q === "") return declined(question, "empty");
      if (q.length > max) return declined(question, "too-long");
      const found = answers[q];
      return found === undefined ? declined(question, "no-match") : answered(question, found);
    },
  };
}
