import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { readdir, readFile, symlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { addDocument, checkMeta, contentProblem, CorpusChangeRefused, download, DownloadRefused, formatProblem, removeDocument } from "../../src/corpus/changes.js";
import { loadCorpus } from "../../src/corpus/load.js";
import { tempCorpus } from "../temp-folder.js";

const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

async function serve(handler: Parameters<typeof createServer>[1]): Promise<string> {
  const server = createServer(handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/file`;
}

describe("formatProblem and contentProblem: the loader's table and readers", () => {
  it("accepts exactly the loader's extensions", () => {
    for (const name of ["a.txt", "a.MD", "a.markdown", "a.html", "a.htm", "a.pdf", "a.docx"]) expect(formatProblem(name), name).toBeUndefined();
    for (const name of ["a.exe", "a", "a.doc", "a.txt.zip"]) expect(formatProblem(name), name).toMatch(/^only \.txt \.md/);
  });

  it("gives the reader's reason for a file the loader would skip", async () => {
    expect(await contentProblem(Buffer.from("fine text.\n"), "a.txt")).toBeUndefined();
    expect(await contentProblem(Buffer.from([0xff, 0xfe, 0x41]), "a.txt")).toBe("not valid UTF-8 text; save it as UTF-8");
    expect(await contentProblem(Buffer.from([0xc3, 0x28]), "a.md")).toBe("not valid UTF-8 text; save it as UTF-8");
    expect(await contentProblem(Buffer.alloc(0), "a.txt")).toBe("empty");
    expect(await contentProblem(Buffer.from("PK\u0003\u0004 nonsense"), "a.docx")).toMatch(/./);
  });

  it("checks the metadata: an http(s) url, trimmed values, no control characters", () => {
    expect(checkMeta({ title: "  A\u0000title ", url: "https://example.org/x" })).toEqual({ meta: { title: "A title", url: "https://example.org/x" } });
    expect(checkMeta({ url: "javascript:alert(1)" })).toEqual({ problem: "the url must be an http(s) address, got “javascript:alert(1)”" });
    expect(checkMeta({ outlet: "   " })).toEqual({ meta: {} });
  });
});

describe("addDocument", () => {
  it("writes the file and its sources.json entry, leaving no temporary files, and the loader reads both", async () => {
    const dir = await tempCorpus({ "sources.json": '{ "old.txt": { "title": "Old", "extra": 1 } }', "old.txt": "Old text here.\n" });
    const result = await addDocument({ corpusDir: dir, name: "new.txt", bytes: Buffer.from("New text here.\n"), meta: { title: "New", outlet: "Paper" }, replace: false });
    expect(result).toEqual({ id: "new.txt", replaced: false, metadataWritten: true });
    expect((await readdir(dir)).sort()).toEqual(["new.txt", "old.txt", "sources.json"]);
    expect(JSON.parse(await readFile(path.join(dir, "sources.json"), "utf8"))).toEqual({ "old.txt": { title: "Old", extra: 1 }, "new.txt": { title: "New", outlet: "Paper" } });
    const { documents } = await loadCorpus(dir, 1e6);
    expect(documents.find((d) => d.id === "new.txt")?.meta).toMatchObject({ title: "New", outlet: "Paper" });
  });

  it("never overwrites without replace, keeps earlier metadata fields on replace, refuses a folder or a link of that name", async () => {
    const dir = await tempCorpus({ "a.txt": "first\n", "sources.json": '{ "a.txt": { "title": "A", "outlet": "X" } }', "sub/b.txt": "b\n" });
    await expect(addDocument({ corpusDir: dir, name: "a.txt", bytes: Buffer.from("second\n"), meta: {}, replace: false })).rejects.toThrow(CorpusChangeRefused);
    expect(await readFile(path.join(dir, "a.txt"), "utf8")).toBe("first\n");
    await addDocument({ corpusDir: dir, name: "a.txt", bytes: Buffer.from("second\n"), meta: { outlet: "Y" }, replace: true });
    expect(await readFile(path.join(dir, "a.txt"), "utf8")).toBe("second\n");
    expect(JSON.parse(await readFile(path.join(dir, "sources.json"), "utf8"))).toEqual({ "a.txt": { title: "A", outlet: "Y" } });
    await expect(addDocument({ corpusDir: dir, name: "sub", bytes: Buffer.from("x\n"), meta: {}, replace: true })).rejects.toThrow(/is not a file/);
    await symlink("/etc/hostname", path.join(dir, "link.txt"));
    await expect(addDocument({ corpusDir: dir, name: "link.txt", bytes: Buffer.from("x\n"), meta: {}, replace: true })).rejects.toThrow(/is not a file/);
    await expect(addDocument({ corpusDir: dir, name: "../escape.txt", bytes: Buffer.from("x\n"), meta: {}, replace: false })).rejects.toThrow(/not a file name inside/);
    await expect(addDocument({ corpusDir: dir, name: "..", bytes: Buffer.from("x\n"), meta: {}, replace: false })).rejects.toThrow(CorpusChangeRefused);
    expect((await readdir(dir)).filter((n) => n.startsWith("."))).toEqual([]);
  });

  it("runs changes to one folder one at a time: two adds of the same new name, one wins and one is refused", async () => {
    const dir = await tempCorpus({ "a.txt": "a\n" });
    const results = await Promise.allSettled(
      [1, 2].map((n) => addDocument({ corpusDir: dir, name: "same.txt", bytes: Buffer.from(`version ${n}\n`), meta: { title: `T${n}` }, replace: false })),
    );
    expect(results.map((r) => r.status).sort()).toEqual(["fulfilled", "rejected"]);
    const text = await readFile(path.join(dir, "same.txt"), "utf8");
    const sources = JSON.parse(await readFile(path.join(dir, "sources.json"), "utf8"));
    expect(sources["same.txt"].title).toBe(`T${text.trim().slice(-1)}`); // the metadata belongs to the file that won
  });

  it("refuses a broken sources.json before writing anything", async () => {
    const dir = await tempCorpus({ "sources.json": "[1, 2]" });
    await expect(addDocument({ corpusDir: dir, name: "a.txt", bytes: Buffer.from("a\n"), meta: { title: "A" }, replace: false })).rejects.toThrow(/sources\.json in the corpus folder is not valid/);
    expect(await readdir(dir)).toEqual(["sources.json"]);
    expect(await readFile(path.join(dir, "sources.json"), "utf8")).toBe("[1, 2]");
  });
});

describe("removeDocument", () => {
  it("moves a file of a subfolder to the trash and drops the entry of that folder's sources.json", async () => {
    const dir = await tempCorpus({ "news/a.txt": "a\n", "news/sources.json": '{ "a.txt": { "title": "A" }, "b.txt": { "title": "B" } }' });
    const cache = path.join(await tempCorpus({}), "cache");
    const now = new Date("2026-11-29T11:00:00.000Z");
    const first = await removeDocument({ corpusDir: dir, cacheDir: cache, id: "news/a.txt", now });
    expect(first).toEqual({ id: "news/a.txt", trashPath: path.join(cache, "trash", "2026-11-29T11-00-00-000Z-news__a.txt"), metadata: "dropped" });
    expect(await readFile(first.trashPath, "utf8")).toBe("a\n");
    expect(JSON.parse(await readFile(path.join(dir, "news/sources.json"), "utf8"))).toEqual({ "b.txt": { title: "B" } });
    // the same name again at the same moment: a second trash file, the first kept
    await writeFile(path.join(dir, "news/a.txt"), "a again\n");
    const second = await removeDocument({ corpusDir: dir, cacheDir: cache, id: "news/a.txt", now });
    expect(second.trashPath).not.toBe(first.trashPath);
    expect(second.metadata).toBe("none");
    expect((await readdir(path.join(cache, "trash"))).length).toBe(2);
  });

  it("refuses ids outside the folder or no longer there; a broken sources.json is left as it is", async () => {
    const dir = await tempCorpus({ "a.txt": "a\n", "sources.json": "{ broken" });
    const cache = await tempCorpus({});
    await expect(removeDocument({ corpusDir: dir, cacheDir: cache, id: "../x.txt" })).rejects.toThrow(CorpusChangeRefused);
    await expect(removeDocument({ corpusDir: dir, cacheDir: cache, id: "missing.txt" })).rejects.toThrow(/no longer in the corpus folder/);
    await expect(removeDocument({ corpusDir: dir, cacheDir: path.join(dir, "cache"), id: "a.txt" })).rejects.toThrow(/CACHE_DIR is a visible folder inside the corpus folder/);
    expect((await removeDocument({ corpusDir: dir, cacheDir: path.join(dir, ".cache"), id: "a.txt" })).trashPath.startsWith(path.join(dir, ".cache", "trash"))).toBe(true);
    await writeFile(path.join(dir, "a.txt"), "a\n");
    expect((await removeDocument({ corpusDir: dir, cacheDir: cache, id: "a.txt" })).metadata).toBe("broken");
    expect(await readFile(path.join(dir, "sources.json"), "utf8")).toBe("{ broken");
  });
});

describe("download", () => {
  const limits = { maxBytes: 1000, timeoutMs: 2000, describeLimit: "the limit" };

  it("returns the bytes", async () => {
    const url = await serve((_req, res) => res.end("hello"));
    expect(Buffer.from(await download(url, limits)).toString()).toBe("hello");
  });

  it("stops at the first byte over the limit while streaming, whatever the headers say", async () => {
    let written = 0;
    const url = await serve((_req, res) => {
      res.writeHead(200);
      const timer = setInterval(() => {
        if (res.destroyed || written > 1_000_000) return clearInterval(timer);
        res.write(Buffer.alloc(100, 0x61));
        written += 100;
      }, 1);
      res.on("close", () => clearInterval(timer));
    });
    await expect(download(url, limits)).rejects.toThrow(new DownloadRefused("the file is larger than the limit"));
    expect(written).toBeLessThan(100_000);
  });

  it("refuses by Content-Length before reading, and on HTTP errors, timeouts and non-http urls", async () => {
    const big = await serve((_req, res) => res.writeHead(200, { "content-length": 5000 }).end(Buffer.alloc(5000)));
    await expect(download(big, limits)).rejects.toThrow("the file is larger than the limit");
    const missing = await serve((_req, res) => res.writeHead(404).end());
    await expect(download(missing, limits)).rejects.toThrow("the download failed (HTTP 404)");
    const slow = await serve((_req, res) => {
      res.writeHead(200);
      res.write("a");
    });
    await expect(download(slow, { ...limits, timeoutMs: 200 })).rejects.toThrow("the download took longer than 0.2 s");
    await expect(download("file:///etc/passwd", limits)).rejects.toThrow("the attachment has no http(s) address");
  });
});
