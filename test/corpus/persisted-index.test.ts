/**
 * The persisted index, as a user of Library sees it: a second start reuses the saved index (nothing read
 * or analysed, the same answers), a change invalidates just its document, a damaged or older cache is
 * ignored with a warning and rebuilt, never trusted, and a cache that cannot be written costs a warning only.
 */
import { copyFile, readdir, readFile, unlink, utimes, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { Library, type LibraryOptions } from "../../src/corpus/library.js";
import { tempCorpus } from "../temp-folder.js";

const DOCUMENTS: Record<string, string> = {
  "ferry.txt": "The ferry to the island leaves at nine every morning.\nTickets for the ferry are sold at the harbour office.\nThe harbour office opens at eight.\n",
  "museum.md": "# The lighthouse museum\n\nThe lighthouse museum is on the north cliff.\nIt shows the old lamp of the lighthouse and the harbour charts.\n",
  "guides/bus.txt": "The night bus runs hourly from the harbour to the old town.\nBus tickets are sold on board.\n",
  "guides/walks.txt": "A coastal walk leads from the harbour to the north cliff in two hours.\nThe walk passes the lighthouse.\n",
  "sources.json": JSON.stringify({ "ferry.txt": { title: "Ferry times", outlet: "Island News" } }),
};

const QUESTIONS = [
  "When does the ferry leave?",
  "Where are ferry tickets sold?",
  "Where is the lighthouse museum?",
  "How often does the night bus run?",
  "How long is the coastal walk to the north cliff?",
  "When does the harbour office open?",
  "Who wrote Hamlet?",
];

async function answers(library: Library) {
  return Promise.all(QUESTIONS.map((q) => library.ask(q)));
}

/** A library over `corpusDir` with its index in `cacheDir`, the warnings it gave kept. */
async function open(corpusDir: string, cacheDir: string | undefined, extra: Partial<LibraryOptions> = {}) {
  const warnings: string[] = [];
  const library = await Library.open({
    corpusDir,
    maxFileBytes: 1_000_000,
    maxQuestionChars: 500,
    ...(cacheDir !== undefined && { cacheDir }),
    onWarning: (message) => warnings.push(message),
    ...extra,
  });
  await library.whenSaved();
  return { library, warnings };
}

/**
 * A corpus folder and a cache folder beside it, the index saved once. `aged`: the files are written more
 * than 2 s before (a file changed just before a scan is hashed again by the next one, see FileStamp).
 */
async function savedOnce(aged = false) {
  const corpus = await tempCorpus(DOCUMENTS);
  if (aged) await new Promise((resolve) => setTimeout(resolve, 2100));
  const cache = await tempCorpus({});
  const first = await open(corpus, cache);
  expect(first.library.opened).toEqual({ reused: 0, read: 4, analysed: 4 });
  expect(first.warnings).toEqual([]);
  return { corpus, cache, first: first.library };
}

const indexDir = (cache: string) => path.join(cache, "index");

async function segmentFiles(cache: string) {
  return (await readdir(indexDir(cache))).filter((name) => name.startsWith("segment-"));
}

describe("a second start", () => {
  it("reuses the saved index: nothing read or analysed, the same answers, nothing rewritten", { timeout: 15_000 }, async () => {
    const { corpus, cache, first } = await savedOnce(true);
    const files = await readdir(indexDir(cache));
    const manifest = await readFile(path.join(indexDir(cache), "manifest.lkf"));
    const second = await open(corpus, cache);
    expect(second.library.opened).toEqual({ reused: 4, read: 0, analysed: 0 });
    expect(second.warnings).toEqual([]);
    expect(await answers(second.library)).toEqual(await answers(first));
    expect(second.library.current.documents.map((d) => d.id).sort()).toEqual(["ferry.txt", "guides/bus.txt", "guides/walks.txt", "museum.md"]);
    expect(await readdir(indexDir(cache))).toEqual(files);
    expect(await readFile(path.join(indexDir(cache), "manifest.lkf"))).toEqual(manifest);
  });

  it("does not read again a file its reader refused, while it is unchanged, and still reports it", async () => {
    const corpus = await tempCorpus({ ...DOCUMENTS, "empty.txt": "", "binary.txt": Buffer.from([0x48, 0x00, 0x01]) });
    const cache = await tempCorpus({});
    const first = await open(corpus, cache);
    expect(first.library.opened).toEqual({ reused: 0, read: 6, analysed: 4 });
    const second = await open(corpus, cache);
    expect(second.library.opened).toEqual({ reused: 4, read: 0, analysed: 0 });
    expect(second.library.skipped).toEqual(first.library.skipped);
    expect(second.library.skipped.map((s) => s.id)).toEqual(["binary.txt", "empty.txt"]);
    await writeFile(path.join(corpus, "empty.txt"), "The tide is high at noon.\n");
    const third = await open(corpus, cache);
    expect(third.library.opened).toEqual({ reused: 4, read: 1, analysed: 1 });
    expect(third.library.skipped.map((s) => s.id)).toEqual(["binary.txt"]);
  });

  it("reads and analyses only a document whose content changed, and answers as a fresh build does", async () => {
    const { corpus, cache } = await savedOnce();
    await writeFile(path.join(corpus, "guides/bus.txt"), "The night bus runs every twenty minutes from the harbour to the old town.\n");
    const second = await open(corpus, cache);
    expect(second.library.opened).toEqual({ reused: 3, read: 1, analysed: 1 });
    const fresh = await open(corpus, undefined);
    expect(await answers(second.library)).toEqual(await answers(fresh.library));
    expect((await second.library.ask("How often does the night bus run?")).excerpts[0]!.text).toMatch(/twenty minutes/);
    // The saved index now holds the new version: a third start reuses everything.
    expect((await open(corpus, cache)).library.opened).toEqual({ reused: 4, read: 0, analysed: 0 });
  });

  it("reads again a document whose sources.json entry changed (its citation changes), and only that one", async () => {
    const { corpus, cache } = await savedOnce();
    await writeFile(path.join(corpus, "sources.json"), JSON.stringify({ "ferry.txt": { title: "Ferry timetable 2026", outlet: "Island News" } }));
    const second = await open(corpus, cache);
    expect(second.library.opened).toEqual({ reused: 3, read: 1, analysed: 1 });
    expect((await second.library.ask("When does the ferry leave?")).excerpts[0]!.citations[0]!.meta.title).toBe("Ferry timetable 2026");
  });

  it("drops a removed document and reads an added one", async () => {
    const { corpus, cache } = await savedOnce();
    await unlink(path.join(corpus, "guides/walks.txt"));
    await writeFile(path.join(corpus, "guides/market.txt"), "The fish market opens at dawn on the harbour quay.\n");
    const second = await open(corpus, cache);
    expect(second.library.opened).toEqual({ reused: 3, read: 1, analysed: 1 });
    const fresh = await open(corpus, undefined);
    expect(await answers(second.library)).toEqual(await answers(fresh.library));
    expect((await second.library.ask("When does the fish market open?")).answered).toBe(true);
  });
});

describe("a cache that is not what it should be", () => {
  /** Flips one byte in the middle of a file. */
  const flip = async (file: string) => {
    const bytes = await readFile(file);
    bytes[bytes.length >> 1] = bytes[bytes.length >> 1]! ^ 0x20;
    await writeFile(file, bytes);
  };
  const truncate = async (file: string) => writeFile(file, (await readFile(file)).subarray(0, 100));
  const foreign = async (file: string) => writeFile(file, "hello\nworld\n");
  /** Rewrites the version in the identity line (a file an older Lookout saved); same length, so only the version differs. */
  const older = async (file: string) => {
    const bytes = await readFile(file);
    const text = bytes.toString("latin1");
    const at = text.indexOf('"version":');
    expect(at).toBeGreaterThan(0);
    bytes[at + '"version":'.length] = "0".charCodeAt(0);
    await writeFile(file, bytes);
  };

  for (const [what, spoil, reason] of [
    ["a flipped byte", flip, /damaged|checksum/],
    ["truncated", truncate, /truncated/],
    ["foreign", foreign, /not a Lookout file/],
    ["of an older version", older, /another version/],
  ] as const) {
    it(`is ignored with a warning and rebuilt when a segment file is ${what}`, async () => {
      const { corpus, cache, first } = await savedOnce();
      const [segment] = await segmentFiles(cache);
      await spoil(path.join(indexDir(cache), segment!));
      const second = await open(corpus, cache);
      expect(second.warnings).toHaveLength(1);
      expect(second.warnings[0]).toMatch(reason);
      expect(second.warnings[0]).toMatch(/saved index not reused: .*segment-.*analysed again/);
      expect(second.library.opened.analysed).toBeGreaterThan(0);
      expect(second.library.opened.reused + second.library.opened.analysed).toBe(4);
      expect(await answers(second.library)).toEqual(await answers(first));
      // Rebuilt and saved again: the next start reuses everything, without a warning.
      const third = await open(corpus, cache);
      expect(third.warnings).toEqual([]);
      expect(third.library.opened).toEqual({ reused: 4, read: 0, analysed: 0 });
    });

    it(`is ignored with a warning and rebuilt when the manifest is ${what}`, async () => {
      const { corpus, cache, first } = await savedOnce();
      await spoil(path.join(indexDir(cache), "manifest.lkf"));
      const second = await open(corpus, cache);
      expect(second.warnings).toHaveLength(1);
      expect(second.warnings[0]).toMatch(reason);
      expect(second.library.opened).toEqual({ reused: 0, read: 4, analysed: 4 });
      expect(await answers(second.library)).toEqual(await answers(first));
      expect((await open(corpus, cache)).library.opened).toEqual({ reused: 4, read: 0, analysed: 0 });
    });
  }

  it("never loads what a process killed between writing and renaming left behind", async () => {
    const { corpus, cache, first } = await savedOnce();
    // What the next save would write (the same corpus with one document changed), saved elsewhere ...
    const changed = await tempCorpus({ ...DOCUMENTS, "ferry.txt": "The ferry to the island leaves at noon.\n" });
    const elsewhere = await tempCorpus({});
    await open(changed, elsewhere);
    // ... left in this cache under the names of temporary files, as a process killed before its renames would.
    const left: string[] = [];
    for (const name of await readdir(indexDir(elsewhere))) {
      const temporary = `${name}.4242.k1ll3d.tmp`;
      await copyFile(path.join(indexDir(elsewhere), name), path.join(indexDir(cache), temporary));
      left.push(temporary);
    }
    await writeFile(path.join(indexDir(cache), "manifest.lkf.4243.half.tmp"), (await readFile(path.join(indexDir(elsewhere), "manifest.lkf"))).subarray(0, 50));
    const second = await open(corpus, cache);
    expect(second.warnings).toEqual([]);
    expect(second.library.opened).toEqual({ reused: 4, read: 0, analysed: 0 });
    expect(await answers(second.library)).toEqual(await answers(first));
    expect((await second.library.ask("When does the ferry leave?")).excerpts[0]!.text).toMatch(/at nine/);

    // Such leftovers are removed by a later save once they are old enough that no live process can be writing them.
    const old = new Date(Date.now() - 60 * 60 * 1000);
    for (const name of left) await utimes(path.join(indexDir(cache), name), old, old);
    await writeFile(path.join(corpus, "guides/market.txt"), "The fish market opens at dawn.\n");
    await open(corpus, cache);
    const now = await readdir(indexDir(cache));
    expect(now.filter((n) => left.includes(n))).toEqual([]);
    expect(now).toContain("manifest.lkf.4243.half.tmp"); // recent: perhaps a live process's
  });

  it("that cannot be written costs a warning: the library answers and refreshes", async () => {
    const corpus = await tempCorpus(DOCUMENTS);
    const blocked = path.join(await tempCorpus({ "a-file": "not a folder" }), "a-file"); // nothing can be created under a file
    const first = await open(corpus, blocked);
    // Nothing could be read from it either (ENOTDIR): said too.
    expect(first.warnings).toEqual([expect.stringMatching(/saved index not reused: .*cannot be read/), expect.stringMatching(/the index could not be saved in .*a-file.*answers are not affected/)]);
    expect((await first.library.ask("When does the ferry leave?")).answered).toBe(true);
    const report = await (async () => {
      await writeFile(path.join(corpus, "guides/market.txt"), "The fish market opens at dawn.\n");
      return first.library.refresh();
    })();
    expect(report.added).toEqual(["guides/market.txt"]);
    await first.library.whenSaved();
    expect(first.warnings).toHaveLength(3);
    expect(first.warnings[2]).toMatch(/could not be saved/);
    expect((await first.library.ask("When does the fish market open?")).answered).toBe(true);
  });
});

describe("an index saved by another engine version", () => {
  it("is not used at all: every document is read and analysed again, with a warning", async () => {
    const { corpus, cache, first } = await savedOnce();
    const second = await open(corpus, cache, { indexVersion: 999 });
    expect(second.warnings).toHaveLength(1);
    expect(second.warnings[0]).toMatch(/another version/);
    expect(second.library.opened).toEqual({ reused: 0, read: 4, analysed: 4 });
    expect(await answers(second.library)).toEqual(await answers(first));
    // Saved anew for that version, the old segment files gone.
    const third = await open(corpus, cache, { indexVersion: 999 });
    expect(third.library.opened).toEqual({ reused: 4, read: 0, analysed: 0 });
  });
});

describe("a reader that does not save (every shard but one)", () => {
  it("starts from the saved index and refreshes, but never writes it", { timeout: 15_000 }, async () => {
    const { corpus, cache } = await savedOnce();
    const manifestBefore = await readFile(path.join(indexDir(cache), "manifest.lkf"));
    const segmentsBefore = await segmentFiles(cache);
    const reader = await open(corpus, cache, { saveIndex: false });
    expect(reader.library.opened).toEqual({ reused: 4, read: 0, analysed: 0 });
    await writeFile(path.join(corpus, "tram.txt"), "The tram to the lighthouse runs every ten minutes.\n");
    const report = await reader.library.refresh();
    await reader.library.whenSaved();
    expect(report.added).toEqual(["tram.txt"]);
    expect((await reader.library.ask("How often does the tram run?")).excerpts[0]?.text).toContain("every ten minutes");
    // What the saving shard wrote is untouched: no manifest rewritten, no segment file added or removed.
    expect(await readFile(path.join(indexDir(cache), "manifest.lkf"))).toEqual(manifestBefore);
    expect(await segmentFiles(cache)).toEqual(segmentsBefore);
  });
});
