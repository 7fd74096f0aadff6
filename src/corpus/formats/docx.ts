/**
 * Word documents (.docx) → paragraphs and list items placed under their heading path, by `mammoth`
 * (Word's heading styles become h1…h6). Before mammoth sees the file, its zip container is checked and its
 * XML parts inflated within a byte budget (Node's zlib with maxOutputLength), so a zip bomb or a truncated
 * file is skipped in bounded time and memory. Title and author come from the document's properties.
 */
import { inflateRawSync } from "node:zlib";
import mammoth from "mammoth";
import { parseHTML } from "linkedom";
import type { DocumentMeta } from "../../core/types.js";
import { blocksOfDom } from "./dom-blocks.js";
import { htmlShape } from "./html.js";
import { collapse, Deadline, type ReadLimits, type ReadResult } from "./reader.js";

const DAMAGED = "damaged or truncated .docx (its zip container cannot be read); open and save it again in Word or LibreOffice";

export async function readDocx(bytes: Uint8Array, _name: string, limits: ReadLimits): Promise<ReadResult> {
  const deadline = new Deadline(limits);
  let parts: Map<string, string>;
  try {
    parts = xmlParts(bytes, limits.maxExpandedBytes);
  } catch (error) {
    if (error instanceof ZipBomb) return { skip: `expands to more than ${limits.maxExpandedBytes / 1024 / 1024} MB (a zip bomb?); not read` };
    return { skip: DAMAGED };
  }
  if (!parts.has("word/document.xml")) return { skip: "not a Word document (no word/document.xml); save it as .docx from Word or LibreOffice" };
  let html: string;
  try {
    const result = await mammoth.convertToHtml(
      { buffer: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) },
      // Images are not text: never decompressed.
      { convertImage: mammoth.images.imgElement(async () => ({ src: "" })) },
    );
    html = result.value;
  } catch (error) {
    return { skip: `${DAMAGED} (${(error as Error).message.split("\n")[0]})` };
  }
  if (deadline.passed) return { skip: deadline.message("while converting") };
  if (htmlShape(html, limits.maxDepth).depth > limits.maxDepth) return { skip: `nested more than ${limits.maxDepth} levels deep; not read` };
  const { document } = parseHTML(`<!doctype html><html><body>${html}</body></html>`);
  const blocks = blocksOfDom(document.body as never);
  if (blocks.every((b) => b.isHeading)) return { skip: "no text in this Word document" };
  return { text: blocks.map((b) => b.text).join("\n\n"), blocks, meta: coreProperties(parts.get("docProps/core.xml")) };
}

/** Title and author from docProps/core.xml (Dublin Core). */
function coreProperties(xml: string | undefined): Partial<DocumentMeta> {
  if (!xml) return {};
  const field = (tag: string) => {
    const value = new RegExp(`<${tag}(?:\\s[^>]*)?>([^<]*)</${tag}>`).exec(xml)?.[1];
    return value ? collapse(decodeXml(value)) : "";
  };
  const title = field("dc:title");
  const author = field("dc:creator");
  return { ...(title && { title }), ...(author && { author }) };
}

function decodeXml(text: string): string {
  return text.replace(/&(lt|gt|amp|quot|apos);/g, (_, e: string) => ({ lt: "<", gt: ">", amp: "&", quot: '"', apos: "'" })[e]!);
}

class ZipBomb extends Error {}

/**
 * The XML parts of a zip archive, inflated, never more than `budget` bytes in all. Reads the central
 * directory (end of file), so a truncated archive throws. Sizes the archive declares are not trusted:
 * inflation itself is capped.
 */
export function xmlParts(bytes: Uint8Array, budget: number): Map<string, string> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let end = -1;
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 65_557); i--) {
    if (view.getUint32(i, true) === 0x06054b50) {
      end = i;
      break;
    }
  }
  if (end < 0) throw new Error("no end of central directory");
  const count = view.getUint16(end + 10, true);
  let at = view.getUint32(end + 16, true);
  if (count > 10_000) throw new ZipBomb();
  const parts = new Map<string, string>();
  let left = budget;
  for (let n = 0; n < count; n++) {
    if (at + 46 > bytes.length || view.getUint32(at, true) !== 0x02014b50) throw new Error("bad central directory");
    const method = view.getUint16(at + 10, true);
    const compressed = view.getUint32(at + 20, true);
    const nameLength = view.getUint16(at + 28, true);
    const local = view.getUint32(at + 42, true);
    const name = new TextDecoder().decode(bytes.subarray(at + 46, at + 46 + nameLength));
    at += 46 + nameLength + view.getUint16(at + 30, true) + view.getUint16(at + 32, true);
    if (!/\.(xml|rels)$/i.test(name)) continue;
    if (local + 30 > bytes.length || view.getUint32(local, true) !== 0x04034b50) throw new Error("bad local header");
    const start = local + 30 + view.getUint16(local + 26, true) + view.getUint16(local + 28, true);
    if (start + compressed > bytes.length) throw new Error("truncated entry");
    const data = bytes.subarray(start, start + compressed);
    let inflated: Buffer;
    if (method === 0) inflated = Buffer.from(data);
    else if (method === 8) {
      try {
        inflated = inflateRawSync(data, { maxOutputLength: Math.max(1, left) });
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "ERR_BUFFER_TOO_LARGE" || error instanceof RangeError) throw new ZipBomb();
        throw error;
      }
    } else throw new Error(`compression method ${method}`);
    left -= inflated.length;
    if (left < 0) throw new ZipBomb();
    parts.set(name, inflated.toString("utf8"));
  }
  return parts;
}
