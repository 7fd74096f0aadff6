/**
 * Test and benchmark files generated on the spot (no binary blobs of unknown origin): PDFs with pdfkit,
 * Word documents with docx, PNG images with zlib.
 */
import { crc32, deflateSync } from "node:zlib";
import PDFDocument from "pdfkit";
import { Document, HeadingLevel, Packer, Paragraph } from "docx";

export interface PdfPage {
  /** Paragraphs, each given as its lines (placed exactly, no wrapping by pdfkit). */
  paragraphs: string[][];
  header?: string;
  footer?: string;
}

/** The document's bytes once `write` has drawn it. */
function render(doc: PDFKit.PDFDocument, write: () => void): Promise<Buffer> {
  const chunks: Buffer[] = [];
  doc.on("data", (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve) => doc.on("end", () => resolve(Buffer.concat(chunks))));
  write();
  doc.end();
  return done;
}

const PAGE_MARGINS = { top: 20, bottom: 10, left: 72, right: 72 };

/** A PDF with lines at known places: paragraphs 14 pt apart inside, 28 pt between. */
export function makePdf(pages: PdfPage[], options: { userPassword?: string; title?: string; author?: string } = {}): Promise<Buffer> {
  const doc = new PDFDocument({
    autoFirstPage: false,
    ...(options.userPassword && { userPassword: options.userPassword, ownerPassword: "owner", pdfVersion: "1.7" as const }),
    info: { ...(options.title && { Title: options.title }), ...(options.author && { Author: options.author }) },
  });
  return render(doc, () => pages.forEach((page, i) => {
    doc.addPage({ margins: PAGE_MARGINS });
    if (page.header) doc.fontSize(9).text(page.header.replace("{page}", String(i + 1)), 72, 30, { lineBreak: false });
    let y = 80;
    for (const paragraph of page.paragraphs) {
      for (const line of paragraph) {
        doc.fontSize(11).text(line, 72, y, { lineBreak: false });
        y += 14;
      }
      y += 14;
    }
    if (page.footer) doc.fontSize(9).text(page.footer.replace("{page}", String(i + 1)), 72, 760, { lineBreak: false });
  }));
}

/** A PDF whose paragraphs pdfkit wraps and breaks across pages itself, as a word processor's export would. */
export function makeFlowingPdf(paragraphs: string[], options: { title?: string } = {}): Promise<Buffer> {
  const doc = new PDFDocument({ info: { ...(options.title && { Title: options.title }) } });
  return render(doc, () => {
    for (const paragraph of paragraphs) doc.fontSize(11).text(paragraph, { paragraphGap: 10, width: 460 });
  });
}

/** A PDF of scanned pages: an image and no text layer. */
export function makeImagePdf(pages = 2): Promise<Buffer> {
  const doc = new PDFDocument({ autoFirstPage: false });
  const image = makePng(64, 64);
  return render(doc, () => {
    for (let i = 0; i < pages; i++) {
      doc.addPage();
      doc.image(image, 72, 72, { width: 400 });
    }
  });
}

/** A grey-gradient PNG, built by hand (signature, IHDR, IDAT, IEND). */
export function makePng(width: number, height: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, "latin1"), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body) >>> 0);
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 0; // greyscale
  const rows = Buffer.alloc((width + 1) * height);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) rows[y * (width + 1) + 1 + x] = (x * 4 + y * 2) & 0xff;
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk("IHDR", header), chunk("IDAT", deflateSync(rows)), chunk("IEND", Buffer.alloc(0))]);
}

export type DocxPart = { heading: string; level: 1 | 2 | 3 } | { text: string } | { bullet: string };

/** A Word document with Word's own heading styles and bullet paragraphs. */
export function makeDocx(parts: DocxPart[], options: { title?: string; creator?: string } = {}): Promise<Buffer> {
  const levels = { 1: HeadingLevel.HEADING_1, 2: HeadingLevel.HEADING_2, 3: HeadingLevel.HEADING_3 } as const;
  const children = parts.map((part) =>
    "heading" in part
      ? new Paragraph({ text: part.heading, heading: levels[part.level] })
      : "bullet" in part
        ? new Paragraph({ text: part.bullet, bullet: { level: 0 } })
        : new Paragraph({ text: part.text }),
  );
  const document = new Document({ ...(options.title && { title: options.title }), creator: options.creator ?? "Lookout tests", sections: [{ children }] });
  return Packer.toBuffer(document);
}

/**
 * A one-page PDF written by hand around an already Flate-compressed content stream (pdfkit would compress it
 * itself): for PDF bombs, whose small stream inflates to far more than the file.
 */
export function makePdfAround(compressedContent: Buffer): Buffer {
  const parts: Buffer[] = [];
  const offsets: number[] = [];
  let length = 0;
  const add = (b: Buffer | string) => {
    const buffer = Buffer.isBuffer(b) ? b : Buffer.from(b, "latin1");
    parts.push(buffer);
    length += buffer.length;
  };
  const object = (n: number, body: string, stream?: Buffer) => {
    offsets[n] = length;
    add(`${n} 0 obj\n${body}`);
    if (stream) {
      add("\nstream\n");
      add(stream);
      add("\nendstream");
    }
    add("\nendobj\n");
  };
  add("%PDF-1.4\n");
  object(1, "<< /Type /Catalog /Pages 2 0 R >>");
  object(2, "<< /Type /Pages /Kids [3 0 R] /Count 1 >>");
  object(3, "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>");
  object(4, `<< /Length ${compressedContent.length} /Filter /FlateDecode >>`, compressedContent);
  object(5, "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>");
  const xref = length;
  add(`xref\n0 6\n0000000000 65535 f \n${offsets.slice(1).map((o) => `${String(o).padStart(10, "0")} 00000 n \n`).join("")}`);
  add(`trailer\n<< /Size 6 /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`);
  return Buffer.concat(parts);
}
