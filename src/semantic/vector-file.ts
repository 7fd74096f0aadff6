/**
 * Sentence vectors saved between runs (CACHE_DIR/sentence-vectors.bin), so a restart does not embed the
 * whole corpus again (about 13 ms a sentence). Keyed by sentence text, so it stays valid for every sentence
 * that did not change; a changed corpus only embeds what is new.
 *
 * Layout: a JSON header line {format, version, model, dimensions, count, checksum}, a JSON line with the
 * texts, then count × dimensions float32 values. A file that is truncated, altered (checksum), foreign or
 * of another version or model is ignored with the reason, never trusted. Writes go to a temporary file that
 * is then renamed, so a crash while saving leaves the previous file or none, never half of one.
 */
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";

const FORMAT = "lookout-sentence-vectors";
const VERSION = 1;

export interface VectorFileIdentity {
  /** The encoder (name and version): vectors of another model mean nothing here. */
  model: string;
  dimensions: number;
}

interface Header extends VectorFileIdentity {
  format: string;
  version: number;
  count: number;
  checksum: string;
}

export type VectorFileRead = { entries: Map<string, Float32Array>; problem?: undefined } | { entries?: undefined; problem: string };

export function readVectorFile(file: string, identity: VectorFileIdentity): VectorFileRead {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (error) {
    return { problem: (error as NodeJS.ErrnoException).code === "ENOENT" ? "none saved yet" : `cannot be read (${(error as Error).message})` };
  }
  try {
    const first = bytes.indexOf(10);
    const second = first < 0 ? -1 : bytes.indexOf(10, first + 1);
    if (second < 0) return { problem: "truncated, or not a sentence-vector file (no header)" };
    let header: Partial<Header>;
    try {
      header = JSON.parse(bytes.subarray(0, first).toString("utf8")) as Partial<Header>;
    } catch {
      return { problem: "not a sentence-vector file" };
    }
    if (header?.format !== FORMAT) return { problem: "not a sentence-vector file" };
    if (header.version !== VERSION) return { problem: `written by another version (${String(header.version)})` };
    if (header.model !== identity.model || header.dimensions !== identity.dimensions) return { problem: `vectors of another model (${String(header.model)})` };
    const body = bytes.subarray(first + 1);
    if (createHash("sha256").update(body).digest("hex") !== header.checksum) return { problem: "damaged or truncated (checksum differs)" };
    const texts = JSON.parse(bytes.subarray(first + 1, second).toString("utf8")) as unknown;
    const floats = bytes.subarray(second + 1);
    const dims = identity.dimensions;
    if (!Array.isArray(texts) || texts.length !== header.count || floats.byteLength !== texts.length * dims * 4) return { problem: "damaged (sizes disagree)" };
    const values = new Float32Array(floats.buffer.slice(floats.byteOffset, floats.byteOffset + floats.byteLength));
    const entries = new Map<string, Float32Array>();
    texts.forEach((text, i) => {
      if (typeof text === "string") entries.set(text, values.subarray(i * dims, (i + 1) * dims));
    });
    return { entries };
  } catch (error) {
    return { problem: `damaged (${(error as Error).message})` };
  }
}

export function writeVectorFile(file: string, identity: VectorFileIdentity, entries: Iterable<readonly [string, Float32Array]>): void {
  const texts: string[] = [];
  const vectors: Float32Array[] = [];
  for (const [text, vector] of entries) {
    if (vector.length !== identity.dimensions) continue;
    texts.push(text);
    vectors.push(vector);
  }
  const values = new Float32Array(texts.length * identity.dimensions);
  vectors.forEach((v, i) => values.set(v, i * identity.dimensions));
  const body = Buffer.concat([Buffer.from(JSON.stringify(texts) + "\n"), Buffer.from(values.buffer)]);
  const header: Header = { format: FORMAT, version: VERSION, ...identity, count: texts.length, checksum: createHash("sha256").update(body).digest("hex") };
  mkdirSync(dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, Buffer.concat([Buffer.from(JSON.stringify(header) + "\n"), body]));
  renameSync(temporary, file);
}
