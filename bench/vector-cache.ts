/**
 * The bench's cache of sentence vectors (USE Lite), so that repeated runs and the fresh processes of one
 * run do not embed the same 5,000 SQuAD sentences again (about two minutes each time on this machine).
 * One file: a JSON header line with the texts, then their vectors as float32. Not used by the bot.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";

export const VECTOR_CACHE = fileURLToPath(new URL("./results/use-lite-vectors.bin", import.meta.url));
const DIMENSIONS = 512;

export function readVectorCache(file = VECTOR_CACHE): Map<string, Float32Array> {
  const cache = new Map<string, Float32Array>();
  if (!existsSync(file)) return cache;
  try {
    const bytes = readFileSync(file);
    const newline = bytes.indexOf(10);
    const texts = JSON.parse(bytes.subarray(0, newline).toString("utf8")) as string[];
    const body = bytes.subarray(newline + 1);
    const floats = new Float32Array(body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength));
    if (floats.length !== texts.length * DIMENSIONS) return cache;
    texts.forEach((text, i) => cache.set(text, floats.subarray(i * DIMENSIONS, (i + 1) * DIMENSIONS)));
  } catch {
    // A damaged cache is recomputed.
  }
  return cache;
}

export function writeVectorCache(entries: Iterable<readonly [string, Float32Array]>, file = VECTOR_CACHE): void {
  const all = new Map(readVectorCache(file));
  for (const [text, vector] of entries) all.set(text, vector);
  const texts = [...all.keys()];
  const floats = new Float32Array(texts.length * DIMENSIONS);
  texts.forEach((text, i) => floats.set(all.get(text)!, i * DIMENSIONS));
  mkdirSync(dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, Buffer.concat([Buffer.from(JSON.stringify(texts) + "\n"), Buffer.from(floats.buffer)]));
  renameSync(temporary, file);
}
