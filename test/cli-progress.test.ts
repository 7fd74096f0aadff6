/**
 * `ask` loading a corpus that takes more than a second: its progress goes to stderr (plain lines, since stderr
 * is a pipe here), and stdout holds nothing but the JSON lines (the benchmark contract).
 */
import { execFile } from "node:child_process";
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { generatedDocument } from "./generated-text.js";
import { tempCorpus } from "./temp-folder.js";

const run = promisify(execFile);
const ROOT = new URL("..", import.meta.url).pathname;

describe("ask --json with a corpus that takes a while to load", () => {
  it("shows the build's progress on stderr and keeps stdout to one JSON object per question", async () => {
    // 50,000 sentences: several seconds to build on this machine, and well over a second on a fast one.
    const dir = await tempCorpus({});
    for (let d = 0; d < 500; d++) await writeFile(path.join(dir, `generated-${d}.txt`), generatedDocument(d, 100));
    await writeFile(path.join(dir, "ferry.txt"), "The ferry to the island leaves at nine every morning.\n");
    const { stdout, stderr } = await run("node", ["--import", "tsx", "src/cli/ask.ts", "--corpus", dir, "--json", "When does the ferry leave?"], {
      cwd: ROOT,
      env: { ...process.env, SEMANTIC: "off" },
    });
    const lines = stdout.trimEnd().split("\n");
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({ answered: true, results: [{ source: { id: "ferry.txt" } }] });
    const progress = stderr.split("\n").filter((l) => l.startsWith("Loading the corpus: "));
    expect(progress.length).toBeGreaterThanOrEqual(1);
    expect(progress[0]).toMatch(/^Loading the corpus: (reading [\d,]+\/501 documents|analysing [\d,]+\/501 documents, [\d,]+ sentences|indexing [\d,]+ sentences)/);
    expect(stderr).not.toContain("\r"); // not a terminal: plain lines, no bar
  }, 120_000);
});
