import { execFile } from "node:child_process";
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const run = promisify(execFile);
const ROOT = new URL("..", import.meta.url).pathname;
/** On a busy machine even the shipped corpus can take over a second to load, and then its progress shows on stderr. */
const PROGRESS_LINES = /^Loading the corpus: .*\n/gm;

describe("npm run ask -- --json (the benchmark contract)", () => {
  it("prints exactly one JSON object per question line and nothing else on stdout", async () => {
    const child = run("node", ["--import", "tsx", "src/cli/ask.ts", "--json", "--top", "2"], { cwd: ROOT, env: { ...process.env, DISCORD_TOKEN: "" } });
    child.child.stdin!.end("How many senior officers were on the recorded conference?\nWho wrote Hamlet?\n");
    const { stdout } = await child;
    const lines = stdout.trimEnd().split("\n");
    expect(lines).toHaveLength(2);
    const [answered, declined] = lines.map((l) => JSON.parse(l) as { question: string; answered: boolean; results: Array<{ text: string; score: number; source: { id: string; title: string; location: Record<string, unknown> } }> });
    expect(answered!.question).toBe("How many senior officers were on the recorded conference?");
    expect(answered!.answered).toBe(true);
    expect(answered!.results).toHaveLength(2);
    expect(answered!.results[0]!.text).toMatch(/four senior officers/);
    // location: where the excerpt stands in its file ({line} for plain text; {page} for PDF, {heading} for web pages and Word).
    expect(answered!.results[0]!.source).toEqual({ id: "000_c0686f1146004472.txt", title: "Use of non-secure line behind Taurus talk leak to Russia: Pistorius", location: { line: 22 } });
    expect(answered!.results[0]!.score).toBeGreaterThanOrEqual(answered!.results[1]!.score);
    expect(Object.keys(answered!).sort()).toEqual(["answered", "confidence", "question", "results"]);
    expect((answered as unknown as { confidence: string }).confidence).toBe("high");
    expect(declined).toEqual({ question: "Who wrote Hamlet?", answered: false, results: [] });
  }, 30_000);

  it("answers a question given as arguments, with another corpus folder", async () => {
    // A folder whose answer the shipped corpus does not hold, and which does not hold the shipped answers.
    const dir = await mkdtemp(path.join(tmpdir(), "lookout-cli-"));
    try {
      await writeFile(path.join(dir, "ferry.txt"), "The ferry to the island leaves at nine every morning.\nTickets are sold at the harbour office.\n");
      // BM25 alone here (the test above runs the semantic stage): the contract is the same.
      const ask = (question: string) => run("node", ["--import", "tsx", "src/cli/ask.ts", "--corpus", dir, "--json", question], { cwd: ROOT, env: { ...process.env, SEMANTIC: "off" } });
      const ferry = JSON.parse((await ask("When does the ferry to the island leave?")).stdout);
      expect(ferry.answered).toBe(true);
      expect(ferry.results[0]).toMatchObject({ text: "The ferry to the island leaves at nine every morning.", source: { id: "ferry.txt", title: "Ferry" } });
      expect(JSON.parse((await ask("What range does Taurus have?")).stdout)).toMatchObject({ answered: false, results: [] });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 30_000);
});

describe("sentence vectors kept in CACHE_DIR between runs", () => {
  it("saves them on the first run, reuses them on the next, and recomputes them with a warning when the file is damaged", async () => {
    const cache = await mkdtemp(path.join(tmpdir(), "lookout-cache-"));
    try {
      const file = path.join(cache, "sentence-vectors.bin");
      const ask = () => run("node", ["--import", "tsx", "src/cli/ask.ts", "--json", "How far can the Taurus missile fly?"], { cwd: ROOT, env: { ...process.env, CACHE_DIR: cache, SEMANTIC: "on" } });
      const first = await ask();
      const saved = await stat(file);
      const second = await ask();
      expect(second.stdout).toBe(first.stdout);
      expect((await stat(file)).mtimeMs, "nothing new to embed, so nothing rewritten").toBe(saved.mtimeMs);
      expect(second.stderr.replace(PROGRESS_LINES, ""), "no warning").toBe("");
      await writeFile(file, (await readFile(file)).subarray(0, 1000));
      const third = await ask();
      expect(third.stderr).toMatch(/saved sentence vectors not reused .*truncated/);
      expect(third.stdout).toBe(first.stdout);
      expect((await stat(file)).size).toBe(saved.size);
    } finally {
      await rm(cache, { recursive: true, force: true });
    }
  }, 90_000);
});

describe("the corpus index kept in CACHE_DIR between runs of ask", () => {
  it("is saved by the first run and reused by the next (nothing rewritten, the same answers); --no-cache neither reads nor saves it", async () => {
    const cache = await mkdtemp(path.join(tmpdir(), "lookout-cache-"));
    try {
      const ask = (...extra: string[]) =>
        run("node", ["--import", "tsx", "src/cli/ask.ts", "--json", ...extra, "How far can the Taurus missile fly?"], { cwd: ROOT, env: { ...process.env, CACHE_DIR: cache, SEMANTIC: "off" } });
      const manifest = async () => {
        const [corpus] = await readdir(path.join(cache, "corpora"));
        return path.join(cache, "corpora", corpus!, "index", "manifest.lkf");
      };
      const first = await ask();
      expect(first.stderr).toBe("");
      const saved = await stat(await manifest());
      const second = await ask();
      expect(second.stdout).toBe(first.stdout);
      expect(second.stderr).toBe("");
      expect((await stat(await manifest())).mtimeMs, "everything reused, so nothing rewritten").toBe(saved.mtimeMs);

      await rm(path.join(cache, "corpora"), { recursive: true });
      const uncached = await ask("--no-cache");
      expect(uncached.stdout).toBe(first.stdout);
      expect(await readdir(cache)).toEqual([]);
    } finally {
      await rm(cache, { recursive: true, force: true });
    }
  }, 60_000);

  it("that cannot be written costs a warning on stderr, and the answer is still given", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "lookout-cache-"));
    try {
      const blocked = path.join(dir, "a-file");
      await writeFile(blocked, "not a folder");
      const { stdout, stderr } = await run("node", ["--import", "tsx", "src/cli/ask.ts", "--json", "How far can the Taurus missile fly?"], {
        cwd: ROOT,
        env: { ...process.env, CACHE_DIR: blocked, SEMANTIC: "off" },
      });
      expect(stderr).toMatch(/^warning: the index could not be saved in .*a-file.*answers are not affected/m);
      expect(JSON.parse(stdout).answered).toBe(true);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
