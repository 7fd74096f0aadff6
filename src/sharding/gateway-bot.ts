/**
 * GET /gateway/bot, through DISCORD_API_URL: Discord's recommended shard count and how many shards may IDENTIFY
 * at once. discord.js's own `fetchRecommendedShardCount` always asks discord.com, so a proxy or the test stand-in
 * would never be asked.
 */
export interface GatewayBot {
  /** Discord's recommended number of shards. */
  shards: number;
  /** session_start_limit.max_concurrency: IDENTIFY requests allowed per 5 seconds (one per rate-limit key). */
  maxConcurrency: number;
}

export const DISCORD_API = "https://discord.com/api";

export async function fetchGatewayBot(token: string, apiUrl: string = DISCORD_API): Promise<GatewayBot> {
  const response = await fetch(`${apiUrl}/v10/gateway/bot`, { headers: { Authorization: `Bot ${token}` }, signal: AbortSignal.timeout(15_000) });
  if (response.status === 401) throw new Error("Discord refused DISCORD_TOKEN (401 Unauthorized): check the token");
  if (!response.ok) throw new Error(`GET /gateway/bot answered ${response.status} ${response.statusText}`);
  const body = (await response.json()) as { shards?: unknown; session_start_limit?: { max_concurrency?: unknown } };
  const shards = Number(body.shards);
  if (!Number.isInteger(shards) || shards < 1) throw new Error(`GET /gateway/bot gave no usable shard count (${JSON.stringify(body.shards)})`);
  const maxConcurrency = Number(body.session_start_limit?.max_concurrency);
  return { shards, maxConcurrency: Number.isInteger(maxConcurrency) && maxConcurrency >= 1 ? maxConcurrency : 1 };
}

/** Discord's pause between two IDENTIFYs with the same rate-limit key (5 s), with discord.js's margin. */
export const IDENTIFY_INTERVAL_MS = 5500;

/**
 * The shards in the order they may start: Discord allows one IDENTIFY per 5 s per rate-limit key
 * (shard_id % max_concurrency), so each group of `maxConcurrency` consecutive ids (distinct keys) starts together,
 * and the next group 5.5 s later. Most bots have max_concurrency 1: one shard after another.
 */
export function startGroups(shards: number, maxConcurrency: number): number[][] {
  const groups: number[][] = [];
  for (let first = 0; first < shards; first += maxConcurrency) {
    groups.push(Array.from({ length: Math.min(maxConcurrency, shards - first) }, (_, i) => first + i));
  }
  return groups;
}
