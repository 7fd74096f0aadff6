import { describe, expect, it } from "vitest";
import { trainLambdaMart, type RankingData } from "../bench/lambdamart.js";
import { scoreTrees } from "../bench/ranker.js";

/**
 * Questions of 10 candidates with 3 features: the right one is the only candidate whose feature 1 is above
 * 0.8 and feature 2 below 0.3 (an interaction no single feature shows); feature 0 is noise.
 * The candidate order puts the right one anywhere. A deterministic generator keeps the test repeatable.
 */
function questions(count: number, seed: number): RankingData {
  let state = seed;
  const random = () => ((state = (state * 1103515245 + 12345) % 2147483648) / 2147483648);
  const features = 3, size = 10;
  const x = new Float64Array(count * size * features);
  const label = new Uint8Array(count * size);
  const groupStart = Int32Array.from({ length: count + 1 }, (_, q) => q * size);
  for (let q = 0; q < count; q++) {
    const right = Math.floor(random() * size);
    for (let c = 0; c < size; c++) {
      const r = q * size + c;
      label[r] = c === right ? 1 : 0;
      x[r * features] = random();
      // Wrong candidates are high on one of the two features but never on both.
      const decoy = random() < 0.5;
      x[r * features + 1] = c === right ? 0.8 + 0.2 * random() : decoy ? 0.8 + 0.2 * random() : 0.8 * random();
      x[r * features + 2] = c === right ? 0.3 * random() : decoy ? 0.3 + 0.7 * random() : random();
    }
  }
  return { features, x, label, groupStart };
}

const hitAt1 = (data: RankingData, score: (row: Float64Array) => number) => {
  let hits = 0;
  for (let q = 0; q + 1 < data.groupStart.length; q++) {
    let best = -1, bestScore = -Infinity;
    for (let r = data.groupStart[q]!; r < data.groupStart[q + 1]!; r++) {
      const s = score(data.x.subarray(r * data.features, (r + 1) * data.features));
      if (s > bestScore) (best = r), (bestScore = s);
    }
    hits += data.label[best]!;
  }
  return hits / (data.groupStart.length - 1);
};

describe("trainLambdaMart", () => {
  const options = { trees: 30, leaves: 4, learningRate: 0.3, minLeafRows: 5, lambda: 1, allowed: [0, 1, 2] };

  it("learns to put first the candidate that two features single out together, on questions it never saw", () => {
    const trees = trainLambdaMart(questions(200, 1), options);
    const unseen = questions(200, 2);
    expect(hitAt1(unseen, (row) => row[1]!)).toBeLessThan(0.5); // one feature alone is fooled by the decoys
    expect(hitAt1(unseen, (row) => scoreTrees(trees, row))).toBeGreaterThan(0.95);
  });

  it("splits only on the features it is allowed", () => {
    const trees = trainLambdaMart(questions(100, 3), { ...options, allowed: [0, 2] });
    const used = new Set(trees.flatMap((t) => t.feature.filter((f) => f >= 0)));
    expect(used.has(1)).toBe(false);
    expect(used.size).toBeGreaterThan(0);
  });
});
