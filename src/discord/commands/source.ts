/** /source name:<autocomplete> — one document's details and opening lines. */
import {
  InteractionContextType,
  MessageFlags,
  SlashCommandBuilder,
  type AutocompleteInteraction,
  type ChatInputCommandInteraction,
} from "discord.js";
import type { KnowledgeBase } from "../../core/contracts.js";
import type { BotContext } from "../context.js";
import { documentChoices, formatSource, formatSourceNotFound, resolveDocument } from "../format-corpus.js";

export const data = new SlashCommandBuilder()
  .setName("source")
  .setDescription("Show one document: its details and opening lines")
  .addStringOption((o) => o.setName("name").setDescription("Title or file name of the document").setRequired(true).setAutocomplete(true))
  .setContexts(InteractionContextType.Guild, InteractionContextType.BotDM);

export async function execute(interaction: ChatInputCommandInteraction, ctx: BotContext): Promise<void> {
  const name = interaction.options.getString("name", true);
  const kb = ctx.library.current;
  const resolved = resolveDocument(kb.documents, name);
  const body = resolved.kind === "found" ? formatSource(resolved.doc, ...openingOf(kb, kb.documents.indexOf(resolved.doc))) : formatSourceNotFound(name, resolved);
  await interaction.reply({ ...body, flags: MessageFlags.Ephemeral });
}

/** The document's first sentences, one per line, and how many it has (the knowledge base keeps no texts). */
function openingOf(kb: KnowledgeBase, document: number): [string, number] {
  return [kb.openingSentences(document, OPENING_SENTENCES).join("\n"), kb.sentencesInDocument(document)];
}

const OPENING_SENTENCES = 8;

export async function autocomplete(interaction: AutocompleteInteraction, ctx: BotContext): Promise<void> {
  const focused = interaction.options.getFocused();
  await interaction.respond(documentChoices(ctx.library.current.documents, focused));
}
