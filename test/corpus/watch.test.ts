/**
 * Watch mode with real files and the real fs.watch: debounce 200 ms, waits of seconds, so that a loaded
 * machine cannot make them flaky.
 */
import { mkdir, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { RefreshReport } from "../../src/core/contracts.js";
import { Library } from "../../src/corpus/library.js";
import { watchCorpus, watchedName, type Refreshable } from "../../src/corpus/watch.js";
import { tempCorpus } from "../temp-folder.js";

const DEBOUNCE_MS = 200;
/** Long enough for a debounced refresh to have started and finished had one been due. */
const QUIET_MS = 1500;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitFor(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > end) throw new Error("timed out waiting");
    await sleep(25);
  }
}

const stops: (() => void)[] = [];
afterEach(() => {
  for (const stop of stops.splice(0)) stop();
});

const ferry = { "ferry.txt": "The ferry to the island leaves at nine every morning.\n" };

async function openWatched(dir: string, library?: Refreshable) {
  const lib = await Library.open({ corpusDir: dir, maxFileBytes: 1_000_000, maxQuestionChars: 500 });
  const results: (RefreshReport | Error)[] = [];
  const watchErrors: Error[] = [];
  let calls = 0;
  const counted: Refreshable = library ?? {
    refresh() {
      calls++;
      return lib.refresh();
    },
  };
  const stop = watchCorpus(counted, { dir, debounceMs: DEBOUNCE_MS, onRefresh: (r) => results.push(r), onWatchError: (e) => watchErrors.push(e) });
  stops.push(stop);
  // Let the watcher settle before the test writes.
  await sleep(100);
  return { lib, results, watchErrors, stop, calls: () => calls };
}

describe("watchedName", () => {
  it("passes documents and folders, not hidden paths or temporary files", () => {
    expect(watchedName("news/a.txt")).toBe(true);
    expect(watchedName("news")).toBe(true);
    expect(watchedName(".cache/trash/a.txt")).toBe(false);
    expect(watchedName("news/.a.txt.0a1b2c.tmp")).toBe(false);
    expect(watchedName("draft.TMP")).toBe(false);
    expect(watchedName("news\\.git\\x")).toBe(false);
  });
});

describe("watch mode", () => {
  it("a burst of 100 file writes causes exactly one refresh, and the new documents are answered", async () => {
    const dir = await tempCorpus(ferry);
    const { lib, results, calls } = await openWatched(dir);
    await mkdir(path.join(dir, "burst"));
    await Promise.all(
      Array.from({ length: 100 }, (_, i) => writeFile(path.join(dir, "burst", `note-${i}.txt`), `Harbour note ${i}: crate number z${i}q is stored in shed ${i}.\n`)),
    );
    await waitFor(() => results.length > 0);
    await sleep(QUIET_MS);
    expect(calls()).toBe(1);
    expect(results).toHaveLength(1);
    const report = results[0] as RefreshReport;
    expect(report.added).toHaveLength(100);
    expect(report.documents).toBe(101);
    const answer = await lib.ask("Where is crate z42q stored?");
    expect(answer.answered).toBe(true);
    expect(answer.excerpts[0]?.text).toMatch(/shed 42/);
  }, 30_000);

  it("a change during a running refresh leads to one more refresh afterwards, never two at once", async () => {
    const dir = await tempCorpus(ferry);
    const lib = await Library.open({ corpusDir: dir, maxFileBytes: 1_000_000, maxQuestionChars: 500 });
    // The first refresh is held after it has read the folder, until the test lets it go.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let running = 0;
    let mostAtOnce = 0;
    let reloads = 0;
    let firstRead = false;
    let inFlight: Promise<RefreshReport> | undefined;
    const slow: Refreshable = {
      refresh() {
        inFlight ??= (async () => {
          running++;
          mostAtOnce = Math.max(mostAtOnce, running);
          reloads++;
          try {
            const report = await lib.refresh();
            if (reloads === 1) {
              firstRead = true;
              await held;
            }
            return report;
          } finally {
            running--;
          }
        })().finally(() => (inFlight = undefined));
        return inFlight;
      },
    };
    const { results } = await openWatched(dir, slow);

    await writeFile(path.join(dir, "museum.txt"), "The lighthouse museum is on the north cliff.\n");
    await waitFor(() => firstRead && running === 1); // the first refresh has read the folder and is still running
    await writeFile(path.join(dir, "bakery.txt"), "The bakery on the quay sells rye bread on Tuesdays.\n");
    await sleep(DEBOUNCE_MS * 3); // the quiet period ends while the first refresh still runs
    expect(reloads).toBe(1);
    release();
    await waitFor(() => results.length === 2);
    await sleep(QUIET_MS);

    expect(results).toHaveLength(2);
    expect(mostAtOnce).toBe(1);
    expect((results[0] as RefreshReport).added).toEqual(["museum.txt"]);
    expect((results[1] as RefreshReport).added).toEqual(["bakery.txt"]);
    expect((await lib.ask("When does the bakery sell rye bread?")).excerpts[0]?.text).toMatch(/Tuesdays/);
  }, 30_000);

  it("hidden files and folders and *.tmp files do not trigger a refresh", async () => {
    const dir = await tempCorpus(ferry);
    const { results, calls } = await openWatched(dir);
    await writeFile(path.join(dir, ".notes.md"), "# Notes\n\nNot a document.\n");
    await mkdir(path.join(dir, ".cache", "trash"), { recursive: true });
    await writeFile(path.join(dir, ".cache", "trash", "old.txt"), "Removed document.\n");
    await writeFile(path.join(dir, ".ferry.txt.0a1b2c3d4e5f.tmp"), "An atomic write in progress.\n");
    await writeFile(path.join(dir, "draft.tmp"), "A temporary file.\n");
    await sleep(QUIET_MS);
    expect(calls()).toBe(0);
    expect(results).toEqual([]);

    // The watcher is alive: a document still triggers one.
    await writeFile(path.join(dir, "museum.txt"), "The lighthouse museum is on the north cliff.\n");
    await waitFor(() => results.length === 1);
    expect((results[0] as RefreshReport).added).toEqual(["museum.txt"]);
  }, 30_000);

  it("stopping the watcher stops refreshes, also one waiting for its quiet period", async () => {
    const dir = await tempCorpus(ferry);
    const { results, stop, calls } = await openWatched(dir);
    await writeFile(path.join(dir, "museum.txt"), "The lighthouse museum is on the north cliff.\n");
    await sleep(DEBOUNCE_MS / 4);
    stop();
    await writeFile(path.join(dir, "bakery.txt"), "The bakery on the quay sells rye bread on Tuesdays.\n");
    await sleep(QUIET_MS);
    expect(calls()).toBe(0);
    expect(results).toEqual([]);
    stop(); // twice is harmless
  }, 30_000);

  it("a deleted corpus folder does not crash: the refresh fails and the old corpus keeps answering", async () => {
    const dir = await tempCorpus(ferry);
    const { lib, results, watchErrors } = await openWatched(dir);
    await rm(dir, { recursive: true, force: true });
    await waitFor(() => results.length > 0 || watchErrors.length > 0);
    await sleep(QUIET_MS);
    for (const r of results) expect(r).toBeInstanceOf(Error);
    expect((await lib.ask("When does the ferry leave?")).answered).toBe(true);
  }, 30_000);

  it("a folder that does not exist is reported, not thrown", async () => {
    const dir = await tempCorpus(ferry);
    const lib = await Library.open({ corpusDir: dir, maxFileBytes: 1_000_000, maxQuestionChars: 500 });
    const errors: Error[] = [];
    const stop = watchCorpus(lib, { dir: path.join(dir, "missing"), onRefresh: () => undefined, onWatchError: (e) => errors.push(e) });
    stop();
    expect(errors).toHaveLength(1);
    expect((errors[0] as NodeJS.ErrnoException).code).toBe("ENOENT");
  });
});
