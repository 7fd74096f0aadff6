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
    "typeMissing"
  ],
  "mean": [
    0.457146,
    0.690126,
    0.268675,
    0.646529,
    0.0423513
  ],
  "scale": [
    0.303406,
    0.271204,
    0.298746,
    0.264587,
    0.201389
  ],
  "weights": [
    2.85994,
    0.401449,
    -1.55257,
    0.283786,
    -0.151003
  ],
  "bias": -1.34786,
  "declineBelow": 0.0763882,
  "confidentFrom": 0.504217
};
