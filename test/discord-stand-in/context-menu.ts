/**
 * Message context-menu commands (right-click a message → Apps → name), as Discord sends them
 * (https://discord.com/developers/docs/interactions/application-commands#message-commands): an
 * APPLICATION_COMMAND interaction whose data has type MESSAGE (3), no options, the message's id as target_id,
 * and the message itself in resolved.messages. The message's content is included whether or not the app has
 * the Message Content intent (Discord exempts the target of a message command).
 */
import { ApplicationCommandType } from 'discord.js';
import type { APIMessage, APIMessageApplicationCommandInteraction } from 'discord-api-types/v10';
import { buildSlashCommand, type InteractionContext } from './payloads.js';

export function buildMessageCommand(
  ctx: InteractionContext,
  command: { id: string; name: string; guildId?: string },
  target: APIMessage,
): APIMessageApplicationCommandInteraction {
  // The same interaction as a slash command without options, but for data.type and the target.
  const base = buildSlashCommand(ctx, command, undefined);
  return {
    ...base,
    data: { ...base.data, type: ApplicationCommandType.Message, target_id: target.id, resolved: { messages: { [target.id]: target } } },
  } as APIMessageApplicationCommandInteraction;
}
