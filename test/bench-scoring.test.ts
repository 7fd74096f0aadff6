import { describe, expect, it } from "vitest";
import {
  containsAnswer,
  declinedShare,
  firstHitRank,
  hitAt,
  isSquadHit,
  mrrAt,
  normalizeText,
  median,
  percentile,
  summarizeQuality,
} from "../bench/scoring.js";

// A tiny hand-made SQuAD-like data set: sentence ids are list indices; questions are all about article 0.
const sentences = [
  { text: "Denver Broncos won Super Bowl 50.", doc: 0 },
  { text: "The game was played in Santa\nClara, California.", doc: 0 },
  { text: "The DENVER   broncos are a team from Colorado.", doc: 1 }, // right answer, wrong article
  { text: "Beyoncé headlined the halftime show.", doc: 0 },
];
const questions = [
  { article: 0, answers: ["Denver Broncos"] }, // results [0, 1]    -> rank 1
  { article: 0, answers: ["santa clara", "Levi's Stadium"] }, // results [3, 2, 1] -> rank 3
  { article: 0, answers: ["Denver Broncos"] }, // results [2, 3]    -> only a wrong-article hit: miss
  { article: 0, answers: ["Beyoncé"] }, // declined (null)   -> miss
];
const results: (number[] | null)[] = [[0, 1], [3, 2, 1], [2, 3], null];

const hit = (id: number, q: number): boolean => isSquadHit(sentences[id]!, questions[q]!);

describe("answer matching", () => {
  it("collapses whitespace and case", () => {
    expect(normalizeText("  The  DENVER\n\tBroncos ")).toBe("the denver broncos");
    expect(containsAnswer("The DENVER   broncos are a team", ["Denver Broncos"])).toBe(true);
    expect(containsAnswer("played in Santa\nClara, California", ["SANTA  CLARA"])).toBe(true);
    expect(containsAnswer("played in Santa Monica", ["Santa Clara"])).toBe(false);
    // The seed sets' gold phrases are typed with straight quotes; the articles use curly ones.
    expect(containsAnswer("“we won’t let ourselves be divided”", ["won't let ourselves be divided"])).toBe(true);
    expect(containsAnswer("a “non-secure data line”", ['"non-secure data line"'])).toBe(true);
  });

  it("ignores empty gold answers (they would match everything)", () => {
    expect(containsAnswer("anything", ["", "  "])).toBe(false);
  });

  it("does not count an answer found in another article", () => {
    expect(isSquadHit(sentences[2]!, questions[0]!)).toBe(false);
    expect(isSquadHit(sentences[0]!, questions[0]!)).toBe(true);
  });
});

describe("ranks and metrics", () => {
  it("finds the 1-based rank of the first hit within the top k", () => {
    expect(firstHitRank([3, 2, 1], (id) => hit(id, 1))).toBe(3);
    expect(firstHitRank([3, 2, 1], (id) => hit(id, 1), 2)).toBeNull(); // hit is below the cut-off
    expect(firstHitRank(null, () => true)).toBeNull();
  });

  it("computes Hit@1, Hit@3 and MRR@10 from known ranks", () => {
    const ranks = [1, 3, null];
    expect(hitAt(ranks, 1)).toBeCloseTo(1 / 3, 12);
    expect(hitAt(ranks, 3)).toBeCloseTo(2 / 3, 12);
    expect(mrrAt(ranks)).toBeCloseTo((1 + 1 / 3 + 0) / 3, 12); // 4/9
    expect(mrrAt([11])).toBe(0); // beyond the top 10
  });

  it("summarizes a question set: wrong-article hits and declined questions are misses", () => {
    const summary = summarizeQuality(results, hit);
    expect(summary.ranks).toEqual([1, 3, null, null]);
    expect(summary.questions).toBe(4);
    expect(summary.hit1).toBe(0.25);
    expect(summary.hit3).toBe(0.5);
    expect(summary.mrr10).toBeCloseTo((1 + 1 / 3) / 4, 12);
    expect(summary.declined).toBe(0.25);
  });

  it("counts null and empty results as declined", () => {
    expect(declinedShare([null, [], [1], [2, 3]])).toBe(0.5);
    expect(declinedShare([])).toBe(0);
  });
});

describe("percentile (nearest rank)", () => {
  it("returns measured values", () => {
    expect(percentile([5, 1, 4, 2, 3], 50)).toBe(3);
    expect(percentile([5, 1, 4, 2, 3], 99)).toBe(5);
    const hundred = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(hundred, 50)).toBe(50);
    expect(percentile(hundred, 99)).toBe(99);
    expect(percentile(hundred, 100)).toBe(100);
    expect(percentile([7], 50)).toBe(7);
  });

  it("rejects out-of-range p and has no value for an empty list", () => {
    expect(() => percentile([1], 0)).toThrow(RangeError);
    expect(Number.isNaN(percentile([], 50))).toBe(true);
  });
});

describe("median (the build time reported from repeated runs)", () => {
  it("takes the middle run, so one slow or fast outlier does not move it", () => {
    expect(median([480, 262, 270])).toBe(270);
    expect(median([270, 262, 2_000])).toBe(270);
    expect(median([1, 2, 3, 10])).toBe(2.5);
    expect(median([])).toBeNaN();
  });
});
