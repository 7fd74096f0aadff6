/**
 * The store as the bot uses it: every call survives a failing database (read-only, full disk, corrupt or
 * missing file). Failures are logged (the first of each kind as an error, repeats at debug) and the call
 * returns `undefined`; the bot answers on, and /stats says the log is unavailable.
 *
 * Questions are not written while an answer is on its way: `logQuestion` only queues them, and the queue
 * is written in one transaction every `flushMs` (or when it holds `batchSize`), off the answer's path.
 * Question texts older than `questionLogDays` are deleted at start and every hour.
 */
import type { Logger } from "../log.js";
import type { GuildOverrides } from "../settings.js";
import { DAY_MS, Store, type CorpusChange, type ExportRow, type QuestionRecord, type StatsRows, type StoredQuestion, type VoteOutcome, type VoteValue } from "./store.js";

export interface SafeStoreOptions {
  databasePath: string;
  questionLogDays: number;
  /** Queue flush interval; default 1000 ms. */
  flushMs?: number;
  /** Flush at once when the queue holds this many; default 200. */
  batchSize?: number;
  /** Questions queued at most while the database fails; the oldest are dropped beyond. Default 10 000. */
  maxQueue?: number;
  now?: () => number;
}

export class SafeStore {
  private readonly queue: QuestionRecord[] = [];
  private readonly failing = new Map<string, number>();
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly now: () => number;
  private readonly batchSize: number;
  private readonly maxQueue: number;
  /** When writes started failing (ms), or undefined while they work. */
  private writeFailedAt: number | undefined;
  dropped = 0;

  private constructor(
    private store: Store | undefined,
    private readonly logger: Logger,
    private readonly options: SafeStoreOptions,
  ) {
    this.now = options.now ?? Date.now;
    this.batchSize = options.batchSize ?? 200;
    this.maxQueue = options.maxQueue ?? 10_000;
  }

  /** Opens the database; when it cannot be opened, logs why and returns a store that is unavailable. */
  static open(options: SafeStoreOptions, logger: Logger): SafeStore {
    const log = logger.child({ component: "store" });
    let store: Store | undefined;
    try {
      store = Store.open(options.databasePath, options.now === undefined ? {} : { now: options.now });
      log.info({ path: options.databasePath, schema: store.schemaVersion }, "database open");
    } catch (error) {
      log.error(
        { err: error, path: options.databasePath },
        "cannot open the database: answering goes on, but questions are not logged, votes and /settings changes are not kept, and /stats is unavailable",
      );
    }
    const safe = new SafeStore(store, log, options);
    safe.prune();
    safe.timers.push(setInterval(() => safe.flush(), options.flushMs ?? 1000).unref());
    safe.timers.push(setInterval(() => safe.prune(), 60 * 60 * 1000).unref());
    return safe;
  }

  /** The underlying store, for tests and the bench (undefined when the database could not be opened). */
  get raw(): Store | undefined {
    return this.store;
  }

  /** Why the log cannot be trusted right now, or undefined when it works. */
  get problem(): string | undefined {
    if (this.store === undefined) return "the database could not be opened";
    if (this.writeFailedAt !== undefined) return `writing to the database has failed since ${new Date(this.writeFailedAt).toISOString().slice(0, 16).replace("T", " ")} UTC`;
    return undefined;
  }

  /** Runs `fn` on the store; on failure logs and returns undefined (so `fn` must not return undefined itself). */
  private attempt<T>(operation: string, fn: (store: Store) => T, write = false): T | undefined {
    if (this.store === undefined) return undefined;
    try {
      const result = fn(this.store);
      if (this.failing.delete(operation)) this.logger.info({ operation }, "database works again");
      if (write) this.writeFailedAt = undefined;
      return result;
    } catch (error) {
      const count = (this.failing.get(operation) ?? 0) + 1;
      this.failing.set(operation, count);
      if (write) this.writeFailedAt ??= this.now();
      if (count === 1) this.logger.error({ err: error, operation }, "database operation failed; the bot answers on without it");
      else this.logger.debug({ err: error, operation, count }, "database operation failed again");
      return undefined;
    }
  }

  /** Queues a question for the log (written in the next batch). */
  logQuestion(record: QuestionRecord): void {
    if (this.store === undefined) return;
    this.queue.push(record);
    if (this.queue.length > this.maxQueue) {
      this.queue.splice(0, this.queue.length - this.maxQueue);
      this.dropped++;
    }
    if (this.queue.length >= this.batchSize) setImmediate(() => this.flush());
  }

  /** Writes the queued questions; on failure they stay queued (up to maxQueue) for the next try. */
  flush(): void {
    if (this.queue.length === 0) return;
    const batch = this.queue.slice();
    const done = this.attempt("log questions", (s) => (s.recordQuestions(batch), true), true);
    if (done === true || this.store === undefined) this.queue.splice(0, batch.length);
  }

  question(id: string): StoredQuestion | undefined {
    this.flush();
    return this.attempt("read question", (s) => s.question(id));
  }

  /** Whether the user asked question `id`; undefined when the database cannot tell. */
  isAsker(id: string, userId: string): boolean | undefined {
    this.flush();
    return this.attempt("read asker", (s) => s.isAsker(id, userId));
  }

  vote(questionId: string, userId: string, vote: VoteValue, on: { guildId: string | null; askedAt: number }): VoteOutcome | undefined {
    this.flush(); // the question's row gives the vote its wording group
    return this.attempt("record vote", (s) => s.vote(questionId, userId, vote, { guildId: on.guildId ?? "", askedAt: on.askedAt }), true);
  }

  guildOverrides(guildId: string): GuildOverrides | undefined {
    return this.attempt("read settings", (s) => s.guildOverrides(guildId));
  }

  allGuildOverrides(): Map<string, GuildOverrides> {
    return this.attempt("read settings", (s) => s.allGuildOverrides()) ?? new Map();
  }

  /** True when saved. */
  saveGuildOverrides(guildId: string, overrides: GuildOverrides): boolean {
    return this.attempt("save settings", (s) => (s.saveGuildOverrides(guildId, overrides), true), true) === true;
  }

  recordCorpusChange(change: CorpusChange): void {
    this.attempt("log corpus change", (s) => s.recordCorpusChange(change), true);
  }

  stats(guildId: string, days: number, limit?: number): StatsRows | undefined {
    this.flush();
    return this.attempt("read stats", (s) => s.stats(guildId, this.sinceDay(days), limit));
  }

  /** Calls `each` for every exported row until it returns false; false when the database failed. */
  exportQuestions(guildId: string, days: number, each: (row: ExportRow) => boolean): boolean {
    this.flush();
    return (
      this.attempt("export questions", (s) => {
        for (const row of s.exportQuestions(guildId, this.sinceDay(days))) if (!each(row)) break;
        return true;
      }) ?? false
    );
  }

  /** The first UTC day of a window of `days` days ending today. */
  sinceDay(days: number): number {
    return Math.floor(this.now() / DAY_MS) - days + 1;
  }

  /** Deletes question texts past QUESTION_LOG_DAYS. */
  prune(): number | undefined {
    const before = this.now() - this.options.questionLogDays * DAY_MS;
    const removed = this.attempt("delete old questions", (s) => s.pruneQuestions(before), true);
    if (removed !== undefined && removed > 0) this.logger.info({ removed, days: this.options.questionLogDays }, "old questions deleted");
    return removed;
  }

  /** Writes what is queued and closes the database. */
  close(): void {
    for (const timer of this.timers) clearInterval(timer);
    this.flush();
    try {
      this.store?.close();
    } catch (error) {
      this.logger.warn({ err: error }, "closing the database failed");
    }
    this.store = undefined;
  }
}
