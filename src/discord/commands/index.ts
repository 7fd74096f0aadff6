/** Every slash command, for the dispatcher and for `npm run register` alike. */
import type { Command } from "../context.js";
import * as ask from "./ask.js";
import * as help from "./help.js";
import * as refresh from "./refresh.js";
import * as source from "./source.js";
import * as sources from "./sources.js";

export const commands: readonly Command[] = [ask, sources, source, help, refresh];

export const commandsByName: ReadonlyMap<string, Command> = new Map(commands.map((c) => [c.data.name, c]));
