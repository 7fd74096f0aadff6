/** The cache's one file format: a FlatRecord comes back exactly, as views of the file; a damaged file never does. */
import { readdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { readFlatFile, writeFlatFile, writeFlatFileInBackground } from "../../src/cache/flat-file.js";
import type { FlatRecord } from "../../src/core/flat.js";
import { tempCorpus } from "../temp-folder.js";

const identity = { kind: "test-record", version: 3 };
const record = (): FlatRecord => ({
  header: { documents: [{ id: "ferry.txt", hash: "abc" }], note: "Fähre “nine”" },
  arrays: {
    bytes: new Uint8Array([1, 2, 3]), // odd lengths: the next array must still start aligned
    shorts: new Uint16Array([65535, 0, 7, 9, 11]),
    ints: new Int32Array([-1, 2 ** 31 - 1, -(2 ** 31)]),
    words: new Uint32Array([0, 4_000_000_000]),
    floats: new Float32Array([0.5, -1.25, Number.NaN]),
    doubles: new Float64Array([Math.PI, -0]),
    empty: new Uint32Array(0),
  },
});

async function saved(): Promise<string> {
  const file = path.join(await tempCorpus({}), "cache", "record.lkf");
  writeFlatFile(file, identity, record());
  return file;
}

describe("a flat file", () => {
  it("gives back the header and every array exactly, as views of one buffer, each aligned", async () => {
    const read = readFlatFile(await saved(), identity);
    expect(read.problem).toBeUndefined();
    expect(read.record!.header).toEqual(record().header);
    const arrays = read.record!.arrays;
    for (const [name, original] of Object.entries(record().arrays)) {
      expect(arrays[name]!.constructor, name).toBe(original.constructor);
      expect([...arrays[name]!], name).toEqual([...original]);
      expect(arrays[name]!.byteOffset % 8, name).toBe(0);
    }
    // No copies: every array is a view of the same buffer (the file as read).
    expect(new Set(Object.values(arrays).map((a) => a.buffer)).size).toBe(1);
  });

  it("written in the background (a serving process) reads back the same", async () => {
    const file = await saved();
    const other = path.join(path.dirname(file), "background.lkf");
    await writeFlatFileInBackground(other, identity, record());
    expect(await readFile(other)).toEqual(await readFile(file));
    expect(await readdir(path.dirname(file))).toEqual(["background.lkf", "record.lkf"]);
  });

  it("is never trusted when a byte anywhere is flipped, when truncated anywhere, or when foreign", async () => {
    const file = await saved();
    const bytes = await readFile(file);
    for (let at = 0; at < bytes.length; at++) {
      const flipped = Buffer.from(bytes);
      flipped[at] = flipped[at]! ^ 0x10;
      await writeFile(file, flipped);
      expect(readFlatFile(file, identity).record, `byte ${at} flipped`).toBeUndefined();
    }
    for (const length of [0, 5, 8, 20, 60, bytes.length - 8, bytes.length - 1]) {
      await writeFile(file, bytes.subarray(0, length));
      const read = readFlatFile(file, identity);
      expect(read.record, `${length} bytes`).toBeUndefined();
      expect(read.problem!.code, `${length} bytes`).toMatch(/truncated|damaged/);
    }
    await writeFile(file, "hello\nworld\n");
    expect(readFlatFile(file, identity).problem).toMatchObject({ code: "foreign" });
    expect(readFlatFile(path.join(path.dirname(file), "none.lkf"), identity).problem).toEqual({ code: "missing", detail: "none saved yet" });
  });

  it("of another kind, or written by another version, is not read", async () => {
    const file = await saved();
    expect(readFlatFile(file, { ...identity, kind: "other" }).problem).toMatchObject({ code: "other-kind" });
    expect(readFlatFile(file, { ...identity, version: 4 }).problem).toMatchObject({ code: "other-version", detail: expect.stringMatching(/version 3.*reads 1, 4/) });
  });

  it("is written atomically: no temporary file stays, and a failed write leaves the previous file readable", async () => {
    const file = await saved();
    expect(await readdir(path.dirname(file))).toEqual(["record.lkf"]);
    // An array type the format cannot hold fails before anything is written.
    expect(() => writeFlatFile(file, identity, { header: {}, arrays: { bad: new BigInt64Array(2) as never } })).toThrow(/cannot be saved/);
    expect(await readdir(path.dirname(file))).toEqual(["record.lkf"]);
    expect(readFlatFile(file, identity).record).toBeDefined();
  });
});
