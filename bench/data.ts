/**
 * Loads the benchmark data and splits it into the one shared sentence list all systems index.
 * Splitting happens once, in the parent, so every system sees exactly the same sentences.
 */
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { gunzipSync } from "node:zlib";
import winkNLP from "wink-nlp";
import model from "wink-eng-lite-web-model";
import type { BenchSentence } from "./adapter.js";

export const DATA_DIR = fileURLToPath(new URL("./data/", import.meta.url));
export const CORPUS_DIR = fileURLToPath(new URL("../corpus/", import.meta.url));

export interface SquadQuestion {
  readonly question: string;
  /** Index of the question's article; a hit must come from this document. */
  readonly article: number;
  /** Gold answer texts (duplicates removed). */
  readonly answers: readonly string[];
}

export interface SquadTask {
  readonly articles: readonly string[];
  readonly sentences: readonly BenchSentence[];
  readonly questions: readonly SquadQuestion[];
}

export interface SeedQuestion {
  readonly q: string;
  readonly gold?: readonly string[];
  /** Off-corpus questions about the corpus's own subjects (names it holds, a fact it lacks). */
  readonly near?: boolean;
}

export interface SeedTask {
  readonly corpusDir: string;
  readonly files: readonly string[];
  readonly sentences: readonly BenchSentence[];
  readonly answerable: readonly SeedQuestion[];
  readonly noAnswer: readonly SeedQuestion[];
}

interface SquadFile {
  data: {
    title: string;
    paragraphs: { context: string; qas: { question: string; answers: { text: string }[] }[] }[];
  }[];
}

/** A wink-nlp sentence splitter (sentence boundary detection only, nothing else). */
export function createSentenceSplitter(): (text: string) => string[] {
  const nlp = winkNLP(model, ["sbd"]);
  return (text) => nlp.readDoc(text).sentences().out();
}

/** SQuAD v1.1 dev, even-position articles: one document per article, every paragraph split into sentences. */
export function loadSquad(file = join(DATA_DIR, "squad-open.json.gz")): SquadTask {
  const squad = JSON.parse(gunzipSync(readFileSync(file)).toString("utf8")) as SquadFile;
  const split = createSentenceSplitter();
  const sentences: BenchSentence[] = [];
  const questions: SquadQuestion[] = [];
  squad.data.forEach((article, doc) => {
    let position = 0;
    for (const paragraph of article.paragraphs) {
      for (const text of split(paragraph.context)) sentences.push({ text, doc, position: position++ });
      for (const qa of paragraph.qas) {
        const answers = [...new Set(qa.answers.map((a) => a.text))];
        questions.push({ question: qa.question, article: doc, answers });
      }
    }
  });
  return { articles: squad.data.map((a) => a.title), sentences, questions };
}

function readJsonl<T>(file: string): T[] {
  return readFileSync(file, "utf8")
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line) as T);
}

/** A question on a SQuAD article in a person's own words: answerable (with gold phrases) or near-domain. */
export interface RewordedQuestion {
  article: number;
  q: string;
  gold?: string[];
  near?: boolean;
}

/** bench/data/reworded-squad.jsonl (see bench/data/README.md). */
export function loadRewordedSquad(dataDir = DATA_DIR): RewordedQuestion[] {
  return readJsonl<RewordedQuestion>(join(dataDir, "reworded-squad.jsonl"));
}

/**
 * The shipped corpus asked in people's own words (bench/data/README.md): a check written blind to the seed sets,
 * in the seed sets' format (answerable with gold phrases, then off-corpus ones).
 */
export function loadRewordedNews(dataDir = DATA_DIR): SeedQuestion[] {
  return ["reworded-news-qa.jsonl", "reworded-news-noanswer.jsonl"].flatMap((f) => readJsonl<SeedQuestion>(join(dataDir, f)));
}

const SEED_ANSWERABLE = ["seed-qa-open.jsonl", "seed-qa-more.jsonl"];
const SEED_NO_ANSWER = ["seed-noanswer-open.jsonl", "seed-noanswer-more.jsonl"];

/** Every seed question (answerable ones with their gold phrases first, then the off-corpus ones). */
export function loadSeedQuestions(dataDir = DATA_DIR): SeedQuestion[] {
  return [...SEED_ANSWERABLE, ...SEED_NO_ANSWER].flatMap((f) => readJsonl<SeedQuestion>(join(dataDir, f)));
}

/** The seed question sets over the shipped corpus, with the corpus split the same way as SQuAD (documents = files). */
export function loadSeed(corpusDir = CORPUS_DIR, dataDir = DATA_DIR): SeedTask {
  const split = createSentenceSplitter();
  const files = readdirSync(corpusDir)
    .filter((f) => f.endsWith(".txt"))
    .sort();
  const sentences: BenchSentence[] = [];
  files.forEach((file, doc) => {
    const texts = split(readFileSync(join(corpusDir, file), "utf8"));
    texts.forEach((text, position) => sentences.push({ text, doc, position }));
  });
  return {
    corpusDir,
    files,
    sentences,
    answerable: SEED_ANSWERABLE.flatMap((f) => readJsonl<SeedQuestion>(join(dataDir, f))),
    noAnswer: SEED_NO_ANSWER.flatMap((f) => readJsonl<SeedQuestion>(join(dataDir, f))),
  };
}
