/** The answer buttons: "More results" edits the answer to the next page; "Context" shows the sentences around it. */
import { MessageFlags, type ButtonInteraction } from "discord.js";
import type { BotContext } from "../context.js";
import { decodeButtonId } from "../custom-id.js";
import { EXPIRED_NOTICE, formatAnswer, formatContext, notice, pageCount } from "../format.js";

export async function handleButton(interaction: ButtonInteraction, ctx: BotContext): Promise<void> {
  const id = decodeButtonId(interaction.customId);
  if (id === undefined) {
    await interaction.reply({ ...notice("This button is not one of mine any more. Ask again with `/ask`."), flags: MessageFlags.Ephemeral });
    return;
  }
  const cached = ctx.answers.get(id.key);
  if (cached === undefined) {
    await interaction.reply({ ...notice(EXPIRED_NOTICE), flags: MessageFlags.Ephemeral });
    return;
  }
  if (id.action === "more" && interaction.user.id !== cached.askerId) {
    await interaction.reply({
      ...notice("Only the person who asked can page through this answer. Use **Context** to read around it, or ask your own question with `/ask`."),
      flags: MessageFlags.Ephemeral,
    });
    return;
  }
  // Re-ask: milliseconds, and the cache then only holds the question, not every excerpt.
  const answer = await ctx.library.ask(cached.question);
  if (!answer.answered || id.page >= pageCount(answer)) {
    await interaction.reply({
      ...notice("The documents have changed since this answer (a moderator refreshed them), so its pages moved. Ask again with `/ask`."),
      flags: MessageFlags.Ephemeral,
    });
    return;
  }
  if (id.action === "more") {
    await interaction.update(formatAnswer(answer, { page: id.page, key: id.key }));
  } else {
    await interaction.reply({ ...formatContext(answer, id.page), flags: MessageFlags.Ephemeral });
  }
}
