/**
 * The database schema, as numbered migrations. Migration n (1-based) brings a database from
 * `PRAGMA user_version` n − 1 to n; `migrate` runs the missing ones at start, each in a transaction.
 * Never edit a migration that has shipped: add the next one.
 */
import type Database from "better-sqlite3";

export const MIGRATIONS: readonly string[] = [
  // 1: the question log, votes, per-server settings, corpus changes, daily roll-ups.
  `
  CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
  ) WITHOUT ROWID;

  -- One row per question asked; kept QUESTION_LOG_DAYS. id is the asking interaction's or message's
  -- snowflake, which is also the answer's key in button custom ids.
  CREATE TABLE questions (
    id         TEXT PRIMARY KEY,
    guild_id   TEXT NOT NULL,            -- '' for direct messages
    channel_id TEXT NOT NULL,
    asked_at   INTEGER NOT NULL,         -- ms since the epoch
    day        INTEGER NOT NULL,         -- UTC day number: asked_at / 86400000
    asker      TEXT NOT NULL,            -- HMAC-SHA256 of the user id with the install secret
    surface    TEXT NOT NULL,            -- slash, mention, dm, ask-channel, message-command
    text       TEXT NOT NULL,
    grouped    TEXT NOT NULL,            -- the question's index terms, to count rewordings once
    answered   INTEGER NOT NULL,
    relevance  REAL,                     -- the best excerpt's score
    sources    TEXT NOT NULL             -- JSON array of the cited document ids, best first
  );
  CREATE INDEX questions_by_guild_time ON questions (guild_id, asked_at);
  CREATE INDEX questions_by_time ON questions (asked_at);

  -- One vote per person per answer (voter hashed like asker); the question's server, day and wording group
  -- are repeated here so /stats counts and groups votes without visiting a million questions.
  CREATE TABLE votes (
    question_id TEXT NOT NULL,
    voter       TEXT NOT NULL,
    vote        INTEGER NOT NULL CHECK (vote IN (-1, 1)),
    voted_at    INTEGER NOT NULL,
    guild_id    TEXT NOT NULL,
    day         INTEGER NOT NULL,            -- the question's UTC day
    grouped     TEXT NOT NULL,               -- the question's wording group ('' when it was not logged)
    PRIMARY KEY (question_id, voter)
  ) WITHOUT ROWID;
  CREATE INDEX votes_by_guild_day ON votes (guild_id, vote, day, grouped);

  CREATE TABLE guild_settings (
    guild_id   TEXT PRIMARY KEY,
    overrides  TEXT NOT NULL,            -- JSON: only the settings changed with /settings
    updated_at INTEGER NOT NULL
  ) WITHOUT ROWID;

  CREATE TABLE corpus_changes (
    id         INTEGER PRIMARY KEY,
    changed_at INTEGER NOT NULL,
    documents  INTEGER NOT NULL,
    added      TEXT NOT NULL,            -- JSON arrays of document ids
    changed    TEXT NOT NULL,
    removed    TEXT NOT NULL
  );

  -- Counts without text or user, kept when the questions they count are deleted.
  CREATE TABLE daily_questions (
    guild_id TEXT NOT NULL,
    day      INTEGER NOT NULL,
    asked    INTEGER NOT NULL,
    answered INTEGER NOT NULL,
    PRIMARY KEY (guild_id, day)
  ) WITHOUT ROWID;
  -- Declined questions per day and wording group, with the group's first wording: /stats reads these
  -- instead of grouping every declined question. Holds question text, so it is pruned with the questions.
  CREATE TABLE daily_declined (
    guild_id TEXT NOT NULL,
    day      INTEGER NOT NULL,
    grouped  TEXT NOT NULL,
    asked    INTEGER NOT NULL,
    question TEXT NOT NULL,
    PRIMARY KEY (guild_id, day, grouped)
  ) WITHOUT ROWID;
  CREATE TABLE daily_citations (
    guild_id    TEXT NOT NULL,
    day         INTEGER NOT NULL,
    document_id TEXT NOT NULL,
    cited       INTEGER NOT NULL,
    PRIMARY KEY (guild_id, day, document_id)
  ) WITHOUT ROWID;
  `,
];

/**
 * Runs the migrations the database lacks; returns the schema version reached. Throws on a newer database.
 * Each step holds the write lock from its start (BEGIN IMMEDIATE) and reads the version again inside it, so that
 * processes opening one new file together (the shards of `npm run start:sharded`) run each migration once.
 */
export function migrate(db: Database.Database): number {
  const tooNew = (version: number) =>
    new Error(`The database has schema version ${version}, newer than this Lookout knows (${MIGRATIONS.length}); use a newer Lookout or another DATABASE_PATH.`);
  const initial = db.pragma("user_version", { simple: true }) as number;
  if (initial > MIGRATIONS.length) throw tooNew(initial);
  for (let version = initial + 1; version <= MIGRATIONS.length; version++) {
    db.transaction(() => {
      const current = db.pragma("user_version", { simple: true }) as number;
      if (current > MIGRATIONS.length) throw tooNew(current);
      if (current >= version) return; // another process ran it meanwhile
      db.exec(MIGRATIONS[version - 1] ?? "");
      db.pragma(`user_version = ${version}`);
    }).immediate();
  }
  return MIGRATIONS.length;
}
