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
    0.457249,
    0.690241,
    0.268675,
    0.646572,
    0.404894,
    0.0418013
  ],
  "scale": [
    0.303516,
    0.271273,
    0.298746,
    0.264595,
    0.341863,
    0.200135
  ],
  "weights": [
    2.40867,
    0.587273,
    -1.07334,
    -0.164423,
    0.91985,
    -0.136936
  ],
  "bias": -1.26696,
  "declineBelow": 0.0730908,
  "confidentFrom": 0.510156
};
