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
import { withShardReloads } from "../format-shards.js";
import { admitModerator, MODERATOR_PERMISSION, moderatorCommandPermissions } from "../moderators.js";
import { reloadResult } from "../../sharding/protocol.js";
import { editRepliesWithProgress } from "../progress-edits.js";

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
  // Under sharding every other shard reloads at the same time; the reply lists each one's result.
  const started = performance.now();
  const others = ctx.shards?.reloadOthers();
  const here = ctx.shards?.id ?? 0;
  const progress = editRepliesWithProgress(interaction, { intervalMs: ctx.progressEditMs, logger: ctx.logger, describe: (line) => `Refreshing… ${line}` });
  // The report replaces the progress line (after any edit still in flight): its content is emptied unless it has a note of its own.
  const content = async () => {
    const edited = await progress.stop();
    return joined ? { content: JOINED_NOTE } : edited ? { content: "" } : {};
  };
  try {
    const report = await ctx.library.refresh(progress.onProgress);
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
    await interaction.editReply(withShardReloads({ ...formatRefreshReport(report), ...(await content()) }, reloadResult(here, report, 0), await others));
  } catch (error) {
    ctx.logger.warn({ err: error, user: interaction.user.id, joined }, "refresh failed; the previous corpus keeps serving");
    const failure = { ...formatRefreshFailure(error, ctx.library.current), ...(await content()) };
    await interaction.editReply(withShardReloads(failure, reloadResult(here, toError(error), performance.now() - started), await others));
  } finally {
    await progress.stop();
  }
}

function toError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
