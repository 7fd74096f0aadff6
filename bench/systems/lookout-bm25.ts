/** Lookout with SEMANTIC=off: BM25 alone (bench/lookout-engine.ts), the engine's speed without the encoder. */
import { createLookoutAdapter } from "../lookout-engine.js";
import type { AdapterFactory } from "../adapter.js";

const createAdapter: AdapterFactory = () => createLookoutAdapter({ semantic: false });
export default createAdapter;
