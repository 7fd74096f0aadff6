/**
 * Several processes on one database file, as the shards of `npm run start:sharded` share DATABASE_PATH: real
 * processes open a new file at the same moment (each runs the migrations check) and write at the same time.
 * WAL lets readers and one writer work together; busy_timeout makes a writer wait for the lock instead of failing
 * with SQLITE_BUSY, and migrations and read-then-write transactions take the write lock first (BEGIN IMMEDIATE).
 */
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import { Store } from "../../src/store/store.js";

const run = promisify(execFile);
const WRITER = join(import.meta.dirname, "writer-process.ts");
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe("one database file, several processes", () => {
  it("three processes create the same new database and write 300 questions and votes each at once: none lost, none failed", async () => {
    const dir = mkdtempSync(join(tmpdir(), "lookout-store-"));
    dirs.push(dir);
    const path = join(dir, "data", "lookout.db");
    const writers = ["a", "b", "c"];
    const outputs = await Promise.all(writers.map((w) => run(process.execPath, ["--import", "tsx", WRITER, path, w, "300"], { cwd: join(import.meta.dirname, "..", "..") })));
    const reports = outputs.map((o) => JSON.parse(o.stdout) as { writer: string; written: number; voted: number; errors: string[] });
    for (const r of reports) expect(r).toMatchObject({ written: 300, voted: 300, errors: [] });
    const store = Store.open(path);
    try {
      expect(store.questionCount()).toBe(900);
      for (const w of writers) expect(store.voteCounts(`${w}-299`)).toEqual({ up: 1, down: 0 });
    } finally {
      store.close();
    }
  }, 60_000);
});
