/**
 * /settings — this server's settings (Manage Server only): show them, or change one. What a server does not
 * change follows the environment's defaults (ASK_CHANNEL_IDS, MODERATOR_ROLE_IDS, COOLDOWN_SECONDS,
 * ASK_CHANNEL_THREADS, MOD_LOG_CHANNEL_ID). Changes are stored, so they survive restarts.
 */
import {
  ChannelType,
  InteractionContextType,
  MessageFlags,
  PermissionFlagsBits,
  SlashCommandBuilder,
  type APIEmbed,
  type ChatInputCommandInteraction,
} from "discord.js";
import { MAX_COOLDOWN_SECONDS, type GuildOverrides, type GuildSettings } from "../../settings.js";
import type { BotContext } from "../context.js";
import { Colors, notice } from "../format.js";
import { noteInModLog } from "../moderators.js";
import { payload } from "../payload.js";

const TEXT_CHANNELS = [ChannelType.GuildText, ChannelType.GuildAnnouncement] as const;

export const data = new SlashCommandBuilder()
  .setName("settings")
  .setDescription("Show or change this server's settings (Manage Server only)")
  .setDefaultMemberPermissions(PermissionFlagsBits.ManageGuild)
  .setContexts(InteractionContextType.Guild)
  .addSubcommand((c) => c.setName("show").setDescription("Show this server's settings"))
  .addSubcommand((c) =>
    c
      .setName("ask-channel")
      .setDescription("Make a channel an ask channel (every message a question), or stop that")
      .addChannelOption((o) => o.setName("channel").setDescription("The channel").addChannelTypes(...TEXT_CHANNELS).setRequired(true))
      .addBooleanOption((o) => o.setName("enabled").setDescription("true: an ask channel; false: not").setRequired(true)),
  )
  .addSubcommand((c) =>
    c
      .setName("moderator-role")
      .setDescription("Let a role use moderator commands (/refresh, /stats, removing answers), or stop that")
      .addRoleOption((o) => o.setName("role").setDescription("The role").setRequired(true))
      .addBooleanOption((o) => o.setName("enabled").setDescription("true: moderators; false: not").setRequired(true)),
  )
  .addSubcommand((c) =>
    c
      .setName("cooldown")
      .setDescription("Seconds each member waits between two questions (0: no wait)")
      .addIntegerOption((o) => o.setName("seconds").setDescription("0 to 3600").setMinValue(0).setMaxValue(MAX_COOLDOWN_SECONDS).setRequired(true)),
  )
  .addSubcommand((c) =>
    c
      .setName("threads")
      .setDescription("Answer ask-channel questions in a new thread named after the question")
      .addBooleanOption((o) => o.setName("enabled").setDescription("true: answer in threads").setRequired(true)),
  )
  .addSubcommand((c) =>
    c
      .setName("mod-log")
      .setDescription("Where to note settings changes and answers removed by moderators (no channel: nowhere)")
      .addChannelOption((o) => o.setName("channel").setDescription("The channel; leave out to turn the mod log off").addChannelTypes(...TEXT_CHANNELS)),
  )
  .addSubcommand((c) => c.setName("reset").setDescription("Forget this server's changes: back to the bot's defaults"));

/** Ask channels and moderator roles a server may list (keeps /settings show within Discord's limits). */
const MAX_LISTED = 25;

/** A list with `id` added or removed, without duplicates; a refusal when it would grow past MAX_LISTED. */
function toggled(list: readonly string[], id: string, on: boolean): string[] | string {
  const rest = list.filter((x) => x !== id);
  if (on && rest.length >= MAX_LISTED) return `At most ${MAX_LISTED} can be set; remove one first.`;
  return on ? [...rest, id] : rest;
}

/** The overrides after the subcommand, or a refusal to show. */
function change(interaction: ChatInputCommandInteraction, current: GuildSettings, overrides: GuildOverrides): GuildOverrides | string {
  const o = interaction.options;
  switch (o.getSubcommand()) {
    case "ask-channel": {
      const askChannelIds = toggled(current.askChannelIds, o.getChannel("channel", true).id, o.getBoolean("enabled", true));
      return typeof askChannelIds === "string" ? askChannelIds : { ...overrides, askChannelIds };
    }
    case "moderator-role": {
      const role = o.getRole("role", true);
      if (role.id === interaction.guildId) return "The @everyone role cannot be a moderator role.";
      const moderatorRoleIds = toggled(current.moderatorRoleIds, role.id, o.getBoolean("enabled", true));
      return typeof moderatorRoleIds === "string" ? moderatorRoleIds : { ...overrides, moderatorRoleIds };
    }
    case "cooldown":
      return { ...overrides, cooldownSeconds: o.getInteger("seconds", true) };
    case "threads":
      return { ...overrides, askChannelThreads: o.getBoolean("enabled", true) };
    case "mod-log":
      return { ...overrides, modLogChannelId: o.getChannel("channel")?.id ?? null };
    case "reset":
      return {};
    default:
      return "Unknown setting.";
  }
}

const mark = (key: keyof GuildSettings, overrides: GuildOverrides): string => (key in overrides ? "" : " *(default)*");
const ids = (list: readonly string[], format: (id: string) => string): string => (list.length === 0 ? "none" : list.map(format).join(", "));

export function formatSettings(settings: GuildSettings, overrides: GuildOverrides, messageContent: boolean, title = "Settings of this server"): APIEmbed {
  const lines = [
    `**Ask channels**${mark("askChannelIds", overrides)}: ${ids(settings.askChannelIds, (id) => `<#${id}>`)}`,
    `**Moderator roles**${mark("moderatorRoleIds", overrides)}: ${ids(settings.moderatorRoleIds, (id) => `<@&${id}>`)} (and everyone with Manage Server)`,
    `**Cooldown**${mark("cooldownSeconds", overrides)}: ${settings.cooldownSeconds === 0 ? "off" : `${settings.cooldownSeconds} s`}`,
    `**Answer ask-channel questions in threads**${mark("askChannelThreads", overrides)}: ${settings.askChannelThreads ? "yes" : "no"}`,
    `**Mod-log channel**${mark("modLogChannelId", overrides)}: ${settings.modLogChannelId === null ? "none" : `<#${settings.modLogChannelId}>`}`,
  ];
  if (settings.askChannelIds.length > 0 && !messageContent) {
    lines.push(
      "",
      "⚠ Ask channels need the Message Content intent, which this connection does not have. Enable it (Developer Portal → Bot → Privileged Gateway Intents) and restart the bot; it asks for the intent at start when any server has ask channels.",
    );
  }
  return { color: Colors.ok, title, description: lines.join("\n"), footer: { text: "Change one with /settings <name>; /settings reset goes back to the defaults." } };
}

export async function execute(interaction: ChatInputCommandInteraction, ctx: BotContext): Promise<void> {
  if (!interaction.inGuild() || !interaction.memberPermissions.has(PermissionFlagsBits.ManageGuild)) {
    ctx.logger.info({ user: interaction.user.id, guild: interaction.guildId }, "settings refused: no Manage Server");
    await interaction.reply({ ...notice("Only members with the Manage Server permission can see or change this server's settings."), flags: MessageFlags.Ephemeral });
    return;
  }
  const guildId = interaction.guildId;
  const overrides = ctx.guildSettings.overrides(guildId);
  if (interaction.options.getSubcommand() === "show") {
    const embed = formatSettings(ctx.guildSettings.get(guildId), overrides, ctx.state.messageContent);
    const problem = ctx.store.problem;
    await interaction.reply({
      ...payload({ embeds: [embed], ...(problem === undefined ? {} : { content: `The settings database is unavailable (${problem}): these are the defaults, and changes cannot be saved.` }) }),
      flags: MessageFlags.Ephemeral,
    });
    return;
  }
  const next = change(interaction, ctx.guildSettings.get(guildId), overrides);
  if (typeof next === "string") {
    await interaction.reply({ ...notice(next), flags: MessageFlags.Ephemeral });
    return;
  }
  if (!ctx.guildSettings.save(guildId, next)) {
    await interaction.reply({ ...notice("I couldn't save that: the settings database is unavailable (the bot's log says why). Nothing changed."), flags: MessageFlags.Ephemeral });
    return;
  }
  ctx.logger.info({ guild: guildId, user: interaction.user.id, setting: interaction.options.getSubcommand() }, "server settings changed");
  const embed = formatSettings(ctx.guildSettings.get(guildId), next, ctx.state.messageContent, "Saved. Settings of this server now");
  await interaction.reply({ ...payload({ embeds: [embed] }), flags: MessageFlags.Ephemeral });
  await noteInModLog(interaction, ctx, `<@${interaction.user.id}> changed the bot's settings: /settings ${interaction.options.getSubcommand()}.`);
}
