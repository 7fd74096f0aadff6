/**
 * The semantic stage as the running bot has it: the sentence vectors of the knowledge base in service,
 * computed in the background, and the question's vector at question time.
 *
 * - Start-up never waits: until every sentence of a knowledge base has its vector, questions are
 *   answered by BM25 alone (`meaningFor` returns undefined).
 * - Vectors are kept by sentence text, so a refresh embeds only sentences it has not seen.
 * - If the model cannot load, or a question cannot be embedded in time, answers come from BM25 alone.
 */
import type { SentenceKnowledgeBase } from "../core/knowledge-base.js";
import type { MeaningOfQuestion } from "../search/fusion.js";
import type { SentenceEncoder } from "./encoder.js";

export interface SemanticStageOptions {
  /** Sentences per background job: small, so a question waits for at most one batch. */
  batchSize: number;
  /** A question whose vector takes longer is answered by BM25 alone. */
  questionTimeoutMs: number;
  /**
   * A corpus with more sentences is answered by BM25 alone: its vectors would take hours to compute (about
   * 13 ms a sentence here) and 2 KB of memory each (200,000 sentences: 45 minutes, 400 MB).
   */
  maxSentences: number;
  /** Told once when the model fails, when a corpus is too large for it, and when a knowledge base's vectors are complete. */
  onEvent?: (
    event:
      | { kind: "failed"; error: Error }
      | { kind: "too-large"; sentences: number; maxSentences: number }
      | { kind: "ready"; sentences: number; embedded: number; milliseconds: number },
  ) => void;
}

const DEFAULTS: SemanticStageOptions = { batchSize: 8, questionTimeoutMs: 1_500, maxSentences: 200_000 };

export class SemanticStage {
  private readonly options: SemanticStageOptions;
  private readonly vectors = new Map<string, Float32Array>();
  private encoder: SentenceEncoder | undefined;
  private failure: Error | undefined;
  private target: SentenceKnowledgeBase | undefined;
  private filling: Promise<void> | undefined;
  private readonly complete = new WeakSet<SentenceKnowledgeBase>();
  private readonly waiters = new Map<SentenceKnowledgeBase, Array<() => void>>();
  /** How many sentence vectors have been computed since start (a refresh adds only its new sentences). */
  embedded = 0;

  constructor(encoder: Promise<SentenceEncoder>, options: Partial<SemanticStageOptions> = {}) {
    this.options = { ...DEFAULTS, ...options };
    encoder.then(
      (ready) => {
        this.encoder = ready;
        this.fill();
      },
      (error: Error) => this.fail(error),
    );
  }

  /** Vectors known in advance (saved by an earlier run); only the others are computed. */
  remember(entries: Iterable<readonly [string, Float32Array]>): void {
    for (const [text, vector] of entries) this.vectors.set(text, vector);
  }

  /** Every sentence vector held now, by sentence text (for saving). */
  entries(): IterableIterator<[string, Float32Array]> {
    return this.vectors.entries();
  }

  /** Why the stage is off, when it is. */
  get error(): Error | undefined {
    return this.failure;
  }

  /** Computes, in the background, the vectors of this knowledge base's sentences not seen before; forgets the others'. */
  track(kb: SentenceKnowledgeBase): void {
    if (kb.sentenceCount > this.options.maxSentences) {
      this.target = undefined;
      this.vectors.clear();
      this.options.onEvent?.({ kind: "too-large", sentences: kb.sentenceCount, maxSentences: this.options.maxSentences });
      for (const resolve of this.waiters.get(kb) ?? []) resolve();
      return;
    }
    this.target = kb;
    const texts = new Set(kb.sentenceTexts());
    for (const text of this.vectors.keys()) if (!texts.has(text)) this.vectors.delete(text);
    this.fill();
  }

  isReady(kb: SentenceKnowledgeBase): boolean {
    return this.complete.has(kb);
  }

  /** Resolves when every sentence of `kb` has its vector, or at once when the stage has failed. */
  whenReady(kb: SentenceKnowledgeBase): Promise<void> {
    if (this.complete.has(kb) || this.failure || kb.sentenceCount > this.options.maxSentences) return Promise.resolve();
    return new Promise((resolve) => this.waiters.set(kb, [...(this.waiters.get(kb) ?? []), resolve]));
  }

  /** The question's meaning for the fusion, or undefined: BM25 alone answers it. */
  async meaningFor(kb: SentenceKnowledgeBase, question: string): Promise<MeaningOfQuestion | undefined> {
    if (!this.encoder || !this.complete.has(kb) || !question.trim()) return undefined;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<undefined>((resolve) => {
      timer = setTimeout(() => resolve(undefined), this.options.questionTimeoutMs);
    });
    try {
      const embedded = this.encoder.embed([question], true).then((v) => v[0]);
      const query = await Promise.race([embedded, timeout]);
      if (!query) return undefined;
      return { query, vectorOf: (sentence) => (sentence >= 0 && sentence < kb.sentenceCount ? this.vectors.get(kb.sentenceText(sentence)) : undefined) };
    } catch {
      return undefined;
    } finally {
      clearTimeout(timer);
    }
  }

  async close(): Promise<void> {
    await this.encoder?.close();
  }

  private fail(error: Error): void {
    this.failure = error;
    this.options.onEvent?.({ kind: "failed", error });
    for (const resolve of [...this.waiters.values()].flat()) resolve();
    this.waiters.clear();
  }

  /** One background loop at a time; it follows `target`, so a refresh mid-way redirects it. */
  private fill(): void {
    if (!this.encoder || this.filling) return;
    this.filling = this.fillLoop().finally(() => (this.filling = undefined));
  }

  private async fillLoop(): Promise<void> {
    const started = performance.now();
    const embeddedBefore = this.embedded;
    let kb: SentenceKnowledgeBase | undefined;
    let cursor = 0; // sentences before it have vectors (a new target starts again from 0)
    for (;;) {
      if (kb !== this.target) (kb = this.target), (cursor = 0);
      if (!kb || !this.encoder || this.failure) return;
      // A batch per job the encoder runs at once, each small, so a question still waits for at most one batch.
      const wanted = this.options.batchSize * (this.encoder.parallelism ?? 1);
      const missing: string[] = [];
      for (; cursor < kb.sentenceCount && missing.length < wanted; cursor++) {
        const text = kb.sentenceText(cursor);
        if (!this.vectors.has(text) && !missing.includes(text)) missing.push(text);
      }
      if (missing.length === 0) {
        this.markComplete(kb, performance.now() - started, this.embedded - embeddedBefore);
        if (this.target === kb) return;
        continue;
      }
      try {
        const encoder = this.encoder;
        const batches: string[][] = [];
        for (let i = 0; i < missing.length; i += this.options.batchSize) batches.push(missing.slice(i, i + this.options.batchSize));
        const vectors = (await Promise.all(batches.map((batch) => encoder.embed(batch)))).flat();
        missing.forEach((text, i) => this.vectors.set(text, vectors[i]!));
        this.embedded += missing.length;
      } catch (error) {
        this.fail(error as Error);
        return;
      }
    }
  }

  private markComplete(kb: SentenceKnowledgeBase, milliseconds: number, embedded: number): void {
    if (this.complete.has(kb)) return;
    this.complete.add(kb);
    this.options.onEvent?.({ kind: "ready", sentences: kb.sentenceCount, embedded, milliseconds: Math.round(milliseconds) });
    for (const resolve of this.waiters.get(kb) ?? []) resolve();
    this.waiters.delete(kb);
  }
}
