/**
 * Message context-menu commands (right-click a message → Apps → name), as Discord sends them
 * (https://discord.com/developers/docs/interactions/application-commands#message-commands): an
 * APPLICATION_COMMAND interaction whose data has type MESSAGE (3), the message's id as target_id, and the
 * message itself in resolved.messages. The message's content is included whether or not the app has the
 * Message Content intent (Discord exempts the target of a message command).
 */
import { ApplicationCommandType, InteractionType } from 'discord.js';
import type { APIMessage, APIMessageApplicationCommandInteraction } from 'discord-api-types/v10';
import { baseInteraction, type InteractionContext } from './payloads.js';

export function buildMessageCommand(
  ctx: InteractionContext,
  command: { id: string; name: string; guildId?: string },
  target: APIMessage,
): APIMessageApplicationCommandInteraction {
  return {
    ...baseInteraction(ctx),
    type: InteractionType.ApplicationCommand,
    data: {
      id: command.id,
      name: command.name,
      type: ApplicationCommandType.Message,
      target_id: target.id,
      resolved: { messages: { [target.id]: target } },
      ...(command.guildId ? { guild_id: command.guildId } : {}),
    },
  } as APIMessageApplicationCommandInteraction;
}
