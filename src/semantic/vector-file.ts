/**
 * Sentence vectors saved between runs (CACHE_DIR/sentence-vectors.bin), so a restart does not embed the
 * whole corpus again (about 13 ms a sentence). Keyed by sentence text, so it stays valid for every sentence
 * that did not change; a changed corpus only embeds what is new.
 *
 * Saved in the one file format of the cache (src/cache/flat-file.ts: checksum, atomic writes): the header
 * names the model and dimensions, the arrays hold the texts (one UTF-8 buffer and its offsets) and
 * count × dimensions float32 values. A file that is truncated, altered, foreign or of another version or
 * model is ignored with the reason, never trusted.
 */
import { readFlatFile, writeFlatFile, type FlatFileIdentity } from "../cache/flat-file.js";

/** Bump when the arrays below change meaning. */
const FILE: FlatFileIdentity = { kind: "sentence-vectors", version: 1 };

export interface VectorFileIdentity {
  /** The encoder (name and version): vectors of another model mean nothing here. */
  model: string;
  dimensions: number;
}

export type VectorFileRead = { entries: Map<string, Float32Array>; problem?: undefined } | { entries?: undefined; problem: string };

export function readVectorFile(file: string, identity: VectorFileIdentity): VectorFileRead {
  const read = readFlatFile(file, FILE);
  if (read.problem) {
    switch (read.problem.code) {
      case "missing":
        return { problem: "none saved yet" };
      case "foreign":
      case "other-kind":
        return { problem: `not a sentence-vector file (${read.problem.detail})` };
      case "truncated":
        return { problem: read.problem.detail.includes("no header") ? "truncated, or not a sentence-vector file (no header)" : `${read.problem.detail}; sizes disagree` };
      case "other-version":
        return { problem: `saved by another version (${read.problem.detail})` };
      default:
        return { problem: read.problem.detail };
    }
  }
  const { header, arrays } = read.record;
  if (header.model !== identity.model || header.dimensions !== identity.dimensions) return { problem: `vectors of another model (${String(header.model)})` };
  const { text, textEnds, values } = arrays;
  const count = header.count;
  const dims = identity.dimensions;
  if (
    !(text instanceof Uint8Array) ||
    !(textEnds instanceof Uint32Array) ||
    !(values instanceof Float32Array) ||
    textEnds.length !== count ||
    values.length !== count * dims ||
    (count > 0 && textEnds[count - 1] !== text.length)
  ) {
    return { problem: "damaged (sizes disagree)" };
  }
  const decoder = new TextDecoder();
  const entries = new Map<string, Float32Array>();
  let start = 0;
  for (let i = 0; i < count; i++) {
    const end = textEnds[i]!;
    if (end < start || end > text.length) return { problem: "damaged (sizes disagree)" };
    entries.set(decoder.decode(text.subarray(start, end)), values.subarray(i * dims, (i + 1) * dims));
    start = end;
  }
  return { entries };
}

/** Writes atomically; throws when it cannot (the caller warns: the next start computes the vectors again). */
export function writeVectorFile(file: string, identity: VectorFileIdentity, entries: Iterable<readonly [string, Float32Array]>): void {
  const texts: Buffer[] = [];
  const vectors: Float32Array[] = [];
  for (const [text, vector] of entries) {
    if (vector.length !== identity.dimensions) continue;
    texts.push(Buffer.from(text, "utf8"));
    vectors.push(vector);
  }
  const textEnds = new Uint32Array(texts.length);
  let end = 0;
  texts.forEach((t, i) => (textEnds[i] = end += t.length));
  const values = new Float32Array(vectors.length * identity.dimensions);
  vectors.forEach((v, i) => values.set(v, i * identity.dimensions));
  const text = Buffer.concat(texts);
  writeFlatFile(file, FILE, {
    header: { model: identity.model, dimensions: identity.dimensions, count: texts.length },
    arrays: { text: new Uint8Array(text.buffer, text.byteOffset, text.length), textEnds, values },
  });
}
