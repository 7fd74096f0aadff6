/**
 * A sentence encoder: texts in, unit vectors out (their dot product is the cosine of their meanings).
 * The ranking code only knows this interface, so tests use a small deterministic encoder and the
 * model can be swapped.
 */
export interface SentenceEncoder {
  readonly dimensions: number;
  /** How many jobs it runs at once (default 1): the corpus is sent in that many batches at a time. */
  readonly parallelism?: number;
  /** Vectors for the texts, in order. `urgent` work (a question someone waits for) goes before queued corpus batches. */
  embed(texts: readonly string[], urgent?: boolean): Promise<Float32Array[]>;
  close(): Promise<void>;
}

/** The encoder's vocabulary is cased and tells curly from straight quotes; corpus texts and questions vary in both quotes. */
export function straightenQuotes(text: string): string {
  return text.replace(/[‘’‛′]/g, "'").replace(/[“”„″]/g, '"');
}
