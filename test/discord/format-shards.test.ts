import { describe, expect, it } from "vitest";
import { formatRefreshReport } from "../../src/discord/format-corpus.js";
import { withShardReloads } from "../../src/discord/format-shards.js";
import { limitViolations } from "../../src/discord/payload.js";
import type { ShardReload } from "../../src/sharding/protocol.js";

const report = { added: [], changed: ["a.txt"], removed: [], skipped: [], documents: 3, sentences: 61, sentencesBefore: 60, sentencesAdded: 2, sentencesRemoved: 1, milliseconds: 120.4 };
const here: ShardReload = { shard: 0, status: "ok", documents: 3, sentences: 61, ms: 120 };

describe("withShardReloads", () => {
  it("leaves the reply as it is without sharding", () => {
    const reply = formatRefreshReport(report);
    expect(withShardReloads(reply, here, undefined)).toBe(reply);
  });

  it("adds one line per shard, in shard order, naming failures and unreachable shards with their reason", () => {
    const reply = withShardReloads(formatRefreshReport(report), { ...here, shard: 1 }, [
      { shard: 2, status: "unreachable", reason: "not connected (starting, restarting or stopped)" },
      { shard: 0, status: "failed", reason: "no documents could be loaded", ms: 12 },
    ]);
    expect(reply.embeds).toHaveLength(2);
    const shards = reply.embeds[1]!;
    expect(shards.title).toBe("Shards: 1 of 3 reloaded");
    expect(shards.description!.replace(/\\(.)/g, "$1").split("\n")).toEqual([
      "❌ Shard 0: failed (no documents could be loaded); its previous corpus keeps answering",
      "✅ Shard 1 (this one): reloaded, 3 documents, 61 sentences, 120 ms",
      "⚠️ Shard 2: unreachable (not connected (starting, restarting or stopped))",
    ]);
  });

  it("stays within Discord's limits with hundreds of shards: the rest is counted, not cut off mid-line", () => {
    const others: ShardReload[] = Array.from({ length: 499 }, (_, i) => ({ shard: i + 1, status: "unreachable", reason: "x".repeat(200) }));
    const reply = withShardReloads(formatRefreshReport(report), here, others);
    expect(limitViolations(reply)).toEqual([]);
    expect(reply.embeds[1]!.description).toMatch(/and \d+ more$/);
  });
});
