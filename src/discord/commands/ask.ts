/** /ask question:<text> [private:<bool>] — answer with cited excerpts. */
import { ApplicationIntegrationType, InteractionContextType, MessageFlags, SlashCommandBuilder, type ChatInputCommandInteraction } from "discord.js";
import { ask } from "../answer.js";
import type { BotContext } from "../context.js";
import { cooldownNotice } from "../format.js";

export const data = new SlashCommandBuilder()
  .setName("ask")
  .setDescription("Ask a question; I answer with cited excerpts from the documents")
  .addStringOption((o) => o.setName("question").setDescription("Your question, e.g. how was the call intercepted?").setRequired(true))
  .addBooleanOption((o) => o.setName("private").setDescription("Only you see the answer (default: everyone in the channel)"))
  .setContexts(InteractionContextType.Guild, InteractionContextType.BotDM)
  .setIntegrationTypes(ApplicationIntegrationType.GuildInstall);

export async function execute(interaction: ChatInputCommandInteraction, ctx: BotContext): Promise<void> {
  const question = interaction.options.getString("question", true);
  const isPrivate = interaction.options.getBoolean("private") ?? false;
  const userId = interaction.user.id;
  const wait = ctx.cooldown.remaining(userId);
  if (wait > 0) {
    await interaction.reply({ ...cooldownNotice(wait), flags: MessageFlags.Ephemeral });
    return;
  }
  const outcome = await ask(ctx, question, interaction.id, userId);
  if (!outcome.userError) ctx.cooldown.start(userId);
  const ephemeral = isPrivate || outcome.userError;
  await interaction.reply({ ...outcome.payload, ...(ephemeral ? { flags: MessageFlags.Ephemeral } : {}) });
}
