/**
 * Making untrusted text (corpus documents, questions) safe to show on Discord, and cutting it to fit.
 * Pure functions; the rule everywhere is: cut the raw text first, escape second, so a cut never
 * lands inside an escape sequence, a mention or a `**bold**` pair.
 */
import { escapeMarkdown } from "discord.js";

const ZERO_WIDTH_SPACE = "\u200b";
export const ELLIPSIS = "…";

/** Breaks @everyone, @here and user/role/channel mentions with a zero-width space, so they neither ping nor render. */
export function neutraliseMentions(text: string): string {
  return text
    .replace(/@(everyone|here)\b/gi, `@${ZERO_WIDTH_SPACE}$1`)
    .replace(/<(@[!&]?|#)(\d+)>/g, `<$1${ZERO_WIDTH_SPACE}$2>`);
}

/**
 * Escapes Markdown (bold, italic, underline, strikethrough, spoilers, code, headings, lists, masked links,
 * block quotes, subtext) and neutralises mentions.
 */
export function escapeText(text: string): string {
  const escaped = escapeMarkdown(neutraliseMentions(text), {
    heading: true,
    bulletedList: true,
    numberedList: true,
    maskedLink: true,
  });
  return escaped
    .replace(/^(\s*)(>)/gm, "$1\\$2") // block quotes: "> " and ">>> "
    .replace(/^(\s*)-#/gm, "$1\\-#"); // subtext
}

/** The largest index ≤ i that does not split a surrogate pair. */
function safeIndex(text: string, i: number): number {
  if (i <= 0) return 0;
  if (i >= text.length) return text.length;
  const code = text.charCodeAt(i);
  return code >= 0xdc00 && code <= 0xdfff ? i - 1 : i;
}

/** A prefix of a raw text, and how many characters of the original it kept. */
export interface Cut {
  text: string;
  /** Length of the original's prefix kept (the ellipsis excluded). */
  kept: number;
  truncated: boolean;
}

/**
 * Cuts raw text to at most `max` characters, ellipsis included: at the end of a sentence when one ends in
 * the second half of the room, otherwise at a word boundary, otherwise (one enormous word) anywhere.
 */
export function cutEnd(text: string, max: number): Cut {
  if (text.length <= max) return { text, kept: text.length, truncated: false };
  if (max <= ELLIPSIS.length) return { text: max >= ELLIPSIS.length ? ELLIPSIS : "", kept: 0, truncated: true };
  const room = max - ELLIPSIS.length - 1; // one for the space before a sentence-end ellipsis
  const window = text.slice(0, room + 1);
  // sentence end: ., ! or ? (optionally followed by a closing quote/bracket) then whitespace
  let sentenceEnd = -1;
  for (const m of window.matchAll(/[.!?]["'”’)\]]*(?=\s)/g)) sentenceEnd = m.index + m[0].length;
  if (sentenceEnd >= room / 2) {
    return { text: `${text.slice(0, sentenceEnd)} ${ELLIPSIS}`, kept: sentenceEnd, truncated: true };
  }
  const wordRoom = max - ELLIPSIS.length;
  const space = text.lastIndexOf(" ", wordRoom); // a space at index ≤ wordRoom: the words before it fit
  let end = space >= wordRoom / 2 ? space : safeIndex(text, wordRoom);
  const kept = text.slice(0, end).trimEnd();
  end = kept.length;
  return { text: `${kept}${ELLIPSIS}`, kept: end, truncated: true };
}

/** Cuts raw text to at most `max` characters keeping its end (for the sentences *before* an excerpt). */
export function cutStart(text: string, max: number): Cut {
  if (text.length <= max) return { text, kept: text.length, truncated: false };
  if (max <= ELLIPSIS.length) return { text: max >= ELLIPSIS.length ? ELLIPSIS : "", kept: 0, truncated: true };
  const room = max - ELLIPSIS.length;
  const from = text.length - room;
  const space = text.indexOf(" ", from);
  let start = space !== -1 && space - from <= room / 2 ? space + 1 : from;
  if (start < text.length) {
    const code = text.charCodeAt(start);
    if (code >= 0xdc00 && code <= 0xdfff) start += 1;
  }
  const kept = text.slice(start).trimStart();
  return { text: `${ELLIPSIS}${kept}`, kept: kept.length, truncated: true };
}

/**
 * The longest rendering of a cut of `raw` that fits in `max` characters. `render` escapes/decorates the cut
 * text (it must return "" for ""); lengths are measured after rendering, so escapes and decorations count.
 */
export function fitRendered(
  raw: string,
  max: number,
  render: (cut: Cut) => string,
  cut: (text: string, max: number) => Cut = cutEnd,
): string {
  if (max <= 0) return "";
  // Rendering never shortens text, so a raw text longer than `max` cannot fit whole (and is not rendered whole:
  // escaping a huge text would cost more than the cut).
  if (raw.length <= max) {
    const whole = render({ text: raw, kept: raw.length, truncated: false });
    if (whole.length <= max) return whole;
  }
  // Rendering is (close to) monotone in the raw length: binary-search the largest raw budget that fits.
  let lo = 0;
  let hi = Math.min(raw.length, max);
  let best = "";
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const rendered = render(cut(raw, mid));
    if (rendered.length <= max) {
      best = rendered;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  return best;
}

/** Escapes raw text and cuts it so the escaped result fits in `max` characters. */
export function fitEscaped(raw: string, max: number): string {
  return fitRendered(raw, max, (c) => escapeText(c.text));
}

/**
 * Normalises highlight ranges: clipped to [0, length), whitespace trimmed off their ends, sorted, and merged
 * when they overlap or only whitespace separates them.
 */
export function normaliseHighlights(text: string, highlights: ReadonlyArray<readonly [number, number]>, length = text.length): Array<[number, number]> {
  const ranges: Array<[number, number]> = [];
  for (const [a, b] of highlights) {
    let start = Math.max(0, Math.min(a, length));
    let end = Math.max(0, Math.min(b, length));
    while (start < end && /\s/.test(text[start] ?? "")) start++;
    while (end > start && /\s/.test(text[end - 1] ?? "")) end--;
    start = safeIndex(text, start);
    end = safeIndex(text, end);
    if (end > start) ranges.push([start, end]);
  }
  ranges.sort((x, y) => x[0] - y[0] || x[1] - y[1]);
  const merged: Array<[number, number]> = [];
  for (const range of ranges) {
    const last = merged[merged.length - 1];
    if (last !== undefined && (range[0] <= last[1] || /^\s*$/.test(text.slice(last[1], range[0])))) {
      last[1] = Math.max(last[1], range[1]);
    } else {
      merged.push([range[0], range[1]]);
    }
  }
  return merged;
}

/**
 * Escapes `text` and wraps the highlighted ranges in `**bold**`. Each piece is escaped on its own, so corpus
 * text can never open or close a bold pair. Only the first `kept` characters are rendered (for cut text),
 * followed by `suffix` (e.g. an ellipsis).
 */
export function renderHighlighted(
  text: string,
  highlights: ReadonlyArray<readonly [number, number]>,
  kept = text.length,
  suffix = "",
): string {
  const ranges = normaliseHighlights(text, highlights, kept);
  let out = "";
  let at = 0;
  for (const [start, end] of ranges) {
    if (start > at) out += escapeText(text.slice(at, start));
    out += `**${escapeText(text.slice(start, end))}**`;
    at = end;
  }
  if (at < kept) out += escapeText(text.slice(at, kept));
  return out + escapeText(suffix);
}

/** `renderHighlighted`, cut so the result fits in `max` characters. */
export function fitHighlighted(text: string, highlights: ReadonlyArray<readonly [number, number]>, max: number): string {
  return fitRendered(text, max, (c) => renderHighlighted(text, highlights, c.kept, c.text.slice(c.kept)));
}

/** A plain-text (no Markdown rendering, e.g. embed footers, button labels, choice names) cut to `max`. */
export function plainFit(text: string, max: number): string {
  return cutEnd(text.replace(/\s+/g, " ").trim(), max).text;
}

/** An http(s) URL safe to put in a masked link `[text](url)`, or undefined. */
export function safeUrl(url: string | undefined, maxLength = 512): string | undefined {
  if (url === undefined) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(url.trim());
  } catch {
    return undefined;
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") return undefined;
  const href = parsed.href.replace(/\(/g, "%28").replace(/\)/g, "%29").replace(/</g, "%3C").replace(/>/g, "%3E");
  return href.length <= maxLength ? href : undefined;
}
