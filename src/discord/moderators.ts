/** Who counts as a moderator in a server: Manage Server, or a role in the server's moderator roles (/settings). */
import { GuildMemberRoleManager, MessageFlags, PermissionFlagsBits, type BaseInteraction, type ChatInputCommandInteraction } from "discord.js";
import type { BotContext, CommandSettings } from "./context.js";
import { notice } from "./format.js";

/** The permission that makes a member a moderator, in the handlers and in the registration alike. */
export const MODERATOR_PERMISSION = PermissionFlagsBits.ManageGuild;

/**
 * `default_member_permissions` of a moderators' command (/refresh, /stats). Without MODERATOR_ROLE_IDS it is
 * Manage Server, so Discord shows the command only to those members. With MODERATOR_ROLE_IDS it is none:
 * Discord then shows and delivers it to every member (it cannot express "this permission or one of these
 * roles"), and `isServerModerator` decides, privately refusing everyone else.
 */
export function moderatorCommandPermissions(settings: CommandSettings): bigint | null {
  return settings.moderatorRoleIds.length > 0 ? null : MODERATOR_PERMISSION;
}

/** Checked in the handler too: server admins can override a command's default permissions. */
export function isServerModerator(interaction: BaseInteraction, ctx: BotContext): boolean {
  if (!interaction.inGuild()) return false;
  if (interaction.memberPermissions.has(MODERATOR_PERMISSION)) return true;
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

/**
 * The moderators' commands' gate: true for a moderator; anyone else is told privately that only moderators
 * can `action` (e.g. "refresh the documents"), and the refusal is logged.
 */
export async function admitModerator(interaction: ChatInputCommandInteraction, ctx: BotContext, action: string): Promise<boolean> {
  if (interaction.inGuild() && isServerModerator(interaction, ctx)) return true;
  ctx.logger.info({ user: interaction.user.id, guild: interaction.guildId, command: interaction.commandName }, "refused: not a moderator");
  await interaction.reply({ ...notice(`Only moderators (Manage Server permission or a moderator role) can ${action}.`), flags: MessageFlags.Ephemeral });
  return false;
}
