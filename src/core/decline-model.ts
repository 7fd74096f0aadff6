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
    0.461606,
    0.692094,
    0.265595,
    0.648257,
    0.409196,
    0.0412605
  ],
  "scale": [
    0.306104,
    0.271283,
    0.298119,
    0.264985,
    0.343885,
    0.198892
  ],
  "weights": [
    2.37423,
    0.613789,
    -1.19408,
    -0.13804,
    0.891026,
    -0.1339
  ],
  "bias": -1.33388,
  "declineBelow": 0.0740441,
  "confidentFrom": 0.387547
};
