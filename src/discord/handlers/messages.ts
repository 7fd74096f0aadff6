/** Questions as messages: a mention of the bot, a direct message, or any message in an ask channel. */
import { ChannelType, type Message } from "discord.js";
import { ask, logAsked } from "../answer.js";
import type { BotContext } from "../context.js";
import { cooldownNotice } from "../format.js";
import { threadName } from "../threads.js";

/** The question in a message: the bot's own user and role mentions removed, whitespace collapsed. */
export function questionFromMessage(content: string, botUserId: string, botRoleId?: string): string {
  let text = content.replace(new RegExp(`<@!?${botUserId}>`, "g"), " ");
  if (botRoleId !== undefined) text = text.replace(new RegExp(`<@&${botRoleId}>`, "g"), " ");
  return text.replace(/\s+/g, " ").trim();
}

export type MessageTrigger = "dm" | "mention" | "ask-channel";

/** Why the bot should answer this message, or undefined to ignore it. */
export function messageTrigger(message: Message, ctx: BotContext, botUserId: string, botRoleId: string | undefined): MessageTrigger | undefined {
  if (message.author.bot || message.system || message.webhookId !== null) return undefined;
  if (message.channel.type === ChannelType.DM) return "dm";
  const content = message.content;
  // An explicit mention only: a reply to the bot that pings it is not a question by itself.
  if (content.includes(`<@${botUserId}>`) || content.includes(`<@!${botUserId}>`) || (botRoleId !== undefined && content.includes(`<@&${botRoleId}>`))) {
    return "mention";
  }
  const askChannelIds = ctx.guildSettings.get(message.guildId).askChannelIds;
  if (ctx.state.messageContent && askChannelIds.length > 0) {
    const channel = message.channel;
    const parentId = channel.isThread() ? channel.parentId : null;
    if (askChannelIds.includes(message.channelId) || (parentId !== null && askChannelIds.includes(parentId))) {
      return "ask-channel";
    }
  }
  return undefined;
}

export async function handleMessage(message: Message, ctx: BotContext): Promise<void> {
  const botUser = message.client.user;
  const botRoleId = message.guild?.roles.botRoleFor(botUser)?.id;
  const trigger = messageTrigger(message, ctx, botUser.id, botRoleId);
  if (trigger === undefined) return;
  const question = questionFromMessage(message.content, botUser.id, botRoleId);
  // In an ask channel, a message without text (an image, a sticker) is not addressed to the bot.
  if (question === "" && trigger === "ask-channel") return;
  const userId = message.author.id;
  const wait = ctx.cooldown.remaining(userId);
  if (wait > 0) {
    // A message reply cannot be private: notify once per cooldown, then ignore, so spam is not echoed.
    if (ctx.cooldown.shouldNotify(userId)) await message.reply(cooldownNotice(wait));
    return;
  }
  const settings = ctx.guildSettings.get(message.guildId);
  const outcome = await ask(ctx, question, message.id, userId);
  if (!outcome.userError) ctx.cooldown.start(userId, settings.cooldownSeconds);
  const where = { key: message.id, guildId: message.guildId, channelId: message.channelId, userId, surface: trigger } as const;
  // Thread mode: an ask-channel question gets a thread named after it, and the answer goes there.
  if (trigger === "ask-channel" && settings.askChannelThreads && message.channel.type === ChannelType.GuildText && !outcome.userError) {
    try {
      const thread = await message.startThread({ name: threadName(question) });
      await thread.send(outcome.payload);
      logAsked(ctx, outcome, { ...where, channelId: thread.id });
      return;
    } catch (error) {
      ctx.logger.warn({ err: error, message: message.id }, "could not answer in a thread; replying in the channel");
    }
  }
  await message.reply(outcome.payload);
  logAsked(ctx, outcome, where);
}
