/**
 * Lookout as the bot runs it by default: BM25 with the semantic second stage (bench/lookout-engine.ts).
 * It implements `seed(corpusDir)` (Lookout loads the shipped corpus its own way) and `save`/`load`
 * (scale mode reports its start-up time). If that module fails to load, the harness lists Lookout as
 * skipped, with the reason, and measures the other systems.
 */
import { createLookoutAdapter } from "../lookout-engine.js";
import type { AdapterFactory } from "../adapter.js";

// Typed as an AdapterFactory so `tsc` checks that Lookout's adapter fits the bench's interface.
const createAdapter: AdapterFactory = () => createLookoutAdapter({ semantic: true });
export default createAdapter;
