/**
 * What the sharding manager (src/sharded.ts) and its shard processes say to each other so that a refresh on one
 * shard reaches every shard. The messages travel on the IPC channel discord.js's ShardingManager opens with each
 * shard process (`shard.send` / `process.send`), beside discord.js's own (`_ready`, `_eval`, …), and carry a
 * `lookout` field so that neither side mistakes the other's messages for its own.
 *
 *   shard k ──reload-others──▶ manager ──reload──▶ every other shard
 *   shard k ◀─reloaded-others── manager ◀─reloaded── every other shard (or "unreachable" for one that is down)
 */
import type { RefreshReport } from "../core/contracts.js";

/** One shard's outcome of a refresh: reloaded, failed (its previous corpus keeps answering), or not reached at all. */
export type ShardReload =
  | { shard: number; status: "ok"; documents: number; sentences: number; ms: number }
  | { shard: number; status: "failed"; reason: string; ms: number }
  | { shard: number; status: "unreachable"; reason: string };

export type ShardMessage =
  /** shard → manager: reload the corpus in every shard but me. */
  | { lookout: "reload-others"; requestId: string }
  /** manager → shard: reload your corpus from disk. */
  | { lookout: "reload"; requestId: string }
  /** shard → manager: how my reload went. */
  | { lookout: "reloaded"; requestId: string; result: ShardReload }
  /** manager → the shard that asked: how every other shard's reload went, by shard id. */
  | { lookout: "reloaded-others"; requestId: string; results: ShardReload[] };

const KINDS = new Set(["reload-others", "reload", "reloaded", "reloaded-others"]);

/** Whether an IPC message is one of ours (discord.js's own and anything malformed are not). */
export function isShardMessage(value: unknown): value is ShardMessage {
  if (typeof value !== "object" || value === null) return false;
  const m = value as { lookout?: unknown; requestId?: unknown; result?: unknown; results?: unknown };
  if (typeof m.lookout !== "string" || !KINDS.has(m.lookout) || typeof m.requestId !== "string") return false;
  if (m.lookout === "reloaded") return isShardReload(m.result);
  if (m.lookout === "reloaded-others") return Array.isArray(m.results) && m.results.every(isShardReload);
  return true;
}

function isShardReload(value: unknown): value is ShardReload {
  if (typeof value !== "object" || value === null) return false;
  const r = value as Record<string, unknown>;
  if (typeof r.shard !== "number") return false;
  if (r.status === "ok") return typeof r.documents === "number" && typeof r.sentences === "number" && typeof r.ms === "number";
  return (r.status === "failed" || r.status === "unreachable") && typeof r.reason === "string";
}

/** A shard's result from its own refresh: its report, or the error it failed with. */
export function reloadResult(shard: number, outcome: RefreshReport | Error, ms: number): ShardReload {
  if (outcome instanceof Error) return { shard, status: "failed", reason: firstLine(outcome.message), ms: Math.round(ms) };
  return { shard, status: "ok", documents: outcome.documents, sentences: outcome.sentences, ms: Math.round(outcome.milliseconds) };
}

function firstLine(text: string): string {
  return (text.split("\n")[0] ?? "").slice(0, 300) || "unknown error";
}
