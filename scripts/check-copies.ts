/**
 * npm run check:copies
 * The repository carries copies of files kept in ../shared (the shipped articles, the seed question sets,
 * the SQuAD split), so that a clone needs nothing outside itself. This checks, when ../shared exists
 * beside the repository, that every copy is byte for byte its original and that no original lacks a copy.
 * Prints each difference and exits 1; without ../shared it says so and exits 0 (nothing to compare).
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import path from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const SHARED = path.resolve(ROOT, "../shared");

/** A folder of originals and the repository folder holding their copies, file for file, same names. */
interface FolderCopy {
  original: string;
  copy: string;
  /** Which files of both folders take part. */
  matches: (name: string) => boolean;
}

const FOLDERS: FolderCopy[] = [
  { original: "corpus", copy: "corpus", matches: (f) => f.endsWith(".txt") },
  { original: "qa", copy: "bench/data", matches: (f) => /^seed-.*\.jsonl$/.test(f) },
];

/** Single files copied in another form (bench/data/README.md: the SQuAD split is stored gzipped). */
const FILES: Array<{ original: string; copy: string; read: (file: string) => Buffer }> = [
  { original: "datasets/squad-open.json", copy: "bench/data/squad-open.json.gz", read: (file) => gunzipSync(readFileSync(file)) },
];

function listed(folder: string, matches: (name: string) => boolean): string[] {
  return existsSync(folder) ? readdirSync(folder).filter(matches).sort() : [];
}

function differences(): string[] {
  const problems: string[] = [];
  const compare = (originalPath: string, copyPath: string, copy: Buffer) => {
    const original = readFileSync(originalPath);
    if (original.equals(copy)) return;
    let at = 0;
    while (at < original.length && at < copy.length && original[at] === copy[at]) at++;
    problems.push(
      `${path.relative(ROOT, copyPath)} differs from ${path.relative(ROOT, originalPath)}: ` +
        `${copy.length} bytes against ${original.length}, first difference at byte ${at}`,
    );
  };
  for (const { original, copy, matches } of FOLDERS) {
    const from = path.join(SHARED, original);
    const to = path.join(ROOT, copy);
    const originals = listed(from, matches);
    const copies = listed(to, matches);
    for (const name of originals) {
      if (!copies.includes(name)) problems.push(`${path.join(copy, name)} is missing: ../shared/${original}/${name} has no copy`);
      else compare(path.join(from, name), path.join(to, name), readFileSync(path.join(to, name)));
    }
    for (const name of copies) {
      if (!originals.includes(name)) problems.push(`${path.join(copy, name)} has no original in ../shared/${original}/`);
    }
  }
  for (const { original, copy, read } of FILES) {
    const from = path.join(SHARED, original);
    const to = path.join(ROOT, copy);
    if (!existsSync(from)) problems.push(`../shared/${original} is missing (the original of ${copy})`);
    else if (!existsSync(to)) problems.push(`${copy} is missing: ../shared/${original} has no copy`);
    else compare(from, to, read(to));
  }
  return problems;
}

if (!existsSync(SHARED)) {
  console.log(`check:copies: no ../shared beside the repository (${SHARED}); nothing to compare.`);
} else {
  const problems = differences();
  for (const p of problems) console.error(`check:copies: ${p}`);
  if (problems.length > 0) process.exitCode = 1;
  else console.log(`check:copies: every copy is identical to its original in ${SHARED}.`);
}
