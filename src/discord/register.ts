/**
 * `npm run register`: registers the slash commands, built from the same modules the bot dispatches to.
 * With DISCORD_GUILD_ID set, the commands are PUT to that guild (they appear at once; good for testing);
 * otherwise globally (may take a while to show up). A PUT replaces the whole set, so removed commands vanish.
 *
 * /refresh depends on MODERATOR_ROLE_IDS (see commands/refresh.ts `definition`): without it, Discord shows the
 * command only to members with Manage Server; with it, to every member, and the bot checks the roles. Run the
 * script again after changing MODERATOR_ROLE_IDS.
 *
 * The application id is DISCORD_APPLICATION_ID when set; otherwise it is fetched with GET /applications/@me,
 * and if that fails it is read from the token (its first segment is the bot's user id in base64, which is
 * the application id for every bot application).
 */
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { REST, Routes, type RESTPostAPIApplicationCommandsJSONBody } from "discord.js";
import { ConfigError, loadConfigFromEnvironment } from "../config.js";
import { createLogger, type Logger } from "../log.js";
import { allCommandDefinitions } from "./commands/index.js";
import type { CommandSettings } from "./context.js";

/** The registration body for these settings: every command's JSON (slash commands, then message commands), in order. */
export function commandDefinitions(settings: CommandSettings): RESTPostAPIApplicationCommandsJSONBody[] {
  return allCommandDefinitions(settings);
}

/** The bot's id encoded in a token's first segment, if it decodes to a snowflake. */
export function applicationIdFromToken(token: string): string | undefined {
  const first = token.split(".")[0] ?? "";
  const decoded = Buffer.from(first, "base64").toString("utf8");
  return /^\d{17,20}$/.test(decoded) ? decoded : undefined;
}

export interface RegisterOptions {
  token: string;
  applicationId?: string;
  guildId?: string;
  /** REST base URL without the version (DISCORD_API_URL); Discord's when unset. */
  apiUrl?: string;
  /** MODERATOR_ROLE_IDS: when non-empty, /refresh is registered without a default permission (the bot checks the roles). */
  moderatorRoleIds: readonly string[];
}

export interface RegisterResult {
  applicationId: string;
  scope: "guild" | "global";
  route: string;
  commands: string[];
}

export async function registerCommands(options: RegisterOptions, logger?: Logger): Promise<RegisterResult> {
  const rest = new REST(options.apiUrl === undefined ? {} : { api: options.apiUrl }).setToken(options.token);
  let applicationId = options.applicationId;
  if (applicationId === undefined) {
    try {
      const app = (await rest.get(Routes.currentApplication())) as { id: string };
      applicationId = app.id;
    } catch (error) {
      applicationId = applicationIdFromToken(options.token);
      if (applicationId === undefined) {
        throw new Error(
          `Could not find the application id: GET /applications/@me failed (${error instanceof Error ? error.message : String(error)}) and the token does not encode it. Set DISCORD_APPLICATION_ID.`,
        );
      }
      logger?.warn({ err: error }, "GET /applications/@me failed; using the id encoded in the token");
    }
  }
  const body = commandDefinitions({ moderatorRoleIds: options.moderatorRoleIds });
  const route = options.guildId === undefined ? Routes.applicationCommands(applicationId) : Routes.applicationGuildCommands(applicationId, options.guildId);
  await rest.put(route, { body });
  const result: RegisterResult = {
    applicationId,
    scope: options.guildId === undefined ? "global" : "guild",
    route,
    commands: body.map((c) => c.name),
  };
  logger?.info({ ...result, guild: options.guildId }, `registered ${body.length} commands (${result.scope})`);
  logger?.info(
    options.moderatorRoleIds.length > 0
      ? "/refresh is visible to every member (MODERATOR_ROLE_IDS is set); the bot lets in Manage Server and those roles and refuses the rest privately"
      : "/refresh is visible only to members with Manage Server (MODERATOR_ROLE_IDS is not set)",
  );
  return result;
}

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfigFromEnvironment();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exitCode = 1;
      return;
    }
    throw error;
  }
  const logger = createLogger({ level: config.logLevel, name: "lookout-register" });
  if (config.discordToken === undefined) {
    logger.error("DISCORD_TOKEN is not set: nothing to register. Put it in .env (see .env.example).");
    process.exitCode = 1;
    return;
  }
  try {
    const result = await registerCommands(
      {
        token: config.discordToken,
        ...(config.discordApplicationId === undefined ? {} : { applicationId: config.discordApplicationId }),
        ...(config.discordGuildId === undefined ? {} : { guildId: config.discordGuildId }),
        ...(config.discordApiUrl === undefined ? {} : { apiUrl: config.discordApiUrl }),
        moderatorRoleIds: config.moderatorRoleIds,
      },
      logger,
    );
    if (result.scope === "global") logger.info("global commands can take up to an hour to appear; set DISCORD_GUILD_ID for instant guild commands while testing");
  } catch (error) {
    logger.error({ err: error }, "registering the commands failed");
    process.exitCode = 1;
  }
}

const entry = process.argv[1];
if (entry !== undefined && import.meta.url === pathToFileURL(resolve(entry)).href) {
  await main();
}
