/**
 * Reads a corpus folder (recursively): every file whose format has a reader (.txt, .md, .html, .pdf, .docx, …),
 * its metadata, and why any file was skipped. Formats are known only through formats/index.ts.
 */
import { readdir, readFile, stat } from "node:fs/promises";
import path from "node:path";
import type { SkippedFile, SourceDocument } from "../core/types.js";
import { formatBytes } from "../core/describe.js";
import { DEFAULT_LIMITS, isSkip, readerFor, readFile as readDocument, type ReadLimits } from "./formats/index.js";
import { METADATA_FILE, metaOf, parseSourcesFile } from "./metadata.js";
import type { ReportProgress } from "../core/progress-reporter.js";

export interface LoadedCorpus {
  documents: SourceDocument[];
  skipped: SkippedFile[];
}

const isDocument = (id: string) => readerFor(id) !== undefined;

/** Throws only when the folder itself cannot be read; a bad file is skipped with its reason. `report` hears of each file read. */
export async function loadCorpus(dir: string, maxFileBytes: number, limits: ReadLimits = DEFAULT_LIMITS, report?: ReportProgress): Promise<LoadedCorpus> {
  const documents: SourceDocument[] = [];
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

  const toRead = files.filter(isDocument);
  for (const [done, id] of toRead.entries()) {
    report?.({ phase: "reading", documentsDone: done, documentsTotal: toRead.length, sentences: 0 });
    const file = path.join(dir, id);
    try {
      const { size } = await stat(file);
      if (size > maxFileBytes) {
        skipped.push({ id, reason: `larger than the limit (${formatBytes(size)} > ${formatBytes(maxFileBytes)}, MAX_FILE_BYTES)` });
        continue;
      }
      // The format's reader: text checks (empty, NUL bytes, UTF-8) for text formats, its own for the others.
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
  report?.({ phase: "reading", documentsDone: toRead.length, documentsTotal: toRead.length, sentences: 0 });
  return { documents, skipped };
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
  const merged = new Map<string, Partial<import("../core/types.js").DocumentMeta>>();
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
