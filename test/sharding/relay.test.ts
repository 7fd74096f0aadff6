/**
 * The manager's relay (src/sharding/relay.ts) on a real discord.js ShardingManager with real child processes,
 * each scripted to answer a reload in one way (test/sharding/scripted-shard.mjs): reloaded, failed, silent, dying,
 * not started. Every other shard is reported, each with its own outcome, and none holds up the others for longer
 * than the timeout.
 */
import { fileURLToPath } from "node:url";
import { ShardingManager } from "discord.js";
import { afterEach, describe, expect, it } from "vitest";
import { createLogger } from "../../src/log.js";
import type { ShardReload } from "../../src/sharding/protocol.js";
import { relayRefreshes } from "../../src/sharding/relay.js";

let manager: ShardingManager | undefined;
afterEach(() => {
  for (const shard of manager?.shards.values() ?? []) if (shard.process !== null) shard.kill();
  manager = undefined;
});

describe("relayRefreshes", () => {
  it("reports every other shard: reloaded, failed with its reason, silent past the timeout, exited, not started", async () => {
    manager = new ShardingManager(fileURLToPath(new URL("scripted-shard.mjs", import.meta.url)), {
      token: "not.used.here",
      totalShards: 6,
      shardList: [0, 1, 2, 3, 4], // shard 5 is never started
      respawn: false,
      silent: true,
    });
    relayRefreshes(manager, { logger: createLogger({ level: "silent" }), timeoutMs: 800 });
    await manager.spawn({ amount: 6, delay: 0, timeout: 10_000 });
    const origin = manager.shards.get(0)!;
    const answered = new Promise<ShardReload[]>((resolve) => origin.on("message", (m: { test?: string; results?: ShardReload[] }) => m.test === "results" && resolve(m.results!)));
    const started = performance.now();
    await origin.send({ test: "ask" });
    const results = await answered;
    const took = performance.now() - started;

    expect(results).toEqual([
      { shard: 1, status: "ok", documents: 3, sentences: 42, ms: 7 },
      { shard: 2, status: "failed", reason: "no documents could be loaded", ms: 3 },
      { shard: 3, status: "unreachable", reason: "no answer within 800 ms" },
      { shard: 4, status: "unreachable", reason: "its process exited before it answered" },
      { shard: 5, status: "unreachable", reason: "not started yet; it loads the corpus from disk when it starts" },
    ]);
    expect(took).toBeGreaterThanOrEqual(700);
    expect(took).toBeLessThan(5000);
  }, 30_000);
});
