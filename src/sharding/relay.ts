/**
 * The manager's part of the refresh fan-out: when a shard asks, it tells every other shard to reload and hands
 * their results back. A shard that is not connected (starting, restarting, dead), whose process is gone, or that
 * does not answer in time is reported as unreachable; that never holds up the others' results.
 */
import type { Shard, ShardingManager } from "discord.js";
import type { Logger } from "../log.js";
import { isShardMessage, type ShardReload } from "./protocol.js";
import { RELOAD_TIMEOUT_MS } from "./shard-link.js";

export interface RelayOptions {
  logger: Logger;
  /** How long to wait for one shard's reload. Default RELOAD_TIMEOUT_MS. */
  timeoutMs?: number;
}

/** Relays reload requests between the manager's shards; call before `manager.spawn()`. */
export function relayRefreshes(manager: ShardingManager, options: RelayOptions): void {
  const timeoutMs = options.timeoutMs ?? RELOAD_TIMEOUT_MS;
  /** Answers awaited, by request id and shard id. */
  const pending = new Map<string, (result: ShardReload) => void>();
  const key = (requestId: string, shard: number) => `${requestId}:${shard}`;

  const reloadOne = (shard: Shard | undefined, id: number, requestId: string): Promise<ShardReload> => {
    if (shard === undefined) return Promise.resolve({ shard: id, status: "unreachable", reason: "not started yet; it loads the corpus from disk when it starts" });
    if (!shard.ready || shard.process === null) {
      return Promise.resolve({ shard: id, status: "unreachable", reason: "not connected (starting, restarting or stopped); it loads the corpus from disk when it starts" });
    }
    return new Promise((resolve) => {
      const done = (result: ShardReload) => {
        clearTimeout(timer);
        shard.off("death", onDeath);
        pending.delete(key(requestId, id));
        resolve(result);
      };
      const onDeath = () => done({ shard: id, status: "unreachable", reason: "its process exited before it answered" });
      const timer = setTimeout(() => done({ shard: id, status: "unreachable", reason: `no answer within ${timeoutMs < 10_000 ? `${timeoutMs} ms` : `${Math.round(timeoutMs / 1000)} s`}` }), timeoutMs);
      shard.once("death", onDeath);
      pending.set(key(requestId, id), done);
      shard.send({ lookout: "reload", requestId }).catch((error: Error) => done({ shard: id, status: "unreachable", reason: `could not be reached: ${error.message}` }));
    });
  };

  const reloadOthers = async (from: Shard, requestId: string): Promise<void> => {
    const ids = Array.from({ length: typeof manager.totalShards === "number" ? manager.totalShards : 0 }, (_, i) => i).filter((i) => i !== from.id);
    options.logger.info({ shard: from.id, requestId, others: ids }, "refresh on one shard: reloading the others");
    const results = await Promise.all(ids.map((id) => reloadOne(manager.shards.get(id), id, requestId)));
    for (const r of results.filter((r) => r.status !== "ok")) options.logger.warn({ shard: r.shard, requestId, status: r.status, reason: "reason" in r ? r.reason : undefined }, "a shard did not reload");
    await from.send({ lookout: "reloaded-others", requestId, results }).catch((error: Error) => {
      options.logger.warn({ shard: from.id, requestId, err: error }, "could not hand the reload results back to the shard that asked");
    });
  };

  manager.on("shardCreate", (shard) => {
    shard.on("message", (message: unknown) => {
      if (!isShardMessage(message)) return;
      if (message.lookout === "reload-others") void reloadOthers(shard, message.requestId);
      else if (message.lookout === "reloaded") pending.get(key(message.requestId, shard.id))?.({ ...message.result, shard: shard.id });
    });
  });
}
