/**
 * Changing the corpus folder from outside (Discord's /corpus add and /corpus remove): checks, atomic writes,
 * sources.json kept in step, removed files kept in a trash folder. No Discord here; the command module
 * (src/discord/commands/corpus.ts) calls these and then refreshes the library.
 *
 * - An upload passes the checks the loader applies to its format (formats/index.ts `readFile`: the same
 *   reader on the same bytes), so a file the loader would skip is refused with the reader's reason.
 * - Every write is a temporary hidden file in the same folder (the loader passes over hidden files), then a
 *   rename; a new file is linked into place, so one that appeared meanwhile is never overwritten.
 * - sources.json is read, changed in one entry and written the same way; one that is not valid JSON is
 *   refused, never overwritten.
 * - Changes to one corpus folder run one at a time.
 */
import { randomBytes } from "node:crypto";
import { copyFile, link, lstat, mkdir, open, readFile, rename, unlink } from "node:fs/promises";
import path from "node:path";
import type { DocumentMeta } from "../core/types.js";
import { EXTENSIONS, isSkip, readerFor, readFile as readDocument, type ReadLimits, DEFAULT_LIMITS } from "./formats/index.js";
import { METADATA_FILE, parseSourcesFile } from "./metadata.js";

export type UploadMeta = Partial<Pick<DocumentMeta, "title" | "outlet" | "author" | "date" | "url">>;

export class CorpusChangeRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CorpusChangeRefused";
  }
}

/** Why a file of this (already safe) name cannot be added, from its name alone: its format. */
export function formatProblem(name: string): string | undefined {
  if (readerFor(name) !== undefined) return undefined;
  return `only ${EXTENSIONS.join(" ")} files can be added (the formats the corpus is read from)`;
}

/** The loader's own reader on the bytes: undefined when the loader would use the file, else its reason to skip it. */
export async function contentProblem(bytes: Uint8Array, name: string, limits: ReadLimits = DEFAULT_LIMITS): Promise<string | undefined> {
  const read = await readDocument(bytes, name, limits);
  return isSkip(read) ? read.skip : undefined;
}

/** The metadata options checked: a URL must be an http(s) address; values are trimmed and cut to 500 characters. */
export function checkMeta(meta: UploadMeta): { meta: UploadMeta } | { problem: string } {
  const out: UploadMeta = {};
  for (const [key, value] of Object.entries(meta) as Array<[keyof UploadMeta, string | undefined]>) {
    const v = value?.replace(/[\u0000-\u001f\u007f]/g, " ").trim();
    if (v) out[key] = v.slice(0, 500);
  }
  if (out.url !== undefined) {
    let url: URL | undefined;
    try {
      url = new URL(out.url);
    } catch {
      url = undefined;
    }
    if (url === undefined || (url.protocol !== "https:" && url.protocol !== "http:")) return { problem: `the url must be an http(s) address, got “${out.url}”` };
  }
  return { meta: out };
}

const queues = new Map<string, Promise<unknown>>();

/** Runs `work` after every earlier change to the same folder has finished. */
function serially<T>(folder: string, work: () => Promise<T>): Promise<T> {
  const key = path.resolve(folder);
  const previous = queues.get(key) ?? Promise.resolve();
  const next = previous.then(work, work);
  const settled = next.catch(() => undefined);
  queues.set(key, settled);
  void settled.then(() => {
    if (queues.get(key) === settled) queues.delete(key);
  });
  return next;
}

/** `folder/name`, checked to be directly inside folder (the name is one segment, never `..`). */
function inside(folder: string, name: string): string {
  const root = path.resolve(folder);
  const target = path.resolve(root, name);
  if (path.dirname(target) !== root || name === "." || name === "..") throw new CorpusChangeRefused(`“${name}” is not a file name inside the corpus folder`);
  return target;
}

/** A hidden temporary name beside `target` (the loader ignores hidden files). */
function tempBeside(target: string): string {
  return path.join(path.dirname(target), `.${path.basename(target)}.${randomBytes(6).toString("hex")}.tmp`);
}

async function writeTemp(target: string, bytes: Uint8Array): Promise<string> {
  const temp = tempBeside(target);
  const handle = await open(temp, "wx", 0o644);
  try {
    await handle.writeFile(bytes);
    await handle.sync();
  } finally {
    await handle.close();
  }
  return temp;
}

/** Writes `bytes` to `target` in one step: a temporary file renamed over it. */
export async function writeAtomically(target: string, bytes: Uint8Array): Promise<void> {
  const temp = await writeTemp(target, bytes);
  try {
    await rename(temp, target);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw error;
  }
}

/** Writes `bytes` to `target` in one step, only if nothing is there: false (nothing written) when something is. */
async function createAtomically(target: string, bytes: Uint8Array): Promise<boolean> {
  const temp = await writeTemp(target, bytes);
  try {
    await link(temp, target); // fails with EEXIST if anything is there: never overwrites
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "EEXIST") return false;
    if (code !== "EPERM" && code !== "ENOTSUP" && code !== "EXDEV" && code !== "ENOSYS") throw error;
    // A file system without hard links: check, then rename (a file created between the two would be replaced).
    if (await exists(target)) return false;
    await rename(temp, target);
    return true;
  } finally {
    await unlink(temp).catch(() => undefined);
  }
}

async function exists(file: string): Promise<boolean> {
  return lstat(file).then(
    () => true,
    (error: NodeJS.ErrnoException) => {
      if (error.code === "ENOENT") return false;
      throw error;
    },
  );
}

/** The parsed sources.json of a folder (an empty object when there is none); throws CorpusChangeRefused when it is broken. */
async function readSources(folder: string): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = await readFile(path.join(folder, METADATA_FILE), "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return {};
    throw error;
  }
  try {
    parseSourcesFile(text); // the loader's own check: a JSON object
    return JSON.parse(text) as Record<string, unknown>;
  } catch (error) {
    throw new CorpusChangeRefused(
      `${METADATA_FILE} in the corpus folder is not valid (${(error as Error).message}); fix it on disk first, it is not overwritten`,
    );
  }
}

async function writeSources(folder: string, sources: Record<string, unknown>): Promise<void> {
  await writeAtomically(path.join(folder, METADATA_FILE), Buffer.from(`${JSON.stringify(sources, null, 2)}\n`, "utf8"));
}

export interface AddResult {
  /** The document's id (its path relative to the corpus folder). */
  id: string;
  /** True when a file of that name was there and has been replaced. */
  replaced: boolean;
  /** True when sources.json was written. */
  metadataWritten: boolean;
}

/**
 * Adds (or, with `replace`, replaces) `name` in the corpus folder. `name` must come from `safeFileName` and
 * the bytes must have passed `contentProblem`; this checks the name once more. Throws CorpusChangeRefused for
 * what the moderator can fix (file exists without replace, broken sources.json), other errors as they are.
 */
export function addDocument(options: { corpusDir: string; name: string; bytes: Uint8Array; meta: UploadMeta; replace: boolean }): Promise<AddResult> {
  const { corpusDir, name, bytes, meta, replace } = options;
  return serially(corpusDir, async () => {
    const target = inside(corpusDir, name);
    const hasMeta = Object.keys(meta).length > 0;
    // Read (and check) sources.json before touching anything, so a broken one refuses the whole change.
    const sources = hasMeta ? await readSources(corpusDir) : undefined;
    const there = await lstat(target).catch(() => undefined);
    if (there !== undefined && !there.isFile()) throw new CorpusChangeRefused(`“${name}” exists in the corpus folder and is not a file; it was left alone`);
    let replaced = false;
    if (there !== undefined) {
      if (!replace) throw new CorpusChangeRefused(`“${name}” is already in the corpus; add it again with replace:True to replace it`);
      await writeAtomically(target, bytes);
      replaced = true;
    } else if (!(await createAtomically(target, bytes))) {
      if (!replace) throw new CorpusChangeRefused(`“${name}” is already in the corpus; add it again with replace:True to replace it`);
      await writeAtomically(target, bytes);
      replaced = true;
    }
    if (sources !== undefined) {
      const old = sources[name];
      sources[name] = { ...(typeof old === "object" && old !== null && !Array.isArray(old) ? old : {}), ...meta };
      await writeSources(corpusDir, sources);
    }
    return { id: name, replaced, metadataWritten: sources !== undefined };
  });
}

export interface RemoveResult {
  id: string;
  /** Where the file now is. */
  trashPath: string;
  /** "dropped" when its sources.json entry was removed, "none" when it had none, "broken" when sources.json is invalid (left as it is). */
  metadata: "dropped" | "none" | "broken";
}

/**
 * Moves the document `id` (a path relative to the corpus folder, as the loader names it) to
 * `<cacheDir>/trash/<time>-<name>`, never deleting it, and drops its sources.json entry.
 */
export function removeDocument(options: { corpusDir: string; cacheDir: string; id: string; now?: Date }): Promise<RemoveResult> {
  const { corpusDir, cacheDir, id } = options;
  return serially(corpusDir, async () => {
    const root = path.resolve(corpusDir);
    const source = path.resolve(root, id);
    if (!source.startsWith(root + path.sep) || id.split("/").some((part) => part === "" || part === "." || part === "..")) {
      throw new CorpusChangeRefused(`“${id}” is not a document of the corpus folder`);
    }
    const stat = await lstat(source).catch(() => undefined);
    if (stat === undefined || !stat.isFile()) throw new CorpusChangeRefused(`“${id}” is no longer in the corpus folder`);
    const trash = path.resolve(cacheDir, "trash");
    const within = path.relative(root, trash);
    if (!within.startsWith("..") && !path.isAbsolute(within) && !within.split(path.sep).some((part) => part.startsWith("."))) {
      // The loader reads every folder of the corpus but hidden ones: the trash would be read back as documents.
      throw new CorpusChangeRefused("CACHE_DIR is a visible folder inside the corpus folder, so removed files would still be read; move it out or give it a hidden name (.cache)");
    }
    await mkdir(trash, { recursive: true });
    const stamp = (options.now ?? new Date()).toISOString().replace(/[:.]/g, "-");
    let trashPath = path.join(trash, `${stamp}-${id.replace(/\//g, "__")}`);
    if (await exists(trashPath)) trashPath += `-${randomBytes(3).toString("hex")}`;
    try {
      await rename(source, trashPath);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EXDEV") throw error;
      // The cache on another file system: copy (never over anything), then take the original away.
      await copyFile(source, trashPath, (await import("node:fs")).constants.COPYFILE_EXCL);
      await unlink(source);
    }
    const folder = path.dirname(source);
    const key = path.basename(source);
    let metadata: RemoveResult["metadata"] = "none";
    try {
      const sources = await readSources(folder);
      if (Object.hasOwn(sources, key)) {
        delete sources[key];
        await writeSources(folder, sources);
        metadata = "dropped";
      }
    } catch (error) {
      if (!(error instanceof CorpusChangeRefused)) throw error;
      metadata = "broken";
    }
    return { id, trashPath, metadata };
  });
}

/** Why a download was refused: too large (declared or streamed), timed out, or failed. */
export class DownloadRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = "DownloadRefused";
  }
}

/**
 * Downloads `url` with a time limit, stopping as soon as more than `maxBytes` have arrived (whatever the
 * Content-Length says). Throws DownloadRefused.
 */
export async function download(url: string, options: { maxBytes: number; timeoutMs: number; describeLimit: string }): Promise<Uint8Array> {
  const { maxBytes, timeoutMs, describeLimit } = options;
  const parsed = URL.canParse(url) ? new URL(url) : undefined;
  if (parsed === undefined || (parsed.protocol !== "https:" && parsed.protocol !== "http:")) throw new DownloadRefused("the attachment has no http(s) address");
  const signal = AbortSignal.timeout(timeoutMs);
  let response: Response;
  try {
    response = await fetch(parsed, { signal, redirect: "follow" });
  } catch (error) {
    throw new DownloadRefused(signal.aborted ? `the download took longer than ${timeoutMs / 1000} s` : `the download failed (${(error as Error).message})`);
  }
  if (!response.ok) {
    await response.body?.cancel().catch(() => undefined);
    throw new DownloadRefused(`the download failed (HTTP ${response.status})`);
  }
  const declared = Number(response.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > maxBytes) {
    await response.body?.cancel().catch(() => undefined);
    throw new DownloadRefused(`the file is larger than ${describeLimit}`);
  }
  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = response.body?.getReader();
  if (reader === undefined) return new Uint8Array();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > maxBytes) {
        await reader.cancel().catch(() => undefined);
        throw new DownloadRefused(`the file is larger than ${describeLimit}`);
      }
      chunks.push(value);
    }
  } catch (error) {
    if (error instanceof DownloadRefused) throw error;
    throw new DownloadRefused(signal.aborted ? `the download took longer than ${timeoutMs / 1000} s` : `the download failed (${(error as Error).message})`);
  }
  return Buffer.concat(chunks, total);
}
