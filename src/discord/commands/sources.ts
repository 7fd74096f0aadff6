/** /sources — the documents with outlet, date and size. */
import { InteractionContextType, MessageFlags, SlashCommandBuilder, type ChatInputCommandInteraction } from "discord.js";
import type { BotContext } from "../context.js";
import { formatSources } from "../format-corpus.js";

export const data = new SlashCommandBuilder()
  .setName("sources")
  .setDescription("List the documents I answer from")
  .setContexts(InteractionContextType.Guild, InteractionContextType.BotDM);

export async function execute(interaction: ChatInputCommandInteraction, ctx: BotContext): Promise<void> {
  await interaction.reply({ ...formatSources(ctx.library.current, ctx.library.skipped), flags: MessageFlags.Ephemeral });
}
