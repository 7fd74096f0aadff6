/** Reads a corpus folder (recursively): .txt and .md documents, their metadata, and why any file was skipped. */
import { readdir, readFile, stat } from "node:fs/promises";
import path from "node:path";
import type { SkippedFile, SourceDocument } from "../core/types.js";
import { formatBytes } from "../core/describe.js";
import { METADATA_FILE, metaOf, parseSourcesFile } from "./metadata.js";

export interface LoadedCorpus {
  documents: SourceDocument[];
  skipped: SkippedFile[];
}

const DOCUMENT = /\.(txt|md|markdown)$/i;

/** Throws only when the folder itself cannot be read; a bad file is skipped with its reason. */
export async function loadCorpus(dir: string, maxFileBytes: number): Promise<LoadedCorpus> {
  const documents: SourceDocument[] = [];
  const skipped: SkippedFile[] = [];
  const { files, links } = await listFiles(dir);
  const metadata = await readMetadata(dir, files, skipped);
  for (const id of links) {
    // Not followed: a link can point outside the corpus folder (or make a loop); say so rather than guess.
    // Links named like other files (an image) are ignored, as those files are.
    const target = await stat(path.join(dir, id)).catch(() => undefined);
    const named = DOCUMENT.test(id) || isMetadataFile(id);
    if (!target && named) skipped.push({ id, reason: "cannot be read (symbolic link to nothing)" });
    else if (target && (named || target.isDirectory())) skipped.push({ id, reason: "symbolic link, not followed" });
  }

  for (const id of files.filter((f) => DOCUMENT.test(f))) {
    const file = path.join(dir, id);
    try {
      const { size } = await stat(file);
      if (size > maxFileBytes) {
        skipped.push({ id, reason: `larger than the limit (${formatBytes(size)} > ${formatBytes(maxFileBytes)}, MAX_FILE_BYTES)` });
        continue;
      }
      const bytes = await readFile(file);
      const problem = unusable(bytes);
      if (problem) {
        skipped.push({ id, reason: problem });
        continue;
      }
      const text = bytes.toString("utf8");
      documents.push({ id, text, bytes: size, meta: metaOf(id, text, metadata.get(id)) });
    } catch (error) {
      skipped.push({ id, reason: `cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})` });
    }
  }
  return { documents, skipped };
}

/** Why a file's bytes are not a usable text document, or undefined when they are. */
export function unusable(bytes: Buffer): string | undefined {
  if (bytes.length === 0 || bytes.toString("utf8").trim() === "") return "empty";
  if (bytes.includes(0)) return "binary (contains NUL bytes)";
  try {
    new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return "not valid UTF-8 text";
  }
  return undefined;
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
