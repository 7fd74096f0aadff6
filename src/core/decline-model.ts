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
    0.461593,
    0.692082,
    0.265607,
    0.648256,
    0.409198,
    0.0412605
  ],
  "scale": [
    0.306111,
    0.271297,
    0.298113,
    0.264986,
    0.343883,
    0.198892
  ],
  "weights": [
    2.37215,
    0.61349,
    -1.19334,
    -0.138464,
    0.893663,
    -0.133979
  ],
  "bias": -1.33377,
  "declineBelow": 0.0740107,
  "confidentFrom": 0.387292
};
