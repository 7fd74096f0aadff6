/**
 * A piece of the engine's state as flat data: a small JSON header and named typed arrays. Segments of the
 * index convert to and from it (src/core), the cache writes and reads it as one file (src/cache): loading
 * takes views of the file's bytes, never one object per sentence.
 */
export type FlatArray = Int32Array | Uint32Array | Uint16Array | Uint8Array | Float32Array | Float64Array;

export interface FlatRecord {
  /** Anything JSON can hold: counts, options, short tables. Keep it small: it is parsed, not viewed. */
  header: Record<string, unknown>;
  arrays: Record<string, FlatArray>;
}
