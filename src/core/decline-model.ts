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
    0.45695,
    0.690126,
    0.268833,
    0.646529,
    0.0423513
  ],
  "scale": [
    0.303445,
    0.271204,
    0.29884,
    0.264587,
    0.201389
  ],
  "weights": [
    2.86844,
    0.40549,
    -1.55468,
    0.284507,
    -0.151156
  ],
  "bias": -1.34788,
  "declineBelow": 0.0763474,
  "confidentFrom": 0.505213
};
