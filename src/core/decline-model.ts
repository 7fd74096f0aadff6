/**
 * The decline decision's model, written by `npx tsx bench/calibrate.ts` (2026-11-29): a logistic
 * regression over the evidence of src/core/evidence.ts, fitted on SQuAD and the shipped corpus (see that script).
 * Do not edit by hand: change the evidence or the pools, and run the script again.
 */
import type { DeclineModel } from "./evidence.js";

export const DECLINE_MODEL: DeclineModel = {
  "features": [
    "relevance",
    "relevanceKnown",
    "missingShare",
    "coverage",
    "salientCoverage",
    "typeMissing"
  ],
  "mean": [
    0.461551,
    0.69202,
    0.265591,
    0.648228,
    0.409171,
    0.0412605
  ],
  "scale": [
    0.30613,
    0.271365,
    0.298098,
    0.265022,
    0.343889,
    0.198892
  ],
  "weights": [
    2.37231,
    0.613977,
    -1.19222,
    -0.139827,
    0.894246,
    -0.134119
  ],
  "bias": -1.33335,
  "declineBelow": 0.074109,
  "confidentFrom": 0.387456
};
