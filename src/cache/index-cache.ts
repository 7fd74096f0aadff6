/**
 * The persisted index: what the engine computed from the corpus, saved under CACHE_DIR/index/ so the next
 * start reuses it instead of reading and analysing every document again.
 *
 *   index/manifest.lkf        the engine version, each segment's file, each document id → content hash,
 *                             the files their reader refused (with their hash and the reason, not read again),
 *                             and each file's stamp (size, times, inode: a file whose stamp holds is not read)
 *   index/segment-<id>.lkf    one index segment (whole documents' analysed sentences and postings)
 *
 * Segment files are written first, the manifest last and atomically (src/cache/flat-file.ts), so a crash at
 * any point leaves the previous manifest naming complete files; files no manifest names any more are removed
 * after it is written. A segment file is named after its documents and their hashes, so an unchanged segment
 * is never written twice. Anything wrong (a damaged, truncated, foreign or older file, a segment whose
 * documents disagree with the manifest) is reported as a warning and that part is rebuilt, never trusted.
 */
import { createHash } from "node:crypto";
import { readdir, rm, stat } from "node:fs/promises";
import path from "node:path";
import type { FlatRecord } from "../core/flat.js";
import type { FileStamp } from "../corpus/load.js";
import { readFlatFile, TEMPORARY_SUFFIX, writeFlatFileInBackground, type FlatFileIdentity } from "./flat-file.js";

/**
 * The engine's analysis and the index layout as saved: bump it whenever either changes (the tokenizer, stop
 * words, stemming, sentence splitting, furniture rules, the segments' arrays), and every saved index is
 * rebuilt on the next start.
 */
export const INDEX_VERSION = 6;

/** How the cache turns segments into flat records and back, and which documents (id, content hash) each holds. */
export interface SegmentCodec<S> {
  toFlat(segment: S): FlatRecord;
  /** Throws on inconsistent data (the file is then ignored and its documents analysed again). */
  fromFlat(record: FlatRecord): S;
  documentsOf(segment: S): ReadonlyArray<{ id: string; hash: string }>;
}

export interface IndexCacheOptions<S> {
  /** CACHE_DIR; the index lives in its `index/` folder. */
  cacheDir: string;
  codec: SegmentCodec<S>;
  /** INDEX_VERSION unless a test says otherwise. */
  version?: number;
}

/** A file its format's reader refused (empty, binary, not UTF-8…): saved so it is not read again until it changes. */
export interface RejectedFile {
  id: string;
  hash: string;
  reason: string;
}

/** What a start-up found in the cache. */
export interface LoadedIndex<S> {
  segments: S[];
  rejected: RejectedFile[];
  /** By file id: lets the next scan skip reading files that did not change. */
  stamps: Map<string, FileStamp>;
  /** Why parts of the cache (or all of it) were not used, one sentence each; empty when all was reused or none was saved. */
  problems: string[];
}

interface Manifest {
  segments: Array<{ file: string; documents: string[] }>;
  documents: Record<string, string>;
  rejected: RejectedFile[];
  /** By file id: [size, mtimeMs, ctimeMs, ino, bytesHash, stampedAt]. */
  stamps: Record<string, [number, number, number, number, string, number]>;
}

const MANIFEST = "manifest.lkf";
const SEGMENT = /^segment-[0-9a-f]{32}\.lkf$/;
/** A temporary file this old was left by a process that died while saving (a live one renames within seconds). */
const ABANDONED_TEMPORARY_MS = 10 * 60 * 1000;

export class IndexCache<S> {
  readonly dir: string;
  private readonly codec: SegmentCodec<S>;
  private readonly manifestIdentity: FlatFileIdentity;
  private readonly segmentIdentity: FlatFileIdentity;
  /** Segment files known to be complete on disk (read or written by this process), by name. */
  private readonly onDisk = new Set<string>();

  constructor(options: IndexCacheOptions<S>) {
    this.dir = path.join(options.cacheDir, "index");
    this.codec = options.codec;
    const version = options.version ?? INDEX_VERSION;
    this.manifestIdentity = { kind: "lookout-index-manifest", version };
    this.segmentIdentity = { kind: "lookout-index-segment", version };
  }

  /** Reads the saved index: every segment that is intact and agrees with the manifest. Never throws. */
  load(): LoadedIndex<S> {
    const problems: string[] = [];
    const manifestFile = path.join(this.dir, MANIFEST);
    const read = readFlatFile(manifestFile, this.manifestIdentity);
    if (read.problem) {
      if (read.problem.code !== "missing") problems.push(`${manifestFile}: ${read.problem.detail}`);
      return { segments: [], rejected: [], stamps: new Map(), problems };
    }
    const manifest = read.record.header as unknown as Manifest;
    if (!Array.isArray(manifest.segments) || typeof manifest.documents !== "object" || manifest.documents === null) {
      return { segments: [], rejected: [], stamps: new Map(), problems: [`${manifestFile}: damaged (no segment list)`] };
    }
    const segments: S[] = [];
    const taken = new Set<string>();
    for (const entry of manifest.segments) {
      const file = path.join(this.dir, String(entry.file));
      if (!SEGMENT.test(String(entry.file))) {
        problems.push(`${manifestFile}: damaged (segment file name ${JSON.stringify(entry.file)})`);
        continue;
      }
      const segmentRead = readFlatFile(file, this.segmentIdentity);
      if (segmentRead.problem) {
        problems.push(`${file}: ${segmentRead.problem.detail}`);
        continue;
      }
      let segment: S;
      try {
        segment = this.codec.fromFlat(segmentRead.record);
      } catch (error) {
        problems.push(`${file}: damaged (${(error as Error).message})`);
        continue;
      }
      // The segment must hold exactly the documents the manifest says, with the same hashes, none twice.
      const documents = this.codec.documentsOf(segment);
      const agrees =
        Array.isArray(entry.documents) &&
        documents.length === entry.documents.length &&
        documents.every((d, i) => d.id === entry.documents[i] && manifest.documents[d.id] === d.hash && !taken.has(d.id)) &&
        segmentFileName(documents) === entry.file;
      if (!agrees) {
        problems.push(`${file}: does not hold the documents the manifest lists`);
        continue;
      }
      for (const d of documents) taken.add(d.id);
      segments.push(segment);
      this.onDisk.add(entry.file);
    }
    const rejected = (Array.isArray(manifest.rejected) ? manifest.rejected : []).filter(
      (r) => typeof r?.id === "string" && typeof r.hash === "string" && typeof r.reason === "string" && !taken.has(r.id),
    );
    const stamps = new Map<string, FileStamp>();
    for (const [id, stamp] of Object.entries(typeof manifest.stamps === "object" && manifest.stamps !== null ? manifest.stamps : {})) {
      if (!Array.isArray(stamp) || stamp.length !== 6) continue;
      const [size, mtimeMs, ctimeMs, ino, bytesHash, stampedAt] = stamp;
      if ([size, mtimeMs, ctimeMs, ino, stampedAt].every((n) => typeof n === "number") && typeof bytesHash === "string") stamps.set(id, { size, mtimeMs, ctimeMs, ino, bytesHash, stampedAt });
    }
    return { segments, rejected, stamps, problems };
  }

  /**
   * Saves the index as these segments: writes the segment files not on disk yet, then the manifest, then
   * removes the files it no longer names. Rejects when the folder cannot be written (the previous manifest
   * and its files stay as they were, or the index is rebuilt next time: never a wrong load).
   */
  async save(segments: readonly S[], rejected: readonly RejectedFile[] = [], stamps: ReadonlyMap<string, FileStamp> = new Map()): Promise<{ written: number; removed: number }> {
    const manifest: Manifest = { segments: [], documents: {}, rejected: rejected.map(({ id, hash, reason }) => ({ id, hash, reason })), stamps: {} };
    for (const [id, { size, mtimeMs, ctimeMs, ino, bytesHash, stampedAt }] of stamps) manifest.stamps[id] = [size, mtimeMs, ctimeMs, ino, bytesHash, stampedAt];
    let written = 0;
    for (const segment of segments) {
      const documents = this.codec.documentsOf(segment);
      const file = segmentFileName(documents);
      if (!this.onDisk.has(file) || !(await exists(path.join(this.dir, file)))) {
        await writeFlatFileInBackground(path.join(this.dir, file), this.segmentIdentity, this.codec.toFlat(segment));
        this.onDisk.add(file);
        written++;
      }
      manifest.segments.push({ file, documents: documents.map((d) => d.id) });
      for (const d of documents) manifest.documents[d.id] = d.hash;
    }
    await writeFlatFileInBackground(path.join(this.dir, MANIFEST), this.manifestIdentity, { header: manifest as unknown as Record<string, unknown>, arrays: {} });
    const named = new Set(manifest.segments.map((s) => s.file));
    let removed = 0;
    for (const name of await readdir(this.dir)) {
      const stale = SEGMENT.test(name) && !named.has(name);
      const abandoned = name.endsWith(TEMPORARY_SUFFIX) && (await ageOf(path.join(this.dir, name))) > ABANDONED_TEMPORARY_MS;
      if (!stale && !abandoned) continue;
      await rm(path.join(this.dir, name), { force: true });
      this.onDisk.delete(name);
      removed++;
    }
    return { written, removed };
  }
}

/** Named after its documents and their content: the same documents analysed alike give the same file. */
function segmentFileName(documents: ReadonlyArray<{ id: string; hash: string }>): string {
  const hash = createHash("sha256");
  for (const d of documents) hash.update(`${d.id}\0${d.hash}\0`);
  return `segment-${hash.digest("hex").slice(0, 32)}.lkf`;
}

/** Milliseconds since the file last changed; 0 when it is gone. */
async function ageOf(file: string): Promise<number> {
  const info = await stat(file).catch(() => undefined);
  return info ? Date.now() - info.mtimeMs : 0;
}

async function exists(file: string): Promise<boolean> {
  return (await stat(file).catch(() => undefined)) !== undefined;
}
