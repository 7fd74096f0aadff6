import { describe, expect, it } from "vitest";
import { boundTokens, MAX_TOKEN_CHARS, splitSentences, termsOf, termsOfMany } from "../../src/text/analyser.js";

describe("term analysis", () => {
  it("folds case, stems, drops stop words and punctuation, keeps numbers", () => {
    expect(termsOf("The Officers were RUNNING, 1,000 times!")).toEqual(["offic", "run", "1000", "time"]);
  });

  it("keeps digits inside words (a search for mp3 finds MP3)", () => {
    expect(termsOf("MP3 players of the mid-1930s")).toEqual(["mp3", "player", "mid-1930"]);
  });

  it("reads chat spelling without apostrophes like the spelling with them", () => {
    expect(termsOf("whats the range, dont they know? im asking")).toEqual(termsOf("What's the range, don't they know? I'm asking"));
    expect(termsOf("whos in charge, cant u say")).toEqual(["charg", "say"]);
  });

  it("treats curly and straight quotes alike", () => {
    expect(termsOf("the “chance hit” wasn’t")).toEqual(termsOf('the "chance hit" wasn\'t'));
  });

  it("gives a sentence the same terms whether it is analysed alone, in a batch, or split from a paragraph", () => {
    const texts = [
      "Chancellor Olaf Scholz has ruled this out.",
      "",
      "   ",
      "A line\nbreak and a\ttab inside.",
      "Ends with an abbreviation U.S.",
      "e.g.",
      "Windows\r\nline ending",
      "x".repeat(3 * MAX_TOKEN_CHARS),
      ...Array.from({ length: 300 }, (_, i) => `Sentence number ${i} about the Taurus cruise missile.`),
    ];
    const batched = termsOfMany(texts);
    expect(batched).toHaveLength(texts.length);
    texts.forEach((text, i) => expect(batched[i], JSON.stringify(text)).toEqual(termsOf(text)));
    const paragraph = "Taurus is a cruise missile. Scholz has ruled out its delivery.";
    expect(splitSentences(paragraph).map((s) => s.terms.map((t) => t.term))).toEqual(termsOfMany(["Taurus is a cruise missile.", "Scholz has ruled out its delivery."]));
  });

  it("bounds a single very long token before wink-nlp sees it", () => {
    const blob = "a".repeat(250);
    expect(boundTokens(blob).split(" ").every((part) => part.length <= MAX_TOKEN_CHARS)).toBe(true);
    expect(boundTokens("short words stay as they are")).toBe("short words stay as they are");
    expect(boundTokens(`${"b".repeat(MAX_TOKEN_CHARS)} ${"c".repeat(MAX_TOKEN_CHARS)}`)).not.toContain("  ");
  });
});
