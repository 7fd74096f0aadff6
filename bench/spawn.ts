/**
 * Starts one bench child (bench/child.ts under tsx), hands it a job, and waits for its one answer.
 * A child that crashes, exits without answering, or runs past its time limit is killed and reported
 * as an error outcome, so the bench always gets to print its table.
 */
import { fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { ChildJob, ChildMessage } from "./protocol.js";

const CHILD = fileURLToPath(new URL("./child.ts", import.meta.url));
// Resolved here, so children find tsx whatever the current directory is.
const TSX_LOADER = import.meta.resolve("tsx");

export interface SpawnOptions {
  /** Wall-clock limit for the whole child, in ms. */
  readonly timeoutMs: number;
  /** V8 old-space limit for the child, in MB. */
  readonly maxOldSpaceMb: number;
  readonly onProgress?: (phase: string, done: number, total: number) => void;
}

export function runChild(job: ChildJob, options: SpawnOptions): Promise<ChildMessage> {
  return new Promise((resolve) => {
    const child = fork(CHILD, [], {
      execArgv: ["--import", TSX_LOADER, "--expose-gc", `--max-old-space-size=${options.maxOldSpaceMb}`],
      // The child's stdout goes to our stderr: stdout is reserved for the results table.
      stdio: ["ignore", 2, 2, "ipc"],
      serialization: "advanced",
    });
    let settled = false;
    const finish = (message: ChildMessage): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(message);
    };
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      finish({ type: "error", message: `killed after the ${Math.round(options.timeoutMs / 1000)} s time limit` });
    }, options.timeoutMs);

    child.on("message", (message: ChildMessage) => {
      if (message.type === "progress") options.onProgress?.(message.phase, message.done, message.total);
      else finish(message);
    });
    child.on("error", (error) => finish({ type: "error", message: `child failed: ${error.message}` }));
    // "close" (not "exit") so that a result still in the IPC pipe when the child exits is read first.
    child.on("close", (code, signal) =>
      finish({ type: "error", message: `child exited (${signal ?? `code ${code}`}) without a result` }),
    );
    child.send(job);
  });
}
