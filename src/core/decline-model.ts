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
    0.458769,
    0.688604,
    0.264865,
    0.645079,
    0.407386,
    0.0415922
  ],
  "scale": [
    0.304133,
    0.271139,
    0.29829,
    0.26466,
    0.342464,
    0.199655
  ],
  "weights": [
    2.35371,
    0.619501,
    -1.2055,
    -0.144387,
    0.90671,
    -0.140389
  ],
  "bias": -1.32994,
  "declineBelow": 0.0756848,
  "confidentFrom": 0.518717
};
