/**
 * The bench's saved sentence vectors (USE Lite), in the bot's own format (src/semantic/vector-file.ts), so
 * that repeated runs and the fresh processes of one run do not embed the same 5,000 SQuAD sentences again
 * (about two minutes each time on this machine).
 */
import { fileURLToPath } from "node:url";
import { USE_LITE_IDENTITY } from "../src/semantic/use-lite.js";
import { readVectorFile, writeVectorFile } from "../src/semantic/vector-file.js";

export const VECTOR_CACHE = fileURLToPath(new URL("./results/use-lite-vectors.bin", import.meta.url));

export function readVectorCache(file = VECTOR_CACHE): Map<string, Float32Array> {
  return readVectorFile(file, USE_LITE_IDENTITY).entries ?? new Map();
}

/** Adds these vectors to the saved ones. */
export function writeVectorCache(entries: Iterable<readonly [string, Float32Array]>, file = VECTOR_CACHE): void {
  const all = readVectorCache(file);
  for (const [text, vector] of entries) all.set(text, vector);
  writeVectorFile(file, USE_LITE_IDENTITY, all);
}
