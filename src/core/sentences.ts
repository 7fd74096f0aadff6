/** Documents → the answerable sentences of the corpus, in document order, each with its place. */
import { splitSentences } from "../text/analyser.js";
import { analysableBlocksInSteps, placeAt } from "./blocks.js";
import { LINES_PER_STEP, runToEnd, type Steps } from "./steps.js";
import { furnitureInSteps, type FurnitureInput } from "./furniture.js";
import type { Place, SourceDocument } from "./types.js";

/** A sentence as the knowledge base keeps it. */
export interface StoredSentence {
  text: string;
  /** Index of the document in the corpus. */
  document: number;
  /** Where the sentence starts (page, heading path or line), as the document's reader placed it. */
  place: Place;
  /** 0-based position among the document's answerable sentences. */
  position: number;
}

/** A sentence on its way into the index, with its terms (in order, with repeats). */
export interface CorpusSentence extends StoredSentence {
  terms: string[];
}

/** The answerable sentences of one document: headings and page furniture left out. */
export function sentencesOf(document: SourceDocument, documentIndex: number): CorpusSentence[] {
  return runToEnd(sentencesInSteps(document, documentIndex));
}

/**
 * `sentencesOf` as steps (see steps.ts): it pauses while filtering blocks, after each block's analysis and
 * after each furniture check, all bounded in size, so even one large document never holds the event loop
 * for long.
 */
export function* sentencesInSteps(document: SourceDocument, documentIndex: number): Steps<CorpusSentence[]> {
  const candidates: Array<CorpusSentence & { block: number; isHeading: boolean }> = [];
  const blocks = yield* analysableBlocksInSteps(document.blocks);
  for (const [blockIndex, block] of blocks.entries()) {
    for (const s of splitSentences(block.text)) {
      candidates.push({
        text: s.text,
        terms: s.terms.map((t) => t.term),
        document: documentIndex,
        place: placeAt(block, s.start),
        position: 0,
        block: blockIndex,
        isHeading: block.isHeading === true,
      });
    }
    yield;
  }
  // Loops over every sentence pause every LINES_PER_STEP: a 5 MB document can hold 300,000 of them.
  const inputs: FurnitureInput[] = [];
  for (const [i, c] of candidates.entries()) {
    inputs.push({ text: c.text, terms: [...new Set(c.terms)], block: c.block });
    if (i % LINES_PER_STEP === LINES_PER_STEP - 1) yield;
  }
  const furniture = yield* furnitureInSteps(inputs);
  const kept: CorpusSentence[] = [];
  for (const [i, c] of candidates.entries()) {
    if (i % LINES_PER_STEP === LINES_PER_STEP - 1) yield;
    if (furniture[i] || c.isHeading || c.terms.length === 0) continue;
    kept.push({ text: c.text, terms: c.terms, document: c.document, place: c.place, position: kept.length });
  }
  return kept;
}
