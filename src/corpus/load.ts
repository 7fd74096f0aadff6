/**
 * Reads a corpus folder (recursively): every file whose format has a reader (.txt, .md, .html, .pdf, .docx, …),
 * its metadata, and why any file was skipped. Formats are known only through formats/index.ts. A scan lists
 * and hashes the files first, so a caller holding documents already analysed reads only the new and changed ones.
 */
import { createHash } from "node:crypto";
import { readFileSync, statSync, type Stats } from "node:fs";
import { readdir, readFile, stat } from "node:fs/promises";
import path from "node:path";
import type { DocumentMeta, SkippedFile, SourceDocument } from "../core/types.js";
import { formatBytes } from "../core/describe.js";
import { DEFAULT_LIMITS, isSkip, readerFor, readFile as readDocument, type ReadLimits } from "./formats/index.js";
import { METADATA_FILE, metaOf, parseSourcesFile } from "./metadata.js";

export interface LoadedCorpus {
  documents: SourceDocument[];
  skipped: SkippedFile[];
}

/** A document file as listed and hashed, before its format's reader has read it. */
export interface ScannedFile {
  id: string;
  /** sha256 of the file's bytes and of its entry in sources.json: a citation changes when either does. */
  hash: string;
  size: number;
  /** What the file system said of it and the hash of its bytes, for the next scan (see FileStamp). */
  stamp: FileStamp;
  /** The bytes that were hashed, kept for files the caller will read (so the text read is the text hashed). */
  bytes?: Buffer;
  /** Its entry in sources.json, if any. */
  sourcesEntry?: Partial<DocumentMeta>;
}

export interface CorpusScan {
  files: ScannedFile[];
  /** How many files were read to be hashed (their stamp did not hold, or their bytes were needed). */
  hashed: number;
  /** Files that cannot be documents (too large, unreadable, dangling links, a broken sources.json). */
  skipped: SkippedFile[];
}

const isDocument = (id: string) => readerFor(id) !== undefined;

/**
 * A file as the file system described it when its bytes were hashed. A later scan that finds the same size,
 * modification and change times and inode takes `bytesHash` as it is instead of reading the file again (as
 * git's index does): at 20,000 files that is a fifth of a second instead of more than one. A write always
 * moves the change time (ctime), which no program can set back. A file changed in the 2 seconds before it was
 * stamped is read again anyway: a second write within the file system's timestamp granularity would not show.
 */
export interface FileStamp {
  size: number;
  mtimeMs: number;
  ctimeMs: number;
  ino: number;
  /** sha256 of the file's bytes. */
  bytesHash: string;
  /** When the file was stat'ed (ms since the epoch). */
  stampedAt: number;
}

/** How recent a change must be for the stamp not to be trusted (coarse file-system clocks tick in 1 or 2 s). */
const RACY_MS = 2000;

export interface ScanOptions {
  /** Read the files synchronously: much faster, but holds the event loop (a start-up, before anything is served). */
  blocking?: boolean;
  /** The stamps of the last scan: files that match theirs are not read again (unless their bytes are needed). */
  stamps?: ReadonlyMap<string, FileStamp>;
}


/**
 * Lists the corpus folder and hashes every document file (reading its bytes, not parsing them). Files whose
 * id and hash `known` already holds come back without their bytes: the caller has them analysed already.
 * Throws only when the folder itself cannot be read.
 */
export async function scanCorpus(dir: string, maxFileBytes: number, known: ReadonlyMap<string, string> = new Map(), options: ScanOptions = {}): Promise<CorpusScan> {
  const scanned: ScannedFile[] = [];
  const skipped: SkippedFile[] = [];
  const { files, links } = await listFiles(dir);
  const metadata = await readMetadata(dir, files, skipped);
  for (const id of links) {
    // Not followed: a link can point outside the corpus folder (or make a loop); say so rather than guess.
    // Links named like other files (an image) are ignored, as those files are.
    const target = await stat(path.join(dir, id)).catch(() => undefined);
    const named = isDocument(id) || isMetadataFile(id);
    if (!target && named) skipped.push({ id, reason: "cannot be read (symbolic link to nothing)" });
    else if (target && (named || target.isDirectory())) skipped.push({ id, reason: "symbolic link, not followed" });
  }
  const tooLarge = (id: string, size: number): SkippedFile => ({ id, reason: `larger than the limit (${formatBytes(size)} > ${formatBytes(maxFileBytes)}, MAX_FILE_BYTES)` });
  const unreadable = (id: string, error: unknown): SkippedFile => ({ id, reason: `cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})` });
  /** The file's hash from its stamp, when the stamp still holds and the caller has the file analysed already. */
  const fromStamp = (id: string, info: Stats, stampedAt: number): ScannedFile | undefined => {
    const old = options.stamps?.get(id);
    if (!old || old.size !== info.size || old.mtimeMs !== info.mtimeMs || old.ctimeMs !== info.ctimeMs || old.ino !== info.ino) return undefined;
    if (Math.max(old.mtimeMs, old.ctimeMs) > old.stampedAt - RACY_MS) return undefined;
    const sourcesEntry = metadata.get(id);
    const hash = contentHashOf(old.bytesHash, sourcesEntry);
    if (known.get(id) !== hash) return undefined; // its bytes are needed: read them
    return { id, hash, size: info.size, stamp: { ...old, stampedAt }, ...(sourcesEntry && { sourcesEntry }) };
  };
  let hashed = 0;
  const fromBytes = (id: string, info: Stats, stampedAt: number, bytes: Buffer): ScannedFile => {
    hashed++;
    const sourcesEntry = metadata.get(id);
    const bytesHash = createHash("sha256").update(bytes).digest("hex");
    const hash = contentHashOf(bytesHash, sourcesEntry);
    const stamp = { size: info.size, mtimeMs: info.mtimeMs, ctimeMs: info.ctimeMs, ino: info.ino, bytesHash, stampedAt };
    // A file rewritten between stat and read: the stamp would describe other bytes; never reuse it.
    if (bytes.length !== info.size) stamp.ino = -1;
    return { id, hash, size: bytes.length, stamp, ...(known.get(id) !== hash && { bytes }), ...(sourcesEntry && { sourcesEntry }) };
  };
  const documentFiles = files.filter(isDocument);
  let results: Array<ScannedFile | SkippedFile>;
  if (options.blocking) {
    // Synchronous reads take a tenth of the time of asynchronous ones for small files (no thread-pool round
    // trips). Only where nothing else waits for the event loop.
    results = documentFiles.map((id) => {
      const file = path.join(dir, id);
      try {
        const stampedAt = Date.now();
        const info = statSync(file);
        if (info.size > maxFileBytes) return tooLarge(id, info.size);
        return fromStamp(id, info, stampedAt) ?? fromBytes(id, info, stampedAt, readFileSync(file));
      } catch (error) {
        return unreadable(id, error);
      }
    });
  } else {
    // Many files at once: one at a time, a refresh would spend most of its time waiting for each read to come back.
    results = await mapConcurrently(documentFiles, SCAN_CONCURRENCY, async (id) => {
      const file = path.join(dir, id);
      try {
        const stampedAt = Date.now();
        const info = await stat(file);
        if (info.size > maxFileBytes) return tooLarge(id, info.size);
        return fromStamp(id, info, stampedAt) ?? fromBytes(id, info, stampedAt, await readFile(file));
      } catch (error) {
        return unreadable(id, error);
      }
    });
  }
  for (const result of results) {
    if ("hash" in result) scanned.push(result);
    else skipped.push(result);
  }
  return { files: scanned, hashed, skipped };
}

/** Files stat'ed, read and hashed at the same time by a scan (the thread pool has 4 threads; more keeps them busy). */
const SCAN_CONCURRENCY = 32;

/** fn over every item, at most `limit` at a time; results in the items' order. */
async function mapConcurrently<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const at = next++;
      results[at] = await fn(items[at]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** The hash that decides whether a cached analysis of a document still holds. */
export function contentHash(bytes: Uint8Array, sourcesEntry: Partial<DocumentMeta> | undefined): string {
  return contentHashOf(createHash("sha256").update(bytes).digest("hex"), sourcesEntry);
}

function contentHashOf(bytesHash: string, sourcesEntry: Partial<DocumentMeta> | undefined): string {
  return createHash("sha256")
    .update(`${bytesHash}\0sources.json:${JSON.stringify(sourcesEntry ?? null)}`)
    .digest("hex")
    .slice(0, 32);
}

/** Reads scanned files with their formats' readers (the bytes already read by the scan): documents, or why not. */
export async function readScannedFiles(files: readonly ScannedFile[], limits: ReadLimits = DEFAULT_LIMITS, onRead?: (done: number) => void): Promise<LoadedCorpus> {
  const documents: SourceDocument[] = [];
  const skipped: SkippedFile[] = [];
  for (const [done, { id, bytes, size, sourcesEntry }] of files.entries()) {
    onRead?.(done);
    if (!bytes) throw new Error(`${id} was scanned without its bytes`); // a caller's mistake, not a bad file
    try {
      // The format's reader: text checks (empty, NUL bytes, UTF-8) for text formats, its own for the others.
      const read = await readDocument(bytes, id, limits);
      if (isSkip(read)) {
        skipped.push({ id, reason: read.skip });
        continue;
      }
      documents.push({ id, text: read.text, blocks: read.blocks, bytes: size, meta: metaOf(id, read.meta, read.titleHint, sourcesEntry) });
    } catch (error) {
      skipped.push({ id, reason: `cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})` });
    }
  }
  return { documents, skipped };
}

/** Reads every document of the folder (no cache): scan, then each file's reader. */
export async function loadCorpus(dir: string, maxFileBytes: number, limits: ReadLimits = DEFAULT_LIMITS): Promise<LoadedCorpus> {
  const scan = await scanCorpus(dir, maxFileBytes);
  const read = await readScannedFiles(scan.files, limits);
  return { documents: read.documents, skipped: [...scan.skipped, ...read.skipped] };
}

/**
 * Every regular file under dir, and every symbolic link, as forward-slash paths relative to it, sorted
 * for a stable order. Hidden files and folders (`.git/`, `.cache/`, `.DS_Store`) are not documents and
 * are passed over without a word, and hidden folders are not even read.
 */
async function listFiles(dir: string): Promise<{ files: string[]; links: string[] }> {
  const files: string[] = [];
  const links: string[] = [];
  const walk = async (folder: string): Promise<void> => {
    for (const entry of await readdir(path.join(dir, folder), { withFileTypes: true })) {
      if (entry.name.startsWith(".")) continue;
      const id = folder ? `${folder}/${entry.name}` : entry.name;
      if (entry.isSymbolicLink()) links.push(id);
      else if (entry.isDirectory()) await walk(id);
      else if (entry.isFile()) files.push(id);
    }
  };
  await walk("");
  return { files: files.sort(), links: links.sort() };
}

const isMetadataFile = (id: string) => id === METADATA_FILE || id.endsWith("/" + METADATA_FILE);

/** All sources.json files, merged: keys are paths relative to the folder each file sits in. */
async function readMetadata(dir: string, files: string[], skipped: SkippedFile[]) {
  const merged = new Map<string, Partial<DocumentMeta>>();
  for (const id of files.filter(isMetadataFile)) {
    const folder = id.includes("/") ? id.slice(0, id.lastIndexOf("/") + 1) : "";
    try {
      for (const [name, meta] of parseSourcesFile(await readFile(path.join(dir, id), "utf8"))) merged.set(folder + name, meta);
    } catch (error) {
      skipped.push({ id, reason: `metadata not used: ${(error as Error).message}` });
    }
  }
  return merged;
}
