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
    0.461432,
    0.691688,
    0.265087,
    0.647788,
    0.409111,
    0.0415922
  ],
  "scale": [
    0.305711,
    0.271365,
    0.298201,
    0.26501,
    0.34364,
    0.199655
  ],
  "weights": [
    2.36653,
    0.616806,
    -1.19405,
    -0.141063,
    0.888742,
    -0.134388
  ],
  "bias": -1.32887,
  "declineBelow": 0.075505,
  "confidentFrom": 0.387611
};
