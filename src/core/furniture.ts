/**
 * Page furniture: the text around an article that is not part of it (date lines, bylines, headlines,
 * donation appeals, "Join the conversation" prompts, photo captions). It must never come back as an answer.
 *
 * The mechanism is general, not a list of phrases:
 * 1. A block that carries a media credit ("Photo: …", "Image: …", "Getty Images") is a caption, wherever it stands.
 * 2. Furniture sits at the edges of a document, so only the edges are examined, from the outside in,
 *    stopping where the body starts (and never past a third of the document):
 *    - a fragment with no verb (date line, "Comments", a headline) or a byline ("By …") is furniture;
 *    - text addressed to the reader ("your support", an imperative "Join our forum") is furniture
 *      when it shares little vocabulary with the body (an instruction in a how-to guide shares a lot);
 *    - a run of other sentences between two furniture sentences (the prose of a donation appeal) is
 *      furniture too when it is off-topic: on average less than COHESION of its words occur in the
 *      middle of the document. This is the context rule of jusText (Pomikálek 2011), applied to edges.
 *    The first run that is not enclosed by furniture, or that is on-topic, is the body.
 * Short documents (fewer than MIN_SENTENCES sentences) have no edges to trim.
 */
import { partsOfSpeech } from "../text/analyser.js";
import { LINES_PER_STEP, type Steps } from "./steps.js";

export interface FurnitureInput {
  text: string;
  /** Distinct index terms of the sentence. */
  terms: readonly string[];
  /** Index of the block (paragraph) the sentence came from. */
  block: number;
}

const MEDIA_CREDIT = /\b(?:photo(?:graph)?|image|picture|illustration|credit|video)s?\s*(?::|by\b)|\bgetty images\b|\(ap photo\b|\breuters\/|\bafp via\b/i;
const READER_WORDS = /\b(?:you|your|yours|yourself)\b/i;
/** "By Jane Doe, Coastal Times": a byline, whatever the tagger makes of the outlet's name. */
const BYLINE = /^by\s+\p{Lu}[^.!?]*$/u;
const MIN_SENTENCES = 6;
const COHESION = 0.35;
const ADDRESS_COHESION = 0.5;

/**
 * Which sentences of one document (in order) are furniture. A generator: it pauses after each sentence
 * it tags, so a large document's build can give the event loop a turn (see sentencesInSteps).
 */
export function* furnitureInSteps(sentences: readonly FurnitureInput[]): Steps<boolean[]> {
  // The passes over every sentence pause every LINES_PER_STEP sentences (a large document has 300,000).
  const creditBlocks = new Set<number>();
  for (const [i, s] of sentences.entries()) {
    if (MEDIA_CREDIT.test(s.text)) creditBlocks.add(s.block);
    if (i % LINES_PER_STEP === LINES_PER_STEP - 1) yield;
  }
  const furniture = sentences.map((s) => creditBlocks.has(s.block));
  if (sentences.length < MIN_SENTENCES) return furniture;

  // The middle half of the document stands for its topic.
  const middle = new Map<string, number>();
  const from = Math.floor(sentences.length / 4);
  const to = Math.ceil((sentences.length * 3) / 4);
  for (let i = from; i < to; i++) {
    for (const t of sentences[i]!.terms) middle.set(t, (middle.get(t) ?? 0) + 1);
    if (i % LINES_PER_STEP === LINES_PER_STEP - 1) yield;
  }
  const cohesion = (i: number) => {
    const terms = sentences[i]!.terms;
    if (terms.length === 0) return 0;
    const inMiddle = i >= from && i < to;
    // A sentence's own words do not count as evidence for itself.
    const shared = terms.filter((t) => (middle.get(t) ?? 0) > (inMiddle ? 1 : 0)).length;
    return shared / terms.length;
  };

  const limit = Math.floor(sentences.length / 3);
  // Whether sentence i is furniture by itself; a step, because tagging a sentence is the costly part.
  const marked = new Map<number, boolean>();
  function* isMarked(i: number): Steps<boolean> {
    if (furniture[i]) return true;
    let known = marked.get(i);
    if (known === undefined) {
      known = isFurnitureSentence(sentences[i]!.text, cohesion(i));
      marked.set(i, known);
      yield;
    }
    return known;
  }
  function* trimEdge(order: number[]): Steps<void> {
    let k = 0;
    while (k < limit) {
      if (yield* isMarked(order[k]!)) {
        furniture[order[k]!] = true;
        k++;
        continue;
      }
      // A run of ordinary sentences: furniture only if furniture closes it again and it is off-topic.
      let end = k;
      while (end < limit && !(yield* isMarked(order[end]!))) end++;
      const run = order.slice(k, end);
      const closed = end < limit;
      if (!closed) return;
      const onTopic = run.reduce((sum, i) => sum + cohesion(i), 0) / run.length >= COHESION;
      // An on-topic line between furniture (a headline with a verb) stays; a longer on-topic run is the body.
      if (onTopic && run.length > 2) return;
      if (!onTopic) for (const i of run) furniture[i] = true;
      k = end;
    }
  }
  const indices = sentences.map((_, i) => i);
  yield* trimEdge(indices);
  yield* trimEdge(indices.reverse());
  return furniture;
}

/** A sentence that is furniture by its form: no verb, or addressed to the reader and off-topic. */
function isFurnitureSentence(text: string, cohesion: number): boolean {
  if (BYLINE.test(text.trim())) return true;
  const tokens = partsOfSpeech(text);
  const words = tokens.filter((t) => /\p{L}/u.test(t.value));
  if (!words.some((t) => t.pos === "VERB" || t.pos === "AUX")) return true;
  const first = words[0];
  const imperative = first !== undefined && first.pos === "VERB" && first.value.toLowerCase() === first.lemma;
  const addressesReader = READER_WORDS.test(withoutQuotes(text));
  return (imperative || addressesReader) && cohesion < ADDRESS_COHESION;
}

/**
 * Quoted speech is the article's subject, not the page talking to its reader.
 * `text.replace(/["“][^"”]*["”]/g, " ")` by a scan: once an opening mark has no closing one after it,
 * no later one has either (the regex would still rescan the rest of the text from each).
 */
function withoutQuotes(text: string): string {
  const closing = /["”]/g;
  let out = "";
  let copied = 0;
  for (const open of text.matchAll(/["“]/g)) {
    if (open.index < copied) continue;
    closing.lastIndex = open.index + 1;
    const close = closing.exec(text);
    if (!close) break;
    out += text.slice(copied, open.index) + " ";
    copied = close.index + 1;
  }
  return out + text.slice(copied);
}
