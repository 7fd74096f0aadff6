import { execFile, spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const run = promisify(execFile);
const ROOT = new URL("..", import.meta.url).pathname;
/** On a busy machine even the shipped corpus can take over a second to load, and then its progress shows on stderr. */
const PROGRESS_LINES = /^Loading the corpus: .*\n/gm;
const ASK = ["--import", "tsx", "src/cli/ask.ts"];

/** Runs the CLI to its end; resolves with its exit code and output whether it failed or not. */
async function ask(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run("node", [...ASK, ...args], { cwd: ROOT, env: { ...process.env, DISCORD_TOKEN: "" } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe("npm run ask: --top", () => {
  for (const value of ["1e2", "0x10", "-1", "0", "11", "2.5", " 3"]) {
    it(`refuses --top ${JSON.stringify(value)}, naming --top and the allowed range`, async () => {
      const { code, stdout, stderr } = await ask(["--json", "--top", value, "What range does Taurus have?"]);
      expect(code).toBe(1);
      expect(stdout).toBe("");
      expect(stderr).toBe(`ask: --top must be a whole number from 1 to 10, got '${value}'\n`);
    }, 30_000);
  }

  it("gives as many results as --top asks for, up to 10", async () => {
    const { code, stdout } = await ask(["--json", "--top", "10", "What did the officers discuss on the call?"]);
    expect(code).toBe(0);
    const results = (JSON.parse(stdout) as { results: unknown[] }).results;
    expect(results.length).toBeGreaterThan(3);
    expect(results.length).toBeLessThanOrEqual(10);
  }, 30_000);
});

describe("npm run ask: a reader that stops early", () => {
  it("ends quietly with exit code 0 when the pipe closes (| head -1)", async () => {
    const child = spawn("node", [...ASK, "--json"], { cwd: ROOT, env: { ...process.env, DISCORD_TOKEN: "" } });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdin.on("error", () => {}); // the child may be gone before it has read every question
    child.stdin.end("How was the call intercepted?\n".repeat(5_000));
    const first = await new Promise<string>((resolve) => {
      let out = "";
      child.stdout.on("data", (chunk: Buffer) => {
        out += chunk.toString();
        if (out.includes("\n")) {
          child.stdout.destroy(); // what `head -1` does after its line
          resolve(out.slice(0, out.indexOf("\n")));
        }
      });
    });
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    expect(JSON.parse(first)).toMatchObject({ question: "How was the call intercepted?", answered: true });
    expect(stderr.replace(PROGRESS_LINES, "")).toBe("");
    expect(code).toBe(0);
  }, 30_000);
});

describe("npm run ask: declining on a corpus without topics", () => {
  it("does not print 'It is about .' when no names recur in the corpus", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "lookout-cli-"));
    try {
      await writeFile(path.join(dir, "note.txt"), "the kettle is in the kitchen.\n");
      const { code, stdout } = await ask(["--corpus", dir, "Who wrote Hamlet?"]);
      expect(code).toBe(0);
      expect(stdout.trim()).toBe("The corpus does not answer that. Type /sources to list the documents.");
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 30_000);
});
