import { describe, expect, it } from "vitest";
import { bufferToFlat, flatToBuffer } from "../../bench/flat-file.js";
import { buildKnowledgeBase, CorpusSegment, SentenceKnowledgeBase, type EngineOptions } from "../../src/core/knowledge-base.js";
import type { BuildProgress } from "../../src/core/progress.js";
import { runToEnd } from "../../src/core/steps.js";
import type { SourceDocument } from "../../src/core/types.js";
import { textDocument } from "../../src/corpus/formats/text.js";
import { random } from "../seeded-random.js";

const WORDS = (
  "river bridge ferry harbour island museum lighthouse cliff market station tower garden castle library " +
  "opened closed crossed built painted sailed carried measured counted visited north south early late " +
  "stone iron wooden ancient small large first second morning evening winter summer captain keeper mayor " +
  "when where how many year 1984 2003 Lisbon Porto"
).split(" ");

/** Sentences over a shared vocabulary, and a few stock sentences every document may repeat (so scores tie across documents). */
const STOCK = ["The ferry crossed the river at dawn.", "The museum opened in 1984.", "Where is the lighthouse keeper?"];

function documentText(next: () => number): string {
  const pick = () => WORDS[Math.floor(next() ** 1.5 * WORDS.length)]!;
  return Array.from({ length: 2 + Math.floor(next() * 14) }, () => {
    if (next() < 0.25) return STOCK[Math.floor(next() * STOCK.length)]!;
    return `The ${Array.from({ length: 3 + Math.floor(next() * 10) }, pick).join(" ")}.`;
  }).join("\n");
}

const makeDocument = (id: string, next: () => number): SourceDocument => textDocument(id, documentText(next), { title: id.toUpperCase(), outlet: `outlet ${id.length}` });

function questions(next: () => number, count: number): string[] {
  const pick = () => WORDS[Math.floor(next() * WORDS.length)]!;
  return Array.from({ length: count }, (_, q) =>
    q % 5 === 0 ? STOCK[q % STOCK.length]! : `${q % 2 ? "When" : "How many"} ${Array.from({ length: 1 + Math.floor(next() * 4) }, pick).join(" ")}?`,
  );
}

/** Small segments, so a few dozen documents make many of them. */
const SMALL: Partial<EngineOptions> = { segmentSentences: 24 };

/** What a user sees of a ranking: each hit's sentence, document and score, in order (sentence numbers are internal). */
function ranking(kb: SentenceKnowledgeBase, question: string) {
  return kb.retrieve(question, 30).hits.map((h) => ({ text: kb.sentenceText(h.sentence), document: kb.documents[kb.documentOf(h.sentence)]!.id, score: h.score }));
}

function expectSameAnswers(incremental: SentenceKnowledgeBase, full: SentenceKnowledgeBase, asked: readonly string[]): void {
  expect(incremental.documents).toEqual(full.documents);
  expect(incremental.sentenceCount).toBe(full.sentenceCount);
  expect(incremental.topics).toEqual(full.topics);
  for (const exactWorkLimit of [undefined, 0]) {
    // Both search paths: exact, and own-text-then-windows (which large corpora take).
    incremental.index.exactWorkLimit = exactWorkLimit;
    full.index.exactWorkLimit = exactWorkLimit;
    for (const question of asked) {
      expect(ranking(incremental, question), question).toEqual(ranking(full, question));
      expect(incremental.ask(question), question).toEqual(full.ask(question));
    }
  }
  incremental.index.exactWorkLimit = full.index.exactWorkLimit = undefined;
}

const sortedById = (documents: Iterable<SourceDocument>) => [...documents].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));

describe("incremental refresh", () => {
  it("ranks and answers exactly like a full rebuild after random adds, changes and removes", () => {
    const next = random(2026);
    const current = new Map<string, SourceDocument>();
    for (let d = 0; d < 14; d++) current.set(`doc${d}.txt`, makeDocument(`doc${d}.txt`, next));
    let kb = buildKnowledgeBase([...current.values()], SMALL);
    expect(kb.segments.length).toBeGreaterThan(3);
    let nextId = 14;
    const asked = questions(next, 40);
    let answered = 0;
    for (let round = 0; round < 12; round++) {
      const removed: string[] = [];
      const added: SourceDocument[] = [];
      for (let op = 0, ops = 1 + Math.floor(next() * 3); op < ops; op++) {
        const ids = [...current.keys()].filter((id) => !removed.includes(id) && !added.some((d) => d.id === id));
        const kind = next();
        if (kind < 0.35 || ids.length < 3) {
          const id = `doc${nextId++}.txt`;
          added.push(makeDocument(id, next));
        } else {
          const id = ids[Math.floor(next() * ids.length)]!;
          if (kind < 0.7) added.push(makeDocument(id, next)); // changed: new text under the same id
          else removed.push(id);
        }
      }
      for (const id of removed) current.delete(id);
      for (const d of added) current.set(d.id, d);
      const before = kb.segments;
      kb = runToEnd(kb.withChanges({ removed, added }));
      const full = buildKnowledgeBase(sortedById(current.values()), SMALL);
      expectSameAnswers(kb, full, asked);
      answered += asked.filter((q) => full.ask(q).answered).length;
      // Segments rebuilt from stored data and merged ones save and load like built ones.
      const reloaded = SentenceKnowledgeBase.fromSegments(kb.segments.map((s) => CorpusSegment.fromFlat(bufferToFlat(flatToBuffer(s.toFlat())))), SMALL);
      for (const question of asked.slice(0, 8)) expect(ranking(reloaded, question)).toEqual(ranking(full, question));
      // Segments the change did not touch are the same objects, not copies.
      expect(kb.segments.filter((s) => before.includes(s)).length).toBeGreaterThan(0);
    }
    // The comparison means something only if questions were answered, ties included.
    expect(answered).toBeGreaterThan(100);
  }, 60_000);

  it("analyses only the added documents: a removal alone rebuilds from stored data", () => {
    const next = random(7);
    const documents = Array.from({ length: 10 }, (_, d) => makeDocument(`r${d}.txt`, next));
    const kb = buildKnowledgeBase(documents, SMALL);
    const progress: BuildProgress[] = [];
    const after = runToEnd(kb.withChanges({ removed: ["r3.txt"], added: [] }, new Map(), (p) => progress.push(p)));
    expect(after.documents.map((d) => d.id)).not.toContain("r3.txt");
    expect(progress.every((p) => p.documentsTotal === 0 && p.sentences === 0)).toBe(true);
    expectSameAnswers(after, buildKnowledgeBase(documents.filter((d) => d.id !== "r3.txt"), SMALL), questions(next, 15));
  });

  it("keeps the number of segments bounded over many changes", () => {
    const next = random(99);
    let kb = buildKnowledgeBase(
      Array.from({ length: 30 }, (_, d) => makeDocument(`m${d}.txt`, next)),
      SMALL,
    );
    let most = 0;
    for (let round = 0; round < 80; round++) {
      const id = kb.documents[Math.floor(next() * kb.documents.length)]!.id;
      kb = runToEnd(kb.withChanges(next() < 0.5 ? { removed: [], added: [makeDocument(id, next)] } : { removed: [], added: [makeDocument(`n${round}.txt`, next)] }));
      // Every two neighbours hold more than segmentSentences, so at most 2·N/size + 1 segments.
      expect(kb.segments.length).toBeLessThanOrEqual(Math.floor((2 * kb.sentenceCount) / SMALL.segmentSentences!) + 1);
      most = Math.max(most, kb.segments.length);
    }
    expect(kb.documents.length).toBeGreaterThan(60);
    expect(most).toBeGreaterThan(5);
  });

  it("reports progress: analysing the documents, then indexing", () => {
    const next = random(5);
    const documents = Array.from({ length: 6 }, (_, d) => makeDocument(`p${d}.txt`, next));
    const seen: BuildProgress[] = [];
    const kb = buildKnowledgeBase(documents, {}, { onProgress: (p) => seen.push(p) });
    expect(seen.every((p, i) => i === 0 || p.elapsedMs >= seen[i - 1]!.elapsedMs)).toBe(true);
    expect(seen[0]).toMatchObject({ phase: "analysing", documentsDone: 0, documentsTotal: 6 });
    expect(seen.at(-1)).toMatchObject({ phase: "indexing", documentsDone: 6, documentsTotal: 6, sentences: kb.sentenceCount });
    const refreshed: BuildProgress[] = [];
    runToEnd(kb.withChanges({ removed: [], added: [makeDocument("p9.txt", next)] }, new Map(), (p) => refreshed.push(p)));
    // At most every ~100 ms, but always where a phase starts and where the analysis ends.
    expect(refreshed[0]!.phase).toBe("analysing");
    expect(refreshed.findIndex((p) => p.phase === "indexing")).toBe(refreshed.length - 1);
    expect(refreshed.at(-1)).toMatchObject({ documentsDone: 1, documentsTotal: 1 });
  });

  it("keeps the content hashes given, for the next refresh to compare", () => {
    const next = random(3);
    const kb = buildKnowledgeBase([makeDocument("h1.txt", next)], {}, { hashes: new Map([["h1.txt", "abc"]]) });
    const after = runToEnd(kb.withChanges({ removed: [], added: [makeDocument("h2.txt", next)] }, new Map([["h2.txt", "def"]])));
    expect(after.documents.map((d) => [d.id, d.hash])).toEqual([
      ["h1.txt", "abc"],
      ["h2.txt", "def"],
    ]);
  });
});

describe("flat form", () => {
  const next = random(11);
  const documents = Array.from({ length: 12 }, (_, d) => makeDocument(`f${d}.txt`, next));
  const kb = buildKnowledgeBase(documents, SMALL);

  it("answers identically after toFlat → bytes → fromFlat", () => {
    const loaded = SentenceKnowledgeBase.fromSegments(
      kb.segments.map((s) => CorpusSegment.fromFlat(bufferToFlat(flatToBuffer(s.toFlat())))),
      SMALL,
    );
    expectSameAnswers(loaded, kb, questions(next, 30));
    for (let s = 0; s < kb.sentenceCount; s++) expect(loaded.sentence(s)).toEqual(kb.sentence(s));
  });

  /** A segment's flat record with one thing broken. */
  function broken(change: (arrays: Record<string, Int32Array | Uint32Array | Uint16Array | Uint8Array>, header: Record<string, unknown>) => void) {
    const record = bufferToFlat(flatToBuffer(kb.segments[1]!.toFlat()));
    change(record.arrays as Record<string, Uint32Array>, record.header);
    return () => CorpusSegment.fromFlat(record);
  }

  it("refuses inconsistent data with an Error saying what is wrong", () => {
    expect(() => CorpusSegment.fromFlat(bufferToFlat(flatToBuffer(kb.segments[1]!.toFlat())))).not.toThrow();
    const cases = [
      broken((a) => (a.sentTerms![0] = 1_000_000)), // a term id past the dictionary
      broken((a) => (a.postSentence = a.postSentence!.subarray(1))), // truncated postings
      broken((a) => (a.textStart![3] = a.textBytes!.length + 5)), // text offsets out of order
      broken((a) => (a.postTf![0] = 0)),
      broken((a) => (a.termBytes![a.termStart![0]!] = 255)), // the dictionary no longer sorted
      broken((a) => (a.sentHeading = new Int32Array(a.sentHeading!.length).fill(99))),
      broken((a) => delete a.docStart),
      broken((a) => (a.sentLine = new Float32Array(a.sentLine!.length) as unknown as Int32Array)),
      broken((_, h) => (h.format = 999)),
      broken((_, h) => (h.documents = [{ id: 3 }])),
      broken((_, h) => (h.documents = (h.documents as unknown[]).slice(1))),
    ];
    for (const [i, load] of cases.entries()) expect(load, `case ${i}`).toThrow(/inconsistent index segment/);
  });
});
