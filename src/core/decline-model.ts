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
    0.456759,
    0.690476,
    0.279918,
    0.646744,
    0.0317635
  ],
  "scale": [
    0.303031,
    0.2718,
    0.310815,
    0.264433,
    0.17537
  ],
  "weights": [
    2.66941,
    0.48642,
    -1.7738,
    0.348384,
    -0.0884058
  ],
  "bias": -1.3841,
  "declineBelow": 0.075817,
  "confidentFrom": 0.506504
};
