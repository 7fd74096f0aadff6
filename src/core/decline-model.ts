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
    0.458572,
    0.688303,
    0.264839,
    0.644843,
    0.40732,
    0.0417898
  ],
  "scale": [
    0.304005,
    0.271101,
    0.298203,
    0.264579,
    0.342409,
    0.200109
  ],
  "weights": [
    2.35421,
    0.614531,
    -1.19823,
    -0.147626,
    0.912842,
    -0.143914
  ],
  "bias": -1.33148,
  "declineBelow": 0.0758201,
  "confidentFrom": 0.519226
};
