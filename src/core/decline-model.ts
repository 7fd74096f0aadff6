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
    0.458588,
    0.688287,
    0.264811,
    0.64485,
    0.407337,
    0.0417898
  ],
  "scale": [
    0.304018,
    0.27108,
    0.298206,
    0.264564,
    0.34243,
    0.200109
  ],
  "weights": [
    2.35326,
    0.615224,
    -1.19803,
    -0.149014,
    0.913987,
    -0.143858
  ],
  "bias": -1.33146,
  "declineBelow": 0.0758043,
  "confidentFrom": 0.519179
};
