/**
 * The bot's configuration pointed at a stand-in: its token and API address, no cooldown between questions,
 * an in-memory question log unless `overrides` says otherwise. Tests and the Discord benches start the bot this way.
 */
import { loadConfig, type Config } from "../../src/config.js";
import type { DiscordStandIn } from "./index.js";

export function botConfigFor(standIn: Pick<DiscordStandIn, "token" | "apiUrl">, overrides: Partial<Config> = {}): Config {
  return { ...loadConfig({}), discordToken: standIn.token, discordApiUrl: standIn.apiUrl, cooldownSeconds: 0, databasePath: ":memory:", ...overrides };
}
