/**
 * The bot's small in-memory state: recent questions for the answer buttons, and per-user cooldowns.
 * Both are bounded, so a busy server cannot grow them without limit.
 */

/** What a button needs to rebuild an answer: the question (re-asked, since asking is sub-millisecond) and who asked. */
export interface CachedQuestion {
  question: string;
  askerId: string;
}

export interface AnswerCacheOptions {
  /** Entries kept at most; the least recently used goes first. Default 1000. */
  maxEntries?: number;
  /** An entry unused for this long expires. Default 30 minutes. */
  ttlMs?: number;
  now?: () => number;
}

/** A bounded LRU map from a short key (the asking message's or interaction's id) to the question, with expiry. */
export class AnswerCache {
  readonly maxEntries: number;
  readonly ttlMs: number;
  private readonly now: () => number;
  private readonly entries = new Map<string, { value: CachedQuestion; lastUsed: number }>();

  constructor(options: AnswerCacheOptions = {}) {
    this.maxEntries = options.maxEntries ?? 1000;
    this.ttlMs = options.ttlMs ?? 30 * 60 * 1000;
    this.now = options.now ?? Date.now;
  }

  get size(): number {
    return this.entries.size;
  }

  set(key: string, value: CachedQuestion): void {
    this.entries.delete(key);
    this.entries.set(key, { value, lastUsed: this.now() });
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
  }

  /** The entry, refreshed as most recently used; undefined when unknown or expired. */
  get(key: string): CachedQuestion | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    const now = this.now();
    this.entries.delete(key);
    if (now - entry.lastUsed > this.ttlMs) return undefined;
    entry.lastUsed = now;
    this.entries.set(key, entry);
    return entry.value;
  }
}

/** Per-user pause between questions. `seconds` 0 disables it. */
export class Cooldown {
  private readonly until = new Map<string, { until: number; notified: boolean }>();
  private readonly now: () => number;

  constructor(
    readonly seconds: number,
    now: () => number = Date.now,
  ) {
    this.now = now;
  }

  /** Seconds the user still has to wait (0: may ask now). */
  remaining(userId: string): number {
    const entry = this.until.get(userId);
    if (entry === undefined) return 0;
    const left = entry.until - this.now();
    if (left <= 0) {
      this.until.delete(userId);
      return 0;
    }
    return left / 1000;
  }

  /** Starts the user's cooldown of `seconds` (a server's setting; default the constructor's) (call when a question was answered or declined for want of an answer). */
  start(userId: string, seconds = this.seconds): void {
    if (seconds <= 0) return;
    const now = this.now();
    if (this.until.size >= 10_000) {
      for (const [id, entry] of this.until) if (entry.until <= now) this.until.delete(id);
    }
    this.until.set(userId, { until: now + seconds * 1000, notified: false });
  }

  /**
   * True the first time it is called during a user's cooldown, false after: for messages, where a notice
   * cannot be ephemeral, a user who keeps sending questions gets one notice, not one per message.
   */
  shouldNotify(userId: string): boolean {
    const entry = this.until.get(userId);
    if (entry === undefined || entry.notified) return false;
    entry.notified = true;
    return true;
  }
}

/**
 * Per-user limit on button clicks: at most `max` in any `windowMs` (default 5 in 10 s), over all buttons.
 * Bounded like Cooldown: entries of users who stopped clicking are dropped.
 */
export class ButtonLimiter {
  private readonly clicks = new Map<string, number[]>();

  constructor(
    readonly max = 5,
    readonly windowMs = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** Counts a click; returns 0 when it is allowed, else the seconds until the next one is. */
  take(userId: string): number {
    const now = this.now();
    const since = now - this.windowMs;
    if (this.clicks.size >= 10_000) {
      for (const [id, times] of this.clicks) if ((times.at(-1) ?? 0) <= since) this.clicks.delete(id);
    }
    const times = (this.clicks.get(userId) ?? []).filter((t) => t > since);
    if (times.length >= this.max) {
      this.clicks.set(userId, times);
      return ((times[0] ?? now) + this.windowMs - now) / 1000;
    }
    times.push(now);
    this.clicks.set(userId, times);
    return 0;
  }
}
