/**
 * npm run bench:formats [-- --runs 3]
 * Build speed per file format on generated files of real-world size, filled with real prose (the SQuAD
 * paragraphs of bench/data, one Wikipedia article per section): a 200-page PDF (pdfkit), a 100-page Word file
 * (docx, ~500 words a page), a 2 MB web page (article plus navigation, scripts and markup), and 2 MB of
 * Markdown and of plain text for comparison. For each: reading (the format's reader: bytes → blocks) and
 * analysis (blocks → sentences, furniture, BM25 index), median of --runs. Then hostile files: how long each
 * takes to be skipped, and the process's peak memory.
 * Prints a markdown table on stdout.
 */
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { createDeflate, createDeflateRaw, gunzipSync } from "node:zlib";
import { buildKnowledgeBase } from "../src/core/knowledge-base.js";
import { DEFAULT_LIMITS, isSkip, readFile } from "../src/corpus/formats/index.js";
import type { SourceDocument } from "../src/core/types.js";
import { makeDocx, makePdf, makePdfAround, type DocxPart } from "../test/formats/make.js";
import PDFDocument from "pdfkit";
import { DATA_DIR } from "./data.js";

const { values } = parseArgs({ options: { runs: { type: "string", default: "3" } } });
const RUNS = Number(values.runs);

interface Article {
  title: string;
  paragraphs: string[];
}
const squad = JSON.parse(gunzipSync(readFileSync(DATA_DIR + "squad-open.json.gz")).toString("utf8")) as {
  data: Array<{ title: string; paragraphs: Array<{ context: string }> }>;
};
const articles: Article[] = squad.data.map((a) => ({ title: a.title.replace(/_/g, " "), paragraphs: a.paragraphs.map((p) => p.context.trim()) }));

/** Articles in order, cycling, until `enough` says stop. */
function* prose(): Generator<Article> {
  for (let i = 0; ; i++) yield articles[i % articles.length]!;
}
const words = (text: string) => text.split(/\s+/).length;

export async function pdf200(): Promise<{ bytes: Buffer; pages: number }> {
  const doc = new PDFDocument({ bufferPages: false, info: { Title: "Bench report" } });
  const chunks: Buffer[] = [];
  doc.on("data", (c: Buffer) => chunks.push(c));
  const done = new Promise<void>((resolve) => doc.on("end", () => resolve()));
  let pages = 1;
  const runningLines = () => {
    const { x, y } = doc;
    doc.fontSize(8).text(`Bench report · page ${pages}`, 72, 740, { lineBreak: false });
    doc.x = x;
    doc.y = y;
  };
  doc.on("pageAdded", () => {
    pages++;
    runningLines();
  });
  runningLines();
  outer: for (const article of prose()) {
    doc.fontSize(15).text(article.title, { paragraphGap: 8 });
    for (const paragraph of article.paragraphs) {
      doc.fontSize(10.5).text(paragraph, { paragraphGap: 8, align: "justify" });
      if (pages >= 200) break outer;
    }
  }
  doc.end();
  await done;
  return { bytes: Buffer.concat(chunks), pages };
}

async function docx100(): Promise<{ bytes: Buffer; pages: number }> {
  const parts: DocxPart[] = [];
  let count = 0;
  outer: for (const article of prose()) {
    parts.push({ heading: article.title, level: 1 });
    for (const paragraph of article.paragraphs) {
      parts.push({ text: paragraph });
      count += words(paragraph);
      if (count >= 100 * 500) break outer;
    }
  }
  return { bytes: await makeDocx(parts, { title: "Bench document" }), pages: 100 };
}

const escapeHtml = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/** A 2 MB news-site page: scripts and navigation around an article with sections, links and emphasis. */
export function html2mb(): Buffer {
  const nav = `<header><nav><ul>${Array.from({ length: 150 }, (_, i) => `<li><a href="/section/${i}">Section ${i}</a></li>`).join("")}</ul></nav></header>`;
  const script = `<script>${"window.__state={items:[" + Array.from({ length: 4000 }, (_, i) => `{id:${i},t:"item${i}"}`).join(",") + "]};"}</script>`;
  const related = `<aside class="related"><h2>Related</h2><ul>${Array.from({ length: 40 }, (_, i) => `<li><a href="/r/${i}">Related story number ${i} about something else</a></li>`).join("")}</ul></aside>`;
  const footer = `<footer><p>© 2026 Bench News. All rights reserved.</p></footer>`;
  let body = "";
  const head = `<!doctype html><html><head><meta charset="utf-8"><title>Bench page | Bench News</title><link rel="canonical" href="https://bench.example/page">${script}</head><body>${nav}<main><article><h1>Bench page</h1>`;
  const tail = `</article>${related}</main>${footer}</body></html>`;
  outer: for (const article of prose()) {
    body += `<h2>${escapeHtml(article.title)}</h2>`;
    for (const paragraph of article.paragraphs) {
      const marked = escapeHtml(paragraph).replace(/\b(the|of) (\w+)/, '$1 <a href="/topic">$2</a>').replace(/\b(\w{9,})\b/, "<em>$1</em>");
      body += `<div class="para-wrap"><p class="para">${marked}</p></div>\n`;
      if (head.length + body.length + tail.length >= 2 * 1024 * 1024) break outer;
    }
  }
  return Buffer.from(head + body + tail);
}

function text2mb(markdown: boolean): Buffer {
  let text = markdown ? "---\ntitle: Bench notes\nauthors: [A. Writer, B. Writer]\n---\n\n" : "";
  outer: for (const article of prose()) {
    if (markdown) text += `## ${article.title}\n\n`;
    for (const paragraph of article.paragraphs) {
      text += paragraph + (markdown ? "\n\n" : "\n");
      if (text.length >= 2 * 1024 * 1024) break outer;
    }
  }
  return Buffer.from(text);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const mb = (bytes: number) => bytes / 1024 / 1024;

async function measure(name: string, file: string, bytes: Buffer, pages: number | undefined) {
  const reads: number[] = [];
  const analyses: number[] = [];
  let sentences = 0;
  for (let run = 0; run < RUNS; run++) {
    let started = performance.now();
    const read = await readFile(bytes, file, { ...DEFAULT_LIMITS, milliseconds: 600_000 });
    reads.push(performance.now() - started);
    if (isSkip(read)) throw new Error(`${file} skipped: ${read.skip}`);
    const document: SourceDocument = { id: file, text: read.text, blocks: read.blocks, bytes: bytes.length, meta: { title: file } };
    started = performance.now();
    const kb = buildKnowledgeBase([document]);
    analyses.push(performance.now() - started);
    sentences = kb.sentenceCount;
  }
  const read = median(reads) / 1000;
  const analysis = median(analyses) / 1000;
  const total = read + analysis;
  return {
    name,
    size: `${mb(bytes.length).toFixed(2)} MB`,
    pages: pages ?? "–",
    sentences,
    read: read.toFixed(2),
    analysis: analysis.toFixed(2),
    share: `${Math.round((read / total) * 100)} %`,
    speed: `${pages ? `${(pages / total).toFixed(1)} pages/s, ` : ""}${(mb(bytes.length) / total).toFixed(2)} MB/s`,
  };
}

/** `megabytes` MB of spaces (then `tail`), deflated as a stream: never all in memory. */
async function deflatedSpaces(megabytes: number, raw: boolean, tail = ""): Promise<Buffer> {
  const deflater = raw ? createDeflateRaw({ level: 9 }) : createDeflate({ level: 9 });
  const chunks: Buffer[] = [];
  deflater.on("data", (c: Buffer) => chunks.push(c));
  const done = new Promise<void>((resolve) => deflater.on("end", () => resolve()));
  const block = Buffer.alloc(1024 * 1024, 0x20);
  for (let i = 0; i < megabytes; i++) deflater.write(block);
  deflater.end(tail);
  await done;
  return Buffer.concat(chunks);
}

/** A .docx whose document.xml inflates to `megabytes` MB of spaces: a zip bomb a few hundred kB in size. */
async function zipBomb(megabytes: number): Promise<Buffer> {
  const data = await deflatedSpaces(megabytes, true);
  const name = Buffer.from("word/document.xml");
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(20, 4);
  local.writeUInt16LE(8, 8);
  local.writeUInt32LE(data.length, 18);
  local.writeUInt32LE(1000, 22); // the declared size lies
  local.writeUInt16LE(name.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(20, 4);
  central.writeUInt16LE(20, 6);
  central.writeUInt16LE(8, 10);
  central.writeUInt32LE(data.length, 20);
  central.writeUInt32LE(1000, 24);
  central.writeUInt16LE(name.length, 28);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(1, 8);
  end.writeUInt16LE(1, 10);
  end.writeUInt32LE(46 + name.length, 12);
  end.writeUInt32LE(30 + name.length + data.length, 16);
  return Buffer.concat([local, name, data, central, name, end]);
}

async function hostile() {
  const rows: Array<{ name: string; size: string; seconds: string; reason: string }> = [];
  const cases: Array<[string, string, () => Promise<Buffer> | Buffer]> = [
    ["zip bomb .docx (1 GB of XML)", "bomb.docx", () => zipBomb(1024)],
    ["PDF bomb (a content stream of 1 GB)", "bomb.pdf", async () => makePdfAround(await deflatedSpaces(1024, false, "BT /F1 12 Tf 72 700 Td (Boom.) Tj ET"))],
    ["HTML nested 10,000 deep", "deep.html", () => Buffer.from(`<html><body>${"<div>".repeat(10_000)}x${"</div>".repeat(10_000)}</body></html>`)],
    ["HTML nested 100,000 deep (spans)", "deeper.html", () => Buffer.from(`<html><body>${"<span>".repeat(100_000)}x</body></html>`)],
    ["Markdown quotes nested 10,000 deep", "deep.md", () => Buffer.from(">".repeat(10_000) + " x\n")],
    ["PDF of 5,000 empty pages", "pages.pdf", () => makePdf(Array.from({ length: 5000 }, () => ({ paragraphs: [] })))],
  ];
  for (const [name, file, make] of cases) {
    const bytes = await make();
    const started = performance.now();
    const result = await readFile(bytes, file);
    rows.push({ name, size: `${(bytes.length / 1024).toFixed(0)} kB`, seconds: ((performance.now() - started) / 1000).toFixed(2), reason: isSkip(result) ? result.skip : "(read)" });
  }
  return rows;
}

async function main() {
  const files: Array<[string, string, () => Promise<{ bytes: Buffer; pages?: number }>]> = [
    ["PDF, 200 pages (pdfkit)", "bench.pdf", pdf200],
    ["Word, ~100 pages (docx)", "bench.docx", docx100],
    ["HTML page, 2 MB", "bench.html", async () => ({ bytes: html2mb() })],
    ["Markdown, 2 MB", "bench.md", async () => ({ bytes: text2mb(true) })],
    ["Plain text, 2 MB", "bench.txt", async () => ({ bytes: text2mb(false) })],
  ];
  // Warm up the analyser and the lazily loaded parsers once, so the first format measured pays nothing extra.
  buildKnowledgeBase([{ id: "w.txt", text: "", blocks: [{ text: "A warm-up sentence for the analyser.", place: {} }], bytes: 0, meta: { title: "w" } }]);
  const rows = [];
  for (const [name, file, make] of files) {
    const { bytes, pages } = await make();
    await readFile(bytes, file, { ...DEFAULT_LIMITS, milliseconds: 600_000 });
    rows.push(await measure(name, file, bytes, pages));
    process.stderr.write(`${name} done\n`);
  }
  const out: string[] = [];
  out.push(`Node ${process.version}, ${RUNS} runs, medians.`, "");
  out.push("| file | size | pages | sentences | reading s | analysis s | reading share | speed |", "|---|---|---|---|---|---|---|---|");
  for (const r of rows) out.push(`| ${r.name} | ${r.size} | ${r.pages} | ${r.sentences} | ${r.read} | ${r.analysis} | ${r.share} | ${r.speed} |`);
  out.push("", "| hostile file | size | skipped after s | reason |", "|---|---|---|---|");
  for (const r of await hostile()) out.push(`| ${r.name} | ${r.size} | ${r.seconds} | ${r.reason} |`);
  out.push("", `Peak resident memory of the whole run: ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB.`);
  process.stdout.write(out.join("\n") + "\n");
}

// Run only as a script: bench/compare-parsers and others import the generators.
if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) await main();
