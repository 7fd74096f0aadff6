/** Character classes tested one UTF-16 code unit at a time, for scans that must stay cheap on megabytes of text. */

/** Exactly the characters a regular expression's `\s` matches (and `trim` removes). */
export function isSpaceCode(c: number): boolean {
  return (c >= 9 && c <= 13) || c === 32 || c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
}

const WORD_CHARACTER = /[\p{L}\p{N}\p{M}]/u;

/**
 * How many code units of `text[i]` (1, or 2 for a surrogate pair) form a letter, digit or mark
 * (`[\p{L}\p{N}\p{M}]`), or 0 when that character is not one. ASCII is decided without a regex.
 */
export function wordCharacterAt(text: string, i: number): 0 | 1 | 2 {
  const c = text.charCodeAt(i);
  if (c < 128) return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) ? 1 : 0;
  const point = text.codePointAt(i)!;
  const units = point > 0xffff ? 2 : 1;
  return WORD_CHARACTER.test(String.fromCodePoint(point)) ? units : 0;
}
