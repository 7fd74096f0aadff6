import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { CONFIG_DEFAULTS, ConfigError, loadConfig, loadConfigFromEnvironment } from "../../src/config.js";

function problems(env: Record<string, string>): readonly string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe("loadConfig", () => {
  it("applies the defaults to an empty environment (no token: console mode)", () => {
    const config = loadConfig({});
    expect(config).toEqual({
      discordToken: undefined,
      discordApplicationId: undefined,
      discordGuildId: undefined,
      discordApiUrl: undefined,
      askChannelIds: [],
      moderatorRoleIds: [],
      cooldownSeconds: 3,
      logLevel: "info",
      corpusDir: "corpus",
      maxFileBytes: 5 * 1024 * 1024,
      maxQuestionChars: 500,
      maxUploadBytes: 5 * 1024 * 1024,
      cacheDir: ".cache",
      semantic: true,
      corpusWatch: false,
      corpusWatchDebounceMs: 1000,
      askChannelThreads: false,
      modLogChannelId: undefined,
      databasePath: "data/lookout.db",
      questionLogDays: 30,
      shardCount: "auto",
      shardRespawn: true,
      shard: undefined,
    });
    expect(CONFIG_DEFAULTS.maxFileBytes).toBe(5_242_880);
  });

  it("SHARD_COUNT: auto or a whole number; SHARD_RESPAWN; the shard id the ShardingManager gives its children", () => {
    expect(loadConfig({ SHARD_COUNT: "AUTO" }).shardCount).toBe("auto");
    expect(loadConfig({ SHARD_COUNT: "4" }).shardCount).toBe(4);
    expect(problems({ SHARD_COUNT: "0" })).toEqual(["SHARD_COUNT must be auto (Discord's recommended count) or a whole number ≥ 1, got '0'"]);
    expect(problems({ SHARD_COUNT: "two" })).toHaveLength(1);
    expect(loadConfig({ SHARD_RESPAWN: "off" }).shardRespawn).toBe(false);
    // What discord.js's Shard puts in a child's environment.
    expect(loadConfig({ SHARDING_MANAGER: "true", SHARDS: "1", SHARD_COUNT: "2" })).toMatchObject({ shard: { id: 1, count: 2 }, shardCount: 2 });
    expect(loadConfig({ SHARDS: "1", SHARD_COUNT: "2" }).shard).toBeUndefined();
    expect(problems({ SHARDING_MANAGER: "true", SHARDS: "2", SHARD_COUNT: "2" })).toHaveLength(1);
  });

  it("MAX_UPLOAD_BYTES: 10 MB by default, lowered to MAX_FILE_BYTES, never above it; CACHE_DIR", () => {
    expect(loadConfig({ MAX_FILE_BYTES: String(50 * 1024 * 1024) }).maxUploadBytes).toBe(10 * 1024 * 1024);
    expect(loadConfig({ MAX_FILE_BYTES: "1000" }).maxUploadBytes).toBe(1000);
    expect(loadConfig({ MAX_UPLOAD_BYTES: "2048" }).maxUploadBytes).toBe(2048);
    expect(loadConfig({ MAX_FILE_BYTES: String(50 * 1024 * 1024), MAX_UPLOAD_BYTES: String(20 * 1024 * 1024) }).maxUploadBytes).toBe(20 * 1024 * 1024);
    expect(problems({ MAX_FILE_BYTES: "1000", MAX_UPLOAD_BYTES: "2000" })).toEqual([
      "MAX_UPLOAD_BYTES (2000) must not exceed MAX_FILE_BYTES (1000): the corpus loader skips files over MAX_FILE_BYTES",
    ]);
    expect(problems({ MAX_UPLOAD_BYTES: "0" })).toEqual(["MAX_UPLOAD_BYTES must be a whole number ≥ 1, got '0'"]);
    expect(loadConfig({ CACHE_DIR: "/var/cache/lookout" }).cacheDir).toBe("/var/cache/lookout");
  });

  it("reads SEMANTIC as on or off, and names it when it is neither", () => {
    expect(loadConfig({ SEMANTIC: "off" }).semantic).toBe(false);
    expect(loadConfig({ SEMANTIC: "ON" }).semantic).toBe(true);
    expect(() => loadConfig({ SEMANTIC: "maybe" })).toThrow(/SEMANTIC must be on or off \(true or false\), got 'maybe'/);
  });

  it("reads CORPUS_WATCH as on or off and CORPUS_WATCH_DEBOUNCE_MS as milliseconds", () => {
    expect(loadConfig({ CORPUS_WATCH: "true", CORPUS_WATCH_DEBOUNCE_MS: "250" })).toMatchObject({ corpusWatch: true, corpusWatchDebounceMs: 250 });
    expect(loadConfig({ CORPUS_WATCH: "off" }).corpusWatch).toBe(false);
    expect(problems({ CORPUS_WATCH: "sometimes", CORPUS_WATCH_DEBOUNCE_MS: "1s" })).toEqual([
      "CORPUS_WATCH must be on or off (true or false), got 'sometimes'",
      "CORPUS_WATCH_DEBOUNCE_MS must be a whole number ≥ 0, got '1s'",
    ]);
  });

  it("treats blank values as unset, as in a copied .env.example", () => {
    const config = loadConfig({ DISCORD_TOKEN: "", COOLDOWN_SECONDS: "  ", ASK_CHANNEL_IDS: "" });
    expect(config.discordToken).toBeUndefined();
    expect(config.cooldownSeconds).toBe(3);
  });

  it("reads every variable", () => {
    const config = loadConfig({
      DISCORD_TOKEN: "abc.def.ghi",
      DISCORD_APPLICATION_ID: "123456789012345678",
      DISCORD_GUILD_ID: "223456789012345678",
      DISCORD_API_URL: "http://127.0.0.1:9999/api/",
      ASK_CHANNEL_IDS: "323456789012345678, 423456789012345678,323456789012345678",
      MODERATOR_ROLE_IDS: "523456789012345678",
      COOLDOWN_SECONDS: "0",
      LOG_LEVEL: "DEBUG",
      CORPUS_DIR: "/data/docs",
      MAX_FILE_BYTES: "1",
      MAX_QUESTION_CHARS: "120",
    });
    expect(config).toMatchObject({
      discordToken: "abc.def.ghi",
      discordApplicationId: "123456789012345678",
      discordGuildId: "223456789012345678",
      discordApiUrl: "http://127.0.0.1:9999/api",
      askChannelIds: ["323456789012345678", "423456789012345678"],
      moderatorRoleIds: ["523456789012345678"],
      cooldownSeconds: 0,
      logLevel: "debug",
      corpusDir: "/data/docs",
      maxFileBytes: 1,
      maxQuestionChars: 120,
    });
  });

  it("names the variable and what is wrong, for every problem at once", () => {
    const list = problems({
      COOLDOWN_SECONDS: "abc",
      MAX_FILE_BYTES: "0",
      MAX_QUESTION_CHARS: "-5",
      LOG_LEVEL: "verbose",
      DISCORD_GUILD_ID: "my-server",
      ASK_CHANNEL_IDS: "323456789012345678,general",
      DISCORD_API_URL: "ftp://example.com",
    });
    expect(list).toContain("COOLDOWN_SECONDS must be a whole number ≥ 0, got 'abc'");
    expect(list).toContain("MAX_FILE_BYTES must be a whole number ≥ 1, got '0'");
    expect(list).toContain("MAX_QUESTION_CHARS must be a whole number ≥ 1, got '-5'");
    expect(list.some((p) => p.startsWith("LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent, got 'verbose'"))).toBe(true);
    expect(list.some((p) => p.startsWith("DISCORD_GUILD_ID must be a Discord id") && p.includes("'my-server'"))).toBe(true);
    expect(list.some((p) => p.startsWith("ASK_CHANNEL_IDS") && p.includes("'general'") && !p.includes("323456789012345678"))).toBe(true);
    expect(list.some((p) => p.startsWith("DISCORD_API_URL must be an http(s) URL"))).toBe(true);
    expect(list).toHaveLength(7);
  });

  it("rejects fractional numbers and a 'Bot ' prefix without echoing the token", () => {
    expect(problems({ COOLDOWN_SECONDS: "2.5" })).toEqual(["COOLDOWN_SECONDS must be a whole number ≥ 0, got '2.5'"]);
    const list = problems({ DISCORD_TOKEN: "Bot secret-token-value" });
    expect(list).toHaveLength(1);
    expect(list[0]).toContain("DISCORD_TOKEN");
    expect(list.join(" ")).not.toContain("secret-token-value");
  });

  it("ConfigError's message lists the problems", () => {
    expect(() => loadConfig({ COOLDOWN_SECONDS: "x", MAX_QUESTION_CHARS: "y" })).toThrow(/COOLDOWN_SECONDS[\s\S]*MAX_QUESTION_CHARS/);
  });
});

describe("loadConfigFromEnvironment", () => {
  const temps: string[] = [];
  afterEach(() => {
    for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it("reads a .env file without touching process.env; real variables win", () => {
    const dir = mkdtempSync(join(tmpdir(), "lookout-env-"));
    temps.push(dir);
    const file = join(dir, ".env");
    writeFileSync(file, "MAX_QUESTION_CHARS=77\nLOOKOUT_TEST_ONLY=1\nCORPUS_DIR=from-file\n");
    const before = process.env.CORPUS_DIR;
    process.env.CORPUS_DIR = "from-env";
    try {
      const config = loadConfigFromEnvironment({ dotenvPath: file });
      expect(config.maxQuestionChars).toBe(77);
      expect(config.corpusDir).toBe("from-env");
      expect(process.env.LOOKOUT_TEST_ONLY).toBeUndefined();
    } finally {
      if (before === undefined) delete process.env.CORPUS_DIR;
      else process.env.CORPUS_DIR = before;
    }
  });
});
