/**
 * "Find in sources": right-click a message → Apps → Find in sources. The message's text is asked as a question
 * and the answer is posted as a reply to that message, so whoever wrote it sees it.
 *
 * When the documents do not answer it, only the invoker is told (privately): a public "not in my documents"
 * under someone's message would only be noise.
 *
 * Pings: "Find in sources" pings nobody (the reply does not notify the author). "Find in sources (ping author)"
 * pings the target message's author only (allowed_mentions `replied_user`), never anyone else: mentions in
 * the message or the documents stay inert (`parse: []`). Two commands rather than an option because message
 * commands take no options; the invoker chooses by picking one.
 */
import { ApplicationCommandType, ContextMenuCommandBuilder, InteractionContextType, MessageFlags, type MessageContextMenuCommandInteraction } from "discord.js";
import { ask, logAsked } from "../answer.js";
import type { BotContext, MessageCommand } from "../context.js";
import { cooldownNotice, notice } from "../format.js";
import { questionFromMessage } from "../handlers/messages.js";

function findInSources(name: string, pingAuthor: boolean): MessageCommand {
  return {
    data: new ContextMenuCommandBuilder().setName(name).setType(ApplicationCommandType.Message).setContexts(InteractionContextType.Guild),
    execute: (interaction, ctx) => execute(interaction, ctx, pingAuthor),
  };
}

export const findInSourcesQuiet = findInSources("Find in sources", false);
export const findInSourcesPing = findInSources("Find in sources (ping author)", true);

async function execute(interaction: MessageContextMenuCommandInteraction, ctx: BotContext, pingAuthor: boolean): Promise<void> {
  const target = interaction.targetMessage;
  const question = questionFromMessage(target.content, interaction.client.user.id);
  if (question === "") {
    await interaction.reply({ ...notice("That message has no text I can look up in the documents."), flags: MessageFlags.Ephemeral });
    return;
  }
  const userId = interaction.user.id;
  const wait = ctx.cooldown.remaining(userId);
  if (wait > 0) {
    await interaction.reply({ ...cooldownNotice(wait), flags: MessageFlags.Ephemeral });
    return;
  }
  const outcome = await ask(ctx, question, interaction.id, userId);
  if (outcome.userError) {
    await interaction.reply({ ...outcome.payload, flags: MessageFlags.Ephemeral });
    return;
  }
  ctx.cooldown.start(userId, ctx.guildSettings.get(interaction.guildId).cooldownSeconds);
  // The answer is a channel message (an interaction reply cannot reply to another message), so the
  // interaction itself is answered privately: where the answer went, or the answer if it could not go there.
  await interaction.deferReply({ flags: MessageFlags.Ephemeral });
  const where = { key: interaction.id, guildId: interaction.guildId, channelId: interaction.channelId, userId, surface: "message-command" } as const;
  if (!outcome.answer.answered) {
    await interaction.editReply(outcome.payload);
    logAsked(ctx, outcome, where);
    return;
  }
  try {
    const channel = interaction.channel ?? (await interaction.client.channels.fetch(interaction.channelId));
    if (channel === null || !channel.isSendable()) throw new Error("channel not sendable");
    const sent = await channel.send({
      ...outcome.payload,
      reply: { messageReference: target.id, failIfNotExists: false },
      allowedMentions: { parse: [], repliedUser: pingAuthor },
    });
    logAsked(ctx, outcome, where);
    const whom = target.author.id === userId ? "your message" : "the message";
    await interaction.editReply(notice(`I answered ${whom} from the documents: ${sent.url}${pingAuthor ? " (its author was notified)" : ""}`));
  } catch (error) {
    ctx.logger.warn({ err: error, interaction: interaction.id, channel: interaction.channelId }, "could not post the answer in the channel");
    await interaction.editReply({ ...outcome.payload, content: "I couldn't post in this channel, so here is the answer just for you." });
  }
}
