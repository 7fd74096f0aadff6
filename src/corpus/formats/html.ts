/**
 * Web pages (.html, .htm) → the article only: Firefox's Reader View (@mozilla/readability) on a light DOM
 * (linkedom) finds the article and drops navigation, cookie banners, related stories, comments and footers.
 * Citation metadata from the page: title, byline, site name, published date, canonical link (or og:url).
 * Blocks are placed under their heading path, rooted at the article's title.
 */
import { Readability } from "@mozilla/readability";
import { parseHTML } from "linkedom";
import type { DocumentMeta } from "../../core/types.js";
import { blocksOfDom } from "./dom-blocks.js";
import { collapse, Deadline, type ReadLimits, type ReadResult } from "./reader.js";

/**
 * What a page declares is not its article (HTML's navigation, footer and aside elements, ARIA landmarks and
 * dialogs, hidden elements) and consent banners are removed before Readability looks: on a short article
 * Readability falls back to the whole body, banners included.
 */
const NOT_ARTICLE = [
  "nav",
  "aside",
  "dialog",
  // A page's header and footer, not an article's own (which hold its byline and date).
  "footer:not(article footer)",
  "header:not(article header)",
  "[hidden]",
  '[aria-hidden="true"]',
  '[aria-modal="true"]',
  ...["navigation", "banner", "contentinfo", "complementary", "dialog", "alertdialog", "search"].map((role) => `[role="${role}"]`),
  ...["cookie", "consent", "gdpr"].flatMap((word) => [`[id*="${word}" i]`, `[class*="${word}" i]`]),
].join(", ");

/** Readability gives up (throws) on pages with more elements than this: bounded work on huge pages. */
const MAX_ELEMENTS = 200_000;

export async function readHtml(bytes: Uint8Array, _name: string, limits: ReadLimits): Promise<ReadResult> {
  const html = decodeHtml(bytes);
  if (html.trim() === "") return { skip: "empty" };
  const { depth, elements } = htmlShape(html, limits.maxDepth);
  if (elements > MAX_ELEMENTS) return { skip: `more than ${MAX_ELEMENTS.toLocaleString("en")} HTML elements; not read (save the article itself)` };
  if (depth > limits.maxDepth) return { skip: `HTML nested more than ${limits.maxDepth} elements deep; not read (a broken or hostile page)` };
  const deadline = new Deadline(limits);
  const { document } = parseHTML(html);
  const pageMeta = metaOfPage(document);
  for (const element of document.querySelectorAll(NOT_ARTICLE)) element.remove();
  if (deadline.passed) return { skip: deadline.message("while parsing") };
  let article: ReturnType<Readability<Element>["parse"]>;
  try {
    // Readability reads the DOM types it needs structurally; linkedom's document provides them. The article
    // comes back as its element (serializer), not as HTML to parse a second time.
    article = new Readability(document as unknown as Document, { maxElemsToParse: MAX_ELEMENTS, serializer: (element: Node) => element as Element }).parse();
  } catch (error) {
    return { skip: `page not read: ${(error as Error).message}` };
  }
  if (deadline.passed) return { skip: deadline.message("while finding the article") };
  if (!article?.content || collapse(article.textContent ?? "") === "") {
    return { skip: "no readable article in this page (Reader View finds none); save the article itself, or its text as .txt" };
  }
  const title = titleOf(collapse(article.title ?? ""), pageMeta.headline) || pageMeta.title;
  const blocks = blocksOfDom(article.content as never, title ? [title] : []);
  if (blocks.length === 0) return { skip: "no readable article in this page (Reader View finds none); save the article itself, or its text as .txt" };
  const { headline: _headline, ...known } = pageMeta;
  const meta: Partial<DocumentMeta> = {
    ...known,
    ...(title && { title }),
    ...(article.siteName && { outlet: collapse(article.siteName) }),
    ...(article.byline && { author: collapse(article.byline).replace(/^by\s+/i, "") }),
    ...(article.publishedTime && { date: dateOf(article.publishedTime) }),
  };
  return { text: blocks.map((b) => b.text).join("\n\n"), blocks, meta };
}

/** Metadata Readability does not give, read before it changes the DOM: the canonical link, dates. */
function metaOfPage(document: { querySelector(selector: string): { getAttribute(name: string): string | null; textContent: string | null } | null }): Partial<DocumentMeta> & { headline?: string } {
  const attr = (selector: string, name: string) => document.querySelector(selector)?.getAttribute(name)?.trim() || undefined;
  const url = attr('link[rel="canonical"]', "href") ?? attr('meta[property="og:url"]', "content");
  const date = attr('meta[property="article:published_time"]', "content") ?? attr("time[datetime]", "datetime");
  const title = collapse(document.querySelector("title")?.textContent ?? "");
  const headline = collapse(document.querySelector("h1")?.textContent ?? "");
  return {
    ...(headline && { headline }),
    ...(url && /^https?:\/\//i.test(url) && { url }),
    ...(date && { date: dateOf(date) }),
    ...(title && { title }),
  };
}

/** The page's headline when the title is the headline plus the site's name ("Ferry changes | Island News"). */
function titleOf(title: string, headline: string | undefined): string {
  return headline && title.length > headline.length && title.startsWith(headline) && /^\s*[|\-–—:·»]/.test(title.slice(headline.length)) ? headline : title;
}

/** "2024-03-04T10:00:00Z" → "2024-03-04"; other forms as written. */
function dateOf(value: string): string {
  const iso = /^(\d{4}-\d{2}-\d{2})T/.exec(value.trim());
  return iso ? iso[1]! : collapse(value);
}

/** Bytes → text in the page's declared charset (UTF-8 unless a BOM or <meta charset> says otherwise). */
function decodeHtml(bytes: Uint8Array): string {
  const head = new TextDecoder("latin1").decode(bytes.subarray(0, 2048));
  const declared = /<meta[^>]+charset\s*=\s*["']?([\w-]+)/i.exec(head)?.[1];
  try {
    return new TextDecoder(declared ?? "utf-8").decode(bytes);
  } catch {
    return new TextDecoder("utf-8").decode(bytes);
  }
}

/** Elements that never hold others, or are usually left unclosed: they do not deepen the tree. */
const FLAT = new Set(["area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr", "p", "li", "dt", "dd", "tr", "td", "th", "option", "!doctype"]);

/**
 * How deeply the page's elements nest and how many there are, from its tags alone (linear, no DOM), stopping
 * once past `limit` deep: DOM parsers and Readability recurse, so a page nested thousands deep is refused before
 * they see it, and one with more elements than Readability will take is not parsed only to be refused.
 */
export function htmlShape(html: string, limit: number): { depth: number; elements: number } {
  let depth = 0;
  let deepest = 0;
  let elements = 0;
  // [^<>] (not [^>]) keeps a "<" without its ">" from rescanning the rest of the page: linear time.
  const tag = /<(\/?)([a-zA-Z!][\w:-]*)[^<>]*>/g;
  for (let match = tag.exec(html); match; match = tag.exec(html)) {
    const name = match[2]!.toLowerCase();
    if (!match[1]) elements++;
    if (FLAT.has(name) || match[0].endsWith("/>")) continue;
    if (!match[1] && (name === "script" || name === "style")) {
      const close = html.indexOf(`</${name}`, tag.lastIndex);
      const end = close < 0 ? -1 : html.indexOf(">", close);
      if (end < 0) break;
      tag.lastIndex = end + 1;
      continue;
    }
    if (match[1]) depth = Math.max(0, depth - 1);
    else if (++depth > deepest) {
      deepest = depth;
      if (deepest > limit) break;
    }
  }
  return { depth: deepest, elements };
}
