/**
 * /stats summary [days] and /stats export [days] (moderators): what people asked, what was answered, the
 * feedback, the documents cited; a chart of questions per day, and the questions as a CSV attachment.
 * Deferred first (the work can take a second on a large log), and private to the moderator.
 */
import {
  AttachmentBuilder,
  InteractionContextType,
  MessageFlags,
  SlashCommandBuilder,
  type ChatInputCommandInteraction,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
} from "discord.js";
import { csvLine } from "../../stats/csv.js";
import type { BotContext, CommandSettings } from "../context.js";
import { notice } from "../format.js";
import { CHART_FILE, chartDays, formatStats } from "../format-stats.js";
import { admitModerator, MODERATOR_PERMISSION, moderatorCommandPermissions } from "../moderators.js";
import { payload } from "../payload.js";

export const MAX_DAYS = 365;
const DEFAULT_DAYS = 7;

const daysOption = (o: import("discord.js").SlashCommandIntegerOption) =>
  o.setName("days").setDescription(`How many days back, today included (default ${DEFAULT_DAYS})`).setMinValue(1).setMaxValue(MAX_DAYS);

function builder(defaultMemberPermissions: bigint | null) {
  return new SlashCommandBuilder()
    .setName("stats")
    .setDescription("What people asked and what the documents miss (moderators only)")
    .setDefaultMemberPermissions(defaultMemberPermissions)
    .setContexts(InteractionContextType.Guild)
    .addSubcommand((c) => c.setName("summary").setDescription("Questions, share answered, feedback, documents cited, with a chart").addIntegerOption(daysOption))
    .addSubcommand((c) => c.setName("export").setDescription("The logged questions as a CSV file").addIntegerOption(daysOption));
}

/** The definition without settings: Discord shows /stats only to members with Manage Server. */
export const data = builder(MODERATOR_PERMISSION);

/** What `npm run register` sends: shown to moderator roles as /refresh is (see moderatorCommandPermissions). */
export function definition(settings: CommandSettings): RESTPostAPIChatInputApplicationCommandsJSONBody {
  return builder(moderatorCommandPermissions(settings)).toJSON();
}

const UNAVAILABLE = (why: string) =>
  `The question log is unavailable (${why}), so there are no statistics right now. Answers are unaffected; the bot's log says what went wrong.`;

export async function execute(interaction: ChatInputCommandInteraction, ctx: BotContext): Promise<void> {
  if (!(await admitModerator(interaction, ctx, "see the statistics")) || !interaction.inGuild()) return;
  await interaction.deferReply({ flags: MessageFlags.Ephemeral });
  const days = interaction.options.getInteger("days") ?? DEFAULT_DAYS;
  if (interaction.options.getSubcommand() === "export") await exportCsv(interaction, ctx, days);
  else await summary(interaction, ctx, days);
}

async function summary(interaction: ChatInputCommandInteraction<"cached" | "raw">, ctx: BotContext, days: number): Promise<void> {
  const started = performance.now();
  const rows = ctx.store.stats(interaction.guildId, days);
  if (rows === undefined) {
    await interaction.editReply(notice(UNAVAILABLE(ctx.store.problem ?? "reading it failed")));
    return;
  }
  const sinceDay = ctx.store.sinceDay(days);
  let png: Buffer | undefined;
  try {
    const { chartPng } = await import("../../stats/chart.js"); // loaded on first use: Vega is large
    png = await chartPng(chartDays(rows, sinceDay, days));
  } catch (error) {
    ctx.logger.warn({ err: error }, "could not draw the stats chart");
  }
  const problem = ctx.store.problem;
  const embed = formatStats({
    rows,
    days,
    sinceDay,
    documents: ctx.library.current.documents,
    questionLogDays: ctx.config.questionLogDays,
    withChart: png !== undefined,
    ...(problem === undefined ? {} : { problem }),
  });
  await interaction.editReply({ ...payload({ embeds: [embed] }), files: png === undefined ? [] : [new AttachmentBuilder(png, { name: CHART_FILE })] });
  ctx.logger.info({ guild: interaction.guildId, days, ms: Math.round(performance.now() - started) }, "stats shown");
}

const CSV_HEADER = ["asked_at", "channel_id", "surface", "question", "answered", "relevance", "sources", "thumbs_up", "thumbs_down"];

async function exportCsv(interaction: ChatInputCommandInteraction<"cached" | "raw">, ctx: BotContext, days: number): Promise<void> {
  const limit = Math.min(interaction.attachmentSizeLimit || 10 * 1024 * 1024, 25 * 1024 * 1024) - 64 * 1024;
  const chunks: string[] = [csvLine(CSV_HEADER)];
  let bytes = Buffer.byteLength(chunks[0] ?? "");
  let rows = 0;
  let truncated = false;
  const ok = ctx.store.exportQuestions(interaction.guildId, days, (r) => {
    const line = csvLine([
      new Date(r.asked_at).toISOString(),
      r.channel_id,
      r.surface,
      r.text,
      r.answered ? "yes" : "no",
      r.relevance === null ? null : Math.round(r.relevance * 1000) / 1000,
      (JSON.parse(r.sources) as string[]).join("; "),
      r.up,
      r.down,
    ]);
    const size = Buffer.byteLength(line);
    if (bytes + size > limit) {
      truncated = true;
      return false;
    }
    chunks.push(line);
    bytes += size;
    rows++;
    return true;
  });
  if (!ok) {
    await interaction.editReply(notice(UNAVAILABLE(ctx.store.problem ?? "reading it failed")));
    return;
  }
  const name = `lookout-questions-${new Date().toISOString().slice(0, 10)}-${days}d.csv`;
  const text =
    `${rows} question${rows === 1 ? "" : "s"} from the last ${days} day${days === 1 ? "" : "s"}, newest first` +
    (truncated ? ` (cut to the newest that fit in Discord's attachment limit; ask for fewer days for the rest)` : "") +
    `. Question texts are kept ${ctx.config.questionLogDays} days; user ids are never exported.`;
  await interaction.editReply({ ...notice(text), files: [new AttachmentBuilder(Buffer.from(chunks.join(""), "utf8"), { name })] });
}
