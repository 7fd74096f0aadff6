import { writeFile, symlink, readFile, rm, cp } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadCorpus } from "../../src/corpus/load.js";
import { Library } from "../../src/corpus/library.js";
import { tempCorpus } from "../temp-folder.js";


const ARTICLE = "The ferry to the island leaves at nine every morning.\nTickets are sold at the harbour office.\n";

describe("loading a corpus folder", () => {
  it("loads .txt and .md files recursively, with front matter, sources.json and fallback titles", async () => {
    const dir = await tempCorpus({
      "ferry.txt": ARTICLE,
      "guides/bus_timetable.md": "---\ntitle: Bus timetable\noutlet: City Transport\ndate: 2025-01-02\nurl: https://example.org/bus\n---\n# Buses\n\nThe night bus runs hourly.\n",
      "guides/untitled-notes.md": "Some notes about trams.\n",
      "notes.txt": "Plain notes.\n",
      "picture.png": Buffer.from([0x89, 0x50, 0x4e, 0x47]),
      "sources.json": JSON.stringify({ "ferry.txt": { title: "Ferry times", outlet: "Island News", author: "A. Writer" } }),
    });
    const { documents, skipped } = await loadCorpus(dir, 1_000_000);
    expect(skipped).toEqual([]);
    const byId = Object.fromEntries(documents.map((d) => [d.id, d]));
    expect(Object.keys(byId).sort()).toEqual(["ferry.txt", "guides/bus_timetable.md", "guides/untitled-notes.md", "notes.txt"]);
    expect(byId["ferry.txt"]!.meta).toEqual({ title: "Ferry times", outlet: "Island News", author: "A. Writer" });
    expect(byId["ferry.txt"]!.text).toBe(ARTICLE);
    expect(byId["guides/bus_timetable.md"]!.meta).toEqual({ title: "Bus timetable", outlet: "City Transport", date: "2025-01-02", url: "https://example.org/bus" });
    expect(byId["guides/untitled-notes.md"]!.meta.title).toBe("Untitled notes");
    expect(byId["notes.txt"]!.meta.title).toBe("Notes");
  });

  it("skips unusable files with a reason naming the problem, and loads the rest", async () => {
    const dir = await tempCorpus({
      "good.txt": ARTICLE,
      "empty.txt": "",
      "blank.md": "  \n\n ",
      "binary.txt": Buffer.from([0x48, 0x69, 0x00, 0x01, 0x02]),
      "latin1.txt": Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x20, 0x61, 0x75, 0x20, 0x6c, 0x61, 0x69, 0x74]),
      "huge.txt": "word ".repeat(1000),
    });
    await symlink(path.join(dir, "missing-target.txt"), path.join(dir, "dangling.txt"));
    const { documents, skipped } = await loadCorpus(dir, 2000);
    expect(documents.map((d) => d.id)).toEqual(["good.txt"]);
    const reasons = Object.fromEntries(skipped.map((s) => [s.id, s.reason]));
    expect(reasons["empty.txt"]).toBe("empty");
    expect(reasons["blank.md"]).toBe("empty");
    expect(reasons["binary.txt"]).toMatch(/binary/);
    expect(reasons["latin1.txt"]).toMatch(/UTF-8/);
    expect(reasons["huge.txt"]).toMatch(/larger than the limit.*MAX_FILE_BYTES/);
    // A dangling link is not listed as a file by readdir, so it is neither loaded nor fatal.
    expect(documents.some((d) => d.id === "dangling.txt")).toBe(false);
  });

  it("reports a broken sources.json and still loads the documents", async () => {
    const dir = await tempCorpus({ "good.txt": ARTICLE, "sources.json": "{ not json" });
    const { documents, skipped } = await loadCorpus(dir, 1_000_000);
    expect(documents).toHaveLength(1);
    expect(skipped[0]).toMatchObject({ id: "sources.json" });
    expect(skipped[0]!.reason).toMatch(/metadata not used/);
  });

  // That these are byte for byte the articles of ../shared/corpus is checked by `npm run check:copies`.
  it("loads the shipped articles, none skipped, each cited with its sources.json metadata", async () => {
    const dir = new URL("../../corpus/", import.meta.url).pathname;
    const sources = JSON.parse(await readFile(path.join(dir, "sources.json"), "utf8")) as Record<string, { title: string }>;
    const { documents, skipped } = await loadCorpus(dir, 5_000_000);
    expect(skipped).toEqual([]);
    expect(documents.map((d) => d.id).sort()).toEqual(Object.keys(sources).sort());
    for (const d of documents) expect(d.meta).toEqual(sources[d.id]);
  });
});

describe("refreshing the library", () => {
  it("reports added, changed and removed documents and serves the new index", async () => {
    const dir = await tempCorpus({ "ferry.txt": ARTICLE, "old.txt": "The old pier closed in 1990 after a storm.\n" });
    const library = await Library.open({ corpusDir: dir, maxFileBytes: 1_000_000, maxQuestionChars: 500 });
    expect(library.current.ask("When does the ferry leave?").answered).toBe(true);
    expect(library.current.ask("Where is the lighthouse museum?").answered).toBe(false);

    await writeFile(path.join(dir, "museum.txt"), "The lighthouse museum is on the north cliff, next to the lighthouse.\n");
    await writeFile(path.join(dir, "ferry.txt"), ARTICLE + "The ferry does not run on public holidays.\n");
    await rm(path.join(dir, "old.txt"));
    await writeFile(path.join(dir, "broken.txt"), Buffer.from([0, 1, 2]));
    const report = await library.refresh();

    expect(report).toMatchObject({ added: ["museum.txt"], changed: ["ferry.txt"], removed: ["old.txt"], documents: 2 });
    expect(report.skipped).toEqual([{ id: "broken.txt", reason: expect.stringMatching(/binary/) }]);
    expect(report.sentences).toBeGreaterThan(0);
    expect(report.sentencesBefore).toBeGreaterThan(0);
    // museum.txt brings 1 sentence, ferry.txt 1 more; old.txt takes 1 away.
    expect(report).toMatchObject({ sentencesAdded: 2, sentencesRemoved: 1 });
    expect(library.current.ask("Where is the lighthouse museum?").excerpts[0]?.text).toMatch(/north cliff/);
  });

  it("reports a document whose metadata changed (same text) as changed, and cites the new title", async () => {
    const dir = await tempCorpus({ "ferry.txt": ARTICLE, "sources.json": JSON.stringify({ "ferry.txt": { title: "Ferry times" } }) });
    const library = await Library.open({ corpusDir: dir, maxFileBytes: 1_000_000, maxQuestionChars: 500 });
    await writeFile(path.join(dir, "sources.json"), JSON.stringify({ "ferry.txt": { title: "Island ferry timetable", outlet: "Island News" } }));
    const report = await library.refresh();
    expect(report).toMatchObject({ added: [], changed: ["ferry.txt"], removed: [], sentencesAdded: 0, sentencesRemoved: 0 });
    expect(library.current.ask("When does the ferry leave?").excerpts[0]?.citations[0]?.meta).toEqual({ title: "Island ferry timetable", outlet: "Island News" });
  });

  it("reports nothing changed when nothing did", async () => {
    const dir = await tempCorpus({ "ferry.txt": ARTICLE, "sources.json": JSON.stringify({ "ferry.txt": { title: "Ferry times" } }) });
    const library = await Library.open({ corpusDir: dir, maxFileBytes: 1_000_000, maxQuestionChars: 500 });
    expect(await library.refresh()).toMatchObject({ added: [], changed: [], removed: [], skipped: [], sentencesAdded: 0, sentencesRemoved: 0 });
  });

  it("keeps the old index serving when a refresh fails", async () => {
    const dir = await tempCorpus({ "ferry.txt": ARTICLE });
    const library = await Library.open({ corpusDir: dir, maxFileBytes: 1_000_000, maxQuestionChars: 500 });
    const before = library.current;
    await rm(path.join(dir, "ferry.txt"));
    await writeFile(path.join(dir, "broken.txt"), Buffer.from([0, 1, 2]));
    await expect(library.refresh()).rejects.toThrow(/no usable documents \(\.txt \.md .*\) in .*broken\.txt: binary/);
    expect(library.current).toBe(before);
    expect(library.current.ask("When does the ferry leave?").excerpts[0]?.text).toMatch(/leaves at nine/);

    await rm(dir, { recursive: true, force: true });
    await expect(library.refresh()).rejects.toThrow();
    expect(library.current).toBe(before);
  });

  it("answers from the old index while a refresh is building", async () => {
    const dir = await tempCorpus({ "ferry.txt": ARTICLE });
    await cp(new URL("../../corpus", import.meta.url).pathname, path.join(dir, "news"), { recursive: true });
    const library = await Library.open({ corpusDir: dir, maxFileBytes: 1_000_000, maxQuestionChars: 500 });
    const before = library.current;
    // A refresh with nothing changed keeps the index in service: change a document so that it builds.
    await cp(path.join(dir, "news"), path.join(dir, "more-news"), { recursive: true });
    const refreshing = library.refresh();
    // The build yields between documents: a question asked now is answered by the complete old index.
    await new Promise((resolve) => setImmediate(resolve));
    expect(library.current).toBe(before);
    expect(library.current.ask("When does the ferry leave?").answered).toBe(true);
    await refreshing;
    expect(library.current).not.toBe(before);
  });
});
