import { describe, expect, it } from "vitest";
import { buildKnowledgeBase, buildKnowledgeBaseInSteps, SentenceKnowledgeBase } from "../../src/core/knowledge-base.js";
import { sentencesOf } from "../../src/core/sentences.js";
import { textDocument } from "../../src/corpus/formats/text.js";
import { runToEnd } from "../../src/core/steps.js";
import type { SourceDocument } from "../../src/core/types.js";
import { INDEX_STEP, SentenceIndex } from "../../src/search/bm25.js";
import { POSTINGS_ARRAY_NAMES, type SegmentPostings } from "../../src/search/postings.js";
import { random } from "../seeded-random.js";

const WORDS = (
  "river bridge ferry harbour island museum lighthouse cliff market station tower garden castle library " +
  "opened closed crossed built painted sailed carried measured counted visited north south early late " +
  "stone iron wooden ancient small large first second morning evening winter summer captain keeper mayor"
).split(" ");

function corpus(seed: number, documents: number): SourceDocument[] {
  const next = random(seed);
  const pick = () => WORDS[Math.floor(next() ** 1.5 * WORDS.length)]!;
  return Array.from({ length: documents }, (_, d) => {
    const lines = Array.from({ length: 3 + Math.floor(next() * 40) }, () => {
      const words = Array.from({ length: 4 + Math.floor(next() * 14) }, pick);
      return `The ${words.join(" ")}.`;
    });
    const text = lines.join("\n");
    return textDocument(`d${d}.txt`, text, { title: `D${d}` });
  });
}

/** Whether two lists of segments hold the same postings, byte for byte (toEqual is slow on large typed arrays). */
function sameSegments(a: readonly SegmentPostings[], b: readonly SegmentPostings[]): boolean {
  const bytes = (x: ArrayBufferView) => Buffer.from(x.buffer, x.byteOffset, x.byteLength);
  return a.length === b.length && a.every((segment, k) => POSTINGS_ARRAY_NAMES.every((name) => bytes(segment[name]).equals(bytes(b[k]![name]))));
}

describe("the stepped build (used by a refresh) and the synchronous build", () => {
  it("make the same index, with pauses inside every pass", () => {
    const next = random(7);
    const sentences = Array.from({ length: INDEX_STEP * 3 + 17 }, (_, s) => ({
      document: Math.floor(s / 23),
      terms: Array.from({ length: 1 + Math.floor(next() * 12) }, () => WORDS[Math.floor(next() * WORDS.length)]! + Math.floor(next() * 900)),
    }));
    const steps = SentenceIndex.buildInSteps(sentences);
    let pauses = 0;
    let step = steps.next();
    for (; !step.done; step = steps.next()) pauses++;
    expect(pauses).toBeGreaterThan(10);
    expect(sameSegments(step.value.segments, new SentenceIndex(sentences).segments)).toBe(true);
    expect(runToEnd(SentenceIndex.buildInSteps(sentences)).search(["river12", "tower5"], 10)).toEqual(new SentenceIndex(sentences).search(["river12", "tower5"], 10));
  });

  it("give the same answers on a seeded random corpus", async () => {
    const documents = corpus(13, 300);
    const sync = buildKnowledgeBase(documents);
    const stepped = await buildKnowledgeBaseInSteps(documents);
    // The constructor's own path (sentences in, index built in one go), as the benchmarks use it.
    const constructed = SentenceKnowledgeBase.fromSentences(documents, documents.flatMap((document, i) => sentencesOf(document, i)));
    const all = (kb: SentenceKnowledgeBase) => Array.from({ length: kb.sentenceCount }, (_, s) => kb.sentence(s));
    expect(all(constructed)).toEqual(all(sync));
    expect(sameSegments(constructed.index.segments, sync.index.segments)).toBe(true);
    expect(stepped.sentenceCount).toBeGreaterThan(5_000);
    expect(all(stepped)).toEqual(all(sync));
    expect(sameSegments(stepped.index.segments, sync.index.segments)).toBe(true);
    const next = random(99);
    for (let q = 0; q < 60; q++) {
      const question = `Which ${Array.from({ length: 1 + Math.floor(next() * 4) }, () => WORDS[Math.floor(next() * WORDS.length)]).join(" ")}?`;
      expect(stepped.retrieve(question, 30)).toEqual(sync.retrieve(question, 30));
      expect(stepped.ask(question)).toEqual(sync.ask(question));
    }
  }, 30_000); // three builds of 5,000 sentences: slow on a shared machine
});
