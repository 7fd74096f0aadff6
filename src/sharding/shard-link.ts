/**
 * A shard process's end of the refresh fan-out: it reloads its corpus when the manager asks (a refresh run on
 * another shard), and asks the manager to reload every other shard after a refresh run here.
 * Only the shard where a moderator ran the command changes files on disk; the others only reload them.
 */
import { randomUUID } from "node:crypto";
import type { RefreshReport } from "../core/contracts.js";
import type { Logger } from "../log.js";
import { isShardMessage, reloadResult, type ShardMessage, type ShardReload } from "./protocol.js";

/** The IPC channel to the manager: `process.send` and `process.on("message")` in a forked shard. */
export interface ManagerChannel {
  send(message: ShardMessage): void;
  /** Listens to every message from the manager; returns the function that stops listening. */
  listen(listener: (message: unknown) => void): () => void;
  /** Calls `listener` once when the channel closes: the manager exited (or was killed). */
  onClose(listener: () => void): void;
}

/** The channel of a process forked with IPC (as the ShardingManager forks its shards), or undefined without one. */
export function processChannel(): ManagerChannel | undefined {
  if (process.send === undefined) return undefined;
  return {
    send: (message) => {
      // A manager that is gone is reported by reloadOthers' timeout, not by a crash here.
      if (process.connected) process.send?.(message, undefined, undefined, () => undefined);
    },
    listen: (listener) => {
      process.on("message", listener);
      return () => process.off("message", listener);
    },
    onClose: (listener) => void process.once("disconnect", listener),
  };
}

/** What the bot's commands see of the other shards (BotContext.shards). */
export interface ShardPeers {
  /** This process's shard id, and how many shards there are. */
  readonly id: number;
  readonly count: number;
  /** Reloads the corpus in every other shard; resolves with one result per other shard, by shard id, never rejects. */
  reloadOthers(): Promise<ShardReload[]>;
}

export interface ShardLinkOptions {
  shard: { id: number; count: number };
  channel: ManagerChannel;
  /** The corpus as loaded in this process; a reload asked by the manager is its refresh(). */
  library: { refresh(): Promise<RefreshReport> };
  logger: Logger;
  /** How long reloadOthers waits for the manager's answer. The manager gives up on a shard sooner (RELOAD_TIMEOUT_MS). */
  answerTimeoutMs?: number;
}

/** How long the manager waits for one shard's reload; a refresh of a very large corpus can take minutes. */
export const RELOAD_TIMEOUT_MS = 5 * 60_000;

export class ShardLink implements ShardPeers {
  readonly id: number;
  readonly count: number;
  private readonly waiting = new Map<string, (results: ShardReload[]) => void>();
  private readonly stopListening: () => void;
  private readonly answerTimeoutMs: number;

  constructor(private readonly options: ShardLinkOptions) {
    this.id = options.shard.id;
    this.count = options.shard.count;
    this.answerTimeoutMs = options.answerTimeoutMs ?? RELOAD_TIMEOUT_MS + 10_000;
    this.stopListening = options.channel.listen((message) => {
      if (!isShardMessage(message)) return;
      if (message.lookout === "reload") void this.reload(message.requestId);
      else if (message.lookout === "reloaded-others") this.waiting.get(message.requestId)?.(message.results);
    });
  }

  reloadOthers(): Promise<ShardReload[]> {
    const requestId = randomUUID();
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiting.delete(requestId);
        const reason = `the sharding manager did not answer within ${Math.round(this.answerTimeoutMs / 1000)} s`;
        this.options.logger.warn({ requestId }, `reloading the other shards: ${reason}`);
        resolve(this.otherIds().map((shard) => ({ shard, status: "unreachable", reason })));
      }, this.answerTimeoutMs);
      timer.unref();
      this.waiting.set(requestId, (results) => {
        clearTimeout(timer);
        this.waiting.delete(requestId);
        resolve([...results].sort((a, b) => a.shard - b.shard));
      });
      this.options.channel.send({ lookout: "reload-others", requestId });
    });
  }

  /** Stops answering the manager (shutdown). */
  close(): void {
    this.stopListening();
  }

  /**
   * Calls `stop` when the manager is gone: a shard left running without it would stay connected to Discord,
   * unmanaged, and be connected twice once the manager is started again.
   */
  onManagerGone(stop: () => void): void {
    this.options.channel.onClose(stop);
  }

  private otherIds(): number[] {
    return Array.from({ length: this.count }, (_, i) => i).filter((i) => i !== this.id);
  }

  /** The manager's request: reload from disk (joining a refresh already running here) and say how it went. */
  private async reload(requestId: string): Promise<void> {
    const started = performance.now();
    let outcome: RefreshReport | Error;
    try {
      outcome = await this.options.library.refresh();
      this.options.logger.info({ requestId, documents: outcome.documents, sentences: outcome.sentences, ms: Math.round(outcome.milliseconds) }, "corpus reloaded: refreshed on another shard");
    } catch (error) {
      outcome = error instanceof Error ? error : new Error(String(error));
      this.options.logger.warn({ err: outcome, requestId }, "reload asked by another shard failed; the previous corpus keeps serving");
    }
    this.options.channel.send({ lookout: "reloaded", requestId, result: reloadResult(this.id, outcome, performance.now() - started) });
  }
}

/**
 * This process's link to the ShardingManager, when the manager started it (`shard` from the config); undefined
 * under plain `npm start`, where nothing changes.
 */
export function linkToManager(shard: { id: number; count: number } | undefined, library: ShardLinkOptions["library"], logger: Logger): ShardLink | undefined {
  if (shard === undefined) return undefined;
  const channel = processChannel();
  if (channel === undefined) {
    logger.warn({ shard }, "started as a shard but without the manager's IPC channel: a refresh here does not reach the other shards");
    return undefined;
  }
  return new ShardLink({ shard, channel, library, logger });
}
