import { describe, expect, it } from "vitest";
import { boundTokens, highlightRanges, MAX_TOKEN_CHARS, splitSentences, termsOf, termsOfMany } from "../../src/text/analyser.js";

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

  it("gives a word English spells two ways one term, however the corpus or the question spells it", () => {
    const british = "The defence minister's programme: he dialled in, travelled 500 kilometres to the centre, organised the colour labelling and analysed the catalogue";
    const american = "The defense minister's program: he dialed in, traveled 500 kilometers to the center, organized the color labeling and analyzed the catalog";
    expect(termsOf(american)).toEqual(termsOf(british));
    // "dial" and "dialled" (porter2 stems them "dial" and "diall"), "fuel" and "fuelled".
    expect(termsOf("dial dialled dialling fuel fuelled")).toEqual(["dial", "dial", "dial", "fuel", "fuel"]);
    expect(termsOf("the centred text")).toEqual(termsOf("the centered text"));
    // A word two rules touch gets both.
    expect(termsOf("colourized neighbourised")).toEqual(termsOf("colorised neighborized"));
    expect(termsOf("they learnt to practise whilst the aeroplane burnt")).toEqual(termsOf("they learned to practice while the airplane burned"));
    // Clipped words as people write them in chat.
    expect(termsOf("the army's comms, 500 km away")).toEqual(termsOf("the army's communications, 500 kilometres away"));
    // Words that only look like a variant stay apart.
    expect(new Set(termsOf("size prize seize hour tour organ"))).toHaveProperty("size", 6);
    // Highlights read words the same way: "kilometers" in the question bolds "kilometres" in the text.
    const text = "It flies 500 kilometres.";
    expect(highlightRanges(text, new Set(termsOf("kilometers"))).map(([a, b]) => text.slice(a, b))).toEqual(["kilometres"]);
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
