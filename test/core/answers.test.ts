/**
 * What a user sees of the engine's decisions, on tiny corpora built for each decision: when it declines,
 * when sentences from several sources are shown as one statement, which sentence a "when" question
 * gets first, what context comes with an excerpt, and where the question length limit lies.
 */
import { describe, expect, it } from "vitest";
import { buildKnowledgeBase, type EngineOptions } from "../../src/core/knowledge-base.js";
import type { Answer } from "../../src/core/types.js";
import { textDocument } from "../../src/corpus/formats/text.js";
import { DECLINE_MODEL } from "../../src/core/decline-model.js";

const corpus = (texts: Record<string, string>, options: Partial<EngineOptions> = {}) =>
  buildKnowledgeBase(Object.entries(texts).map(([id, text]) => textDocument(id, text, { title: id })), options);

const cited = (answer: Answer, text: RegExp) => answer.excerpts.find((e) => text.test(e.text))?.citations.map((c) => c.documentId);

describe("three outcomes: a confident answer, the closest passages labelled as such, or not in the documents", () => {
  const texts = {
    "ferry.txt": "The ferry to the island leaves at nine every morning.\nTickets for the ferry are sold at the harbour office.\nThe harbour office opens at eight.\nBikes travel free on the ferry.\n",
    "museum.txt": "The lighthouse museum is on the north cliff.\nThe museum shows old lamps and maps of the coast.\nEntry to the museum costs five euros.\n",
  };
  const kb = corpus(texts);
  const probability = (question: string) => kb.retrieve(question, 10).probability;

  it("answers confidently what the corpus says", () => {
    const answer = kb.ask("What does the museum show?");
    expect(answer).toMatchObject({ answered: true, confidence: "high" });
    expect(answer.excerpts[0]?.text).toBe("The museum shows old lamps and maps of the coast.");
  });

  it("declines questions from elsewhere, and ones whose rare key word the corpus lacks", () => {
    for (const question of ["What is the capital of France?", "How does photosynthesis work in the museum garden?"]) {
      expect(kb.ask(question), question).toMatchObject({ answered: false, reason: "no-match", excerpts: [] });
    }
  });

  it("shows the closest passages, marked as not sure, for a question on the corpus's subject it may not answer", () => {
    // Everything but "painted" is in the corpus; who painted the lamps is not.
    const p = probability("Who painted the lamps?");
    expect(p, "fixture: inside the middle band").toBeGreaterThan(DECLINE_MODEL.declineBelow);
    expect(p, "fixture: inside the middle band").toBeLessThan(DECLINE_MODEL.confidentFrom);
    const answer = kb.ask("Who painted the lamps?");
    expect(answer).toMatchObject({ answered: true, confidence: "low" });
    expect(answer.excerpts[0]?.text).toMatch(/lamps/);
  });

  it("puts a question exactly at a threshold on its upper side", () => {
    const question = "Who painted the lamps in the museum?";
    const p = probability(question);
    const withBand = (declineBelow: number, confidentFrom: number) => corpus(texts, { decline: { ...DECLINE_MODEL, declineBelow, confidentFrom } }).ask(question);
    expect(withBand(p, 0.99)).toMatchObject({ answered: true, confidence: "low" });
    expect(withBand(p * (1 + 1e-9), 0.99)).toMatchObject({ answered: false, reason: "no-match" });
    expect(withBand(0, p)).toMatchObject({ answered: true, confidence: "high" });
    expect(withBand(0, p * (1 + 1e-9))).toMatchObject({ answered: true, confidence: "low" });
  });

  it("is never confident about a 'when' question none of whose best sentences holds a date or time", () => {
    // Every word matches the museum sentence, which still cannot say when the museum opened.
    const answer = kb.ask("When did the lighthouse museum on the north cliff open?");
    expect(answer).toMatchObject({ answered: true, confidence: "low" });
    expect(answer.excerpts[0]?.text).toBe("The lighthouse museum is on the north cliff.");
    expect(kb.ask("When does the harbour office open?")).toMatchObject({ answered: true, confidence: "high" });
  });

  it("does not take the words that frame a request for its subject", () => {
    // "summarize", "documents", "explain", "please" are not in these files: the question is still about the museum.
    for (const question of ["Summarize what the documents say about the museum entry", "Explain the museum entry, please"]) {
      const answer = kb.ask(question);
      expect(answer, question).toMatchObject({ answered: true, confidence: "high" });
      expect(answer.excerpts[0]?.text, question).toBe("Entry to the museum costs five euros.");
    }
    expect(kb.ask("Explain photosynthesis, please")).toMatchObject({ answered: false, reason: "no-match" });
  });

  it("weighs a missing word by how rare it is in English: an everyday word costs less than a rare one", () => {
    // Same corpus, same known words; only the missing word differs.
    expect(probability("Where does the ferry go to?")).toBeGreaterThan(probability("Where does the ferry hydroplane to?"));
  });

  it("does not search for the request that opens a question, but does for the same word inside it", () => {
    const guided = corpus({ ...texts, "guides.txt": "Guides tell stories about the lamps.\nThe tour takes an hour.\n" });
    expect(guided.ask("Tell me about the museum lamps").excerpts[0]?.text).toMatch(/^The museum shows old lamps/);
    expect(guided.ask("What do the guides tell about the lamps?").excerpts[0]?.text).toMatch(/^Guides tell stories about the lamps/);
  });

  it("reads 'what kind of lamps' as a question about lamps, not about the word 'kind'", () => {
    const kinds = corpus({ ...texts, "visitors.txt": "Kind visitors leave flowers at the ferry.\nThe tour takes an hour.\n" });
    for (const question of ["What kind of lamps does the museum show?", "Which types of lamps does the museum show?"]) {
      expect(kinds.retrieve(question, 10).terms, question).toEqual(["lamp", "museum", "show"]);
      expect(kinds.ask(question).excerpts[0]?.text, question).toBe("The museum shows old lamps and maps of the coast.");
    }
    // Not a frame: "kind" stays a search term.
    expect(kinds.retrieve("Are the visitors kind?", 10).terms).toContain("kind");
  });

  it("reads a word English does not have, one slip of the keyboard from a word of the documents, as that word", () => {
    // "lighthuose" (two letters swapped) and "musuem" are no English words: the lighthouse museum is meant.
    const answer = kb.ask("Where is the lighthuose musuem?");
    expect(answer).toMatchObject({ answered: true, confidence: "high" });
    expect(answer.excerpts[0]?.text).toBe("The lighthouse museum is on the north cliff.");
    expect(kb.retrieve("where is the lighthuose musuem", 10).terms).toEqual(["lighthous", "museum"]);
    // A real English word one letter from a corpus word is taken as written: "berry" is not a "ferry".
    expect(kb.retrieve("When does the berry leave?", 10).terms).toContain("berri");
    expect(kb.ask("When does the berry leave?")).toMatchObject({ answered: false, reason: "no-match" });
  });

  it("counts the distinctive words of a question found around the best sentence, not its everyday ones", () => {
    const log = corpus({
      "keeper.txt": "The lighthouse keeper repaired the lamp.\nThe lamp had been dark for a week.\n",
      "weather.txt": "People talk about the weather.\nThey talk about it every morning.\nRain came again.\n",
    });
    const evidence = (question: string) => log.retrieve(question, 10).evidence!;
    // "talk" is an everyday word (the answer may say "discussed"): not finding it next to "lighthouse keeper"
    // costs plain coverage but not the distinctive words' coverage.
    const keeper = evidence("What did the lighthouse keeper talk about?");
    expect(keeper.coverage).toBeLessThan(1);
    expect(keeper.salientCoverage).toBeCloseTo(1, 5);
    // The other way round: the everyday words are found together, the one that says what it is about is not.
    const morning = evidence("Do people talk about the lighthouse every morning?");
    expect(morning.salientCoverage).toBeLessThan(0.5);
    expect(morning.coverage).toBeGreaterThan(morning.salientCoverage);
  });
});

describe("one statement in several sources is one excerpt citing each source", () => {
  it("merges the same words in another order (overlap of distinct words, no long common run)", () => {
    const kb = corpus({
      "a.txt": "The mayor opened the new library on Friday morning.\nChildren read stories in the garden.\n",
      "b.txt": "On Friday morning the mayor opened the new library.\nThe building cost four million euros.\n",
    });
    const answer = kb.ask("What did the mayor do with the library on Friday?");
    expect(answer.excerpts.filter((e) => /opened the new library/.test(e.text))).toHaveLength(1);
    expect(cited(answer, /opened the new library/)).toEqual(["a.txt", "b.txt"]);
  });

  it("merges a quote framed differently by each source (a long run of the same words)", () => {
    const quote = "Nobody should drive across the old bridge before the engineers finish their checks";
    const kb = corpus({
      "a.txt": `"${quote}," the mayor told reporters at the town hall on Monday evening after a long council meeting about traffic.\nRepairs start next week.\n`,
      "b.txt": `Anna Berg, who has led the city since 2019 and grew up by the river, was clear: "${quote}."\nThe bridge closed twice last year.\n`,
    });
    const answer = kb.ask("Can I drive across the old bridge before the checks finish?");
    expect(answer.excerpts.filter((e) => e.text.includes(quote))).toHaveLength(1);
    expect(cited(answer, new RegExp(quote))?.sort()).toEqual(["a.txt", "b.txt"]);
  });

  it("keeps different statements about the same things apart", () => {
    const kb = corpus({
      "a.txt": "The mayor opened the new library on Friday morning.\nChildren read stories in the garden.\n",
      // Shares mayor, library and Friday with a.txt (a third of their words) but says something else.
      "c.txt": "The mayor closed the old library on Friday after a flood.\nIts books moved to the school.\n",
      // Share the run "new bus lanes" and nothing else.
      "d.txt": "The city council approved the new bus lanes on Tuesday.\n",
      "e.txt": "Residents protested against the new bus lanes outside the station.\n",
    });
    const library = kb.ask("What did the mayor do with the library on Friday?");
    expect(cited(library, /opened the new library/)).toEqual(["a.txt"]);
    expect(cited(library, /closed the old library/)).toEqual(["c.txt"]);
    const lanes = kb.ask("What happened to the new bus lanes?");
    expect(cited(lanes, /approved the new bus lanes/)).toEqual(["d.txt"]);
    expect(cited(lanes, /protested against the new bus lanes/)).toEqual(["e.txt"]);
  });

  it("cites a source once even when it repeats the statement", () => {
    const kb = corpus({
      "notice.txt": "The bridge will close for repairs in June.\nFerries will carry passengers instead.\nThe bridge will close for repairs in June.\n",
      "news.txt": "The bridge will close for repairs in June.\nDrivers should plan longer routes.\n",
    });
    const answer = kb.ask("When will the bridge close for repairs?");
    expect(answer.excerpts.filter((e) => /close for repairs/.test(e.text))).toHaveLength(1);
    expect(cited(answer, /close for repairs/)).toEqual(["notice.txt", "news.txt"]);
  });
});

describe("neighbouring sentences that both answer are one passage", () => {
  const kb = corpus({
    "news.txt":
      "The former intelligence chief Anna Berg warned that more secrets of the navy could have leaked.\n" +
      "She told the Harbour Gazette that the navy leak was only the tip of the iceberg.\n" +
      "The weather on the coast stayed mild all week.\n" +
      "Fishing boats returned to the harbour on Sunday.\n",
    "other.txt": "The navy leak was discussed in parliament.\nThe intelligence committee met on Monday.\n",
  });

  it("joins a pronoun-led answer to the sentence naming who it is about, in document order, cited from its first sentence", () => {
    const answer = kb.ask("What did the former intelligence chief tell the Harbour Gazette about the navy leak?");
    const first = answer.excerpts[0]!;
    expect(first.text).toBe(
      "The former intelligence chief Anna Berg warned that more secrets of the navy could have leaked. She told the Harbour Gazette that the navy leak was only the tip of the iceberg.",
    );
    expect(first.citations.map((c) => [c.documentId, c.location.line, c.location.sentence])).toEqual([["news.txt", 1, 1]]);
    expect(first.context).toEqual({ before: [], after: ["The weather on the coast stayed mild all week.", "Fishing boats returned to the harbour on Sunday."] });
    // Highlights cover both sentences of the passage.
    expect(first.highlights.map(([a, b]) => first.text.slice(a, b))).toEqual(expect.arrayContaining(["intelligence", "Harbour", "Gazette"]));
    // The passage takes one excerpt: the next sentences follow as excerpts of their own.
    expect(answer.excerpts.map((e) => e.text)).toContain("The navy leak was discussed in parliament.");
    expect(answer.excerpts.filter((e) => e.text.includes("Anna Berg"))).toHaveLength(1);
  });

  it("leaves a weak neighbour out", () => {
    const weather = kb.ask("How was the weather on the coast all week?").excerpts;
    expect(weather[0]!.text).toBe("The weather on the coast stayed mild all week.");
  });

  it("stops at three sentences and never crosses into another document", () => {
    const chain = corpus({
      "log.txt": [
        "In March the ferry engine showed rust on its pistons and crankshaft.",
        "In April mechanics replaced a cracked valve of the ferry engine.",
        "In May the ferry engine ran hot because a cooling pump leaked.",
        "In June inspectors tightened loose bolts on the ferry engine mounts.",
        "In July a broken fan belt stopped the ferry engine for a day.",
        "In August the ferry engine passed its yearly safety test.",
      ].join("\n"),
      "next.txt": "The ferry engine will be replaced next year.\n",
    });
    const excerpts = chain.ask("ferry engine").excerpts;
    const sentences = (text: string) => text.split(/(?<=\.) /).length;
    expect(excerpts.map((e) => sentences(e.text))).toEqual([3, 3, 1]);
    for (const e of excerpts) expect(sentences(e.text)).toBeLessThanOrEqual(3);
    expect(excerpts.find((e) => e.text.includes("next year"))?.text).toBe("The ferry engine will be replaced next year.");
  });
});

describe("a 'when' question", () => {
  it("puts the sentence holding a date first, over a slightly closer match without one", () => {
    const kb = corpus({
      // Shorter, so it matches "harbour festival" a little better than the sentence with the date.
      "plans.txt": "The harbour festival returns with a bigger stage.\nTickets go on sale in the spring.\n",
      "news.txt": "Organisers confirmed the harbour festival will be back on 14 June.\nThe mayor welcomed the news.\n",
    });
    const answer = kb.ask("When is the harbour festival?");
    expect(answer.excerpts.map((e) => e.text).slice(0, 2)).toEqual([
      "Organisers confirmed the harbour festival will be back on 14 June.",
      "The harbour festival returns with a bigger stage.",
    ]);
  });
});

describe("context around an excerpt", () => {
  const kb = corpus({
    "first.txt": "The library opens at nine.\nIt closes at six on weekdays.\nThe reading room is on the second floor.\n",
    "second.txt": "The swimming pool reopened after repairs to its roof.\nLessons for children start in May.\nThe sauna stays closed.\n",
  });

  it("stops at the end of the excerpt's document", () => {
    const excerpt = kb.ask("Where is the reading room?").excerpts[0]!;
    expect(excerpt.text).toBe("The reading room is on the second floor.");
    expect(excerpt.context).toEqual({ before: ["The library opens at nine.", "It closes at six on weekdays."], after: [] });
  });

  it("starts at the beginning of the excerpt's document", () => {
    const excerpt = kb.ask("Why did the swimming pool close?").excerpts[0]!;
    expect(excerpt.text).toBe("The swimming pool reopened after repairs to its roof.");
    expect(excerpt.context).toEqual({ before: [], after: ["Lessons for children start in May.", "The sauna stays closed."] });
  });
});

describe("the question length limit", () => {
  const texts = { "ferry.txt": "The ferry to the island leaves at nine every morning.\nTickets are sold at the harbour office.\n" };
  const question = "When does the ferry to the island leave?";

  it("answers a question of exactly the limit and declines one character more", () => {
    expect(corpus(texts, { maxQuestionChars: question.length }).ask(question)).toMatchObject({ answered: true });
    expect(corpus(texts, { maxQuestionChars: question.length - 1 }).ask(question)).toMatchObject({ answered: false, reason: "too-long" });
  });
});
