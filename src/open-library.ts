/**
 * The library as the settings describe it: the corpus folder, its index saved in CACHE_DIR by the last run
 * (reused for every file that did not change), and the semantic stage unless SEMANTIC=off, with the sentence
 * vectors saved in CACHE_DIR too. Shared by the bot, the console and `ask`.
 */
import { createHash } from "node:crypto";
import path from "node:path";
import type { Config } from "./config.js";
import { Library } from "./corpus/library.js";
import type { ProgressListener } from "./core/progress.js";
import { SemanticStage, type SemanticStageOptions } from "./semantic/stage.js";
import { startUseLiteEncoder, USE_LITE_IDENTITY } from "./semantic/use-lite.js";
import { readVectorFile, writeVectorFile } from "./semantic/vector-file.js";

export type LibraryEvent =
  | Parameters<NonNullable<SemanticStageOptions["onEvent"]>>[0]
  | { kind: "vectors-not-reused"; file: string; problem: string }
  | { kind: "vectors-not-saved"; file: string; error: Error }
  | { kind: "index-cache"; message: string };

export interface OpenLibraryOptions {
  /** Another corpus folder than CORPUS_DIR (`ask --corpus`). */
  corpusDir?: string;
  /** false: neither read nor save the index in CACHE_DIR (`ask --no-cache`); sentence vectors are still reused. */
  useIndexCache?: boolean;
  /** Hears how far the first build got (see Library.open). */
  onProgress?: ProgressListener;
}

export async function openLibrary(config: Config, onEvent?: (event: LibraryEvent) => void, options: OpenLibraryOptions = {}): Promise<Library> {
  const corpusDir = options.corpusDir ?? config.corpusDir;
  const vectorFile = path.join(config.cacheDir, "sentence-vectors.bin");
  // The encoder starts loading first: its worker threads work while this one reads the corpus. Under sharding
  // the shards are processes side by side already, so each has one worker (one copy of the model).
  const semantic = config.semantic
    ? new SemanticStage(startUseLiteEncoder(config.shard !== undefined ? 1 : undefined), {
        onEvent: (event) => {
          onEvent?.(event);
          // Saved when something new was embedded, so the next start embeds only what changes.
          if (event.kind === "ready" && event.embedded > 0) {
            try {
              writeVectorFile(vectorFile, USE_LITE_IDENTITY, semantic!.entries());
            } catch (error) {
              onEvent?.({ kind: "vectors-not-saved", file: vectorFile, error: error as Error });
            }
          }
        },
      })
    : undefined;
  if (semantic) {
    const saved = readVectorFile(vectorFile, USE_LITE_IDENTITY);
    if (saved.entries) semantic.remember(saved.entries);
    else if (saved.problem !== "none saved yet") onEvent?.({ kind: "vectors-not-reused", file: vectorFile, problem: saved.problem });
  }
  try {
    return await Library.open(
      {
        corpusDir,
        maxFileBytes: config.maxFileBytes,
        maxQuestionChars: config.maxQuestionChars,
        ...(semantic && { semantic }),
        ...(options.useIndexCache !== false && { cacheDir: indexCacheDir(config.cacheDir, corpusDir) }),
        // Under sharding the shards share CACHE_DIR: shard 0 alone saves the index, the others read what it saved.
        ...(config.shard !== undefined && config.shard.id !== 0 && { saveIndex: false }),
        onWarning: (message) => onEvent?.({ kind: "index-cache", message }),
      },
      options.onProgress,
    );
  } catch (error) {
    await semantic?.close();
    throw error;
  }
}

/**
 * Where the index of a corpus folder is saved: CACHE_DIR/corpora/<hash of the folder's absolute path>/, so
 * the bot's corpus and another one asked with `ask --corpus` never overwrite each other's index (neither
 * would load wrong, but each would rebuild after the other).
 */
export function indexCacheDir(cacheDir: string, corpusDir: string): string {
  const key = createHash("sha256").update(path.resolve(corpusDir)).digest("hex").slice(0, 16);
  return path.join(cacheDir, "corpora", key);
}

/** What to tell the operator about an event: a warning (BM25 alone, or work redone) or a note. */
export function describeLibraryEvent(event: LibraryEvent): { level: "warn" | "info"; text: string } {
  switch (event.kind) {
    case "failed":
      return { level: "warn", text: `the semantic stage is off, answers come from BM25 alone: ${event.error.message}` };
    case "too-large":
      return { level: "warn", text: `the corpus has ${event.sentences} sentences, more than the semantic stage embeds (${event.maxSentences}): answers come from BM25 alone` };
    case "vectors-not-reused":
      return { level: "warn", text: `saved sentence vectors not reused (${event.file}: ${event.problem}); computing them again` };
    case "vectors-not-saved":
      return { level: "warn", text: `sentence vectors could not be saved to ${event.file} (${event.error.message}); the next start computes them again` };
    case "index-cache":
      return { level: "warn", text: event.message };
    case "ready":
      return { level: "info", text: `sentence vectors ready (${event.embedded} computed, ${event.sentences - event.embedded} reused, ${event.milliseconds} ms): the semantic stage is on` };
  }
}
