/**
 * The logger: pino, JSON lines on stdout (or the given destination), level from the config.
 * Tokens are never logged: nothing passes one to the logger, and `redact` censors the likely paths anyway.
 */
import { pino, type DestinationStream, type Logger } from "pino";
import type { LogLevel } from "./config.js";

export type { Logger };

/** Paths censored in every log line (pino redact syntax). */
export const REDACTED_PATHS = [
  "token",
  "*.token",
  "discordToken",
  "*.discordToken",
  "config.discordToken",
  "authorization",
  "*.authorization",
  "headers.authorization",
  "*.headers.authorization",
  "headers.Authorization",
  "*.headers.Authorization",
  // discord.js REST errors carry the request URL, which holds the interaction token for webhook routes
  "err.url",
  "error.url",
];

/** `shard`: under the ShardingManager, every line carries the shard id of the process that wrote it. */
export function createLogger(options: { level: LogLevel; name?: string; shard?: number }, destination?: DestinationStream): Logger {
  const settings = {
    name: options.name ?? "lookout",
    level: options.level,
    redact: { paths: REDACTED_PATHS, censor: "[redacted]" },
  };
  const logger = destination === undefined ? pino(settings) : pino(settings, destination);
  return options.shard === undefined ? logger : logger.child({ shard: options.shard });
}
