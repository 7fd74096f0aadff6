/**
 * npm run bench:cold-start -- [--sentences 1000000] [--runs 2]
 * How long Lookout takes to start from its saved index (issue 10's target: under 2 s at 1,000,000 sentences).
 * Writes the scale mode's synthetic sentences (bench/scale.ts) as text files, one document of 50 sentences
 * each, in a temporary folder; opens the library once (reading and analysing everything, then saving the
 * index in a cache folder beside it); then opens it again in fresh processes and times that: listing and
 * hashing every file, loading the saved segments, assembling the knowledge base. The folders are kept in
 * the system's temporary folder and reused by later runs of the same size (delete them to regenerate).
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { Library } from "../src/corpus/library.js";
import { loadSquad } from "./data.js";
import { generateScaleCorpus, SENTENCES_PER_DOC } from "./scale.js";

const { values } = parseArgs({
  options: {
    sentences: { type: "string", default: "1000000" },
    runs: { type: "string", default: "2" },
    /** Internal: time one open of this corpus and cache folder and print it as JSON (a fresh process). */
    open: { type: "string" },
    cache: { type: "string" },
  },
});

interface Opened {
  ms: number;
  documents: number;
  sentences: number;
  reused: number;
  read: number;
  analysed: number;
  heapMb: number;
}

async function timedOpen(corpusDir: string, cacheDir: string): Promise<{ library: Library; opened: Opened }> {
  const started = performance.now();
  const warnings: string[] = [];
  const library = await Library.open({ corpusDir, cacheDir, maxFileBytes: 50_000_000, maxQuestionChars: 500, onWarning: (w) => warnings.push(w) });
  const ms = Math.round(performance.now() - started);
  for (const w of warnings) process.stderr.write(`warning: ${w}\n`);
  const kb = library.current;
  return {
    library,
    opened: { ms, documents: kb.documents.length, sentences: kb.sentenceCount, ...library.opened, heapMb: Math.round(process.memoryUsage().heapUsed / 1e6) },
  };
}

if (values.open !== undefined && values.cache !== undefined) {
  const { library, opened } = await timedOpen(values.open, values.cache);
  // Answers, so the figure is of a knowledge base that serves (the first question builds nothing lazily that matters).
  const asked = performance.now();
  library.current.ask("What is the capital of France?");
  process.stdout.write(JSON.stringify({ ...opened, firstQuestionMs: Math.round(performance.now() - asked) }) + "\n");
  await library.whenSaved(); // not timed: a start that re-hashed files saves their stamps for the next one
  process.exit(0);
}

const size = Number(values.sentences);
const runs = Number(values.runs);
const root = path.join(tmpdir(), `lookout-cold-start-${size}`);
const corpusDir = path.join(root, "corpus");
const cacheDir = path.join(root, "cache");
const ready = path.join(root, "corpus-written");

if (!existsSync(ready)) {
  process.stderr.write(`writing ${size.toLocaleString("en")} sentences as files in ${corpusDir} …\n`);
  mkdirSync(corpusDir, { recursive: true });
  const sentences = generateScaleCorpus(loadSquad().sentences, size);
  for (let start = 0; start < sentences.length; start += SENTENCES_PER_DOC) {
    const doc = sentences[start]!.doc;
    const text = sentences
      .slice(start, start + SENTENCES_PER_DOC)
      .map((s) => (/[.!?]$/.test(s.text) ? s.text : `${s.text}.`))
      .join("\n");
    writeFileSync(path.join(corpusDir, `doc-${String(doc).padStart(6, "0")}.txt`), text + "\n");
  }
  writeFileSync(ready, "");
}
const files = readdirSync(corpusDir).length;
const bytes = readdirSync(corpusDir).reduce((sum, name) => sum + statSync(path.join(corpusDir, name)).size, 0);

let build: Opened | undefined;
if (!existsSync(path.join(cacheDir, "index", "manifest.lkf"))) {
  process.stderr.write("first open: reading and analysing every file, then saving the index …\n");
  const { library, opened } = await timedOpen(corpusDir, cacheDir);
  const saving = performance.now();
  await library.whenSaved();
  build = opened;
  process.stderr.write(`built in ${opened.ms} ms, saved in ${Math.round(performance.now() - saving)} ms\n`);
}
const cacheBytes = readdirSync(path.join(cacheDir, "index")).reduce((sum, name) => sum + statSync(path.join(cacheDir, "index", name)).size, 0);

const self = fileURLToPath(import.meta.url);
const starts: Array<Opened & { firstQuestionMs: number }> = [];
for (let run = 0; run < runs; run++) {
  const out = execFileSync(process.execPath, ["--import", "tsx", "--max-old-space-size=8192", self, "--open", corpusDir, "--cache", cacheDir], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
  starts.push(JSON.parse(out.trim().split("\n").pop()!) as Opened & { firstQuestionMs: number });
}

const mb = (n: number) => `${(n / 1e6).toFixed(0)} MB`;
console.log(`## Cold start from the saved index (${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC)`);
console.log("");
console.log(`${files.toLocaleString("en")} files (${mb(bytes)}), ${starts[0]?.sentences.toLocaleString("en")} sentences; saved index ${mb(cacheBytes)}.`);
if (build) console.log(`First open (read and analyse everything): ${(build.ms / 1000).toFixed(1)} s.`);
console.log("");
console.log("| run | start-up | reused | analysed | heap | first question |");
console.log("|---|---|---|---|---|---|");
starts.forEach((s, i) => console.log(`| ${i + 1} | ${(s.ms / 1000).toFixed(2)} s | ${s.reused.toLocaleString("en")} | ${s.analysed} | ${s.heapMb} MB | ${s.firstQuestionMs} ms |`));
