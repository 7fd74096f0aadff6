/** One dispatch per interaction type: chat input → command, autocomplete → command.autocomplete, button → buttons. */
import { MessageFlags, type Interaction } from "discord.js";
import { commandsByName, messageCommandsByName } from "../commands/index.js";
import type { BotContext } from "../context.js";
import { ERROR_NOTICE, notice } from "../format.js";
import { handleButton } from "./buttons.js";

export async function handleInteraction(interaction: Interaction, ctx: BotContext): Promise<void> {
  try {
    if (interaction.isChatInputCommand()) {
      const command = commandsByName.get(interaction.commandName);
      if (command === undefined) {
        await interaction.reply({
          ...notice(`I don't know the command /${interaction.commandName} any more; it will disappear once the commands are re-registered.`),
          flags: MessageFlags.Ephemeral,
        });
        return;
      }
      await command.execute(interaction, ctx);
    } else if (interaction.isAutocomplete()) {
      const command = commandsByName.get(interaction.commandName);
      if (command?.autocomplete !== undefined) await command.autocomplete(interaction, ctx);
      else await interaction.respond([]);
    } else if (interaction.isMessageContextMenuCommand()) {
      const command = messageCommandsByName.get(interaction.commandName);
      if (command === undefined) {
        await interaction.reply({ ...notice(`I don't know the command "${interaction.commandName}" any more.`), flags: MessageFlags.Ephemeral });
        return;
      }
      await command.execute(interaction, ctx);
    } else if (interaction.isButton()) {
      await handleButton(interaction, ctx);
    }
  } catch (error) {
    ctx.logger.error(
      { err: error, interaction: interaction.id, type: interaction.type, command: "commandName" in interaction ? interaction.commandName : undefined },
      "interaction handler failed",
    );
    await apologise(interaction, ctx);
  }
}

/** Tells the user something went wrong, privately, whatever state the interaction is in. Never throws. */
async function apologise(interaction: Interaction, ctx: BotContext): Promise<void> {
  try {
    if (interaction.isAutocomplete()) {
      if (!interaction.responded) await interaction.respond([]);
      return;
    }
    if (!interaction.isRepliable()) return;
    const body = { ...notice(ERROR_NOTICE), flags: MessageFlags.Ephemeral as const };
    if (interaction.deferred || interaction.replied) await interaction.followUp(body);
    else await interaction.reply(body);
  } catch (error) {
    ctx.logger.warn({ err: error, interaction: interaction.id }, "could not tell the user about the failure");
  }
}
