/** /help — how to ask, and the limits. */
import { InteractionContextType, MessageFlags, SlashCommandBuilder, type ChatInputCommandInteraction } from "discord.js";
import type { BotContext } from "../context.js";
import { formatHelp } from "../format-corpus.js";

export const data = new SlashCommandBuilder()
  .setName("help")
  .setDescription("How to ask me questions")
  .setContexts(InteractionContextType.Guild, InteractionContextType.BotDM);

export async function execute(interaction: ChatInputCommandInteraction, ctx: BotContext): Promise<void> {
  const { config } = ctx;
  const settings = ctx.guildSettings.get(interaction.guildId);
  const body = formatHelp({
    maxQuestionChars: config.maxQuestionChars,
    cooldownSeconds: settings.cooldownSeconds,
    askChannelIds: settings.askChannelIds,
    askChannelsActive: ctx.state.messageContent,
    documents: ctx.library.current.documents.length,
  });
  await interaction.reply({ ...body, flags: MessageFlags.Ephemeral });
}
