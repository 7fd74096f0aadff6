/** Saved sentence vectors: reused when intact, ignored with the reason when not, written atomically. */
import { mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { readVectorFile, writeVectorFile } from "../../src/semantic/vector-file.js";

const identity = { model: "test-model 1", dimensions: 3 };
const entries: Array<[string, Float32Array]> = [
  ["The ferry leaves at nine.", new Float32Array([1, 0, 0])],
  ["Tickets cost “five” euros.", new Float32Array([0, 0.6, 0.8])],
];

let dir = "";
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function saved(): Promise<string> {
  dir = await mkdtemp(path.join(tmpdir(), "lookout-vectors-"));
  const file = path.join(dir, "cache", "sentence-vectors.bin");
  writeVectorFile(file, identity, entries);
  return file;
}

describe("saved sentence vectors", () => {
  it("come back exactly, by sentence text", async () => {
    const read = readVectorFile(await saved(), identity);
    expect([...read.entries!.keys()]).toEqual(entries.map(([t]) => t));
    expect([...read.entries!.get("Tickets cost “five” euros.")!]).toEqual([0, expect.closeTo(0.6, 6), expect.closeTo(0.8, 6)]);
  });

  it("are ignored, with the reason, when truncated, altered, foreign, of another model or version", async () => {
    const file = await saved();
    const bytes = await readFile(file);
    const cases: Array<[string, Buffer | string, RegExp]> = [
      ["truncated", bytes.subarray(0, bytes.length - 5), /checksum|sizes/],
      ["one byte altered", Buffer.concat([bytes.subarray(0, bytes.length - 1), Buffer.from([bytes[bytes.length - 1]! ^ 1])]), /checksum/],
      ["foreign", "hello\nworld\n", /not a sentence-vector file/],
      ["empty", "", /no header/],
    ];
    for (const [what, content, reason] of cases) {
      await writeFile(file, content);
      const read = readVectorFile(file, identity);
      expect(read.entries, what).toBeUndefined();
      expect(read.problem, what).toMatch(reason);
    }
    writeVectorFile(file, identity, entries);
    expect(readVectorFile(file, { ...identity, model: "another" }).problem).toMatch(/another model/);
    const older = (await readFile(file, "utf8")).replace('"version":1', '"version":0');
    await writeFile(file, older);
    expect(readVectorFile(file, identity).problem).toMatch(/another version/);
    expect(readVectorFile(path.join(dir, "missing.bin"), identity).problem).toBe("none saved yet");
  });

  it("are written through a temporary file renamed into place: no temporary file is left, a failed write leaves the old file", async () => {
    const file = await saved();
    expect(await readdir(path.dirname(file))).toEqual(["sentence-vectors.bin"]);
    // A vector of the wrong size is not written; the rest is.
    writeVectorFile(file, identity, [...entries, ["bad", new Float32Array([1])]]);
    expect(readVectorFile(file, identity).entries!.size).toBe(2);
  });
});
