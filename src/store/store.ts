/**
 * The one module that talks to the database (SQLite through better-sqlite3): it opens the file, runs the
 * migrations, and offers every query as a named method with typed rows. Statements are prepared once.
 * Nothing else in Lookout writes SQL.
 *
 * Methods throw on database errors (read-only, full, corrupt file); `SafeStore` (safe-store.ts) is what the
 * bot uses: it logs those errors and carries on, so a failing database never stops an answer.
 *
 * Privacy: user ids never reach the database. They are replaced by an HMAC-SHA256 with a random secret made
 * for this install and kept in the database's `meta` table, so the same person's votes can be told apart
 * without storing who they are (and without the hashes matching those of any other install).
 */
import { createHmac, randomBytes } from "node:crypto";
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import Database from "better-sqlite3";
import type { GuildOverrides } from "../settings.js";
import { migrate } from "./migrations.js";

export const DAY_MS = 86_400_000;

export type QuestionSurface = "slash" | "mention" | "dm" | "ask-channel" | "message-command";

/** A question as the bot logs it (the user id is hashed before it is stored). */
export interface QuestionRecord {
  /** The asking interaction's or message's id; the answer's key in button custom ids. */
  id: string;
  /** '' in direct messages. */
  guildId: string;
  channelId: string;
  userId: string;
  askedAt: number;
  surface: QuestionSurface;
  text: string;
  /** The question's terms, so rewordings group together. */
  grouped: string;
  answered: boolean;
  relevance: number | null;
  /** Cited document ids, best first. */
  sources: readonly string[];
}

/** What the buttons need to rebuild an answer after a restart. */
export interface StoredQuestion {
  id: string;
  guildId: string;
  text: string;
  askedAt: number;
}

export type VoteValue = 1 | -1;
export type VoteOutcome = "added" | "changed" | "withdrawn";

export interface DayCount {
  /** UTC day number (ms / DAY_MS). */
  day: number;
  asked: number;
  answered: number;
}

export interface GroupedQuestion {
  /** One wording of the group (the first asked). */
  question: string;
  count: number;
}

export interface StatsRows {
  days: DayCount[];
  up: number;
  down: number;
  /** Declined questions, most asked first. */
  declined: GroupedQuestion[];
  /** Questions whose answers got 👎, most 👎 first. */
  disliked: GroupedQuestion[];
  /** Documents by citations, most first. */
  cited: Array<{ documentId: string; cited: number }>;
}

export interface ExportRow {
  asked_at: number;
  channel_id: string;
  surface: string;
  text: string;
  answered: number;
  relevance: number | null;
  sources: string;
  up: number;
  down: number;
}

export interface CorpusChange {
  documents: number;
  added: readonly string[];
  changed: readonly string[];
  removed: readonly string[];
}

export interface StoreOptions {
  /** Clock, for tests. */
  now?: () => number;
  /** Open an existing database read-only (bench and tools); default false. */
  readonly?: boolean;
}

export class Store {
  /** The connection, for tests that need to make it fail (e.g. `PRAGMA query_only`). Not for queries. */
  readonly connection: Database.Database;
  readonly schemaVersion: number;
  private readonly secret: string;
  private readonly hashes = new Map<string, string>();
  private readonly now: () => number;
  private readonly s;

  private constructor(db: Database.Database, options: StoreOptions) {
    this.connection = db;
    this.now = options.now ?? Date.now;
    // First, so that even switching to WAL waits for another process (the shards share the file) instead of failing.
    db.pragma("busy_timeout = 2000");
    if (!options.readonly) {
      db.pragma("journal_mode = WAL");
      db.pragma("synchronous = NORMAL");
    }
    this.schemaVersion = options.readonly ? (db.pragma("user_version", { simple: true }) as number) : migrate(db);
    const s = {
      getMeta: db.prepare<[string], { value: string }>("SELECT value FROM meta WHERE key = ?"),
      insertMeta: options.readonly ? undefined : db.prepare<[string, string]>("INSERT OR IGNORE INTO meta (key, value) VALUES (?, ?)"),
      insertQuestion: db.prepare(
        `INSERT OR IGNORE INTO questions (id, guild_id, channel_id, asked_at, day, asker, surface, text, grouped, answered, relevance, sources)
         VALUES (@id, @guildId, @channelId, @askedAt, @day, @asker, @surface, @text, @grouped, @answered, @relevance, @sources)`,
      ),
      countDay: db.prepare(
        `INSERT INTO daily_questions (guild_id, day, asked, answered) VALUES (?, ?, 1, ?)
         ON CONFLICT (guild_id, day) DO UPDATE SET asked = asked + 1, answered = answered + excluded.answered`,
      ),
      countDeclined: db.prepare(
        `INSERT INTO daily_declined (guild_id, day, grouped, asked, question) VALUES (?, ?, ?, 1, ?)
         ON CONFLICT (guild_id, day, grouped) DO UPDATE SET asked = asked + 1`,
      ),
      countCitation: db.prepare(
        `INSERT INTO daily_citations (guild_id, day, document_id, cited) VALUES (?, ?, ?, 1)
         ON CONFLICT (guild_id, day, document_id) DO UPDATE SET cited = cited + 1`,
      ),
      question: db.prepare<[string], StoredQuestion>("SELECT id, guild_id AS guildId, text, asked_at AS askedAt FROM questions WHERE id = ?"),
      asker: db.prepare<[string], { asker: string }>("SELECT asker FROM questions WHERE id = ?"),
      vote: db.prepare<[string, string], { vote: number }>("SELECT vote FROM votes WHERE question_id = ? AND voter = ?"),
      upsertVote: db.prepare(
        `INSERT INTO votes (question_id, voter, vote, voted_at, guild_id, day, grouped)
         VALUES (?, ?, ?, ?, ?, ?, coalesce((SELECT grouped FROM questions WHERE id = ?), ''))
         ON CONFLICT (question_id, voter) DO UPDATE SET vote = excluded.vote, voted_at = excluded.voted_at`,
      ),
      deleteVote: db.prepare<[string, string]>("DELETE FROM votes WHERE question_id = ? AND voter = ?"),
      voteCounts: db.prepare<[string], { up: number; down: number }>(
        "SELECT coalesce(sum(vote = 1), 0) AS up, coalesce(sum(vote = -1), 0) AS down FROM votes WHERE question_id = ?",
      ),
      settings: db.prepare<[string], { overrides: string }>("SELECT overrides FROM guild_settings WHERE guild_id = ?"),
      allSettings: db.prepare<[], { guild_id: string; overrides: string }>("SELECT guild_id, overrides FROM guild_settings"),
      saveSettings: db.prepare(
        `INSERT INTO guild_settings (guild_id, overrides, updated_at) VALUES (?, ?, ?)
         ON CONFLICT (guild_id) DO UPDATE SET overrides = excluded.overrides, updated_at = excluded.updated_at`,
      ),
      insertCorpusChange: db.prepare("INSERT INTO corpus_changes (changed_at, documents, added, changed, removed) VALUES (?, ?, ?, ?, ?)"),
      days: db.prepare<[string, number], DayCount>("SELECT day, asked, answered FROM daily_questions WHERE guild_id = ? AND day >= ? ORDER BY day"),
      votesInWindow: db.prepare<[string, number], { vote: number; n: number }>(
        "SELECT vote, count(*) AS n FROM votes WHERE guild_id = ? AND vote IN (-1, 1) AND day >= ? GROUP BY vote",
      ),
      declined: db.prepare<[string, number, number], GroupedQuestion>(
        `SELECT min(question) AS question, sum(asked) AS count FROM daily_declined
         WHERE guild_id = ? AND day >= ? GROUP BY grouped ORDER BY count DESC, question LIMIT ?`,
      ),
      dislikedGroups: db.prepare<[string, number, number], { grouped: string; count: number }>(
        `SELECT grouped, count(*) AS count FROM votes WHERE guild_id = ? AND vote = -1 AND day >= ? AND grouped <> ''
         GROUP BY grouped ORDER BY count DESC, grouped LIMIT ?`,
      ),
      dislikedWording: db.prepare<[string, number, string], { text: string }>(
        `SELECT q.text FROM votes v JOIN questions q ON q.id = v.question_id
         WHERE v.guild_id = ? AND v.vote = -1 AND v.day >= ? AND v.grouped = ? LIMIT 1`,
      ),
      cited: db.prepare<[string, number], { documentId: string; cited: number }>(
        `SELECT document_id AS documentId, sum(cited) AS cited FROM daily_citations WHERE guild_id = ? AND day >= ?
         GROUP BY document_id ORDER BY cited DESC, documentId`,
      ),
      exportRows: db.prepare<[string, number], ExportRow>(
        `SELECT q.asked_at, q.channel_id, q.surface, q.text, q.answered, q.relevance, q.sources,
                coalesce((SELECT sum(vote = 1) FROM votes WHERE question_id = q.id), 0) AS up,
                coalesce((SELECT sum(vote = -1) FROM votes WHERE question_id = q.id), 0) AS down
         FROM questions q WHERE q.guild_id = ? AND q.asked_at >= ? ORDER BY q.asked_at DESC`,
      ),
      pruneVotes: db.prepare<[number]>("DELETE FROM votes WHERE question_id IN (SELECT id FROM questions WHERE asked_at < ?)"),
      pruneQuestions: db.prepare<[number]>("DELETE FROM questions WHERE asked_at < ?"),
      pruneDeclined: db.prepare<[number]>("DELETE FROM daily_declined WHERE day < ?"),
      countQuestions: db.prepare<[], { n: number }>("SELECT count(*) AS n FROM questions"),
    };
    this.s = s;
    this.secret = this.readSecret();
  }

  /** Opens (creating the file and its folder if needed) and migrates the database at `path`. */
  static open(path: string, options: StoreOptions = {}): Store {
    if (path !== ":memory:" && !options.readonly) mkdirSync(dirname(path), { recursive: true });
    const db = new Database(path, { readonly: options.readonly ?? false, fileMustExist: options.readonly ?? false });
    try {
      return new Store(db, options);
    } catch (error) {
      db.close();
      throw error;
    }
  }

  private readSecret(): string {
    const key = "user-hash-secret";
    this.s.insertMeta?.run(key, randomBytes(32).toString("hex"));
    const row = this.s.getMeta.get(key);
    if (row === undefined) throw new Error("The database has no user-hash secret");
    return row.value;
  }

  /** The stored form of a user id: HMAC-SHA256 with this install's secret, hex (recent ones memoised). */
  hashUser(userId: string): string {
    let hash = this.hashes.get(userId);
    if (hash === undefined) {
      if (this.hashes.size >= 10_000) this.hashes.clear();
      hash = createHmac("sha256", this.secret).update(userId).digest("hex");
      this.hashes.set(userId, hash);
    }
    return hash;
  }

  /** Logs questions in one transaction, with their daily counts (a question already logged is skipped). */
  recordQuestions(records: readonly QuestionRecord[]): void {
    const { insertQuestion, countDay, countDeclined, countCitation } = this.s;
    // IMMEDIATE (here and below): a transaction that takes the write lock at BEGIN waits for another process's
    // (busy_timeout); one that reads first and then writes fails at once ("database is locked") if another
    // process wrote meanwhile, as SQLite cannot move its snapshot.
    this.connection.transaction(() => {
      for (const r of records) {
        const day = Math.floor(r.askedAt / DAY_MS);
        const inserted = insertQuestion.run({
          id: r.id,
          guildId: r.guildId,
          channelId: r.channelId,
          askedAt: r.askedAt,
          day,
          asker: this.hashUser(r.userId),
          surface: r.surface,
          text: r.text,
          grouped: r.grouped,
          answered: r.answered ? 1 : 0,
          relevance: r.relevance,
          sources: JSON.stringify(r.sources),
        });
        if (inserted.changes === 0) continue;
        countDay.run(r.guildId, day, r.answered ? 1 : 0);
        if (!r.answered) countDeclined.run(r.guildId, day, r.grouped, r.text);
        for (const documentId of new Set(r.sources)) countCitation.run(r.guildId, day, documentId);
      }
    }).immediate();
  }

  question(id: string): StoredQuestion | undefined {
    return this.s.question.get(id);
  }

  /** Whether `userId` asked question `id` (false when the question is unknown). */
  isAsker(id: string, userId: string): boolean {
    return this.s.asker.get(id)?.asker === this.hashUser(userId);
  }

  /**
   * Records a 👍 (1) or 👎 (−1) on question `questionId` (asked in `on.guildId` at `on.askedAt`); the same vote
   * again withdraws it, the other one replaces it.
   */
  vote(questionId: string, userId: string, vote: VoteValue, on: { guildId: string; askedAt: number }): VoteOutcome {
    const voter = this.hashUser(userId);
    return this.connection.transaction((): VoteOutcome => {
      const previous = this.s.vote.get(questionId, voter)?.vote;
      if (previous === vote) {
        this.s.deleteVote.run(questionId, voter);
        return "withdrawn";
      }
      this.s.upsertVote.run(questionId, voter, vote, this.now(), on.guildId, Math.floor(on.askedAt / DAY_MS), questionId);
      return previous === undefined ? "added" : "changed";
    }).immediate();
  }

  voteCounts(questionId: string): { up: number; down: number } {
    return this.s.voteCounts.get(questionId) ?? { up: 0, down: 0 };
  }

  guildOverrides(guildId: string): GuildOverrides | undefined {
    const row = this.s.settings.get(guildId);
    return row === undefined ? undefined : (JSON.parse(row.overrides) as GuildOverrides);
  }

  allGuildOverrides(): Map<string, GuildOverrides> {
    return new Map(this.s.allSettings.all().map((r) => [r.guild_id, JSON.parse(r.overrides) as GuildOverrides]));
  }

  saveGuildOverrides(guildId: string, overrides: GuildOverrides): void {
    this.s.saveSettings.run(guildId, JSON.stringify(overrides), this.now());
  }

  recordCorpusChange(change: CorpusChange): void {
    this.s.insertCorpusChange.run(this.now(), change.documents, JSON.stringify(change.added), JSON.stringify(change.changed), JSON.stringify(change.removed));
  }

  /** The /stats figures of a server since UTC day `sinceDay`; `limit` rows per question list. */
  stats(guildId: string, sinceDay: number, limit = 5): StatsRows {
    const s = this.s;
    const read = this.connection.transaction(() => {
      const votes = s.votesInWindow.all(guildId, sinceDay);
      return {
        days: s.days.all(guildId, sinceDay),
        up: votes.find((v) => v.vote === 1)?.n ?? 0,
        down: votes.find((v) => v.vote === -1)?.n ?? 0,
        declined: s.declined.all(guildId, sinceDay, limit),
        disliked: s.dislikedGroups.all(guildId, sinceDay, limit).map((g) => ({
          question: s.dislikedWording.get(guildId, sinceDay, g.grouped)?.text ?? g.grouped,
          count: g.count,
        })),
        cited: s.cited.all(guildId, sinceDay),
      };
    });
    return read();
  }

  /** The logged questions of a server since `sinceDay`, newest first (read in index order, so a caller can stop early), with their votes; no user hashes. */
  exportQuestions(guildId: string, sinceDay: number): IterableIterator<ExportRow> {
    return this.s.exportRows.iterate(guildId, sinceDay * DAY_MS);
  }

  /** Deletes questions asked before `beforeMs`, the votes on them and the declined wordings of their days; returns how many questions went. */
  pruneQuestions(beforeMs: number): number {
    return this.connection.transaction(() => {
      this.s.pruneVotes.run(beforeMs);
      this.s.pruneDeclined.run(Math.floor(beforeMs / DAY_MS));
      return this.s.pruneQuestions.run(beforeMs).changes;
    }).immediate();
  }

  questionCount(): number {
    return this.s.countQuestions.get()?.n ?? 0;
  }

  close(): void {
    if (this.connection.open) this.connection.close();
  }
}
