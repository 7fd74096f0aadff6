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
    0.458723,
    0.688547,
    0.264865,
    0.645087,
    0.407402,
    0.0417984
  ],
  "scale": [
    0.304126,
    0.271165,
    0.29829,
    0.264646,
    0.34245,
    0.200128
  ],
  "weights": [
    2.35272,
    0.620638,
    -1.20384,
    -0.147006,
    0.909388,
    -0.143919
  ],
  "bias": -1.33017,
  "declineBelow": 0.0757663,
  "confidentFrom": 0.519111
};
