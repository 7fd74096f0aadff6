/** The store (real SQLite files in a temporary folder), settings merging and the CSV helpers. */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.js";
import { defaultGuildSettings, mergeSettings, parseOverrides } from "../../src/settings.js";
import { csvField, csvLine } from "../../src/stats/csv.js";
import { MIGRATIONS } from "../../src/store/migrations.js";
import { DAY_MS, Store, type QuestionRecord } from "../../src/store/store.js";

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
function tempPath(): string {
  const dir = mkdtempSync(join(tmpdir(), "lookout-store-"));
  dirs.push(dir);
  return join(dir, "nested", "lookout.db");
}

const question = (id: string, fields: Partial<QuestionRecord> = {}): QuestionRecord => ({
  id,
  guildId: "g",
  channelId: "c",
  userId: "123456789012345678",
  askedAt: Date.now(),
  surface: "slash",
  text: `question ${id}`,
  grouped: `question ${id}`,
  answered: true,
  relevance: 1.5,
  sources: ["a.txt", "b.txt"],
  ...fields,
});

const ON = { guildId: "g", askedAt: Date.now() };

describe("Store", () => {
  it("creates the file and folder, migrates to the last version, in WAL mode, and reopens without migrating again", () => {
    const path = tempPath();
    const store = Store.open(path);
    expect(store.schemaVersion).toBe(MIGRATIONS.length);
    expect(store.connection.pragma("user_version", { simple: true })).toBe(MIGRATIONS.length);
    expect(store.connection.pragma("journal_mode", { simple: true })).toBe("wal");
    const hash = store.hashUser("123456789012345678");
    store.close();
    const again = Store.open(path);
    expect(again.hashUser("123456789012345678")).toBe(hash); // the install secret is kept
    again.close();
  });

  it("refuses a database from a newer Lookout", () => {
    const path = tempPath();
    Store.open(path).close();
    const db = new Database(path);
    db.pragma(`user_version = ${MIGRATIONS.length + 1}`);
    db.close();
    expect(() => Store.open(path)).toThrow(/newer than this Lookout knows/);
  });

  it("stores user ids only as HMAC-SHA256 with the install's secret", () => {
    const a = Store.open(tempPath());
    const b = Store.open(tempPath());
    const id = "123456789012345678";
    expect(a.hashUser(id)).toMatch(/^[0-9a-f]{64}$/);
    expect(a.hashUser(id)).not.toBe(b.hashUser(id));
    a.recordQuestions([question("1")]);
    const dump = JSON.stringify(a.connection.prepare("SELECT * FROM questions").all());
    expect(dump).not.toContain(id);
    expect(a.isAsker("1", id)).toBe(true);
    expect(a.isAsker("1", "223456789012345678")).toBe(false);
    a.close();
    b.close();
  });

  it("counts a question once even when logged twice, with its daily counts and citations", () => {
    const store = Store.open(tempPath());
    const day = Math.floor(Date.now() / DAY_MS);
    store.recordQuestions([question("1"), question("1"), question("2", { answered: false, sources: [] })]);
    const stats = store.stats("g", day);
    expect(stats.days).toEqual([{ day, asked: 2, answered: 1 }]);
    expect(stats.cited).toEqual([
      { documentId: "a.txt", cited: 1 },
      { documentId: "b.txt", cited: 1 },
    ]);
    expect(stats.declined).toEqual([{ question: "question 2", count: 1 }]);
    store.close();
  });

  it("votes: add, change, withdraw", () => {
    const store = Store.open(tempPath());
    expect(store.vote("1", "u", 1, ON)).toBe("added");
    expect(store.vote("1", "u", -1, ON)).toBe("changed");
    expect(store.voteCounts("1")).toEqual({ up: 0, down: 1 });
    expect(store.vote("1", "u", -1, ON)).toBe("withdrawn");
    expect(store.voteCounts("1")).toEqual({ up: 0, down: 0 });
    store.close();
  });

  it("prunes old questions with their votes", () => {
    const store = Store.open(tempPath());
    store.recordQuestions([question("old", { askedAt: Date.now() - 31 * DAY_MS }), question("new")]);
    store.vote("old", "u", 1, ON);
    expect(store.pruneQuestions(Date.now() - 30 * DAY_MS)).toBe(1);
    expect(store.question("old")).toBeUndefined();
    expect(store.voteCounts("old")).toEqual({ up: 0, down: 0 });
    expect(store.questionCount()).toBe(1);
    store.close();
  });
});

describe("per-server settings", () => {
  const defaults = defaultGuildSettings({ ...loadConfig({}), askChannelIds: ["123456789012345678"], cooldownSeconds: 3 });

  it("uses the environment's defaults where a server changed nothing", () => {
    expect(mergeSettings(defaults, undefined)).toEqual(defaults);
    expect(mergeSettings(defaults, { cooldownSeconds: 10 })).toEqual({ ...defaults, cooldownSeconds: 10 });
    expect(mergeSettings(defaults, { askChannelIds: [], modLogChannelId: null })).toMatchObject({ askChannelIds: [], modLogChannelId: null });
  });

  it("ignores malformed stored overrides", () => {
    expect(parseOverrides({ cooldownSeconds: -1, askChannelIds: ["x"], askChannelThreads: "yes", moderatorRoleIds: ["223456789012345678"] })).toEqual({
      moderatorRoleIds: ["223456789012345678"],
    });
    expect(parseOverrides(null)).toEqual({});
  });
});

describe("CSV", () => {
  it("quotes what needs quoting and defuses formulas", () => {
    expect(csvField('a "b", c')).toBe('"a ""b"", c"');
    expect(csvField("=HYPERLINK(1)")).toBe("'=HYPERLINK(1)");
    expect(csvField(-3)).toBe("-3");
    expect(csvField(null)).toBe("");
    expect(csvLine(["x", "line\nbreak", 1])).toBe('x,"line\nbreak",1\r\n');
  });
});
