/**
 * Reads a corpus folder (recursively): every file whose format has a reader (.txt, .md, .html, .pdf, .docx, …),
 * its metadata, and why any file was skipped. Formats are known only through formats/index.ts.
 */
import { readdir, readFile, stat } from "node:fs/promises";
import path from "node:path";
import type { SkippedFile, SourceDocument } from "../core/types.js";
import { DEFAULT_LIMITS, isSkip, readerFor, readFile as readDocument, type ReadLimits } from "./formats/index.js";
import { METADATA_FILE, metaOf, parseSourcesFile } from "./metadata.js";

export interface LoadedCorpus {
  documents: SourceDocument[];
  skipped: SkippedFile[];
}

/** Throws only when the folder itself cannot be read; a bad file is skipped with its reason. */
export async function loadCorpus(dir: string, maxFileBytes: number, limits: ReadLimits = DEFAULT_LIMITS): Promise<LoadedCorpus> {
  const documents: SourceDocument[] = [];
  const skipped: SkippedFile[] = [];
  const files = await listFiles(dir);
  const metadata = await readMetadata(dir, files, skipped);

  for (const id of files.filter((f) => readerFor(f) !== undefined)) {
    const file = path.join(dir, id);
    try {
      const { size } = await stat(file);
      if (size > maxFileBytes) {
        skipped.push({ id, reason: `larger than the limit (${formatBytes(size)} > ${formatBytes(maxFileBytes)}, MAX_FILE_BYTES)` });
        continue;
      }
      const read = await readDocument(await readFile(file), id, limits);
      if (isSkip(read)) {
        skipped.push({ id, reason: read.skip });
        continue;
      }
      documents.push({ id, text: read.text, blocks: read.blocks, bytes: size, meta: metaOf(id, read.meta, read.titleHint, metadata.get(id)) });
    } catch (error) {
      skipped.push({ id, reason: `cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})` });
    }
  }
  return { documents, skipped };
}

/** Every file under dir, as forward-slash paths relative to it, sorted for a stable order. */
async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile() && !e.name.startsWith("."))
    .map((e) => path.relative(dir, path.join(e.parentPath ?? (e as unknown as { path: string }).path, e.name)).split(path.sep).join("/"))
    .sort();
}

/** All sources.json files, merged: keys are paths relative to the folder each file sits in. */
async function readMetadata(dir: string, files: string[], skipped: SkippedFile[]) {
  const merged = new Map<string, Partial<import("../core/types.js").DocumentMeta>>();
  for (const id of files.filter((f) => f === METADATA_FILE || f.endsWith("/" + METADATA_FILE))) {
    const folder = id.includes("/") ? id.slice(0, id.lastIndexOf("/") + 1) : "";
    try {
      for (const [name, meta] of parseSourcesFile(await readFile(path.join(dir, id), "utf8"))) merged.set(folder + name, meta);
    } catch (error) {
      skipped.push({ id, reason: `metadata not used: ${(error as Error).message}` });
    }
  }
  return merged;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} kB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
