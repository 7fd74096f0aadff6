/**
 * The contracts between the core and its adapters (Discord, console, CLI, bench).
 * Implementations: src/core/knowledge-base.ts (pure) and src/corpus/library.ts (loads from disk, refreshes).
 */
import type { Answer, IndexedDocument, SkippedFile } from "./types.js";

/** One immutable, fully built corpus + index. Questions are answered by a whole one, old or new. */
export interface KnowledgeBase {
  /** The documents, sorted by id, without their texts (those stay in the files). */
  readonly documents: readonly IndexedDocument[];
  readonly sentenceCount: number;
  /** A few words that say what the corpus is about, for "not in the corpus" hints. */
  readonly topics: readonly string[];
  /** The texts of the answerable sentences (for refresh reports). */
  sentenceTexts(): Iterable<string>;
  /** How many answerable sentences `documents[document]` has. */
  sentencesInDocument(document: number): number;
  /** The first `max` answerable sentences of `documents[document]` (the knowledge base keeps no document texts). */
  openingSentences(document: number, max: number): string[];
  /** Answers a question; never throws for any string input. */
  ask(question: string): Answer;
}

/** What a refresh changed, for the moderator who asked for it. */
export interface RefreshReport {
  added: string[];
  changed: string[];
  removed: string[];
  skipped: SkippedFile[];
  documents: number;
  sentences: number;
  sentencesBefore: number;
  /** Answerable sentences whose text is new, and texts no longer in the corpus (a changed sentence counts in both). */
  sentencesAdded: number;
  sentencesRemoved: number;
  milliseconds: number;
}
