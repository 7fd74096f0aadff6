/**
 * The contracts between the core and its adapters (Discord, console, CLI, bench).
 * Implementations: src/core/knowledge-base.ts (pure) and src/corpus/library.ts (loads from disk, refreshes).
 */
import type { Answer, SourceDocument, SkippedFile } from "./types.js";

/** One immutable, fully built corpus + index. Questions are answered by a whole one, old or new. */
export interface KnowledgeBase {
  readonly documents: readonly SourceDocument[];
  readonly sentenceCount: number;
  /** A few words that say what the corpus is about, for "not in the corpus" hints. */
  readonly topics: readonly string[];
  /** The texts of the answerable sentences, in document order (for refresh reports). */
  sentenceTexts(): Iterable<string>;
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
