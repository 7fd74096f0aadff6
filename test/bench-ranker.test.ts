import { describe, expect, it } from "vitest";
import { SentenceIndex, LUCENE_BM25_OPTIONS } from "../src/search/bm25.js";
import { RANKER_FEATURES, candidateFeatures, rankWithModel, scoreTrees, type CandidateCorpus, type RankerModel, type RankerTree } from "../bench/ranker.js";
import { termsOf } from "../src/text/analyser.js";

/** A stump: feature f ≤ t gives `low`, else `high`. */
const stump = (f: number, t: number, low: number, high: number): RankerTree => ({ feature: [f, -1, -1], threshold: [t, 0, 0], left: [1, -1, -1], right: [2, -1, -1], value: [0, low, high] });

describe("scoreTrees", () => {
  // Tree A: x0 ≤ 0.5 ? (x1 ≤ 2 ? 1 : 2) : 3.   Tree B: x1 ≤ 10 ? −0.5 : 0.25.
  const treeA: RankerTree = { feature: [0, 1, -1, -1, -1], threshold: [0.5, 2, 0, 0, 0], left: [1, 3, -1, -1, -1], right: [2, 4, -1, -1, -1], value: [0, 0, 3, 1, 2] };
  const treeB = stump(1, 10, -0.5, 0.25);
  it.each([
    { x: [0.2, 1], score: 1 - 0.5 }, // A: left, left → 1; B: left
    { x: [0.5, 2], score: 1 - 0.5 }, // equal to a threshold goes left
    { x: [0.2, 3], score: 2 - 0.5 },
    { x: [0.9, 3], score: 3 - 0.5 },
    { x: [0.9, 11], score: 3 + 0.25 },
  ])("sums the leaves each row reaches: $x → $score", ({ x, score }) => {
    expect(scoreTrees([treeA, treeB], x)).toBeCloseTo(score, 12);
  });
});

/** Two documents: sentences 0–2 and 3–4. */
const texts = [
  ["The Taurus missile was built in Germany.", "It has a range of 500 kilometres.", "Ukraine asked for it in 2023."],
  ["Taurus is a constellation.", "The missile Taurus flies far and the missile range is long."],
];
const sentences = texts.flatMap((doc, document) => doc.map((text, position) => ({ text, terms: termsOf(text), document, position })));
const index = new SentenceIndex(sentences, LUCENE_BM25_OPTIONS);
const corpus: CandidateCorpus = { index, documentOf: (s) => sentences[s]!.document, positionOf: (s) => sentences[s]!.position, textOf: (s) => sentences[s]!.text };
const column = (name: (typeof RANKER_FEATURES)[number]) => RANKER_FEATURES.indexOf(name);

describe("candidateFeatures", () => {
  const question = "What range has the Taurus missile?";
  const terms = termsOf(question);
  const hits = index.search(terms, 30);
  const rows = candidateFeatures(corpus, { question, terms }, hits)!;
  const rowOf = (s: number) => rows[hits.findIndex((h) => h.sentence === s)]!;

  it("gives each candidate its BM25 place, its coverage of the question and its neighbours' scores within the document", () => {
    expect(rows).toHaveLength(hits.length);
    expect(rows[0]![column("rank")]).toBe(0);
    expect(rows[0]![column("bm25Ratio")]).toBe(1);
    // Sentence 4 holds all three terms (range, taurus, missile); sentence 1 only "range".
    expect(rowOf(4)[column("coverage")]).toBeCloseTo(1, 12);
    expect(rowOf(4)[column("termShare")]).toBeCloseTo(1, 12);
    const idf = (t: string) => index.idf(termsOf(t)[0]!);
    expect(rowOf(1)[column("coverage")]).toBeCloseTo(idf("range") / (idf("range") + idf("taurus") + idf("missile")), 12);
    // Its window (sentences 0–2) holds all three.
    expect(rowOf(1)[column("windowCoverage")]).toBeCloseTo(1, 12);
    // Sentence 3 starts document 1: no previous sentence, whatever document 0 ends with.
    expect(rowOf(3)[column("previousBm25")]).toBe(0);
    expect(rowOf(3)[column("nextBm25")]).toBeCloseTo(rowOf(4)[column("ownBm25")]!, 12);
    expect(rowOf(1)[column("position")]).toBe(1);
  });

  it("counts numbers and names the question does not contain, and how close the matched words stand", () => {
    expect(rowOf(1)[column("newNumbers")]).toBe(1); // 500
    expect(rowOf(0)[column("newNames")]).toBe(1); // Germany ("Taurus" is in the question, "The" opens the sentence)
    expect(rowOf(1)[column("span")]).toBe(1); // one matched term
    // Terms of sentence 4: missil taurus fli far missil rang long. The shortest run holding all three
    // question terms is "taurus fli far missil rang": 5 terms for 3.
    expect(rowOf(4)[column("span")]).toBeCloseTo(5 / 3, 12);
  });

  it("reads the question's meaning only when given, and gives up when a candidate has no vector yet", () => {
    const unit = (a: number, b: number) => Float32Array.from([a, b]);
    const vectors = [unit(1, 0), unit(0, 1), unit(0.6, 0.8), unit(1, 0), unit(0.8, 0.6)];
    const meaning = { query: unit(0, 1), vectorOf: (s: number) => vectors[s] };
    const withMeaning = candidateFeatures(corpus, { question, terms, meaning }, hits)!;
    const at = (s: number) => withMeaning[hits.findIndex((h) => h.sentence === s)]!;
    expect(at(1)[column("cosine")]).toBeCloseTo(1, 6);
    expect(at(1)[column("cosineRank")]).toBe(0);
    expect(at(4)[column("cosine")]).toBeCloseTo(0.6, 6);
    expect(at(4)[column("cosineGap")]).toBeCloseTo(-0.4, 6);
    expect(at(4)[column("windowCosine")]).toBeCloseTo(0, 6); // its only neighbour, sentence 3
    expect(at(4)[column("fusion")]).toBeCloseTo(at(4)[column("bm25Ratio")]! + 0.6, 6);
    expect(candidateFeatures(corpus, { question, terms, meaning: { ...meaning, vectorOf: (s) => (s === 4 ? undefined : vectors[s]) } }, hits)).toBeUndefined();
  });
});

describe("rankWithModel", () => {
  const question = "What range has the Taurus missile?";
  const terms = termsOf(question);
  const hits = index.search(terms, 30);
  // Prefers sentences holding a number the question lacks; features named, so the model's columns are its own.
  const model: RankerModel = { description: "test", features: ["rank", "newNumbers"], semantic: false, trees: [stump(1, 0.5, 0, 1), stump(0, 0.5, 0.1, 0)] };

  it("orders the candidates by the trees' scores, ties kept in BM25 order", () => {
    const ranked = rankWithModel(model, corpus, { question, terms }, hits)!;
    expect(ranked.map((h) => h.sentence).sort()).toEqual(hits.map((h) => h.sentence).sort());
    const numbered = hits.filter((h) => /\d/.test(sentences[h.sentence]!.text)).map((h) => h.sentence);
    expect(ranked.slice(0, numbered.length).map((h) => h.sentence).sort()).toEqual(numbered.sort());
    expect(ranked[0]!.score).toBeGreaterThan(ranked[ranked.length - 1]!.score);
  });

  it("adds a scaled base feature when the trees correct a hand score", () => {
    // Base −1 × rank keeps BM25's order except where the trees' +1 for a new number outweighs it.
    const corrected: RankerModel = { ...model, trees: [stump(1, 0.5, 0, 1.5)], base: { feature: "rank", scale: -1 } };
    const ranked = rankWithModel(corrected, corpus, { question, terms }, hits)!;
    const expected = hits.map((h, rank) => -rank + (/\d/.test(sentences[h.sentence]!.text) ? 1.5 : 0));
    expect(ranked.map((h) => h.score)).toEqual([...expected].sort((a, b) => b - a));
  });

  it("leaves the order alone when a semantic model has no meaning to read, and refuses a model with features it does not know", () => {
    expect(rankWithModel({ ...model, semantic: true }, corpus, { question, terms }, hits)).toBeUndefined();
    expect(() => rankWithModel({ ...model, features: ["rank", "shoeSize"] }, corpus, { question, terms }, hits)).toThrow(/shoeSize/);
  });
});
