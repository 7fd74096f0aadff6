/**
 * Under sharding, a refresh reply also shows how every shard's reload went: one line per shard, this one first
 * among equals, failures and shards not reached named with their reason. Pure, like format-corpus.ts.
 */
import type { APIEmbed } from "discord.js";
import type { ShardReload } from "../sharding/protocol.js";
import { Colors } from "./format.js";
import { listWithin } from "./format-corpus.js";
import { DiscordLimits } from "./limits.js";
import { embedLength, type ReplyPayload } from "./payload.js";

function line(result: ShardReload, here: number): string {
  const name = `Shard ${result.shard}${result.shard === here ? " (this one)" : ""}`;
  switch (result.status) {
    case "ok":
      return `✅ ${name}: reloaded, ${result.documents} documents, ${result.sentences} sentences, ${result.ms} ms`;
    case "failed":
      return `❌ ${name}: failed (${result.reason}); its previous corpus keeps answering`;
    case "unreachable":
      return `⚠️ ${name}: unreachable (${result.reason})`;
  }
}

/** The reply with one more embed listing each shard's result; unchanged without sharding (`others` undefined). */
export function withShardReloads(reply: ReplyPayload, here: ShardReload, others: readonly ShardReload[] | undefined): ReplyPayload {
  if (others === undefined) return reply;
  const all = [here, ...others].sort((a, b) => a.shard - b.shard);
  const reloaded = all.filter((r) => r.status === "ok").length;
  const used = reply.embeds.reduce((n, e) => n + embedLength(e), 0) + (reply.content?.length ?? 0);
  const room = Math.max(200, Math.min(DiscordLimits.embedDescription, 6000 - used - 100));
  const embed: APIEmbed = {
    color: reloaded === all.length ? Colors.ok : Colors.warning,
    title: `Shards: ${reloaded} of ${all.length} reloaded`,
    description: listWithin(
      all.map((r) => line(r, here.shard)),
      room,
      "\n",
      400,
    ),
  };
  return { ...reply, embeds: [...reply.embeds, embed] };
}
