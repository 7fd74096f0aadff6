/**
 * Markdown (.md, .markdown) read by a CommonMark parser (micromark via mdast-util-from-markdown, with the
 * GFM table and front matter extensions): paragraphs, list items and quoted paragraphs are blocks; headings give
 * the following blocks their heading path; code, tables, raw HTML and rules are not prose and are left out.
 * Each block's place is its heading path and its line. YAML front matter gives metadata.
 */
import { fromMarkdown } from "mdast-util-from-markdown";
import { frontmatterFromMarkdown } from "mdast-util-frontmatter";
import { gfmTableFromMarkdown } from "mdast-util-gfm-table";
import { frontmatter } from "micromark-extension-frontmatter";
import { gfmTable } from "micromark-extension-gfm-table";
import type { PhrasingContent, RootContent } from "mdast";
import type { Place, TextBlock } from "../../core/types.js";
import { metaFromYaml } from "./front-matter.js";
import { decodeText } from "./text.js";
import { Deadline, type ReadLimits, type ReadResult } from "./reader.js";

export async function readMarkdown(bytes: Uint8Array, _name: string, limits: ReadLimits): Promise<ReadResult> {
  const decoded = decodeText(bytes);
  if ("skip" in decoded) return decoded;
  const text = decoded.text.replace(/^\uFEFF/, "");
  const depth = markdownNesting(text);
  if (depth > limits.maxDepth) return { skip: `nested ${depth} levels deep (more than ${limits.maxDepth}); not read` };
  const deadline = new Deadline(limits);
  const tree = fromMarkdown(text, {
    // Of GFM only tables, which are not prose and must be recognised to be left out; the whole of GFM
    // (autolinks, footnotes, strikethrough, task lists) doubles the parse time and changes no block's text.
    extensions: [frontmatter(["yaml"]), gfmTable()],
    mdastExtensions: [frontmatterFromMarkdown(["yaml"]), gfmTableFromMarkdown()],
  });
  if (deadline.passed) return { skip: deadline.message("while parsing") };
  let meta = {};
  let titleHint: string | undefined;
  const blocks: TextBlock[] = [];
  const headings: string[] = [];
  const place = (line: number | undefined): Place => {
    const heading = headings.filter(Boolean).join(" › ");
    return { ...(heading && { heading }), ...(line !== undefined && { line }) };
  };

  const visit = (nodes: readonly RootContent[]) => {
    for (const node of nodes) {
      switch (node.type) {
        case "yaml":
          meta = metaFromYaml(node.value);
          break;
        case "heading": {
          const { text: title } = phrasingText(node.children, node.position?.start.line);
          headings.length = node.depth - 1;
          headings[node.depth - 1] = title;
          if (node.depth === 1) titleHint ??= title;
          if (title) blocks.push({ text: title, place: place(node.position?.start.line), isHeading: true });
          break;
        }
        case "paragraph": {
          const { text: prose, lines } = phrasingText(node.children, node.position?.start.line);
          if (!prose) break;
          const [first, ...rest] = lines;
          blocks.push({
            text: prose,
            place: place(first?.line ?? node.position?.start.line),
            ...(rest.length > 0 && { starts: rest.map((l) => ({ offset: l.offset, place: place(l.line) })) }),
          });
          break;
        }
        case "blockquote":
        case "list":
        case "listItem":
          visit(node.children);
          break;
        default:
          // code, table, html, thematicBreak, definition, footnoteDefinition: not prose to answer with.
          break;
      }
    }
  };
  visit(tree.children);
  return { text: decoded.text, blocks, meta, ...(titleHint && { titleHint }) };
}

/**
 * Inline content → the text a reader sees (emphasis, links and code reduced to their text, images to their
 * alt text, raw HTML dropped), whitespace collapsed, with the offset at which each source line starts.
 */
function phrasingText(nodes: readonly PhrasingContent[], startLine = 1): { text: string; lines: Array<{ offset: number; line: number }> } {
  let raw = "";
  const collect = (list: readonly PhrasingContent[]) => {
    for (const node of list) {
      if (node.type === "text" || node.type === "inlineCode") raw += node.value;
      else if (node.type === "break") raw += "\n";
      else if (node.type === "image") raw += node.alt ?? "";
      else if ("children" in node) collect(node.children as PhrasingContent[]);
    }
  };
  collect(nodes);
  // Collapse whitespace, remembering where each newline (a new source line) falls in the result.
  let text = "";
  let line = startLine;
  const lines = [{ offset: 0, line }];
  let pendingSpace = false;
  for (const char of raw) {
    if (/\s/.test(char)) {
      if (char === "\n") line++;
      pendingSpace = text.length > 0;
      continue;
    }
    if (pendingSpace) text += " ";
    pendingSpace = false;
    if (line !== lines[lines.length - 1]!.line) lines.push({ offset: text.length, line });
    text += char;
  }
  return { text, lines };
}

/** How deeply block quotes and lists nest, counted from line prefixes before parsing (parsers recurse). */
function markdownNesting(text: string): number {
  let deepest = 0;
  for (const match of text.matchAll(/^[ \t>*+\-\d.)]{40,}/gm)) {
    const prefix = match[0];
    let depth = 0;
    for (const char of prefix) if (char === ">" || char === "*" || char === "+" || char === "-") depth++;
    deepest = Math.max(deepest, depth, Math.floor(prefix.length / 4));
  }
  return deepest;
}
