import { symlink } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadCorpus } from "../../src/corpus/load.js";
import { tempCorpus as folder } from "../temp-folder.js";

const ARTICLE = "The ferry to the island leaves at nine every morning.\n";

describe("what the loader reads and what it says it skipped", () => {
  it("notices a NUL byte anywhere in a file, not only near its start", async () => {
    const late = Buffer.concat([Buffer.from("word ".repeat(4000)), Buffer.from([0, 1, 2]), Buffer.from(" end\n")]);
    const dir = await folder({ "good.txt": ARTICLE, "late-binary.txt": late });
    const { documents, skipped } = await loadCorpus(dir, 1_000_000);
    expect(documents.map((d) => d.id)).toEqual(["good.txt"]);
    expect(skipped).toEqual([{ id: "late-binary.txt", reason: "binary (contains NUL bytes)" }]);
  });

  it("passes over hidden files and folders at any depth without a word", async () => {
    const dir = await folder({
      "good.txt": ARTICLE,
      ".notes.md": "Hidden notes.\n",
      ".git/COMMIT_EDITMSG.txt": "A commit message.\n",
      "guides/.cache/page.md": "A cached page.\n",
      "guides/bus.md": "The night bus runs hourly.\n",
    });
    const { documents, skipped } = await loadCorpus(dir, 1_000_000);
    expect(documents.map((d) => d.id)).toEqual(["good.txt", "guides/bus.md"]);
    expect(skipped).toEqual([]);
  });

  it("does not follow symbolic links, and names each one it skipped", async () => {
    const outside = await folder({ "secret.txt": "Outside the corpus.\n", "more/other.md": "Also outside.\n" });
    const dir = await folder({ "good.txt": ARTICLE, "logo.png": Buffer.from([0x89, 0x50]) });
    await symlink(path.join(dir, "good.txt"), path.join(dir, "copy.txt"));
    await symlink(path.join(outside, "secret.txt"), path.join(dir, "secret.txt"));
    await symlink(path.join(outside, "more"), path.join(dir, "more"));
    await symlink(path.join(dir, "missing.md"), path.join(dir, "dangling.md"));
    await symlink(path.join(dir, "logo.png"), path.join(dir, "icon.png"));
    const { documents, skipped } = await loadCorpus(dir, 1_000_000);
    expect(documents.map((d) => d.id)).toEqual(["good.txt"]);
    expect(skipped).toEqual([
      { id: "copy.txt", reason: "symbolic link, not followed" },
      { id: "dangling.md", reason: "cannot be read (symbolic link to nothing)" },
      { id: "more", reason: "symbolic link, not followed" },
      { id: "secret.txt", reason: "symbolic link, not followed" },
    ]);
  });
});
