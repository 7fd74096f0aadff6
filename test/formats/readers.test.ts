import { describe, expect, it } from "vitest";
import { DEFAULT_LIMITS, isSkip, readFile, type ReadResult, type ReadDocument } from "../../src/corpus/formats/index.js";
import { deflateSync } from "node:zlib";
import { makeDocx, makeImagePdf, makePdf, makePdfAround } from "./make.js";

function read(result: ReadResult): ReadDocument {
  if (isSkip(result)) throw new Error(`skipped: ${result.skip}`);
  return result;
}
const skipOf = (result: ReadResult) => (isSkip(result) ? result.skip : "(read)");
const blockWith = (doc: ReadDocument, words: string) => doc.blocks.find((b) => b.text.includes(words));

describe("PDF", () => {
  const places = ["island", "lighthouse", "mainland", "northern pier"];
  const goods = ["tickets", "maps", "timetables", "season passes"];
  const body = (page: number) => [
    [`On page ${page} the harbour authority reports that the ferry to the ${places[page - 1]} leaves at nine every morn-`, "ing and returns at six in the evening."],
    [`A second paragraph says that ${goods[page - 1]} are sold at the harbour office.`],
  ];

  it("gives text per page with its page, joins hyphenated words, drops running headers and footers", async () => {
    const pages = [1, 2, 3, 4].map((n) => ({ paragraphs: body(n), header: "Harbour Authority — Annual Report 2025", footer: "Page {page} of 4" }));
    const doc = read(await readFile(await makePdf(pages, { title: "Annual report", author: "Harbour Authority" }), "report.pdf"));
    expect(doc.meta).toEqual({ title: "Annual report", author: "Harbour Authority" });
    const third = blockWith(doc, "On page 3");
    expect(third?.text).toBe("On page 3 the harbour authority reports that the ferry to the mainland leaves at nine every morning and returns at six in the evening.");
    expect(third?.place).toEqual({ page: 3 });
    expect(blockWith(doc, "season passes")?.place).toEqual({ page: 4 });
    expect(doc.blocks.some((b) => /Annual Report 2025|Page \d of 4/.test(b.text))).toBe(false);
    expect(doc.blocks).toHaveLength(8);
  });

  it("keeps a paragraph that runs over a page break whole, with the page each part is on", async () => {
    const pages = [
      { paragraphs: [["The inspection found that the northern pier,"]] },
      { paragraphs: [["built in 1921, needs new piles before winter."], ["Another paragraph."]] },
    ];
    const doc = read(await readFile(await makePdf(pages), "pier.pdf"));
    const block = doc.blocks[0]!;
    expect(block.text).toBe("The inspection found that the northern pier, built in 1921, needs new piles before winter.");
    expect(block.place).toEqual({ page: 1 });
    expect(block.starts).toEqual([{ offset: block.text.indexOf("built"), place: { page: 2 } }]);
  });

  it("keeps the hyphen of a word the document writes with one", async () => {
    const pages = [{ paragraphs: [["The call used a non-secure line; the officer chose the non-", "secure line and a re-", "organisation followed."]] }];
    const doc = read(await readFile(await makePdf(pages), "call.pdf"));
    expect(doc.blocks[0]!.text).toBe("The call used a non-secure line; the officer chose the non-secure line and a reorganisation followed.");
  });

  it("skips an encrypted PDF, an image-only PDF and a .pdf that is really text, saying why and what to do", async () => {
    const encrypted = await makePdf([{ paragraphs: [["Secret minutes of the board."]] }], { userPassword: "secret" });
    expect(skipOf(await readFile(encrypted, "locked.pdf"))).toMatch(/^encrypted PDF .*unprotected copy/);
    expect(skipOf(await readFile(await makeImagePdf(), "scan.pdf"))).toBe("image-only PDF: no text layer; run OCR first (e.g. ocrmypdf) and add the result");
    expect(skipOf(await readFile(Buffer.from("The ferry leaves at nine.\n"), "notes.pdf"))).toMatch(/^not a PDF .*\.txt/);
    const truncated = (await makePdf([{ paragraphs: [["Some text."]] }])).subarray(0, 300);
    expect(skipOf(await readFile(truncated, "cut.pdf"))).toMatch(/PDF/);
  });

  it("skips a PDF bomb (a small stream that inflates beyond the budget) before pdf.js decodes it", async () => {
    const content = (spaces: number) => deflateSync(Buffer.concat([Buffer.alloc(spaces, 0x20), Buffer.from("BT /F1 12 Tf 72 700 Td (The quay is long.) Tj ET")]), { level: 9 });
    const limits = { ...DEFAULT_LIMITS, maxExpandedBytes: 1024 * 1024 };
    expect(read(await readFile(makePdfAround(content(1000)), "fine.pdf", limits)).text).toBe("The quay is long.");
    const bomb = makePdfAround(content(8 * 1024 * 1024));
    expect(bomb.length).toBeLessThan(20_000);
    expect(skipOf(await readFile(bomb, "bomb.pdf", limits))).toMatch(/expand to more than 1 MB \(a PDF bomb\?\)/);
  });

  it("skips a PDF with more pages than the limit, or that takes longer than the time limit", async () => {
    const pdf = await makePdf([1, 2, 3].map((n) => ({ paragraphs: body(n) })));
    expect(skipOf(await readFile(pdf, "long.pdf", { ...DEFAULT_LIMITS, maxPages: 2 }))).toMatch(/3 pages, more than 2/);
    expect(skipOf(await readFile(pdf, "slow.pdf", { ...DEFAULT_LIMITS, milliseconds: 0 }))).toMatch(/took longer than 0 s/);
  });
});

describe("HTML", () => {
  const page = (article: string, extra = "") => `<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>Ferry timetable changes | Island News</title>
<link rel="canonical" href="https://news.example.org/2025/ferry">
<meta property="og:site_name" content="Island News">
<meta property="article:published_time" content="2025-01-02T08:00:00Z">
</head><body>
<div class="cookie-banner" id="cookie-consent"><p>We use cookies to improve your experience. Accept all cookies or manage your preferences.</p><button>Accept</button></div>
<header><nav><ul><li><a href="/">Home</a></li><li><a href="/politics">Politics</a></li><li><a href="/sport">Sport</a></li><li><a href="/weather">Weather on the island today</a></li></ul></nav></header>
<main><article>
<h1>Ferry timetable changes</h1>
<p class="byline">By <span class="author">Jane Doe</span></p>
${article}
</article>
<aside class="related"><h2>Related stories</h2><ul><li><a href="/a">Lighthouse keeper retires after forty years of service</a></li><li><a href="/b">New bakery opens on the harbour front</a></li><li><a href="/c">Storm damage closes the coastal path for repairs</a></li></ul></aside>
</main>
<footer><p>© 2025 Island News Ltd. All rights reserved. Registered in England, company number 01234567.</p><p>Contact us · Privacy policy · Terms of use</p></footer>
${extra}</body></html>`;
  const article = `<p>The ferry to the island will leave at nine every morning from Monday, the operator announced on Thursday.</p>
<p>Until now the first crossing left at half past seven, which commuters said was too early for the school run.</p>
<h2>Fares</h2>
<p>A return ticket will cost twelve euros, two euros more than last year, because fuel has become more expensive.</p>
<p>Children under twelve travel free when accompanied by an adult, as they did before.</p>
<h3>Season tickets</h3>
<p>Season tickets go on sale at the harbour office on the first of the month and are valid for ninety days.</p>
<p>The operator said it expects demand for the new timetable to be high during the summer months.</p>`;

  it("reads the article only, with title, byline, date, outlet and canonical link, each block under its heading path", async () => {
    const doc = read(await readFile(Buffer.from(page(article)), "ferry.html"));
    expect(doc.meta).toMatchObject({ title: "Ferry timetable changes", author: "Jane Doe", date: "2025-01-02", outlet: "Island News", url: "https://news.example.org/2025/ferry" });
    expect(blockWith(doc, "leave at nine")?.place).toEqual({ heading: "Ferry timetable changes" });
    expect(blockWith(doc, "twelve euros")?.place).toEqual({ heading: "Ferry timetable changes › Fares" });
    expect(blockWith(doc, "ninety days")?.place).toEqual({ heading: "Ferry timetable changes › Fares › Season tickets" });
    const text = doc.blocks.map((b) => b.text).join("\n");
    for (const furniture of ["cookies", "Politics", "Lighthouse keeper", "bakery", "All rights reserved", "Privacy policy", "Related stories"]) expect(text).not.toContain(furniture);
  });

  it("uses og:url when there is no canonical link", async () => {
    const html = page(article).replace(/<link rel="canonical"[^>]*>/, '<meta property="og:url" content="https://news.example.org/og">');
    expect(read(await readFile(Buffer.from(html), "og.html")).meta.url).toBe("https://news.example.org/og");
  });

  it("skips a page nested 10,000 elements deep in bounded time, and a page without an article", async () => {
    const deep = `<html><body>${"<div>".repeat(10_000)}text${"</div>".repeat(10_000)}</body></html>`;
    const started = performance.now();
    expect(skipOf(await readFile(Buffer.from(deep), "deep.html"))).toMatch(/nested more than 500 elements deep/);
    expect(performance.now() - started).toBeLessThan(1000);
    expect(skipOf(await readFile(Buffer.from("<html><head><title>x</title></head><body><script>1</script></body></html>"), "empty.html"))).toMatch(/no readable article/);
    const flat = Buffer.from(`<html><body>${"<p>x</p>".repeat(300_000)}</body></html>`);
    const before = performance.now();
    expect(skipOf(await readFile(flat, "flat.html"))).toMatch(/more than 200,000 HTML elements/);
    expect(performance.now() - before).toBeLessThan(1000);
  });
});

describe("Word", () => {
  it("reads paragraphs and list items under their heading path, with title and author from the properties", async () => {
    const docx = await makeDocx(
      [
        { heading: "Harbour report", level: 1 },
        { text: "The harbour handled more ships this year than in any year before." },
        { heading: "Costs", level: 2 },
        { text: "Dredging the channel cost four million euros." },
        { bullet: "The new crane was delivered in March." },
        { heading: "Outlook", level: 1 },
        { text: "Next year the quay will be extended by two hundred metres." },
      ],
      { title: "Harbour report 2025", creator: "Port Office" },
    );
    const doc = read(await readFile(docx, "report.docx"));
    expect(doc.meta).toEqual({ title: "Harbour report 2025", author: "Port Office" });
    expect(blockWith(doc, "more ships")?.place).toEqual({ heading: "Harbour report" });
    expect(blockWith(doc, "four million")?.place).toEqual({ heading: "Harbour report › Costs" });
    expect(blockWith(doc, "crane")?.place).toEqual({ heading: "Harbour report › Costs" });
    expect(blockWith(doc, "two hundred metres")?.place).toEqual({ heading: "Outlook" });
    expect(blockWith(doc, "Costs")?.isHeading).toBe(true);
  });

  it("skips a truncated .docx and a zip bomb, saying why", async () => {
    const docx = await makeDocx([{ text: "The harbour handled more ships this year." }]);
    expect(skipOf(await readFile(docx.subarray(0, Math.floor(docx.length / 2)), "cut.docx"))).toMatch(/^damaged or truncated \.docx/);
    expect(skipOf(await readFile(Buffer.from("just text"), "fake.docx"))).toMatch(/^damaged or truncated/);
    expect(skipOf(await readFile(docx, "bomb.docx", { ...DEFAULT_LIMITS, maxExpandedBytes: 1000 }))).toMatch(/zip bomb/);
  });
});

describe("Markdown and front matter", () => {
  const front = [
    "---",
    'title: "Ferry times: winter"',
    "authors:",
    "  - Jane Doe",
    "  - name: John Roe",
    "source:",
    "  name: Island News",
    "  url: https://news.example.org",
    "date: 2025-01-02",
    "link: 'https://news.example.org/ferry'",
    "tags: [ferry, island]",
    "---",
  ];
  const body = ["# Ferry times", "", "The ferry leaves at nine", "every *morning* from the **main** pier.", "", "## Fares", "", "- A return ticket costs [twelve euros](https://x.example).", "- Children travel free.", "", "```", "code is not prose", "```", "", "| a | b |", "|---|---|", "| table | cell |", "", "> Quoted text is prose."];

  it("reads nested YAML, lists of authors, quoted values and CRLF files, and places blocks by heading and line", async () => {
    for (const eol of ["\n", "\r\n"]) {
      const doc = read(await readFile(Buffer.from([...front, ...body].join(eol)), "ferry.md"));
      expect(doc.meta).toEqual({ title: "Ferry times: winter", author: "Jane Doe, John Roe", outlet: "Island News", date: "2025-01-02", url: "https://news.example.org/ferry" });
      expect(doc.titleHint).toBe("Ferry times");
      const ferry = blockWith(doc, "leaves at nine")!;
      expect(ferry.text).toBe("The ferry leaves at nine every morning from the main pier.");
      expect(ferry.place).toEqual({ heading: "Ferry times", line: 15 });
      expect(ferry.starts).toEqual([{ offset: ferry.text.indexOf("every"), place: { heading: "Ferry times", line: 16 } }]);
      expect(blockWith(doc, "twelve euros")).toMatchObject({ text: "A return ticket costs twelve euros.", place: { heading: "Ferry times › Fares", line: 20 } });
      expect(blockWith(doc, "Quoted text")?.place.line).toBe(31);
      const text = doc.blocks.map((b) => b.text).join("\n");
      expect(text).not.toMatch(/code is not prose|table|tags|Jane/);
    }
  });

  it("reads front matter of plain text files too, and keeps their lines", async () => {
    const doc = read(await readFile(Buffer.from("---\r\ntitle: Notes\r\nauthor: [A, B]\r\n---\r\nFirst line.\r\nSecond line.\r\n"), "notes.txt"));
    expect(doc.meta).toEqual({ title: "Notes", author: "A, B" });
    expect(doc.blocks).toEqual([
      { text: "First line.", place: { line: 5 } },
      { text: "Second line.", place: { line: 6 } },
    ]);
  });

  it("skips a Markdown file nested thousands of levels deep", async () => {
    const started = performance.now();
    expect(skipOf(await readFile(Buffer.from(">".repeat(10_000) + " deep\n"), "deep.md"))).toMatch(/nested/);
    expect(performance.now() - started).toBeLessThan(1000);
  });
});
