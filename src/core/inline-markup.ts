/**
 * Markdown inline markup → the text a reader sees, in time linear in the length of the line.
 *
 * Each rule finds exactly what a regular expression would (noted above it), but by a left-to-right scan:
 * the regular expressions, with a lazy or negated body, rescan to the end of the line from every unclosed
 * opener, so one line of `[[[[…` or `** ** **…` took time quadratic in its length.
 */
import { isSpaceCode } from "../text/characters.js";
import { CHARS_PER_STEP, type Steps } from "./steps.js";

/**
 * The first index ≥ `from` that `search` finds, for calls with non-decreasing `from`: the last answer is
 * kept while it is still ahead, so each stretch of text is searched once in all.
 */
function finder(search: (from: number) => number): (from: number) => number {
  let found = -2;
  return (from) => {
    if (found === -1 || found >= from) return found;
    found = search(from);
    return found;
  };
}

const find = (text: string, needle: string) => finder((from) => text.indexOf(needle, from));

/** A search with a global regex (its lastIndex is set at every search, so rules can share one). */
function findPattern(text: string, pattern: RegExp): (from: number) => number {
  return finder((from) => {
    pattern.lastIndex = from;
    return pattern.exec(text)?.index ?? -1;
  });
}

/** The characters `.` does not match. */
const LINE_TERMINATOR = /[\n\r\u2028\u2029]/g;
const STAR_CLOSING = /\*(?!\w)/g;
const isWordChar = (c: string | undefined) => c !== undefined && /\w/.test(c);
const isSpace = (c: string | undefined) => c !== undefined && /\s/.test(c);

/**
 * Replaces spans left to right, as a global regex replace does: `match` gives the span at an opener
 * (where it ends, exclusive, and what replaces it) or undefined, and the scan goes on after a span.
 */
function replaceSpans(text: string, nextOpener: (from: number) => number, match: (at: number) => { end: number; keep: string } | undefined): string {
  let out = "";
  let copied = 0;
  for (let at = nextOpener(0); at !== -1; ) {
    const span = match(at);
    if (!span) {
      at = nextOpener(at + 1);
      continue;
    }
    out += text.slice(copied, at) + span.keep;
    copied = span.end;
    at = nextOpener(copied);
  }
  return out + text.slice(copied);
}

/** `/!\[([^\]]*)\]\([^)]*\)/g` → `$1` (images), or `/\[([^\]]+)\]\([^)]*\)/g` → `$1` (links). */
function links(text: string, image: boolean): string {
  const opener = image ? "![" : "[";
  if (!text.includes(opener)) return text;
  const close = find(text, "]");
  const paren = find(text, ")");
  return replaceSpans(text, find(text, opener), (at) => {
    const body = at + opener.length;
    const end = close(body);
    if (end === -1 || (!image && end === body) || text[end + 1] !== "(") return undefined;
    const last = paren(end + 2);
    return last === -1 ? undefined : { end: last + 1, keep: text.slice(body, end) };
  });
}

/** `/<(https?:[^>]+)>/g` → `$1`. */
function autolinks(text: string): string {
  if (!text.includes("<")) return text;
  const close = find(text, ">");
  return replaceSpans(text, find(text, "<"), (at) => {
    const scheme = text.startsWith("https:", at + 1) ? 6 : text.startsWith("http:", at + 1) ? 5 : 0;
    const body = at + 1 + scheme;
    const end = scheme > 0 && text[body] !== ">" ? close(body) : -1;
    return end === -1 ? undefined : { end: end + 1, keep: text.slice(at + 1, end) };
  });
}

/** `/(\*\*|__)(.+?)\1/g` → `$2`. */
function strong(text: string): string {
  if (!text.includes("**") && !text.includes("__")) return text;
  const openers = { "**": find(text, "**"), __: find(text, "__") };
  const closers = { "**": find(text, "**"), __: find(text, "__") };
  const terminator = findPattern(text, LINE_TERMINATOR);
  const nextOpener = (from: number) => {
    const a = openers["**"](from);
    const b = openers.__(from);
    return a === -1 ? b : b === -1 ? a : Math.min(a, b);
  };
  return replaceSpans(text, nextOpener, (at) => {
    const end = closers[text.startsWith("**", at) ? "**" : "__"](at + 3);
    const stop = terminator(at + 2);
    return end === -1 || (stop !== -1 && stop < end) ? undefined : { end: end + 2, keep: text.slice(at + 2, end) };
  });
}

/** `/(^|[^\w*])\*(?!\s)(.+?)\*(?!\w)/g` → `$1$2`. */
function emphasis(text: string): string {
  if (!text.includes("*")) return text;
  const closer = findPattern(text, STAR_CLOSING);
  const terminator = findPattern(text, LINE_TERMINATOR);
  let out = "";
  let copied = 0;
  for (let star = text.indexOf("*"); star !== -1; star = text.indexOf("*", star + 1)) {
    // The match starts at the text's start, or one character (not a word character or `*`) before the star.
    const start = star === 0 ? 0 : star - 1;
    if (start < copied || (star > 0 && (isWordChar(text[start]) || text[start] === "*"))) continue;
    if (star + 1 >= text.length || isSpace(text[star + 1])) continue;
    const end = closer(star + 2);
    const stop = terminator(star + 1);
    if (end === -1 || (stop !== -1 && stop < end)) continue;
    out += text.slice(copied, star) + text.slice(star + 1, end);
    copied = end + 1;
    star = end;
  }
  return out + text.slice(copied);
}

/** `/<\/?[a-z][^>]*>/gi` → "". */
function htmlTags(text: string): string {
  if (!text.includes("<")) return text;
  const close = find(text, ">");
  return replaceSpans(text, find(text, "<"), (at) => {
    const name = text[at + 1] === "/" && /[a-z]/i.test(text[at + 2] ?? "") ? at + 2 : at + 1;
    const end = /[a-z]/i.test(text[name] ?? "") ? close(name + 1) : -1;
    return end === -1 ? undefined : { end: end + 1, keep: "" };
  });
}

export function inlineText(text: string): string {
  return withoutMarkup(text).trim();
}

function withoutMarkup(text: string): string {
  const withoutLinks = links(links(text, true), false);
  const withoutEmphasis = emphasis(strong(autolinks(withoutLinks)));
  // A code span's body stops at the next backtick, so this regular expression is linear as it is.
  return htmlTags(withoutEmphasis.replace(/`([^`]*)`/g, "$1"));
}

/**
 * `inlineText` for a line of any length, in steps (see steps.ts). A line up to CHARS_PER_STEP characters
 * is one step and gives exactly `inlineText`'s result. A longer one (no prose line is 100,000 characters;
 * a hostile file's can be 5 MB) is cut at white space into pieces of at most that length, each reduced
 * on its own with a pause after it: markup that spans a cut is left as written.
 */
export function* inlineTextInSteps(text: string): Steps<string> {
  if (text.length <= CHARS_PER_STEP) return inlineText(text);
  let out = "";
  for (let start = 0; start < text.length; ) {
    let end = Math.min(text.length, start + CHARS_PER_STEP);
    if (end < text.length) {
      let space = end;
      while (space > start + CHARS_PER_STEP / 2 && !isSpaceCode(text.charCodeAt(space))) space--;
      if (isSpaceCode(text.charCodeAt(space))) end = space;
      else if (isHighSurrogate(text.charCodeAt(end - 1))) end--; // never cut a character in two
    }
    out += withoutMarkup(text.slice(start, end));
    start = end;
    yield;
  }
  return out.trim();
}

const isHighSurrogate = (c: number) => c >= 0xd800 && c <= 0xdbff;
