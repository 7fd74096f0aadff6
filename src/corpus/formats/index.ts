/** The only place that knows every format: file extension → its reader. */
import { readDocx } from "./docx.js";
import { readHtml } from "./html.js";
import { readMarkdown } from "./markdown.js";
import { readPdf } from "./pdf.js";
import { DEFAULT_LIMITS, type ReadLimits, type Reader, type ReadResult } from "./reader.js";
import { readText } from "./text.js";

export const READERS: Readonly<Record<string, Reader>> = Object.freeze({
  ".txt": readText,
  ".md": readMarkdown,
  ".markdown": readMarkdown,
  ".html": readHtml,
  ".htm": readHtml,
  ".pdf": readPdf,
  ".docx": readDocx,
});

/** The reader for a file name, or undefined when its format is not one Lookout reads. */
export function readerFor(name: string): Reader | undefined {
  const dot = name.lastIndexOf(".");
  return dot < 0 ? undefined : READERS[name.slice(dot).toLowerCase()];
}

/** Reads one file with its format's reader; a reader that throws gives a skip reason, never an exception. */
export async function readFile(bytes: Uint8Array, name: string, limits: ReadLimits = DEFAULT_LIMITS): Promise<ReadResult> {
  const reader = readerFor(name);
  if (!reader) return { skip: "not a format Lookout reads" };
  if (bytes.length === 0) return { skip: "empty" };
  try {
    return await reader(bytes, name, limits);
  } catch (error) {
    return { skip: `could not be read (${(error as Error).message.split("\n")[0]})` };
  }
}

export const EXTENSIONS = Object.keys(READERS);
export { DEFAULT_LIMITS, isSkip, type ReadLimits, type ReadResult, type ReadDocument } from "./reader.js";
