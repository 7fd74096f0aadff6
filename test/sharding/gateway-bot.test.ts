import { describe, expect, it } from "vitest";
import { fetchGatewayBot, startGroups } from "../../src/sharding/gateway-bot.js";
import { startDiscordStandIn } from "../discord-stand-in/index.js";

describe("GET /gateway/bot through DISCORD_API_URL", () => {
  it("reads the recommended shard count and max_concurrency; a refused token says so", async () => {
    const s = await startDiscordStandIn({ recommendedShards: 3, maxConcurrency: 2 });
    try {
      expect(await fetchGatewayBot(s.token, s.apiUrl)).toEqual({ shards: 3, maxConcurrency: 2 });
      await expect(fetchGatewayBot("not.the.token", s.apiUrl)).rejects.toThrow(/refused DISCORD_TOKEN \(401/);
    } finally {
      await s.close();
    }
  });
});

describe("startGroups", () => {
  it("starts max_concurrency consecutive shards together (distinct rate-limit keys), one at a time with 1", () => {
    expect(startGroups(3, 1)).toEqual([[0], [1], [2]]);
    expect(startGroups(5, 2)).toEqual([[0, 1], [2, 3], [4]]);
    expect(startGroups(2, 16)).toEqual([[0, 1]]);
  });
});
