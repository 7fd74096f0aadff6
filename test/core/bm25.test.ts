import { describe, expect, it } from "vitest";
import { LUCENE_BM25_OPTIONS, SentenceIndex } from "../../src/search/bm25.js";
import { compareAsUtf8, compareBytes } from "../../src/search/postings.js";
import { random as seededRandom } from "../seeded-random.js";

// A small corpus, one document per sentence so the neighbour field cannot interfere.
const sentences = [
  ["taurus", "missil", "rang"], // 0
  ["taurus", "taurus", "taurus", "leak"], // 1
  ["call", "intercept", "russia"], // 2
  ["leak", "call", "webex", "offic", "singapor"], // 3
].map((terms, i) => ({ terms, document: i }));

const N = 4;
const avgLen = (3 + 4 + 3 + 5) / 4; // 3.75
const idf = (df: number) => Math.log(1 + (N - df + 0.5) / (df + 0.5));
const k1 = 1.2;
const b = 0.75;
const termScore = (tf: number, len: number, df: number) => (idf(df) * tf * (k1 + 1)) / (tf + k1 * (1 - b + (b * len) / avgLen));

describe("Okapi BM25 (Lucene defaults, no neighbour field)", () => {
  const index = new SentenceIndex(sentences, LUCENE_BM25_OPTIONS);

  it("scores a single-term query as computed by hand", () => {
    const hits = index.search(["webex"], 10);
    expect(hits).toHaveLength(1);
    expect(hits[0]!.sentence).toBe(3);
    expect(hits[0]!.score).toBeCloseTo(termScore(1, 5, 1), 6);
  });

  it("sums the terms of a multi-term query as computed by hand", () => {
    const hits = index.search(["leak", "call"], 10);
    // Sentence 3 holds both terms; 2 and 1 one each, and the shorter sentence 2 ranks above 1.
    expect(hits.map((h) => h.sentence)).toEqual([3, 2, 1]);
    expect(hits[0]!.score).toBeCloseTo(termScore(1, 5, 2) * 2, 6);
    expect(hits[1]!.score).toBeCloseTo(termScore(1, 3, 2), 6);
    expect(hits[2]!.score).toBeCloseTo(termScore(1, 4, 2), 6);
  });

  it("saturates repeated terms: three times the term is worth less than three times the score", () => {
    const hits = index.search(["taurus"], 10);
    expect(hits[0]!.sentence).toBe(1);
    expect(hits[0]!.score).toBeCloseTo(termScore(3, 4, 2), 6);
    expect(hits[0]!.score).toBeLessThan(3 * termScore(1, 4, 2));
    expect(hits[1]!.score).toBeCloseTo(termScore(1, 3, 2), 6);
  });

  it("counts a term repeated in the question once", () => {
    expect(index.search(["webex", "webex"], 10)[0]!.score).toBeCloseTo(index.search(["webex"], 10)[0]!.score, 9);
  });

  it("ignores unknown terms and returns nothing for a query of only unknown terms", () => {
    expect(index.search(["hamlet"], 10)).toEqual([]);
    expect(index.search(["hamlet", "webex"], 10)[0]!.score).toBeCloseTo(termScore(1, 5, 1), 6);
  });

  it("gives a term found in every sentence a small but positive idf (Lucene's non-negative form)", () => {
    const everywhere = new SentenceIndex(
      [["x", "a"], ["x", "b"], ["x", "c"]].map((terms, i) => ({ terms, document: i })),
      LUCENE_BM25_OPTIONS,
    );
    expect(everywhere.idf("x")).toBeCloseTo(Math.log(1 + 0.5 / 3.5), 9);
    expect(everywhere.idf("x")).toBeGreaterThan(0);
    expect(everywhere.search(["x", "b"], 3)[0]!.sentence).toBe(1);
  });

  it("returns at most `limit` hits, best first, ties in sentence order", () => {
    const tied = new SentenceIndex([["a"], ["a"], ["a"]].map((terms, i) => ({ terms, document: i })), LUCENE_BM25_OPTIONS);
    expect(tied.search(["a"], 2).map((h) => h.sentence)).toEqual([0, 1]);
  });

  it("gives the highest idf to a term it has never seen", () => {
    expect(index.idf("unknown")).toBeCloseTo(idf(0), 9);
  });
});

describe("neighbour field", () => {
  it("lets a term in the previous sentence of the same document lift a sentence, never across documents", () => {
    const index = new SentenceIndex(
      [
        { terms: ["taurus", "missil"], document: 0 },
        { terms: ["rang", "kilometr"], document: 0 },
        { terms: ["rang", "kilometr"], document: 1 },
      ],
      { k1: 1.2, b: 0.75, neighbourWeight: 0.2, neighbourDecay: 0.85, neighbourSpan: 6, followingFactor: 0.5 },
    );
    const hits = index.search(["taurus", "rang"], 10);
    // Sentences 1 and 2 are identical, but only 1 has a neighbour (same document) with "taurus".
    const s1 = hits.find((h) => h.sentence === 1)!.score;
    const s2 = hits.find((h) => h.sentence === 2)!.score;
    expect(s1).toBeGreaterThan(s2);
  });

  it("resolves a stem the index lacks to an indexed prefix of it (delivery → delivered)", () => {
    const index = new SentenceIndex([{ terms: ["deliv", "taurus"], document: 0 }]);
    expect(index.resolve("deliveri")).toBe("deliv");
    expect(index.resolve("taurus")).toBe("taurus");
    expect(index.resolve("supermarket")).toBe("supermarket");
  });
});

describe("search equals the formula in the file header, computed directly for every sentence", () => {
  // A seeded corpus with a Zipf-like vocabulary (a few terms in most sentences, many rare ones) and
  // documents of varying length, so the neighbour window meets document boundaries.
  let seed = 42;
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const vocabulary = Array.from({ length: 400 }, (_, i) => `t${i}`);
  const pick = () => vocabulary[Math.floor(vocabulary.length * random() ** 3)]!;
  const corpus = Array.from({ length: 3000 }, (_, i) => ({
    terms: Array.from({ length: 3 + Math.floor(random() * 20) }, pick),
    document: Math.floor(i / (5 + (i % 7))),
  })).sort((x, y) => x.document - y.document);
  const options = { k1: 0.4, b: 0.45, neighbourWeight: 0.2, neighbourDecay: 0.85, neighbourSpan: 6, followingFactor: 0.5 };
  const index = new SentenceIndex(corpus, options);

  function reference(query: string[]): number[] {
    const n = corpus.length;
    const avg = corpus.reduce((sum, s) => sum + s.terms.length, 0) / n;
    const norm = (s: number) => 1 - options.b + (options.b * corpus[s]!.terms.length) / avg;
    const count = (s: number, t: string) => corpus[s]!.terms.filter((x) => x === t).length / norm(s);
    const dfs = new Map([...new Set(query)].map((t) => [t, corpus.filter((x) => x.terms.includes(t)).length]));
    return corpus.map((sentence, s) => {
      let score = 0;
      for (const [t, df] of dfs) {
        if (df === 0) continue;
        let tf = count(s, t);
        for (let d = 1; d <= options.neighbourSpan; d++) {
          const w = options.neighbourWeight * options.neighbourDecay ** (d - 1);
          if (s - d >= 0 && corpus[s - d]!.document === sentence.document) tf += w * count(s - d, t);
          if (s + d < n && corpus[s + d]!.document === sentence.document) tf += options.followingFactor * w * count(s + d, t);
        }
        if (tf > 0) score += (Math.log(1 + (n - df + 0.5) / (df + 0.5)) * tf * (options.k1 + 1)) / (tf + options.k1);
      }
      return score;
    });
  }

  it.each([
    [["t0", "t1", "t2", "t250"]],
    [["t3", "t150", "t300", "t0", "t0"]],
    [["t1", "t2"]],
    [["t399", "t5", "t0", "t1", "t2", "t3"]],
  ])("%j", (query) => {
    const expected = reference(query);
    for (const limit of [1, 10, 30]) {
      index.exactWorkLimit = undefined;
      const hits = index.search(query, limit);
      expect(hits).toHaveLength(limit);
      const best = expected.map((score, sentence) => ({ sentence, score })).sort((x, y) => y.score - x.score || x.sentence - y.sentence);
      hits.forEach((hit, i) => {
        expect(hit.score).toBeCloseTo(best[i]!.score, 4);
        expect(hit.score).toBeCloseTo(expected[hit.sentence]!, 4);
      });
    }
  });

  it("on a very large corpus ranks by own text first, then gives the leaders their exact full score", () => {
    index.exactWorkLimit = 0; // as if every question were too costly to spread everywhere
    for (const query of [["t0", "t1", "t2", "t250"], ["t3", "t150", "t300"], ["t1", "t2"]]) {
      const expected = reference(query);
      const hits = index.search(query, 30);
      expect(hits).toHaveLength(30);
      hits.forEach((hit, i) => {
        expect(hit.score).toBeCloseTo(expected[hit.sentence]!, 4);
        if (i > 0) expect(hit.score).toBeLessThanOrEqual(hits[i - 1]!.score);
      });
      // The pool of own-text leaders (1,000 of 3,000 sentences here) holds the exact top 30.
      const best = expected.map((score, sentence) => ({ sentence, score })).sort((x, y) => y.score - x.score || x.sentence - y.sentence);
      expect(hits.map((h) => h.sentence)).toEqual(best.slice(0, 30).map((h) => h.sentence));
    }
    index.exactWorkLimit = undefined;
  });
});

describe("the dictionary of a segment, sorted as lookups compare (UTF-8 bytes)", () => {
  it("orders terms as their UTF-8 bytes do, surrogate pairs, lone surrogates and U+E000–U+FFFF included", () => {
    const encoder = new TextEncoder();
    const pool = ["a", "z", "é", "ß", "中", "\uE000", "\uFFFF", "😀", "𝔸", "\uD800", "\uDC00", "\uFFFD", "ab", "a😀"];
    const random = seededRandom(7);
    for (let n = 0; n < 5_000; n++) {
      const make = () => Array.from({ length: 1 + Math.floor(random() * 3) }, () => pool[Math.floor(random() * pool.length)]).join("");
      const [a, b] = [make(), make()];
      const [x, y] = [encoder.encode(a), encoder.encode(b)];
      expect(Math.sign(compareAsUtf8(a, b)), `${JSON.stringify(a)} vs ${JSON.stringify(b)}`).toBe(Math.sign(compareBytes(x, 0, x.length, y, 0, y.length)));
    }
  });

  it("finds every term of sentences written in several scripts", () => {
    const sentences = ["café 中文 😀 naïve", "\uE000 private 𝔸lpha", "plain ascii words", "ß straße 中"].map((text, document) => ({
      terms: text.split(" "),
      document,
    }));
    const index = new SentenceIndex(sentences);
    for (const { terms } of sentences) for (const term of terms) expect(index.hasTerm(term), term).toBe(true);
    expect(index.hasTerm("absent")).toBe(false);
  });
});
