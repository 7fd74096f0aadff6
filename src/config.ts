/**
 * Settings: environment variables → typed, validated `Config`.
 * This is the only module that reads `process.env` (and the optional `.env` file).
 * Every variable is documented in `.env.example` at the repository root.
 */
import { config as parseDotenv } from "dotenv";

export const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface Config {
  /** DISCORD_TOKEN: the bot token. Undefined → no Discord bot; the console chat starts instead. */
  discordToken: string | undefined;
  /** DISCORD_APPLICATION_ID: used by `npm run register`; when unset it is fetched with GET /applications/@me. */
  discordApplicationId: string | undefined;
  /** DISCORD_GUILD_ID: register commands in this guild only (instant); unset → global registration. */
  discordGuildId: string | undefined;
  /** DISCORD_API_URL: REST base URL without the version, e.g. "https://discord.com/api" (the default when unset). */
  discordApiUrl: string | undefined;
  /** ASK_CHANNEL_IDS: channels where every message is taken as a question (needs the Message Content intent). */
  askChannelIds: readonly string[];
  /** MODERATOR_ROLE_IDS: roles allowed to run /refresh besides members with Manage Server. */
  moderatorRoleIds: readonly string[];
  /** COOLDOWN_SECONDS: per-user pause between questions; 0 disables it. */
  cooldownSeconds: number;
  /** LOG_LEVEL: pino level. */
  logLevel: LogLevel;
  /** CORPUS_DIR: folder of the documents. */
  corpusDir: string;
  /** MAX_FILE_BYTES: larger corpus files are skipped. */
  maxFileBytes: number;
  /** MAX_QUESTION_CHARS: longer questions are declined. */
  maxQuestionChars: number;
  /** MAX_UPLOAD_BYTES: larger files are refused by /corpus add; never above MAX_FILE_BYTES (the loader would skip them). */
  maxUploadBytes: number;
  /** CACHE_DIR: the cache folder (git-ignored): saved sentence vectors, and trash/ for files removed with /corpus remove. */
  cacheDir: string;
  /** CORPUS_WATCH: refresh when files in CORPUS_DIR change (debounced; off = only /refresh and /corpus refresh). */
  corpusWatch: boolean;
  /** CORPUS_WATCH_DEBOUNCE_MS: watch mode waits this long without a change before it refreshes. */
  corpusWatchDebounceMs: number;
  /** SEMANTIC: reorder BM25's candidates by meaning too (a sentence encoder in a worker thread); off = BM25 alone. */
  semantic: boolean;
  /** ASK_CHANNEL_THREADS: answer questions asked in ask channels in a new thread (per server: /settings). */
  askChannelThreads: boolean;
  /** MOD_LOG_CHANNEL_ID: channel where settings changes and answers removed by moderators are noted (per server: /settings). */
  modLogChannelId: string | undefined;
  /** DATABASE_PATH: the SQLite file of the question log, votes and per-server settings. */
  databasePath: string;
  /** QUESTION_LOG_DAYS: question texts (and their votes) are deleted after this many days. */
  questionLogDays: number;
  /** SHARD_COUNT: shards `npm run start:sharded` starts; "auto" asks Discord (GET /gateway/bot) for its recommended count. */
  shardCount: number | "auto";
  /** SHARD_RESPAWN: `npm run start:sharded` starts a shard again when its process exits. */
  shardRespawn: boolean;
  /**
   * The shard this process is, when discord.js's ShardingManager started it (it sets SHARDING_MANAGER, SHARDS and
   * SHARD_COUNT in the child's environment); undefined under plain `npm start`.
   */
  shard: { id: number; count: number } | undefined;
}

/** Defaults, in one place. */
export const CONFIG_DEFAULTS = {
  cooldownSeconds: 3,
  logLevel: "info",
  corpusDir: "corpus",
  maxFileBytes: 5 * 1024 * 1024,
  maxQuestionChars: 500,
  /** 10 MB (Discord's upload limit for members without Nitro), lowered to MAX_FILE_BYTES when that is smaller. */
  maxUploadBytes: 10 * 1024 * 1024,
  semantic: true,
  corpusWatch: false,
  corpusWatchDebounceMs: 1000,
  cacheDir: ".cache",
  askChannelThreads: false,
  databasePath: "data/lookout.db",
  questionLogDays: 30,
  shardCount: "auto",
  shardRespawn: true,
} as const satisfies Partial<Config>;

/** Thrown by `loadConfig`; `problems` lists every invalid variable, one sentence each. */
export class ConfigError extends Error {
  readonly problems: readonly string[];
  constructor(problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ConfigError";
    this.problems = problems;
  }
}

export type Env = Readonly<Record<string, string | undefined>>;

const SNOWFLAKE = /^\d{17,20}$/;

/** Validates an environment (default: `process.env`) into a `Config`; throws `ConfigError` listing all problems. */
export function loadConfig(env: Env = process.env): Config {
  const problems: string[] = [];
  /** The trimmed value, or undefined when unset or blank. */
  const read = (name: string): string | undefined => {
    const value = env[name]?.trim();
    return value === undefined || value === "" ? undefined : value;
  };

  const wholeNumber = (name: string, fallback: number, min: number): number => {
    const raw = read(name);
    if (raw === undefined) return fallback;
    const value = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
    if (!Number.isSafeInteger(value) || value < min) {
      problems.push(`${name} must be a whole number ≥ ${min}, got '${raw}'`);
      return fallback;
    }
    return value;
  };

  const snowflake = (name: string): string | undefined => {
    const raw = read(name);
    if (raw !== undefined && !SNOWFLAKE.test(raw)) {
      problems.push(`${name} must be a Discord id (a snowflake of 17–20 digits), got '${raw}'`);
      return undefined;
    }
    return raw;
  };

  const snowflakeList = (name: string): string[] => {
    const raw = read(name);
    if (raw === undefined) return [];
    const ids = raw
      .split(",")
      .map((s) => s.trim())
      .filter((s) => s !== "");
    const bad = ids.filter((id) => !SNOWFLAKE.test(id));
    if (bad.length > 0) {
      problems.push(
        `${name} must be a comma-separated list of Discord ids (snowflakes of 17–20 digits); not ids: ${bad.map((b) => `'${b}'`).join(", ")}`,
      );
      return ids.filter((id) => SNOWFLAKE.test(id));
    }
    return [...new Set(ids)];
  };

  const boolean = (name: string, fallback: boolean): boolean => {
    const raw = read(name);
    if (raw === undefined) return fallback;
    if (/^(true|1|yes|on)$/i.test(raw)) return true;
    if (/^(false|0|no|off)$/i.test(raw)) return false;
    problems.push(`${name} must be on or off (true or false), got '${raw}'`);
    return fallback;
  };

  let discordToken = read("DISCORD_TOKEN");
  if (discordToken !== undefined) {
    // Never echo the token itself in a message.
    if (/^(Bot|Bearer)\s/i.test(discordToken)) {
      problems.push("DISCORD_TOKEN must be the bare token, without a 'Bot ' or 'Bearer ' prefix");
      discordToken = undefined;
    } else if (/\s/.test(discordToken)) {
      problems.push("DISCORD_TOKEN must not contain spaces or line breaks");
      discordToken = undefined;
    }
  }

  let discordApiUrl = read("DISCORD_API_URL");
  if (discordApiUrl !== undefined) {
    let url: URL | undefined;
    try {
      url = new URL(discordApiUrl);
    } catch {
      url = undefined;
    }
    if (url === undefined || (url.protocol !== "http:" && url.protocol !== "https:")) {
      problems.push(`DISCORD_API_URL must be an http(s) URL such as https://discord.com/api, got '${discordApiUrl}'`);
      discordApiUrl = undefined;
    } else {
      discordApiUrl = discordApiUrl.replace(/\/+$/, "");
    }
  }

  let logLevel: LogLevel = CONFIG_DEFAULTS.logLevel;
  const rawLevel = read("LOG_LEVEL");
  if (rawLevel !== undefined) {
    const level = rawLevel.toLowerCase();
    if ((LOG_LEVELS as readonly string[]).includes(level)) logLevel = level as LogLevel;
    else problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(", ")}, got '${rawLevel}'`);
  }

  const shardCount = (): number | "auto" => {
    const raw = read("SHARD_COUNT");
    if (raw === undefined || raw.toLowerCase() === "auto") return CONFIG_DEFAULTS.shardCount;
    const value = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
    if (Number.isSafeInteger(value) && value >= 1) return value;
    problems.push(`SHARD_COUNT must be auto (Discord's recommended count) or a whole number ≥ 1, got '${raw}'`);
    return CONFIG_DEFAULTS.shardCount;
  };

  // Set by discord.js's ShardingManager in each shard process it forks (SHARDS is this process's shard id).
  const shard = (): Config["shard"] => {
    if (read("SHARDING_MANAGER") === undefined) return undefined;
    const id = Number(read("SHARDS"));
    const count = Number(read("SHARD_COUNT"));
    if (!Number.isInteger(id) || !Number.isInteger(count) || id < 0 || id >= count) {
      problems.push(`SHARDING_MANAGER is set but SHARDS ('${read("SHARDS") ?? ""}') and SHARD_COUNT ('${read("SHARD_COUNT") ?? ""}') are not a shard id below the count`);
      return undefined;
    }
    return { id, count };
  };

  const config: Config = {
    discordToken,
    discordApplicationId: snowflake("DISCORD_APPLICATION_ID"),
    discordGuildId: snowflake("DISCORD_GUILD_ID"),
    discordApiUrl,
    askChannelIds: snowflakeList("ASK_CHANNEL_IDS"),
    moderatorRoleIds: snowflakeList("MODERATOR_ROLE_IDS"),
    cooldownSeconds: wholeNumber("COOLDOWN_SECONDS", CONFIG_DEFAULTS.cooldownSeconds, 0),
    logLevel,
    corpusDir: read("CORPUS_DIR") ?? CONFIG_DEFAULTS.corpusDir,
    maxFileBytes: wholeNumber("MAX_FILE_BYTES", CONFIG_DEFAULTS.maxFileBytes, 1),
    maxQuestionChars: wholeNumber("MAX_QUESTION_CHARS", CONFIG_DEFAULTS.maxQuestionChars, 1),
    maxUploadBytes: 0, // below: it depends on MAX_FILE_BYTES
    semantic: boolean("SEMANTIC", CONFIG_DEFAULTS.semantic),
    corpusWatch: boolean("CORPUS_WATCH", CONFIG_DEFAULTS.corpusWatch),
    corpusWatchDebounceMs: wholeNumber("CORPUS_WATCH_DEBOUNCE_MS", CONFIG_DEFAULTS.corpusWatchDebounceMs, 0),
    cacheDir: read("CACHE_DIR") ?? CONFIG_DEFAULTS.cacheDir,
    askChannelThreads: boolean("ASK_CHANNEL_THREADS", CONFIG_DEFAULTS.askChannelThreads),
    modLogChannelId: snowflake("MOD_LOG_CHANNEL_ID"),
    databasePath: read("DATABASE_PATH") ?? CONFIG_DEFAULTS.databasePath,
    questionLogDays: wholeNumber("QUESTION_LOG_DAYS", CONFIG_DEFAULTS.questionLogDays, 1),
    shardCount: shardCount(),
    shardRespawn: boolean("SHARD_RESPAWN", CONFIG_DEFAULTS.shardRespawn),
    shard: shard(),
  };
  // An upload the loader would skip (over MAX_FILE_BYTES) is pointless: the default follows MAX_FILE_BYTES down,
  // and an explicit MAX_UPLOAD_BYTES above it is an error rather than a silent change.
  const upload = read("MAX_UPLOAD_BYTES");
  config.maxUploadBytes = wholeNumber("MAX_UPLOAD_BYTES", Math.min(CONFIG_DEFAULTS.maxUploadBytes, config.maxFileBytes), 1);
  if (upload !== undefined && config.maxUploadBytes > config.maxFileBytes) {
    problems.push(
      `MAX_UPLOAD_BYTES (${config.maxUploadBytes}) must not exceed MAX_FILE_BYTES (${config.maxFileBytes}): the corpus loader skips files over MAX_FILE_BYTES`,
    );
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

/**
 * Reads `.env` (if present; real environment variables win over it, and `process.env` is left untouched)
 * and validates the result with `loadConfig`.
 */
/** For the entry points (npm start, start:sharded): a wrong setting is named on stderr and the process ends. */
export function loadConfigOrExit(): Config {
  try {
    return loadConfigFromEnvironment();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\nSee .env.example for every variable.\n`);
    process.exit(1);
  }
}

export function loadConfigFromEnvironment(options: { dotenvPath?: string } = {}): Config {
  const fromFile: Record<string, string> = {};
  parseDotenv({ path: options.dotenvPath ?? ".env", processEnv: fromFile, quiet: true });
  return loadConfig({ ...fromFile, ...process.env });
}
