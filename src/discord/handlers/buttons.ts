/**
 * The answer buttons: "More results" edits the answer to the next page; "Context" shows the sentences around
 * it; 👍 / 👎 record one vote per person (again: withdrawn; the other: changed); "Remove" deletes the answer
 * (its asker or a moderator only). Every click counts against the user's button limit first.
 *
 * An answer's key is the asking interaction's or message's id. The in-memory cache knows recent ones; after a
 * restart (or once the cache forgot it) the question comes from the question log, for QUESTION_LOG_DAYS.
 */
import { MessageFlags, Routes, SnowflakeUtil, type ButtonInteraction } from "discord.js";
import type { BotContext } from "../context.js";
import { decodeButtonId, type ButtonId } from "../custom-id.js";
import { EXPIRED_NOTICE, RATE_LIMIT_NOTICE, formatAnswer, formatContext, notice, pageCount } from "../format.js";
import { isServerModerator, noteInModLog } from "../moderators.js";

/** The question behind an answer key: from the cache, else from the question log. */
interface KnownQuestion {
  question: string;
  /** Whether `userId` asked it; undefined when that cannot be told (the database failed). */
  askedBy(userId: string): boolean | undefined;
}

function findQuestion(ctx: BotContext, key: string): KnownQuestion | undefined {
  const cached = ctx.answers.get(key);
  if (cached !== undefined) return { question: cached.question, askedBy: (userId) => userId === cached.askerId };
  const stored = ctx.store.question(key);
  if (stored === undefined) return undefined;
  ctx.logger.debug({ key }, "answer key found in the question log");
  return { question: stored.text, askedBy: (userId) => ctx.store.isAsker(key, userId) };
}

const ephemeral = (text: string) => ({ ...notice(text), flags: MessageFlags.Ephemeral as const });

export async function handleButton(interaction: ButtonInteraction, ctx: BotContext): Promise<void> {
  const wait = ctx.buttons.take(interaction.user.id);
  if (wait > 0) {
    await interaction.reply(ephemeral(RATE_LIMIT_NOTICE(wait)));
    return;
  }
  const id = decodeButtonId(interaction.customId);
  if (id === undefined) {
    await interaction.reply(ephemeral("This button is not one of mine any more. Ask again with `/ask`."));
    return;
  }
  if (id.action === "delete") {
    await removeAnswer(interaction, ctx, id);
    return;
  }
  const known = findQuestion(ctx, id.key);
  if (known === undefined) {
    await interaction.reply(ephemeral(EXPIRED_NOTICE));
    return;
  }
  if (id.action === "up" || id.action === "down") {
    await vote(interaction, ctx, id, id.action === "up" ? 1 : -1);
    return;
  }
  if (id.action === "more" && known.askedBy(interaction.user.id) !== true) {
    await interaction.reply(
      ephemeral("Only the person who asked can page through this answer. Use **Context** to read around it, or ask your own question with `/ask`."),
    );
    return;
  }
  // Re-ask: milliseconds, and the cache then only holds the question, not every excerpt.
  const answer = await ctx.library.ask(known.question);
  if (!answer.answered || id.page >= pageCount(answer)) {
    await interaction.reply(ephemeral("The documents have changed since this answer (a moderator refreshed them), so its pages moved. Ask again with `/ask`."));
    return;
  }
  if (id.action === "more") {
    const removable = !interaction.message.flags.has(MessageFlags.Ephemeral);
    await interaction.update(formatAnswer(answer, { page: id.page, key: id.key, removable }));
  } else {
    await interaction.reply({ ...formatContext(answer, id.page), flags: MessageFlags.Ephemeral });
  }
}

/** When the question behind a key was asked: keys are the asking interaction's or message's snowflake. */
function askedAt(key: string): number {
  return /^\d{17,20}$/.test(key) ? SnowflakeUtil.timestampFrom(key) : Date.now();
}

const VOTE_REPLIES = {
  added: { 1: "Thanks! Your 👍 is counted.", [-1]: "Thanks! Your 👎 is counted: moderators see which answers missed." },
  changed: { 1: "Changed your vote to 👍.", [-1]: "Changed your vote to 👎." },
  withdrawn: { 1: "Your 👍 is withdrawn.", [-1]: "Your 👎 is withdrawn." },
} as const;

async function vote(interaction: ButtonInteraction, ctx: BotContext, id: ButtonId, value: 1 | -1): Promise<void> {
  const started = performance.now();
  const outcome = ctx.store.vote(id.key, interaction.user.id, value, { guildId: interaction.guildId, askedAt: askedAt(id.key) });
  ctx.logger.debug({ key: id.key, outcome, ms: Math.round((performance.now() - started) * 1000) / 1000 }, "vote");
  if (outcome === undefined) {
    await interaction.reply(ephemeral("Sorry, I couldn't record your vote: the feedback log is unavailable right now. The answer itself is unaffected."));
    return;
  }
  await interaction.reply(ephemeral(VOTE_REPLIES[outcome][value]));
}

async function removeAnswer(interaction: ButtonInteraction, ctx: BotContext, id: ButtonId): Promise<void> {
  const moderator = isServerModerator(interaction, ctx);
  const asker = findQuestion(ctx, id.key)?.askedBy(interaction.user.id) === true;
  if (!asker && !moderator) {
    await interaction.reply(ephemeral("Only the person who asked, or a moderator, can remove this answer."));
    return;
  }
  // Through REST by id: the channel (a thread, a DM) need not be in the client's cache.
  await interaction.client.rest.delete(Routes.channelMessage(interaction.channelId, interaction.message.id));
  ctx.logger.info({ key: id.key, message: interaction.message.id, by: asker ? "asker" : "moderator" }, "answer removed");
  await interaction.reply(ephemeral("The answer is removed."));
  if (!asker) await noteInModLog(interaction, ctx, `A moderator (<@${interaction.user.id}>) removed an answer in <#${interaction.channelId}>.`);
}
