/**
 * The semantic second stage as users meet it: answers reordered by meaning once the sentence vectors are
 * there, BM25 answers before that and whenever the model is missing, and a refresh that embeds only what
 * is new. The encoder here is a small deterministic one (words → a few "meaning" axes), so the expected
 * order can be worked out by hand; one test at the end runs the real model.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { Library } from "../../src/corpus/library.js";
import { cosine, fuseWithMeaning } from "../../src/search/fusion.js";
import type { SentenceEncoder } from "../../src/semantic/encoder.js";
import { SemanticStage } from "../../src/semantic/stage.js";
import { startUseLiteEncoder } from "../../src/semantic/use-lite.js";

/** Meaning axes: words on the same axis mean the same thing to this encoder. */
const AXES: Record<string, number> = { fly: 0, range: 0, kilometres: 0, far: 0, paint: 1, colour: 1, blue: 1, ticket: 2, price: 2, euros: 2 };

class FakeEncoder implements SentenceEncoder {
  readonly dimensions = 4;
  readonly embeddedTexts: string[] = [];
  private gate: Promise<void> = Promise.resolve();
  private open: () => void = () => {};
  /** Corpus batches wait until release() is called; questions never wait. */
  hold(): void {
    this.gate = new Promise((resolve) => (this.open = resolve));
  }
  release(): void {
    this.open();
  }
  async embed(texts: readonly string[], urgent = false): Promise<Float32Array[]> {
    if (!urgent) {
      await this.gate;
      this.embeddedTexts.push(...texts);
    }
    return texts.map((text) => {
      const v = new Float32Array(this.dimensions);
      for (const word of text.toLowerCase().match(/[a-z]+/g) ?? []) {
        const axis = AXES[word.replace(/s$/, "")] ?? AXES[word];
        v[axis ?? 3]! += axis === undefined ? 0.2 : 1;
      }
      const norm = Math.hypot(...v) || 1;
      return v.map((x) => x / norm);
    });
  }
  async close(): Promise<void> {}
}

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

async function corpus(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), "lookout-semantic-"));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) await writeFile(path.join(dir, name), text);
  return dir;
}

const MISSILES = {
  "missile.txt":
    "The Taurus missile was discussed by the officers at length.\n" +
    "The Taurus missile is painted grey and blue.\n" +
    "Officers met in Singapore for an air show.\n" +
    // Apart from the sentences sharing the question's words, so that no passage joins them.
    "The Taurus has a range of 500 kilometres.\n" +
    "The meeting was held on a conference platform.\n" +
    "One officer dialled in from a hotel.\n" +
    "The recording was published a week later.\n" +
    "The minister ordered an investigation.\n" +
    "Experts examined the devices of every participant.\n" +
    "The results were presented to parliament.\n",
};
const QUESTION = "How far can the Taurus missile fly?";

const open = (dir: string, semantic?: SemanticStage) => Library.open({ corpusDir: dir, maxFileBytes: 1e6, maxQuestionChars: 500, ...(semantic && { semantic }) });

describe("fusing BM25 and meaning", () => {
  it("scores each candidate as its BM25 score over the best one plus the weighted cosine", () => {
    const vectors = [new Float32Array([1, 0]), new Float32Array([0.6, 0.8]), new Float32Array([0, 1])];
    const query = new Float32Array([0, 1]);
    const hits = [
      { sentence: 0, score: 4 },
      { sentence: 1, score: 2 },
      { sentence: 2, score: 1 },
    ];
    const fused = fuseWithMeaning(hits, { query, vectorOf: (s) => vectors[s] }, 1)!;
    // 0: 4/4 + 0 = 1; 1: 2/4 + 0.8 = 1.3; 2: 1/4 + 1 = 1.25
    expect(fused.map((h) => h.sentence)).toEqual([1, 2, 0]);
    expect(fused.map((h) => h.score)).toEqual([expect.closeTo(1.3, 6), expect.closeTo(1.25, 6), expect.closeTo(1, 6)]);
    expect(cosine(query, vectors[1]!)).toBeCloseTo(0.8, 6);
  });

  it("keeps the BM25 order when any candidate has no vector yet", () => {
    const hits = [
      { sentence: 0, score: 2 },
      { sentence: 1, score: 1 },
    ];
    expect(fuseWithMeaning(hits, { query: new Float32Array([1]), vectorOf: (s) => (s === 0 ? new Float32Array([1]) : undefined) }, 1)).toBeUndefined();
  });
});

describe("the semantic stage in the library", () => {
  it("off: BM25 puts first the sentence sharing the question's words; on: the one that means the answer", async () => {
    const dir = await corpus(MISSILES);
    const bm25 = await open(dir);
    expect((await bm25.ask(QUESTION)).excerpts[0]?.text).not.toMatch(/range/);

    const encoder = new FakeEncoder();
    const stage = new SemanticStage(Promise.resolve(encoder));
    const library = await open(dir, stage);
    await stage.whenReady(library.current);
    expect((await library.ask(QUESTION)).excerpts[0]?.text).toMatch(/^The Taurus has a range of 500 kilometres\./);
  });

  it("answers from BM25 while the vectors are being computed, and with meaning once they are ready", async () => {
    const dir = await corpus(MISSILES);
    const encoder = new FakeEncoder();
    encoder.hold();
    const stage = new SemanticStage(Promise.resolve(encoder));
    const library = await open(dir, stage);
    const before = await library.ask(QUESTION);
    expect(before.answered).toBe(true);
    expect(before.excerpts[0]?.text).not.toMatch(/range/);
    expect(stage.isReady(library.current)).toBe(false);
    encoder.release();
    await stage.whenReady(library.current);
    expect((await library.ask(QUESTION)).excerpts[0]?.text).toMatch(/range of 500/);
  });

  it("embeds only the new sentences after a refresh, and forgets removed ones", async () => {
    const dir = await corpus(MISSILES);
    const encoder = new FakeEncoder();
    const stage = new SemanticStage(Promise.resolve(encoder));
    const library = await open(dir, stage);
    await stage.whenReady(library.current);
    expect([...encoder.embeddedTexts].sort()).toEqual([...library.current.sentenceTexts()].sort());
    encoder.embeddedTexts.length = 0;

    await writeFile(path.join(dir, "tickets.txt"), "Tickets for the air show cost twenty euros.\nThe price includes a programme.\n");
    await library.refresh();
    await stage.whenReady(library.current);
    expect(encoder.embeddedTexts.sort()).toEqual(["The price includes a programme.", "Tickets for the air show cost twenty euros."]);
    expect((await library.ask("How much is a ticket for the air show?")).excerpts[0]?.text).toMatch(/twenty euros/);
  });

  it("keeps an encoder that runs two jobs at once busy with two small batches, embedding every sentence once", async () => {
    const dir = await corpus(MISSILES);
    const inner = new FakeEncoder();
    let inFlight = 0;
    let mostInFlight = 0;
    const sizes: number[] = [];
    const twoAtOnce: SentenceEncoder = {
      dimensions: inner.dimensions,
      parallelism: 2,
      async embed(texts, urgent) {
        if (!urgent) sizes.push(texts.length), (mostInFlight = Math.max(mostInFlight, ++inFlight));
        await new Promise((resolve) => setTimeout(resolve, 5));
        if (!urgent) inFlight--;
        return inner.embed(texts, urgent);
      },
      close: async () => {},
    };
    const stage = new SemanticStage(Promise.resolve(twoAtOnce), { batchSize: 3 });
    const library = await open(dir, stage);
    await stage.whenReady(library.current);
    expect(mostInFlight).toBe(2);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(3);
    expect([...inner.embeddedTexts].sort()).toEqual([...library.current.sentenceTexts()].sort());
    expect((await library.ask(QUESTION)).excerpts[0]?.text).toMatch(/range of 500/);
  });

  it("leaves a corpus larger than its limit to BM25 alone, and says so, without embedding anything", async () => {
    const dir = await corpus(MISSILES);
    const encoder = new FakeEncoder();
    const events: string[] = [];
    const stage = new SemanticStage(Promise.resolve(encoder), { maxSentences: 5, onEvent: (e) => events.push(e.kind) });
    const library = await open(dir, stage);
    await stage.whenReady(library.current);
    expect(events).toEqual(["too-large"]);
    expect(encoder.embeddedTexts).toEqual([]);
    expect((await library.ask(QUESTION)).excerpts[0]?.text).not.toMatch(/range/);
  });

  it("answers from BM25 alone, and says why once, when the model cannot be loaded", async () => {
    const dir = await corpus(MISSILES);
    const events: string[] = [];
    const stage = new SemanticStage(Promise.reject(new Error("model files missing")), { onEvent: (e) => events.push(e.kind === "failed" ? e.error.message : e.kind) });
    const library = await open(dir, stage);
    await stage.whenReady(library.current);
    expect(events).toEqual(["model files missing"]);
    const answer = await library.ask(QUESTION);
    expect(answer.answered).toBe(true);
    expect(answer.excerpts[0]?.text).toMatch(/Taurus/);
  });
});

describe("Universal Sentence Encoder Lite from the npm package, in a worker", () => {
  it("loads offline and puts a paraphrase nearer than an unrelated sentence", async () => {
    const encoder = await startUseLiteEncoder();
    try {
      const [question, paraphrase, unrelated] = await encoder.embed([QUESTION, "Taurus has a range of 500 kilometres.", "Tickets for the ferry are sold at the harbour."]);
      expect(question).toHaveLength(512);
      expect(cosine(question!, question!)).toBeCloseTo(1, 3);
      expect(cosine(question!, paraphrase!)).toBeGreaterThan(cosine(question!, unrelated!) + 0.1);
    } finally {
      await encoder.close();
    }
  }, 60_000);

  it("gives the same vectors, in the order asked, from two workers at once", async () => {
    const encoder = await startUseLiteEncoder(2);
    try {
      expect(encoder.parallelism).toBe(2);
      const texts = [QUESTION, "Taurus has a range of 500 kilometres."];
      const [forward, backward] = await Promise.all([encoder.embed(texts), encoder.embed([...texts].reverse())]);
      expect(cosine(forward![0]!, backward![1]!)).toBeCloseTo(1, 4);
      expect(cosine(forward![1]!, backward![0]!)).toBeCloseTo(1, 4);
      expect(cosine(forward![0]!, forward![1]!)).toBeLessThan(0.99);
    } finally {
      await encoder.close();
    }
  }, 60_000);
});
