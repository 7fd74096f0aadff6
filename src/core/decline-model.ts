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
    0.457249,
    0.690241,
    0.268675,
    0.646572,
    0.0418013
  ],
  "scale": [
    0.303516,
    0.271273,
    0.298746,
    0.264595,
    0.200135
  ],
  "weights": [
    2.86142,
    0.401955,
    -1.55227,
    0.281748,
    -0.135359
  ],
  "bias": -1.34629,
  "declineBelow": 0.0763532,
  "confidentFrom": 0.50343
};
