/** /refresh — moderators reload the corpus from disk and get a report of what changed. */
import {
  InteractionContextType,
  MessageFlags,
  SlashCommandBuilder,
  type ChatInputCommandInteraction,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
} from "discord.js";
import type { BotContext, CommandSettings } from "../context.js";
import { notice } from "../format.js";
import { formatRefreshFailure, formatRefreshReport } from "../format-corpus.js";
import { admitModerator, MODERATOR_PERMISSION, moderatorCommandPermissions } from "../moderators.js";

function builder(defaultMemberPermissions: bigint | null): SlashCommandBuilder {
  return new SlashCommandBuilder()
    .setName("refresh")
    .setDescription("Reload the documents from disk (moderators only)")
    .setDefaultMemberPermissions(defaultMemberPermissions)
    .setContexts(InteractionContextType.Guild);
}

/** The definition without settings: Discord shows /refresh only to members with Manage Server. */
export const data = builder(MODERATOR_PERMISSION);

/** What `npm run register` sends (see moderatorCommandPermissions). */
export function definition(settings: CommandSettings): RESTPostAPIChatInputApplicationCommandsJSONBody {
  return builder(moderatorCommandPermissions(settings)).toJSON();
}

export const JOINED_NOTE =
  "A refresh was already running when you asked, so this is the report of the one that ran after it (it includes any file changed meanwhile).";

export async function execute(interaction: ChatInputCommandInteraction, ctx: BotContext): Promise<void> {
  if (!(await admitModerator(interaction, ctx, "refresh the documents"))) return;
  await interaction.deferReply({ flags: MessageFlags.Ephemeral });
  // The Library never runs two reloads at once: a /refresh while one runs waits for it, then shares the one run after it.
  const joined = ctx.library.isRefreshing;
  try {
    const report = await ctx.library.refresh();
    ctx.logger.info(
      {
        user: interaction.user.id,
        joined,
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
    await interaction.editReply({ ...formatRefreshReport(report), ...(joined ? { content: JOINED_NOTE } : {}) });
  } catch (error) {
    ctx.logger.warn({ err: error, user: interaction.user.id, joined }, "refresh failed; the previous corpus keeps serving");
    await interaction.editReply({ ...formatRefreshFailure(error, ctx.library.current), ...(joined ? { content: JOINED_NOTE } : {}) });
  }
}
