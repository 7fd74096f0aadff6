/**
 * The bench's stand-in for the cache file (src/cache writes the real one): each index segment's flat
 * record as one file (a JSON header, then every array 8-byte aligned), read back as views of the file's
 * bytes. Scale mode times `loadSegments` in a fresh process: that is what a start-up from saved segments costs.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { FlatArray, FlatRecord } from "../src/core/flat.js";
import { CorpusSegment, SentenceKnowledgeBase, type EngineOptions } from "../src/core/knowledge-base.js";

const ARRAY_TYPES = { Int32Array, Uint32Array, Uint16Array, Uint8Array, Float32Array, Float64Array } as const;
type ArrayTypeName = keyof typeof ARRAY_TYPES;

const align = (n: number) => Math.ceil(n / 8) * 8;

/** One record as the bytes of a file. */
export function flatToBuffer(record: FlatRecord): Buffer {
  const layout: Array<{ name: string; type: ArrayTypeName; offset: number; length: number }> = [];
  let offset = 0;
  for (const [name, array] of Object.entries(record.arrays)) {
    layout.push({ name, type: array.constructor.name as ArrayTypeName, offset, length: array.length });
    offset = align(offset + array.byteLength);
  }
  const head = Buffer.from(JSON.stringify({ header: record.header, layout }));
  const dataStart = align(4 + head.length);
  const out = Buffer.alloc(dataStart + offset);
  out.writeUInt32LE(head.length, 0);
  head.copy(out, 4);
  for (const [i, array] of Object.values(record.arrays).entries()) {
    out.set(new Uint8Array(array.buffer, array.byteOffset, array.byteLength), dataStart + layout[i]!.offset);
  }
  return out;
}

/** A record from a file's bytes: every array a view of `bytes` (copied only if the buffer is misaligned). */
export function bufferToFlat(bytes: Buffer): FlatRecord {
  const headLength = bytes.readUInt32LE(0);
  const { header, layout } = JSON.parse(bytes.subarray(4, 4 + headLength).toString("utf8")) as {
    header: Record<string, unknown>;
    layout: Array<{ name: string; type: ArrayTypeName; offset: number; length: number }>;
  };
  let base = bytes.byteOffset + align(4 + headLength);
  let buffer: ArrayBufferLike = bytes.buffer;
  if (base % 8 !== 0) {
    const copy = new Uint8Array(bytes.length - align(4 + headLength));
    copy.set(bytes.subarray(align(4 + headLength)));
    (buffer = copy.buffer), (base = 0);
  }
  const arrays: Record<string, FlatArray> = {};
  for (const { name, type, offset, length } of layout) arrays[name] = new ARRAY_TYPES[type](buffer as ArrayBuffer, base + offset, length);
  return { header, arrays };
}

export function saveSegments(kb: SentenceKnowledgeBase, dir: string): void {
  mkdirSync(dir, { recursive: true });
  kb.segments.forEach((segment, i) => writeFileSync(join(dir, `segment-${String(i).padStart(4, "0")}.flat`), flatToBuffer(segment.toFlat())));
}

export function loadSegments(dir: string, options: Partial<EngineOptions> = {}): SentenceKnowledgeBase {
  const files = readdirSync(dir).filter((f) => f.endsWith(".flat")).sort();
  return SentenceKnowledgeBase.fromSegments(files.map((f) => CorpusSegment.fromFlat(bufferToFlat(readFileSync(join(dir, f))))), options);
}
