/**
 * Per-server settings: the environment gives the defaults (through `Config`), a server's admins override
 * them with /settings (stored by the store), and `mergeSettings` is the one place the two meet.
 * Pure: no I/O, no Discord.
 */
import type { Config } from "./config.js";

export interface GuildSettings {
  /** Channels where every message is a question. */
  askChannelIds: readonly string[];
  /** Roles counted as moderators, besides members with Manage Server. */
  moderatorRoleIds: readonly string[];
  /** Seconds between two questions of one user; 0 turns the cooldown off. */
  cooldownSeconds: number;
  /** Answer ask-channel questions in a new thread named after the question. */
  askChannelThreads: boolean;
  /** Where settings changes and answers removed by moderators are noted; null: nowhere. */
  modLogChannelId: string | null;
}

/** Only what a server changed; a missing key falls back to the environment's default. */
export type GuildOverrides = Partial<GuildSettings>;

/** Longest cooldown /settings accepts. */
export const MAX_COOLDOWN_SECONDS = 3600;

export function defaultGuildSettings(config: Config): GuildSettings {
  return {
    askChannelIds: config.askChannelIds,
    moderatorRoleIds: config.moderatorRoleIds,
    cooldownSeconds: config.cooldownSeconds,
    askChannelThreads: config.askChannelThreads,
    modLogChannelId: config.modLogChannelId ?? null,
  };
}

/** The settings in force: each override where a server set one, the default elsewhere. */
export function mergeSettings(defaults: GuildSettings, overrides: GuildOverrides | undefined): GuildSettings {
  if (overrides === undefined) return defaults;
  const clean = parseOverrides(overrides);
  return { ...defaults, ...clean };
}

const SNOWFLAKE = /^\d{17,20}$/;
const isIdList = (v: unknown): v is string[] => Array.isArray(v) && v.every((id) => typeof id === "string" && SNOWFLAKE.test(id));

/** Keeps the well-formed overrides of a stored value (a damaged or older row cannot break the bot). */
export function parseOverrides(value: unknown): GuildOverrides {
  if (typeof value !== "object" || value === null) return {};
  const v = value as Record<string, unknown>;
  const out: GuildOverrides = {};
  if (isIdList(v.askChannelIds)) out.askChannelIds = v.askChannelIds;
  if (isIdList(v.moderatorRoleIds)) out.moderatorRoleIds = v.moderatorRoleIds;
  if (typeof v.cooldownSeconds === "number" && Number.isInteger(v.cooldownSeconds) && v.cooldownSeconds >= 0 && v.cooldownSeconds <= MAX_COOLDOWN_SECONDS) {
    out.cooldownSeconds = v.cooldownSeconds;
  }
  if (typeof v.askChannelThreads === "boolean") out.askChannelThreads = v.askChannelThreads;
  if (v.modLogChannelId === null || (typeof v.modLogChannelId === "string" && SNOWFLAKE.test(v.modLogChannelId))) out.modLogChannelId = v.modLogChannelId;
  return out;
}
