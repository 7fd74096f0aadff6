/**
 * The shipped articles saved as .txt, .md, .html, .pdf and .docx (generated here from the .txt files) answer
 * the shipped questions with the same top excerpt; and each format's citations say where the excerpt stands.
 */
import { mkdtemp, mkdir, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Library } from "../../src/corpus/library.js";
import { makeDocx, makeFlowingPdf, makePdf } from "./make.js";

const CORPUS = new URL("../../corpus/", import.meta.url).pathname;
const QUESTIONS = new URL("../../../shared/qa/seed-qa-open.jsonl", import.meta.url).pathname;
const FORMATS = ["txt", "md", "html", "pdf", "docx"] as const;

const escapeHtml = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/** One article (a paragraph per line) saved in each format. */
async function saveAs(format: (typeof FORMATS)[number], title: string, paragraphs: string[]): Promise<Buffer | string> {
  switch (format) {
    case "txt":
      return paragraphs.join("\n") + "\n";
    case "md":
      return `---\ntitle: "${title.replace(/"/g, '\\"')}"\n---\n\n` + paragraphs.join("\n\n") + "\n";
    case "html":
      return `<!doctype html><html><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head><body><article>${paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`).join("\n")}</article></body></html>`;
    case "pdf":
      return makeFlowingPdf(paragraphs, { title });
    case "docx":
      return makeDocx(paragraphs.map((text) => ({ text })), { title });
  }
}

const temps: string[] = [];
const libraries = new Map<string, Library>();
beforeAll(async () => {
  const sources = JSON.parse(await readFile(path.join(CORPUS, "sources.json"), "utf8")) as Record<string, { title: string }>;
  const files = (await readdir(CORPUS)).filter((f) => f.endsWith(".txt"));
  for (const format of FORMATS) {
    const dir = await mkdtemp(path.join(tmpdir(), `lookout-${format}-`));
    temps.push(dir);
    const meta: Record<string, unknown> = {};
    for (const file of files) {
      const paragraphs = (await readFile(path.join(CORPUS, file), "utf8")).split("\n").map((l) => l.trim()).filter(Boolean);
      const name = file.replace(/\.txt$/, `.${format}`);
      await writeFile(path.join(dir, name), await saveAs(format, sources[file]!.title, paragraphs));
      meta[name] = sources[file];
    }
    await writeFile(path.join(dir, "sources.json"), JSON.stringify(meta));
    libraries.set(format, await Library.open({ corpusDir: dir, maxFileBytes: 5e6, maxQuestionChars: 500 }));
  }
}, 60_000);
afterAll(async () => {
  for (const dir of temps) await rm(dir, { recursive: true, force: true });
});

describe("the shipped articles in five formats", () => {
  it("load with no file skipped", () => {
    for (const format of FORMATS) {
      expect(libraries.get(format)!.skipped, format).toEqual([]);
      expect(libraries.get(format)!.current.documents, format).toHaveLength(3);
    }
  });

  it("give the same top excerpt for every shipped question", async () => {
    const questions = (await readFile(QUESTIONS, "utf8")).trim().split("\n").map((l) => (JSON.parse(l) as { q: string }).q);
    const differences: string[] = [];
    for (const q of questions) {
      const reference = libraries.get("txt")!.current.ask(q).excerpts[0]?.text;
      for (const format of FORMATS.slice(1)) {
        const top = libraries.get(format)!.current.ask(q).excerpts[0]?.text;
        if (top !== reference) differences.push(`${format}: ${q}\n  txt: ${reference}\n  ${format}: ${top}`);
      }
    }
    expect(differences).toEqual([]);
  });

  it("cite the page of a PDF, the heading of a web page, and the line of a text", () => {
    const q = "What range does Taurus have?";
    const place = (format: string) => libraries.get(format)!.current.ask(q).excerpts[0]!.citations[0]!.location;
    expect(place("txt")).toMatchObject({ line: 13 }); // the saved .txt has no blank lines
    expect(place("pdf")).toMatchObject({ page: 1 });
    expect(place("html").heading).toMatch(/Pistorius/);
  });
});

describe("each format's citations through the loader", () => {
  let dir: string;
  let library: Library;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "lookout-mixed-"));
    await mkdir(path.join(dir, "web"));
    const filler = (topic: string, n: number) => Array.from({ length: n }, (_, i) => `Paragraph ${i + 1} about ${topic} describes routine matters of the port in some detail.`);
    await writeFile(
      path.join(dir, "report.pdf"),
      await makePdf([
        { paragraphs: [["The harbour authority published its annual report on Monday."]], footer: "Annual report · {page}" },
        { paragraphs: [["The lighthouse on the northern cape was repainted red in June."]], footer: "Annual report · {page}" },
        { paragraphs: [["Dredging the western channel cost four million euros."]], footer: "Annual report · {page}" },
      ]),
    );
    await writeFile(
      path.join(dir, "guide.docx"),
      await makeDocx([{ heading: "Visitors", level: 1 }, { text: "The museum opens at ten on weekdays." }, { heading: "Tickets", level: 2 }, { text: "Students pay half price for the guided tour of the cellars." }], { title: "Museum guide" }),
    );
    await writeFile(path.join(dir, "notes.md"), "# Garden\n\n## Roses\n\nThe climbing roses flower twice a year in the walled garden.\n");
    await writeFile(
      path.join(dir, "web/ferry.html"),
      `<html><head><title>Ferry news</title><link rel="canonical" href="https://example.org/ferry"></head><body><div class="cookie-banner"><p>We use cookies to personalise content and ads. Accept all cookies to continue.</p></div><nav><ul><li><a href="/">Home</a></li><li><a href="/tides">Tide tables for the harbour</a></li></ul></nav><article><h1>Ferry news</h1>${filler("ferries", 3).map((p) => `<p>${p}</p>`).join("")}<h2>Winter</h2><p>In winter the night ferry stops at the quarry landing on request only.</p></article><aside class="related-stories"><h2>Related stories</h2><ul><li><a href="/k">Lighthouse keeper retires after forty years</a></li><li><a href="/b">Bakery opens at the ferry terminal</a></li></ul></aside><footer><p>© Ferry News Ltd. All rights reserved. Contact the newsroom.</p></footer></body></html>`,
    );
    library = await Library.open({ corpusDir: dir, maxFileBytes: 5e6, maxQuestionChars: 500 });
  }, 30_000);
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  const cite = (q: string) => {
    const excerpt = library.current.ask(q).excerpts[0]!;
    return { text: excerpt.text, id: excerpt.citations[0]!.documentId, location: excerpt.citations[0]!.location, meta: excerpt.citations[0]!.meta };
  };

  it("answers with the right page, heading path or line", () => {
    expect(library.skipped).toEqual([]);
    expect(cite("What colour was the lighthouse repainted?")).toMatchObject({ id: "report.pdf", location: { page: 2 } });
    expect(cite("How much did dredging the channel cost?")).toMatchObject({ id: "report.pdf", location: { page: 3 } });
    expect(cite("Do students pay less for the tour?")).toMatchObject({ id: "guide.docx", location: { heading: "Visitors › Tickets" }, meta: { title: "Museum guide" } });
    expect(cite("When do the climbing roses flower?")).toMatchObject({ id: "notes.md", location: { heading: "Garden › Roses", line: 5 }, meta: { title: "Garden" } });
    for (const q of ["Do you use cookies?", "Who is the lighthouse keeper who retired?", "Is there a bakery at the ferry terminal?", "Where are the tide tables?", "Are all rights reserved?"]) {
      expect(library.current.ask(q).excerpts.filter((e) => e.citations[0]!.documentId === "web/ferry.html"), q).toEqual([]);
    }
    expect(cite("Where does the night ferry stop in winter?")).toMatchObject({ id: "web/ferry.html", location: { heading: "Ferry news › Winter" }, meta: { url: "https://example.org/ferry" } });
  });
});
