/** Every slash command, for the dispatcher and for `npm run register` alike. */
import type { RESTPostAPIApplicationCommandsJSONBody } from "discord.js";
import type { Command, CommandSettings, MessageCommand } from "../context.js";
import * as ask from "./ask.js";
import * as corpus from "./corpus.js";
import { findInSourcesPing, findInSourcesQuiet } from "./find-in-sources.js";
import * as help from "./help.js";
import * as refresh from "./refresh.js";
import * as source from "./source.js";
import * as settings from "./settings.js";
import * as sources from "./sources.js";
import * as stats from "./stats.js";

export const commands: readonly Command[] = [ask, sources, source, help, refresh, settings, stats, corpus];

/** Message commands (right-click a message → Apps). */
export const messageCommands: readonly MessageCommand[] = [findInSourcesQuiet, findInSourcesPing];

export const messageCommandsByName: ReadonlyMap<string, MessageCommand> = new Map(messageCommands.map((c) => [c.data.name, c]));

/** Every command's registration body for these settings, slash commands first: what `npm run register` sends. */
export function allCommandDefinitions(settings: CommandSettings): RESTPostAPIApplicationCommandsJSONBody[] {
  return [...commands.map((c) => c.definition?.(settings) ?? c.data.toJSON()), ...messageCommands.map((c) => c.data.toJSON())];
}

export const commandsByName: ReadonlyMap<string, Command> = new Map(commands.map((c) => [c.data.name, c]));
