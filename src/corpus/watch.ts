/**
 * Watch mode (CORPUS_WATCH): changes in the corpus folder trigger a refresh once they settle. Events are
 * debounced: a refresh starts when `debounceMs` pass without one, so a burst of writes causes one refresh.
 * Never two at once: when the quiet period ends while a refresh runs (the watcher's own or a moderator's
 * /refresh), the watcher waits for it and then refreshes once more, so changes made after that reload had
 * read the folder are not lost.
 *
 * Hidden files and folders are ignored, as the loader ignores them (`.git/`, `.cache/`, the `.name.hex.tmp`
 * files of the atomic writes of /corpus add), and so are `*.tmp` files and anything under `ignore`.
 *
 * node:fs `watch(dir, { recursive: true })`: on Linux Node (20.x) implements it itself with one inotify watch
 * per file and folder under `dir` (hidden ones included), found by reading the tree synchronously at start and
 * when a folder appears. A tree larger than the system's inotify limit (fs.inotify.max_user_watches) makes the
 * watcher report an error (logged), and changes in the folders it could not watch are missed.
 */
import { watch, type FSWatcher } from "node:fs";
import path from "node:path";
import type { RefreshReport } from "../core/contracts.js";

/**
 * What the watcher needs of the library. A refresh asked for while another runs must read the folder after
 * that one (Library.refresh runs once more after it), so changes made during a reload are never missed.
 */
export interface Refreshable {
  refresh(): Promise<RefreshReport>;
}

export interface WatchOptions {
  /** The corpus folder. */
  dir: string;
  /** Quiet time after the last change before a refresh starts. Default 1000 ms. */
  debounceMs?: number;
  /** Folders (absolute or relative to the working directory) whose changes are ignored, e.g. CACHE_DIR. */
  ignore?: readonly string[];
  /** Each watch-triggered refresh: its report, or the error it failed with (the old corpus keeps serving). */
  onRefresh(result: RefreshReport | Error): void;
  /** The watcher itself failed (the folder was deleted, too many folders to watch); refreshes may stop. */
  onWatchError?(error: Error): void;
}

export const DEFAULT_WATCH_DEBOUNCE_MS = 1000;

/** Whether a change to `name` (relative to the corpus folder, `/` or `\` separated) can matter to the loader. */
export function watchedName(name: string): boolean {
  const parts = name.split(/[\\/]/).filter((p) => p !== "");
  if (parts.some((p) => p.startsWith("."))) return false;
  return !/\.tmp$/i.test(parts.at(-1) ?? "");
}

/** Starts watching; returns the function that stops it (no refresh starts after it, one running finishes). */
export function watchCorpus(library: Refreshable, options: WatchOptions): () => void {
  const debounceMs = options.debounceMs ?? DEFAULT_WATCH_DEBOUNCE_MS;
  const root = path.resolve(options.dir);
  const ignored = (options.ignore ?? []).map((p) => path.relative(root, path.resolve(p))).filter((rel) => rel !== "" && !rel.startsWith("..") && !path.isAbsolute(rel));
  let timer: NodeJS.Timeout | undefined;
  let busy = false;
  let again = false;
  let stopped = false;

  const run = async () => {
    if (busy) {
      again = true;
      return;
    }
    busy = true;
    try {
      do {
        again = false;
        if (stopped) return;
        let result: RefreshReport | Error;
        try {
          result = await library.refresh();
        } catch (error) {
          result = error instanceof Error ? error : new Error(String(error));
        }
        options.onRefresh(result);
      } while (again && !stopped);
    } finally {
      busy = false;
    }
  };

  const changed = (name: string | null) => {
    if (stopped) return;
    // No name (some platforms, or the folder itself changed): refresh to be safe.
    if (name !== null && name !== "") {
      if (!watchedName(name)) return;
      const normal = path.normalize(name);
      if (ignored.some((rel) => normal === rel || normal.startsWith(rel + path.sep))) return;
    }
    clearTimeout(timer);
    timer = setTimeout(() => {
      timer = undefined;
      void run();
    }, debounceMs);
  };

  let watcher: FSWatcher | undefined;
  try {
    watcher = watch(root, { recursive: true }, (_event, name) => changed(name === null ? null : String(name)));
    watcher.on("error", (error: Error) => options.onWatchError?.(error));
  } catch (error) {
    options.onWatchError?.(error as Error);
  }

  return () => {
    stopped = true;
    clearTimeout(timer);
    timer = undefined;
    watcher?.close();
  };
}
