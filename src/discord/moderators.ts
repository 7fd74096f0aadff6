/** Who counts as a moderator in a server: Manage Server, or a role in the server's moderator roles (/settings). */
import { GuildMemberRoleManager, PermissionFlagsBits, type BaseInteraction } from "discord.js";
import type { BotContext } from "./context.js";

export function isServerModerator(interaction: BaseInteraction, ctx: BotContext): boolean {
  if (!interaction.inGuild()) return false;
  if (interaction.memberPermissions.has(PermissionFlagsBits.ManageGuild)) return true;
  const moderatorRoleIds = ctx.guildSettings.get(interaction.guildId).moderatorRoleIds;
  const roles = interaction.member.roles;
  const roleIds = roles instanceof GuildMemberRoleManager ? [...roles.cache.keys()] : roles;
  return roleIds.some((id) => moderatorRoleIds.includes(id));
}

/** Notes a moderator action in the server's mod-log channel, if it has one. Never throws. */
export async function noteInModLog(interaction: BaseInteraction, ctx: BotContext, text: string): Promise<void> {
  if (!interaction.inGuild()) return;
  const channelId = ctx.guildSettings.get(interaction.guildId).modLogChannelId;
  if (channelId === null) return;
  try {
    const channel = interaction.client.channels.cache.get(channelId) ?? (await interaction.client.channels.fetch(channelId));
    if (channel?.isSendable()) await channel.send({ content: text.slice(0, 2000), allowedMentions: { parse: [] } });
  } catch (error) {
    ctx.logger.warn({ err: error, channel: channelId }, "could not write to the mod-log channel");
  }
}
