/**
 * An HTML element tree (a web page's article, a Word document converted to HTML) → text blocks, each placed
 * under the heading path it stands in. Paragraphs, list items, quotes and definition terms are blocks;
 * headings set the path (and are blocks never answered); tables, code, figures, forms and scripts are not prose.
 */
import type { TextBlock } from "../../core/types.js";
import { collapse } from "./reader.js";

/** Elements whose text is one block, unless they hold other block elements. */
const BLOCK = new Set(["P", "LI", "DD", "DT", "BLOCKQUOTE", "DIV", "SECTION", "ARTICLE", "MAIN", "ASIDE", "HEADER", "FOOTER", "FIGURE", "CENTER", "ADDRESS", "UL", "OL", "DL", "BODY", "HTML"]);
const HEADING = /^H([1-6])$/;
/** Never prose to answer with. */
const SKIPPED = new Set(["TABLE", "PRE", "CODE", "SCRIPT", "STYLE", "NOSCRIPT", "TEMPLATE", "FIGCAPTION", "FORM", "BUTTON", "SELECT", "TEXTAREA", "SVG", "MATH", "IFRAME", "NAV"]);

interface DomNode {
  nodeType: number;
  nodeName: string;
  textContent: string | null;
  childNodes: ArrayLike<DomNode>;
}

/** `root`'s prose as blocks; `rootHeadings` start every heading path (a web page's title). */
export function blocksOfDom(root: DomNode, rootHeadings: string[] = []): TextBlock[] {
  const blocks: TextBlock[] = [];
  const headings: string[] = [];
  const path = () => [...rootHeadings, ...headings.filter(Boolean)].join(" › ");
  const push = (text: string, isHeading = false) => {
    const heading = path();
    if (text) blocks.push({ text, place: heading ? { heading } : {}, ...(isHeading && { isHeading }) });
  };

  const visit = (node: DomNode) => {
    let inline = "";
    const flush = () => {
      push(collapse(inline));
      inline = "";
    };
    for (const child of Array.from(node.childNodes)) {
      if (child.nodeType === 3) {
        inline += child.textContent ?? "";
        continue;
      }
      if (child.nodeType !== 1) continue;
      const name = child.nodeName.toUpperCase();
      if (SKIPPED.has(name)) continue;
      const level = HEADING.exec(name);
      if (level) {
        flush();
        const depth = Number(level[1]);
        const title = collapse(child.textContent ?? "");
        headings.length = depth - 1;
        headings[depth - 1] = title;
        push(title, true);
        continue;
      }
      if (name === "BR") {
        inline += "\n";
        continue;
      }
      if (BLOCK.has(name)) {
        flush();
        if (hasBlockChild(child)) visit(child);
        else push(collapse(child.textContent ?? ""));
        continue;
      }
      inline += textWithoutSkipped(child);
    }
    flush();
  };
  visit(root);
  return blocks;
}

function hasBlockChild(node: DomNode): boolean {
  for (const child of Array.from(node.childNodes)) {
    if (child.nodeType !== 1) continue;
    const name = child.nodeName.toUpperCase();
    if (BLOCK.has(name) || HEADING.test(name) || SKIPPED.has(name)) return true;
  }
  return false;
}

/** Inline content's text, without scripts and the like nested inside it. */
function textWithoutSkipped(node: DomNode): string {
  if (node.nodeType === 3) return node.textContent ?? "";
  if (node.nodeType !== 1 || SKIPPED.has(node.nodeName.toUpperCase())) return "";
  let text = "";
  for (const child of Array.from(node.childNodes)) text += textWithoutSkipped(child);
  return text;
}
