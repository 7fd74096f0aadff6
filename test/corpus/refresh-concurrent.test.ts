import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { Library } from "../../src/corpus/library.js";
import { loadCorpus } from "../../src/corpus/load.js";

// The real loader, counted: how many times a refresh reads the corpus folder.
vi.mock("../../src/corpus/load.js", async (importOriginal) => {
  const original = await importOriginal<typeof import("../../src/corpus/load.js")>();
  return { ...original, loadCorpus: vi.fn(original.loadCorpus) };
});

let dir: string | undefined;
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = undefined;
});

describe("two moderators refreshing at the same time", () => {
  it("share one reload: the corpus is read once and both get the same report", async () => {
    dir = await mkdtemp(path.join(tmpdir(), "lookout-corpus-"));
    await writeFile(path.join(dir, "ferry.txt"), "The ferry to the island leaves at nine every morning.\n");
    const library = await Library.open({ corpusDir: dir, maxFileBytes: 1_000_000, maxQuestionChars: 500 });
    await writeFile(path.join(dir, "museum.txt"), "The lighthouse museum is on the north cliff.\n");
    vi.mocked(loadCorpus).mockClear();

    const [first, second] = await Promise.all([library.refresh(), library.refresh()]);
    expect(vi.mocked(loadCorpus)).toHaveBeenCalledTimes(1);
    expect(second).toBe(first);
    expect(first.added).toEqual(["museum.txt"]);

    // Once it has finished, the next refresh is a reload of its own.
    const third = await library.refresh();
    expect(vi.mocked(loadCorpus)).toHaveBeenCalledTimes(2);
    expect(third).not.toBe(first);
    expect(third.added).toEqual([]);
  });
});
