/** /refresh — moderators reload the corpus from disk and get a report of what changed. */
import {
  GuildMemberRoleManager,
  InteractionContextType,
  MessageFlags,
  PermissionFlagsBits,
  SlashCommandBuilder,
  type ChatInputCommandInteraction,
} from "discord.js";
import type { BotContext } from "../context.js";
import { notice } from "../format.js";
import { formatRefreshFailure, formatRefreshReport } from "../format-corpus.js";

export const data = new SlashCommandBuilder()
  .setName("refresh")
  .setDescription("Reload the documents from disk (moderators only)")
  .setDefaultMemberPermissions(PermissionFlagsBits.ManageGuild)
  .setContexts(InteractionContextType.Guild);

/** Manage Server, or one of MODERATOR_ROLE_IDS. Checked here too: server admins can override default permissions. */
export function isModerator(interaction: ChatInputCommandInteraction, moderatorRoleIds: readonly string[]): boolean {
  if (!interaction.inGuild()) return false;
  if (interaction.memberPermissions.has(PermissionFlagsBits.ManageGuild)) return true;
  const roles = interaction.member.roles;
  const roleIds = roles instanceof GuildMemberRoleManager ? [...roles.cache.keys()] : roles;
  return roleIds.some((id) => moderatorRoleIds.includes(id));
}

export async function execute(interaction: ChatInputCommandInteraction, ctx: BotContext): Promise<void> {
  if (!isModerator(interaction, ctx.config.moderatorRoleIds)) {
    ctx.logger.info({ user: interaction.user.id, guild: interaction.guildId }, "refresh refused: not a moderator");
    await interaction.reply({
      ...notice("Only moderators (Manage Server permission or a moderator role) can refresh the documents."),
      flags: MessageFlags.Ephemeral,
    });
    return;
  }
  if (ctx.state.refreshing) {
    await interaction.reply({ ...notice("A refresh is already running; try again when it has finished."), flags: MessageFlags.Ephemeral });
    return;
  }
  ctx.state.refreshing = true;
  try {
    await interaction.deferReply({ flags: MessageFlags.Ephemeral });
    try {
      const report = await ctx.library.refresh();
      ctx.logger.info(
        {
          user: interaction.user.id,
          documents: report.documents,
          added: report.added.length,
          changed: report.changed.length,
          removed: report.removed.length,
          skipped: report.skipped.length,
          sentences: report.sentences,
          ms: Math.round(report.milliseconds),
        },
        "corpus refreshed",
      );
      await interaction.editReply(formatRefreshReport(report));
    } catch (error) {
      ctx.logger.warn({ err: error, user: interaction.user.id }, "refresh failed; the previous corpus keeps serving");
      await interaction.editReply(formatRefreshFailure(error, ctx.library.current));
    }
  } finally {
    ctx.state.refreshing = false;
  }
}
