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
    0.457748,
    0.691633,
    0.268833,
    0.646643,
    0.0334135
  ],
  "scale": [
    0.303681,
    0.271888,
    0.29884,
    0.264502,
    0.179714
  ],
  "weights": [
    2.85497,
    0.372071,
    -1.56651,
    0.320475,
    -0.112002
  ],
  "bias": -1.34643,
  "declineBelow": 0.0749484,
  "confidentFrom": 0.502322
};
