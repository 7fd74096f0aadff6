/**
 * Corpus files built to be as slow as possible for the loader: long runs of the characters its Markdown
 * and metadata parsing looks at (spaces, `#`, `*`, `_`, `[`, backticks, `---`, `<`, quotes) and dense
 * soups of unclosed markup, each filled to a given size. Used by bench/hostile.ts (5 MB) and
 * test/corpus/hostile-files.test.ts (300 kB). Every text is ASCII apart from curly quotes, so its length
 * in characters is close to its size in bytes.
 */

/** `unit` repeated between `head` and `tail` to `size` characters. */
function fill(head: string, unit: string, tail: string, size: number): string {
  const room = Math.max(0, size - head.length - tail.length);
  return head + unit.repeat(Math.ceil(room / unit.length)).slice(0, room) + tail;
}

const RUN = 10_000;
const RUN_CHARACTERS = [" ", "#", "*", "_", "[", "`", "-", "<", '"', "!["];

export const HOSTILE_TEXTS: Readonly<Record<string, (size: number) => string>> = {
  /** The reproducer: a heading, one enormous run of spaces, a word. */
  spaces: (n) => fill("# a", " ", "b", n),
  /** A heading that never ends: `#` and spaces (heading and title parsing). */
  heading: (n) => fill("# a", " #", " b", n),
  /** Front matter whose one value is an enormous run of spaces. */
  "front-matter": (n) => fill("---\ntitle: a", " ", "b\n---\nText.", n),
  /** Runs of 10,000 of each markup character, between words, on one line. */
  runs: (n) => fill("", RUN_CHARACTERS.map((c) => `a ${c.repeat(RUN / c.length)} b `).join(""), "", n),
  /** Unclosed emphasis, links, images, autolinks, tags and code spans, densely, on one line. */
  "markup-soup": (n) => fill("", "**a *b __c _d [e ![f <http:g <h `i ", "", n),
  /** The same openers spaced by words, so the line is prose by its letters and reaches the sentence splitter. */
  "wordy-markup": (n) => fill("", "**alpha *bravo __charlie [delta ![echo <http:foxtrot <golf (hotel ", "", n),
  /** Short lines of everything the block parser looks at. */
  lines: (n) => fill("", "# a\n---\n* b\n> c\n| d\n    e\n```\n1. f\n<g>\n- - -\n\n", "", n),
  /** Quotation marks that never close (the page-furniture check looks for quoted speech). */
  quotes: (n) => fill("", "“Word said. “Other one! ", "", n),
  /** Capitalised words after long runs of spaces (the topic finder). */
  names: (n) => fill("", `Alpha${" ".repeat(500)}Bravo Charlie. `, "", n),
};
