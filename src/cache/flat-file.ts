/**
 * One file format for a FlatRecord (src/core/flat.ts), used by everything Lookout saves between runs: index
 * segments and sentence vectors. Loading takes typed-array views of the one Buffer read from disk (no copies,
 * no object per sentence); a file that is missing, truncated, damaged, foreign, or of another format or
 * engine version is reported as a problem, never trusted and never thrown at the caller.
 *
 * Layout (all offsets from the start of the file):
 *   8 bytes   magic "LKOUTFL\n"
 *   a line    identity JSON {format, kind, version, length, crc32}, read before anything else is trusted
 *   a line    layout JSON {header, arrays: [{name, type, length}]}, padded with spaces so the arrays start on 8 bytes
 *   arrays    each one's bytes (little-endian, as the machine holds them), each padded to a multiple of 8 bytes
 * `crc32` (zlib's, 8 hex digits) covers the whole file with its own digits read as "00000000"; `length` is the
 * file's size in bytes, so a truncated file is named as such before its checksum is computed.
 *
 * Writing is atomic: a temporary file in the same folder, flushed to disk (fsync), then renamed over the
 * target, so a crash while saving leaves the previous file (or none), never half of one; a temporary file a
 * killed process left behind is never read (its name is not the target's).
 */
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeSync } from "node:fs";
import { mkdir, open, rename, rm, type FileHandle } from "node:fs/promises";
import { dirname } from "node:path";
import { crc32 } from "node:zlib";
import type { FlatArray, FlatRecord } from "../core/flat.js";

const MAGIC = Buffer.from("LKOUTFL\n", "latin1");

/** The layout of the file itself; bump when the bytes above change meaning (an older file is then rebuilt). */
export const FLAT_FILE_FORMAT = 1;

/** What a file must be to be read: its kind ("index-segment", "sentence-vectors", …) and the writer's version of it. */
export interface FlatFileIdentity {
  kind: string;
  /** The version of what the arrays mean (e.g. the engine's analysis); a file of another version is not read. */
  version: number;
}

/** Why a file was not read; `detail` is a sentence for a log line. */
export type FlatFileProblem =
  | { code: "missing"; detail: string }
  | { code: "unreadable"; detail: string }
  | { code: "foreign"; detail: string }
  | { code: "other-kind"; detail: string }
  | { code: "other-version"; detail: string }
  | { code: "truncated"; detail: string }
  | { code: "damaged"; detail: string };

export type FlatFileRead = { record: FlatRecord; problem?: undefined } | { record?: undefined; problem: FlatFileProblem };

type ArrayType = "Int32Array" | "Uint32Array" | "Uint16Array" | "Uint8Array" | "Float32Array" | "Float64Array";
const CONSTRUCTORS: Record<ArrayType, { new (buffer: ArrayBufferLike, byteOffset: number, length: number): FlatArray; BYTES_PER_ELEMENT: number }> = {
  Int32Array,
  Uint32Array,
  Uint16Array,
  Uint8Array,
  Float32Array,
  Float64Array,
};

interface Identity extends FlatFileIdentity {
  format: number;
  length: number;
  crc32: string;
}

interface Layout {
  header: Record<string, unknown>;
  arrays: Array<{ name: string; type: ArrayType; length: number }>;
}

const NO_CHECKSUM = "00000000";
const padTo8 = (n: number) => (8 - (n % 8)) % 8;
const hex8 = (n: number) => (n >>> 0).toString(16).padStart(8, "0");

/** The file's bytes as separate pieces (nothing large is copied); the head (magic and identity line) comes with the checksum. */
function encode(record: FlatRecord, identity: FlatFileIdentity): { blankHead: Buffer; body: Buffer[]; headWith(checksum: number): Buffer; length: number } {
  const names = Object.keys(record.arrays);
  const layout: Layout = {
    header: record.header,
    arrays: names.map((name) => {
      const array = record.arrays[name]!;
      const type = array.constructor.name as ArrayType;
      if (!(type in CONSTRUCTORS)) throw new Error(`array ${name}: ${type} cannot be saved`);
      return { name, type, length: array.length };
    }),
  };
  const layoutLine = Buffer.from(JSON.stringify(layout), "utf8");
  const identityLine = (length: number, checksum: string) =>
    Buffer.from(JSON.stringify({ format: FLAT_FILE_FORMAT, kind: identity.kind, version: identity.version, length, crc32: checksum } satisfies Identity) + "\n", "utf8");
  let arraysBytes = 0;
  for (const name of names) {
    const bytes = record.arrays[name]!.byteLength;
    arraysBytes += bytes + padTo8(bytes);
  }
  // The identity line holds the file's length, which depends on the identity line's own length: settle it.
  let length = 0;
  let prefix = 0;
  for (let guess = 0; ; guess = length) {
    prefix = MAGIC.length + identityLine(guess, NO_CHECKSUM).length;
    length = prefix + layoutLine.length + 1 + padTo8(prefix + layoutLine.length + 1) + arraysBytes;
    if (length === guess) break;
  }
  // Spaces before the newline, so the arrays start on a multiple of 8 and the layout line stays JSON.
  const body: Buffer[] = [Buffer.concat([layoutLine, Buffer.from(" ".repeat(padTo8(prefix + layoutLine.length + 1)) + "\n")])];
  for (const name of names) {
    const array = record.arrays[name]!;
    if (array.byteLength > 0) body.push(Buffer.from(array.buffer, array.byteOffset, array.byteLength));
    if (padTo8(array.byteLength)) body.push(Buffer.alloc(padTo8(array.byteLength)));
  }
  return {
    blankHead: Buffer.concat([MAGIC, identityLine(length, NO_CHECKSUM)]),
    body,
    headWith: (checksum) => Buffer.concat([MAGIC, identityLine(length, hex8(checksum))]),
    length,
  };
}

/**
 * Writes the record atomically (temporary file in the same folder, fsync, rename). Throws when it cannot
 * (a read-only folder, a full disk): the caller decides whether that is worth a warning; the previous file,
 * if any, is untouched.
 */
export function writeFlatFile(file: string, identity: FlatFileIdentity, record: FlatRecord): void {
  const { blankHead, body, headWith } = encode(record, identity);
  let checksum = crc32(blankHead);
  for (const piece of body) checksum = crc32(piece, checksum);
  const pieces = [headWith(checksum), ...body];
  mkdirSync(dirname(file), { recursive: true });
  const temporary = temporaryName(file);
  let fd: number | undefined;
  try {
    fd = openSync(temporary, "wx");
    for (const piece of pieces) {
      for (let written = 0; written < piece.length; ) written += writeSync(fd, piece, written, piece.length - written);
    }
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(temporary, file);
  } catch (error) {
    if (fd !== undefined) closeSync(fd);
    rmSync(temporary, { force: true });
    throw error;
  }
}

/** Checksummed and written this many bytes at a time, the event loop getting a turn in between. */
const ASYNC_PIECE_BYTES = 8 * 1024 * 1024;

/**
 * writeFlatFile for a process that is serving: the checksum is computed and the bytes written a piece at a
 * time, so saving a large index never holds the event loop for long. Same atomic steps; rejects when it
 * cannot write.
 */
export async function writeFlatFileInBackground(file: string, identity: FlatFileIdentity, record: FlatRecord): Promise<void> {
  const { blankHead, body, headWith } = encode(record, identity);
  const pieces = body.flatMap((piece) => {
    const parts: Buffer[] = [];
    for (let at = 0; at < piece.length; at += ASYNC_PIECE_BYTES) parts.push(piece.subarray(at, at + ASYNC_PIECE_BYTES));
    return parts;
  });
  let checksum = crc32(blankHead);
  for (const piece of pieces) {
    checksum = crc32(piece, checksum);
    await new Promise((resolve) => setImmediate(resolve));
  }
  await mkdir(dirname(file), { recursive: true });
  const temporary = temporaryName(file);
  let handle: FileHandle | undefined;
  try {
    handle = await open(temporary, "wx");
    for (const piece of [headWith(checksum), ...pieces]) await handle.write(piece); // writes it whole (FileHandle.write loops)
    await handle.sync();
    await handle.close();
    handle = undefined;
    await rename(temporary, file);
  } catch (error) {
    await handle?.close().catch(() => undefined);
    await rm(temporary, { force: true });
    throw error;
  }
}

/** In the target's folder (a rename across file systems is not atomic), never the target's name. */
function temporaryName(file: string): string {
  return `${file}.${process.pid}.${Math.random().toString(36).slice(2, 8)}${TEMPORARY_SUFFIX}`;
}

export const TEMPORARY_SUFFIX = ".tmp";

/** Reads a file written by writeFlatFile with the same identity; any other file comes back as a problem. */
export function readFlatFile(file: string, identity: FlatFileIdentity): FlatFileRead {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === "ENOENT"
      ? { problem: { code: "missing", detail: "none saved yet" } }
      : { problem: { code: "unreadable", detail: `cannot be read (${code ?? (error as Error).message})` } };
  }
  return decodeFlatFile(bytes, identity);
}

/** readFlatFile on bytes already read: the record's arrays are views of `bytes` (or of an aligned copy). */
export function decodeFlatFile(bytes: Buffer, identity: FlatFileIdentity): FlatFileRead {
  const problem = (code: FlatFileProblem["code"], detail: string): FlatFileRead => ({ problem: { code, detail } as FlatFileProblem });
  try {
    if (bytes.length < MAGIC.length) return problem("truncated", "truncated, or not a Lookout file (no header)");
    if (!bytes.subarray(0, MAGIC.length).equals(MAGIC)) return problem("foreign", "not a Lookout file");
    const identityEnd = bytes.indexOf(10, MAGIC.length);
    if (identityEnd < 0) return problem("truncated", "truncated (no identity line)");
    let found: Partial<Identity>;
    try {
      found = JSON.parse(bytes.subarray(MAGIC.length, identityEnd).toString("utf8")) as Partial<Identity>;
    } catch {
      return problem("damaged", "damaged (identity line unreadable)");
    }
    if (typeof found !== "object" || found === null) return problem("damaged", "damaged (identity line unreadable)");
    if (found.kind !== identity.kind) return problem("other-kind", `a file of another kind (${String(found.kind)}, expected ${identity.kind})`);
    if (found.format !== FLAT_FILE_FORMAT || found.version !== identity.version) {
      return problem(
        "other-version",
        `written by another version (file format ${String(found.format)}, ${identity.kind} version ${String(found.version)}; this one reads ${FLAT_FILE_FORMAT}, ${identity.version})`,
      );
    }
    if (typeof found.length !== "number" || typeof found.crc32 !== "string" || !/^[0-9a-f]{8}$/.test(found.crc32)) return problem("damaged", "damaged (identity line incomplete)");
    if (bytes.length < found.length) return problem("truncated", `truncated (${bytes.length} of ${found.length} bytes)`);
    if (bytes.length > found.length) return problem("damaged", `damaged (${bytes.length} bytes, ${found.length} expected; sizes disagree)`);
    const identityLine = bytes.subarray(0, identityEnd + 1).toString("latin1");
    const blanked = Buffer.from(identityLine.replace(`"crc32":"${found.crc32}"`, `"crc32":"${NO_CHECKSUM}"`), "latin1");
    const checksum = crc32(bytes.subarray(identityEnd + 1), crc32(blanked));
    if (hex8(checksum) !== found.crc32) return problem("damaged", "damaged (checksum differs)");

    const layoutEnd = bytes.indexOf(10, identityEnd + 1);
    if (layoutEnd < 0) return problem("damaged", "damaged (no layout line)");
    const layout = JSON.parse(bytes.subarray(identityEnd + 1, layoutEnd).toString("utf8")) as Layout;
    // Views need an aligned start; a large read is its own allocation (aligned), a small one may sit in a pool.
    const aligned = bytes.byteOffset % 8 === 0 ? bytes : Buffer.from(bytes);
    let offset = layoutEnd + 1;
    if (offset % 8 !== 0) return problem("damaged", "damaged (arrays not aligned)");
    const arrays: Record<string, FlatArray> = {};
    for (const { name, type, length } of layout.arrays) {
      const make = CONSTRUCTORS[type];
      if (!make || !Number.isSafeInteger(length) || length < 0) return problem("damaged", `damaged (array ${name})`);
      const byteLength = length * make.BYTES_PER_ELEMENT;
      if (offset + byteLength > aligned.length) return problem("damaged", `damaged (array ${name} runs past the end; sizes disagree)`);
      arrays[name] = new make(aligned.buffer, aligned.byteOffset + offset, length);
      offset += byteLength + padTo8(byteLength);
    }
    if (offset !== aligned.length) return problem("damaged", "damaged (sizes disagree)");
    return { record: { header: layout.header, arrays } };
  } catch (error) {
    return problem("damaged", `damaged (${(error as Error).message})`);
  }
}
