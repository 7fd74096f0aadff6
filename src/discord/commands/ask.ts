/** /ask question:<text> [private:<bool>] [thread:<bool>] — answer with cited excerpts. */
import {
  ApplicationIntegrationType,
  ChannelType,
  InteractionContextType,
  MessageFlags,
  SlashCommandBuilder,
  type ChatInputCommandInteraction,
} from "discord.js";
import { ask, logAsked } from "../answer.js";
import type { BotContext } from "../context.js";
import { cooldownNotice, notice } from "../format.js";
import { threadName } from "../threads.js";

export const data = new SlashCommandBuilder()
  .setName("ask")
  .setDescription("Ask a question; I answer with cited excerpts from the documents")
  .addStringOption((o) => o.setName("question").setDescription("Your question, e.g. how was the call intercepted?").setRequired(true))
  .addBooleanOption((o) => o.setName("private").setDescription("Only you see the answer (default: everyone in the channel)"))
  .addBooleanOption((o) => o.setName("thread").setDescription("Open a thread on the answer, named after the question, for follow-ups"))
  .setContexts(InteractionContextType.Guild, InteractionContextType.BotDM)
  .setIntegrationTypes(ApplicationIntegrationType.GuildInstall);

export async function execute(interaction: ChatInputCommandInteraction, ctx: BotContext): Promise<void> {
  const question = interaction.options.getString("question", true);
  const isPrivate = interaction.options.getBoolean("private") ?? false;
  const wantThread = interaction.options.getBoolean("thread") ?? false;
  const userId = interaction.user.id;
  const wait = ctx.cooldown.remaining(userId);
  if (wait > 0) {
    await interaction.reply({ ...cooldownNotice(wait), flags: MessageFlags.Ephemeral });
    return;
  }
  const outcome = await ask(ctx, question, interaction.id, userId, { removable: !isPrivate });
  if (!outcome.userError) ctx.cooldown.start(userId, ctx.guildSettings.get(interaction.guildId).cooldownSeconds);
  const ephemeral = isPrivate || outcome.userError;
  // A thread needs a public answer in a server text channel (not in a DM, and not inside another thread).
  const thread = wantThread && !ephemeral && interaction.inGuild() && interaction.channel?.type === ChannelType.GuildText;
  const where = { key: interaction.id, guildId: interaction.guildId, channelId: interaction.channelId, userId, surface: "slash" } as const;
  if (!thread) {
    await interaction.reply({ ...outcome.payload, ...(ephemeral ? { flags: MessageFlags.Ephemeral } : {}) });
    logAsked(ctx, outcome, where);
    if (wantThread && !ephemeral) {
      await interaction.followUp({ ...notice("Threads can only be opened in a server's text channels, so the answer is above."), flags: MessageFlags.Ephemeral });
    }
    return;
  }
  const response = await interaction.reply({ ...outcome.payload, withResponse: true });
  logAsked(ctx, outcome, where);
  const message = response.resource?.message;
  try {
    await message?.startThread({ name: threadName(question), reason: `/ask by ${interaction.user.id}` });
  } catch (error) {
    ctx.logger.warn({ err: error, interaction: interaction.id }, "could not open a thread on the answer");
    await interaction.followUp({ ...notice("I couldn't open a thread here (missing Create Public Threads permission?); the answer is above."), flags: MessageFlags.Ephemeral });
  }
}
