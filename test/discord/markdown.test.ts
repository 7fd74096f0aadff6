import { describe, expect, it } from "vitest";
import {
  cutEnd,
  cutStart,
  escapeText,
  fitEscaped,
  fitHighlighted,
  neutraliseMentions,
  normaliseHighlights,
  renderHighlighted,
  safeUrl,
} from "../../src/discord/markdown.js";

const ZWSP = "\u200b";

/** Characters that would start formatting when not preceded by a backslash. */
function unescaped(text: string, token: string): boolean {
  for (let i = text.indexOf(token); i !== -1; i = text.indexOf(token, i + 1)) {
    let slashes = 0;
    for (let j = i - 1; j >= 0 && text[j] === "\\"; j--) slashes++;
    if (slashes % 2 === 0) return true;
  }
  return false;
}

describe("escapeText", () => {
  it("escapes bold, italics, underline, strikethrough, spoilers, code and quotes", () => {
    const out = escapeText("**bold** *it* __under__ _it_ ~~strike~~ ||spoiler|| `code` ```block```\n> quote\n>>> all");
    for (const token of ["**", "~~", "||", "`", "__"]) expect(unescaped(out, token), token).toBe(false);
    expect(out).toContain("\\*it\\*");
    expect(out).toContain("\\_it\\_");
    expect(out).toContain("\n\\> quote");
    expect(out).toContain("\n\\>>> all");
  });

  it("escapes headings, lists, subtext and masked links at line starts", () => {
    const out = escapeText("# Big\n- item\n1. first\n-# small\n[click](https://evil.example)");
    expect(out).toContain("\\# Big");
    expect(out).toContain("\\- item");
    expect(out).toContain("1\\. first");
    expect(out).toContain("\\-# small");
    expect(out).toContain("\\[click](https://evil.example)");
  });

  it("escapes backslashes so corpus text cannot un-escape what follows", () => {
    expect(escapeText("a\\*b")).toBe("a\\\\\\*b");
  });

  it("neutralises @everyone, @here and user, role and channel mentions", () => {
    const out = escapeText("@everyone @here <@123456789012345678> <@!123456789012345678> <@&223456789012345678> <#323456789012345678>");
    expect(out).not.toMatch(/@everyone|@here/);
    expect(out).not.toMatch(/<@!?\d+>|<@&\d+>|<#\d+>/);
    expect(out).toContain(`@${ZWSP}everyone`);
    expect(neutraliseMentions("mail me @ home")).toBe("mail me @ home");
  });
});

describe("cutting", () => {
  const text = "The first sentence is here. The second sentence is somewhat longer than the first one. Third.";

  it("cuts at a sentence end when one is in reach, else at a word, with an ellipsis", () => {
    const sentence = cutEnd(text, 45);
    expect(sentence.text).toBe("The first sentence is here. …");
    expect(sentence.text.length).toBeLessThanOrEqual(45);
    expect(cutEnd(text, 60).text).toBe("The first sentence is here. The second sentence is somewhat…");
    const word = cutEnd("alpha beta gamma delta epsilon", 17);
    expect(word.text).toBe("alpha beta gamma…");
    expect(cutEnd("short", 10)).toEqual({ text: "short", kept: 5, truncated: false });
  });

  it("never splits a surrogate pair", () => {
    const emoji = "😀".repeat(50);
    const cut = cutEnd(emoji, 11);
    expect(cut.text.length).toBeLessThanOrEqual(11);
    expect(cut.text).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])/);
  });

  it("cutStart keeps the end of the text", () => {
    const cut = cutStart("one two three four five six seven", 14);
    expect(cut.text.startsWith("…")).toBe(true);
    expect(cut.text.endsWith("seven")).toBe(true);
    expect(cut.text.length).toBeLessThanOrEqual(14);
  });

  it("fitEscaped measures after escaping and never ends inside an escape or mention", () => {
    const raw = "*".repeat(100) + " @everyone";
    for (let max = 0; max < 120; max++) {
      const out = fitEscaped(raw, max);
      expect(out.length).toBeLessThanOrEqual(max);
      expect(out).not.toMatch(/(^|[^\\])(\\\\)*\\$/); // no dangling backslash
      expect(out).not.toContain("@everyone");
    }
  });
});

describe("highlights", () => {
  const text = "Pistorius blamed a non-secure data line for the leak.";
  const at = (word: string): [number, number] => [text.indexOf(word), text.indexOf(word) + word.length];

  it("bolds exactly the highlighted ranges", () => {
    expect(renderHighlighted(text, [at("non-secure"), at("leak")])).toBe("Pistorius blamed a **non-secure** data line for the **leak**.");
  });

  it("merges overlapping ranges and ranges separated only by spaces; clips and trims", () => {
    expect(normaliseHighlights(text, [at("data"), at("line"), [at("data")[0] + 1, at("data")[1]], [500, 600], [-5, 0]])).toEqual([[at("data")[0], at("line")[1]]]);
    expect(normaliseHighlights(" x ", [[0, 3]])).toEqual([[1, 2]]);
  });

  it("escapes corpus text inside and outside the bold pairs", () => {
    const t = "a **b** c_d_ e";
    const out = renderHighlighted(t, [[2, 7]]);
    expect(out).toBe("a **\\*\\*b\\*\\*** c\\_d\\_ e");
  });

  it("keeps bold pairs whole when cut, for every budget", () => {
    const long = "leak ".repeat(200).trim();
    const highlights: Array<[number, number]> = [];
    for (let i = 0; i < 200; i++) highlights.push([i * 5, i * 5 + 4]);
    for (const max of [0, 5, 9, 10, 11, 50, 333, 1000]) {
      const out = fitHighlighted(long, highlights, max);
      expect(out.length).toBeLessThanOrEqual(max);
      expect((out.match(/\*\*/g) ?? []).length % 2).toBe(0);
    }
  });
});

describe("safeUrl", () => {
  it("accepts http(s) only and encodes characters that would end a masked link", () => {
    expect(safeUrl("https://example.com/a_(b)")).toBe("https://example.com/a_%28b%29");
    expect(safeUrl("javascript:alert(1)")).toBeUndefined();
    expect(safeUrl("not a url")).toBeUndefined();
    expect(safeUrl(undefined)).toBeUndefined();
    expect(safeUrl(`https://example.com/${"a".repeat(600)}`)).toBeUndefined();
  });
});
