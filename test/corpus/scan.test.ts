/**
 * The corpus scan hashes every file (its bytes and its sources.json entry); a file whose stamp (size, times,
 * inode) is unchanged since a scan more than 2 s after its last change is not read again, and any write,
 * even one that keeps the size and sets the modification time back, is seen.
 */
import { stat, utimes, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { scanCorpus } from "../../src/corpus/load.js";
import { tempCorpus } from "../temp-folder.js";

const FILES = {
  "ferry.txt": "The ferry leaves at nine.\n",
  "guides/bus.txt": "The night bus runs hourly.\n",
  "sources.json": JSON.stringify({ "ferry.txt": { title: "Ferry times" } }),
};

/** Files written more than the racy window (2 s) before they are first scanned. */
async function agedCorpus() {
  const dir = await tempCorpus(FILES);
  await new Promise((resolve) => setTimeout(resolve, 2100));
  return dir;
}

/** A scan that knows what the previous one saw (as a library does). */
async function rescan(dir: string, previous: Awaited<ReturnType<typeof scanCorpus>>, blocking = false) {
  const known = new Map(previous.files.map((f) => [f.id, f.hash]));
  return scanCorpus(dir, 1_000_000, known, { blocking, stamps: new Map(previous.files.map((f) => [f.id, f.stamp])) });
}

const hashes = (scan: Awaited<ReturnType<typeof scanCorpus>>) => Object.fromEntries(scan.files.map((f) => [f.id, f.hash]));

describe("a corpus scan", () => {
  it("does not read again a file whose stamp holds, and gives the same hashes", async () => {
    const dir = await agedCorpus();
    const first = await scanCorpus(dir, 1_000_000);
    expect(first.hashed).toBe(2);
    for (const blocking of [false, true]) {
      const second = await rescan(dir, first, blocking);
      expect(second.hashed).toBe(0);
      expect(hashes(second)).toEqual(hashes(first));
      expect(second.files.every((f) => f.bytes === undefined)).toBe(true);
    }
  }, 10_000);

  it("sees a rewrite that keeps the size and sets the modification time back", async () => {
    const dir = await agedCorpus();
    const first = await scanCorpus(dir, 1_000_000);
    const file = path.join(dir, "guides/bus.txt");
    const before = await stat(file);
    await writeFile(file, "The night bus runs weekly.\n"); // same length
    await utimes(file, before.atime, before.mtime);
    expect((await stat(file)).size).toBe(before.size);
    const second = await rescan(dir, first);
    expect(second.hashed).toBe(1);
    expect(hashes(second)["guides/bus.txt"]).not.toBe(hashes(first)["guides/bus.txt"]);
    expect(second.files.find((f) => f.id === "guides/bus.txt")!.bytes!.toString()).toBe("The night bus runs weekly.\n");
  }, 10_000);

  it("reads a file again when its sources.json entry changed (its hash changes; the caller needs its bytes)", async () => {
    const dir = await agedCorpus();
    const first = await scanCorpus(dir, 1_000_000);
    await writeFile(path.join(dir, "sources.json"), JSON.stringify({ "ferry.txt": { title: "Ferry timetable" } }));
    const second = await rescan(dir, first);
    expect(second.hashed).toBe(1);
    expect(hashes(second)["ferry.txt"]).not.toBe(hashes(first)["ferry.txt"]);
    expect(hashes(second)["guides/bus.txt"]).toBe(hashes(first)["guides/bus.txt"]);
    expect(second.files.find((f) => f.id === "ferry.txt")!.bytes).toBeDefined();
  }, 10_000);

  it("does not trust the stamp of a file changed shortly before it was taken", async () => {
    const dir = await tempCorpus(FILES); // just written: within the racy window
    const first = await scanCorpus(dir, 1_000_000);
    const second = await rescan(dir, first);
    expect(second.hashed).toBe(2);
    expect(hashes(second)).toEqual(hashes(first));
  });
});
