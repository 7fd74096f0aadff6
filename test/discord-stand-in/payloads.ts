/**
 * Pure builders for the Discord objects the stand-in serves (users, roles, the guild,
 * channels, members, messages, interactions). They hold no state: everything that has
 * to be remembered (stored messages, registered commands, known members) lives in
 * state.ts and is passed in.
 *
 * Shapes follow discord-api-types/v10 so that the compiler tells us when a field that
 * Discord always sends is missing; discord.js mostly tolerates missing fields, but the
 * bot under test may not.
 */
import { randomBytes } from 'node:crypto';
import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  ApplicationIntegrationType,
  ChannelType,
  ComponentType,
  GuildDefaultMessageNotifications,
  GuildExplicitContentFilter,
  GuildHubType,
  GuildMFALevel,
  GuildNSFWLevel,
  GuildPremiumTier,
  GuildSystemChannelFlags,
  GuildVerificationLevel,
  InteractionContextType,
  InteractionType,
  Locale,
  MessageType,
  PermissionFlagsBits,
} from 'discord.js';
import type {
  ChannelFlags,
  GuildMemberFlags,
  MessageFlags,
  RoleFlags,
  UserFlags,
  APIApplicationCommandAutocompleteInteraction,
  APIApplicationCommandInteractionDataBasicOption,
  APIApplicationCommandInteractionDataOption,
  APIChatInputApplicationCommandInteraction,
  APIDMChannel,
  APIGuildMember,
  APIInteractionGuildMember,
  APIMessage,
  APIMessageComponentButtonInteraction,
  APIRole,
  APITextChannel,
  APIThreadChannel,
  APIUser,
  GatewayGuildCreateDispatchData,
  GatewayMessageCreateDispatchData,
  GatewayReadyDispatchData,
} from 'discord-api-types/v10';

// ---------------------------------------------------------------------------
// Snowflakes

const DISCORD_EPOCH = 1_420_070_400_000n;
let snowflakeIncrement = 0n;

/** A fresh, realistic snowflake (timestamp = now), so discord.js `createdAt` getters make sense. */
export function snowflake(atMs: number = Date.now()): string {
  snowflakeIncrement = (snowflakeIncrement + 1n) & 0xfffn;
  return (((BigInt(atMs) - DISCORD_EPOCH) << 22n) | (1n << 17n) | snowflakeIncrement).toString();
}

/**
 * Stable ids for the fixed fixture objects. 19 digits on purpose: @discordjs/rest only
 * recognises 17–19 digit ids as "major parameters" when it buckets rate limits.
 */
function fixedSnowflake(n: number, atMs = 1_704_067_200_000n /* 2024-01-01 */): string {
  return (((atMs - DISCORD_EPOCH) << 22n) | BigInt(n)).toString();
}

/** The shard that receives a guild's events, as Discord routes them: `(guild_id >> 22) % num_shards`. */
export function shardOf(guildId: string, shardCount: number): number {
  return Number((BigInt(guildId) >> 22n) % BigInt(shardCount));
}

export function interactionToken(): string {
  // Real tokens are long opaque base64url strings; the route regex only needs [^/?]+.
  return `aW50ZXJhY3Rpb246${randomBytes(48).toString('base64url')}`;
}

export function botToken(botUserId: string): string {
  // Same three-part shape as a real token (discord.js censors it by splitting on '.').
  return `${Buffer.from(botUserId).toString('base64url')}.StandIn.${randomBytes(20).toString('base64url')}`;
}

// ---------------------------------------------------------------------------
// Fixture identity

export interface FixtureIds {
  applicationId: string;
  botUserId: string;
  guildId: string;
  /** The main text channel (first of `FixtureNames.channelNames`). */
  channelId: string;
  /** All text channels of the guild, in order of `FixtureNames.channelNames`. */
  channelIds: string[];
  /** The @everyone role's id is the guild id, as on Discord. */
  everyoneRoleId: string;
  moderatorRoleId: string;
  /** Role with Manage Messages but not Manage Guild: a permission other than the one /refresh asks for. */
  helperRoleId: string;
  /** The managed role Discord creates for the bot when it joins. */
  botRoleId: string;
  ownerId: string;
  defaultUserId: string;
}

export function defaultFixtureIds(channelCount = 1): FixtureIds {
  const applicationId = fixedSnowflake(1);
  const guildId = fixedSnowflake(100);
  const channelIds = Array.from({ length: Math.max(1, channelCount) }, (_, i) => fixedSnowflake(200 + i));
  return {
    applicationId,
    botUserId: applicationId, // bot user id == application id for modern apps
    guildId,
    channelId: channelIds[0]!,
    channelIds,
    everyoneRoleId: guildId,
    moderatorRoleId: fixedSnowflake(300),
    botRoleId: fixedSnowflake(301),
    helperRoleId: fixedSnowflake(302),
    ownerId: fixedSnowflake(400),
    defaultUserId: fixedSnowflake(500),
  };
}

/**
 * The fixture of a further guild (`index` ≥ 1): the same application, bot, owner and users, its own guild, roles
 * and one text channel. Its id's timestamp is the main guild's plus `index` ms, so with two shards the main guild
 * goes to shard 0 and the first further guild to shard 1 (shardOf).
 */
export function extraGuildFixture(base: Fixture, index: number, guildName: string, channelName = 'general'): Fixture {
  const at = 1_704_067_200_000n + BigInt(index);
  const guildId = fixedSnowflake(100, at);
  const channelId = fixedSnowflake(200, at);
  return {
    ids: {
      ...base.ids,
      guildId,
      everyoneRoleId: guildId,
      channelId,
      channelIds: [channelId],
      moderatorRoleId: fixedSnowflake(300, at),
      botRoleId: fixedSnowflake(301, at),
      helperRoleId: fixedSnowflake(302, at),
    },
    names: { ...base.names, guildName, channelNames: [channelName] },
  };
}

export interface FixtureNames {
  botUsername: string;
  guildName: string;
  /** Names of the guild's text channels; the first one is `channelId`. */
  channelNames: string[];
}

export interface Fixture {
  ids: FixtureIds;
  names: FixtureNames;
}

// ---------------------------------------------------------------------------
// Permissions

const P = PermissionFlagsBits;

/** Roughly what @everyone gets in a new guild. Deliberately no ManageGuild. */
export const EVERYONE_PERMISSIONS =
  P.CreateInstantInvite |
  P.AddReactions |
  P.Stream |
  P.ViewChannel |
  P.SendMessages |
  P.EmbedLinks |
  P.AttachFiles |
  P.ReadMessageHistory |
  P.UseExternalEmojis |
  P.Connect |
  P.Speak |
  P.UseVAD |
  P.ChangeNickname |
  P.UseApplicationCommands |
  P.CreatePublicThreads |
  P.SendMessagesInThreads |
  P.UseExternalStickers;

export const MODERATOR_PERMISSIONS = EVERYONE_PERMISSIONS | P.ManageGuild | P.ManageMessages | P.KickMembers;

/** The Helper role: Manage Messages, deliberately no Manage Guild. */
export const HELPER_PERMISSIONS = EVERYONE_PERMISSIONS | P.ManageMessages;

export const BOT_ROLE_PERMISSIONS =
  EVERYONE_PERMISSIONS | P.ManageMessages | P.SendMessagesInThreads | P.CreatePublicThreads | P.ReadMessageHistory;

export const ALL_PERMISSIONS = Object.values(PermissionFlagsBits).reduce((acc, bit) => acc | bit, 0n);

/** Guild-level permissions of a member = OR of @everyone and their roles (Administrator => all). */
export function computePermissions(roles: readonly APIRole[], memberRoleIds: readonly string[], everyoneRoleId: string): bigint {
  let bits = 0n;
  for (const role of roles) {
    if (role.id === everyoneRoleId || memberRoleIds.includes(role.id)) bits |= BigInt(role.permissions);
  }
  return (bits & P.Administrator) === P.Administrator ? ALL_PERMISSIONS : bits;
}

// ---------------------------------------------------------------------------
// Users, roles, members, channels

export function buildUser(id: string, username?: string, bot = false): APIUser {
  return {
    id,
    username: username ?? `user${id.slice(-4)}`,
    discriminator: bot ? '4242' : '0', // bots still carry a 4-digit discriminator
    global_name: bot ? null : (username ?? `User ${id.slice(-4)}`),
    avatar: null,
    bot: bot || undefined,
    public_flags: 0 as UserFlags,
    flags: 0 as UserFlags,
    banner: null,
    accent_color: null,
    avatar_decoration_data: null,
  };
}

export function buildBotUser(f: Fixture): APIUser {
  return { ...buildUser(f.ids.botUserId, f.names.botUsername, true), verified: true, mfa_enabled: false };
}

function role(id: string, name: string, position: number, permissions: bigint, extra: Partial<APIRole> = {}): APIRole {
  return {
    id,
    name,
    color: 0,
    colors: { primary_color: 0, secondary_color: null, tertiary_color: null },
    hoist: false,
    icon: null,
    unicode_emoji: null,
    position,
    permissions: permissions.toString(),
    managed: false,
    mentionable: false,
    flags: 0 as RoleFlags,
    ...extra,
  };
}

export function buildRoles(f: Fixture): APIRole[] {
  return [
    role(f.ids.everyoneRoleId, '@everyone', 0, EVERYONE_PERMISSIONS),
    role(f.ids.moderatorRoleId, 'Moderator', 1, MODERATOR_PERMISSIONS, { hoist: true, mentionable: true }),
    role(f.ids.botRoleId, f.names.botUsername, 2, BOT_ROLE_PERMISSIONS, {
      managed: true,
      tags: { bot_id: f.ids.botUserId },
    }),
    role(f.ids.helperRoleId, 'Helper', 3, HELPER_PERMISSIONS),
  ];
}

export function buildTextChannels(f: Fixture, withGuildId = true): APITextChannel[] {
  return f.ids.channelIds.map((id, position) => ({
    id,
    type: ChannelType.GuildText,
    // GUILD_CREATE omits guild_id on nested channels; REST and interactions include it.
    ...(withGuildId ? { guild_id: f.ids.guildId } : {}),
    name: f.names.channelNames[position] ?? `channel-${position}`,
    position,
    permission_overwrites: [],
    parent_id: null,
    topic: null,
    nsfw: false,
    last_message_id: null,
    last_pin_timestamp: null,
    rate_limit_per_user: 0,
    flags: 0 as ChannelFlags,
  }));
}

export function buildDMChannel(id: string, recipient: APIUser): APIDMChannel {
  return { id, type: ChannelType.DM, last_message_id: null, flags: 0 as ChannelFlags, recipients: [recipient], name: null };
}

const GUILD_JOINED_AT = new Date(1_704_067_200_000).toISOString();

export function buildMember(user: APIUser, roles: string[]): APIGuildMember {
  return {
    user,
    nick: null,
    avatar: null,
    banner: null,
    roles,
    joined_at: GUILD_JOINED_AT,
    premium_since: null,
    deaf: false,
    mute: false,
    flags: 0 as GuildMemberFlags,
    pending: false,
    communication_disabled_until: null,
  };
}

// ---------------------------------------------------------------------------
// Gateway session payloads

export function buildReady(
  f: Fixture,
  sessionId: string,
  resumeGatewayUrl: string,
  applicationFlags: number,
  session: { guildIds: readonly string[]; shard: [number, number] } = { guildIds: [f.ids.guildId], shard: [0, 1] },
): GatewayReadyDispatchData {
  return {
    v: 10,
    user: buildBotUser(f),
    // READY always lists the session's guilds as unavailable; their data follows in GUILD_CREATE.
    guilds: session.guildIds.map((id) => ({ id, unavailable: true })),
    session_id: sessionId,
    resume_gateway_url: resumeGatewayUrl,
    shard: session.shard,
    application: { id: f.ids.applicationId, flags: applicationFlags, flags_new: String(applicationFlags) },
  };
}

export function buildGuild(f: Fixture, members: APIGuildMember[]): GatewayGuildCreateDispatchData {
  return {
    id: f.ids.guildId,
    name: f.names.guildName,
    icon: null,
    icon_hash: null,
    splash: null,
    discovery_splash: null,
    owner_id: f.ids.ownerId,
    region: 'us-west',
    afk_channel_id: null,
    afk_timeout: 300,
    widget_enabled: false,
    widget_channel_id: null,
    verification_level: GuildVerificationLevel.Low,
    default_message_notifications: GuildDefaultMessageNotifications.OnlyMentions,
    explicit_content_filter: GuildExplicitContentFilter.AllMembers,
    roles: buildRoles(f),
    emojis: [],
    features: [],
    mfa_level: GuildMFALevel.None,
    application_id: null,
    system_channel_id: f.ids.channelId,
    system_channel_flags: GuildSystemChannelFlags.SuppressJoinNotificationReplies,
    rules_channel_id: null,
    max_presences: null,
    max_members: 500_000,
    vanity_url_code: null,
    description: null,
    banner: null,
    premium_tier: GuildPremiumTier.None,
    premium_subscription_count: 0,
    preferred_locale: Locale.EnglishUS,
    public_updates_channel_id: null,
    max_video_channel_users: 25,
    max_stage_video_channel_users: 50,
    approximate_member_count: members.length,
    approximate_presence_count: 1,
    nsfw_level: GuildNSFWLevel.Default,
    stickers: [],
    premium_progress_bar_enabled: false,
    hub_type: null as GuildHubType | null,
    safety_alerts_channel_id: null,
    incidents_data: null,
    // GUILD_CREATE-only fields
    joined_at: GUILD_JOINED_AT,
    large: false,
    unavailable: false,
    member_count: members.length,
    voice_states: [],
    members,
    channels: buildTextChannels(f, false),
    threads: [],
    presences: [],
    stage_instances: [],
    guild_scheduled_events: [],
    soundboard_sounds: [],
  };
}

// ---------------------------------------------------------------------------
// Messages

export interface MessageContext {
  channelId: string;
  /** Present for guild channels, absent for DMs. */
  guildId?: string;
  author: APIUser;
}

export function buildMessage(ctx: MessageContext, fields: Partial<APIMessage> = {}): APIMessage {
  return {
    id: snowflake(),
    type: MessageType.Default,
    channel_id: ctx.channelId,
    author: ctx.author,
    content: '',
    timestamp: new Date().toISOString(),
    edited_timestamp: null,
    tts: false,
    mention_everyone: false,
    mentions: [],
    mention_roles: [],
    attachments: [],
    embeds: [],
    pinned: false,
    flags: 0 as MessageFlags,
    components: [],
    ...fields,
  };
}

export interface UserMessageInput {
  content: string;
  author: APIUser;
  channelId: string;
  guildId?: string;
  /** Member data for guild messages (roles etc.). */
  member?: APIGuildMember;
  mentions: APIUser[];
  /** member data to attach to mentioned users in guild messages (Discord does this). */
  mentionMembers?: Map<string, APIGuildMember>;
}

/** MESSAGE_CREATE for a message a human wrote. */
export function buildUserMessageCreate(input: UserMessageInput): GatewayMessageCreateDispatchData {
  const base = buildMessage({ channelId: input.channelId, guildId: input.guildId, author: input.author }, { content: input.content });
  const mentions = input.mentions.map((user) => {
    const m = input.guildId ? input.mentionMembers?.get(user.id) : undefined;
    if (!m) return user;
    const { user: _user, ...memberNoUser } = m;
    return { ...user, member: { ...memberNoUser, joined_at: m.joined_at ?? GUILD_JOINED_AT } };
  });
  const { user: _omit, ...member } = input.member ?? buildMember(input.author, []);
  return {
    ...base,
    mentions,
    ...(input.guildId
      ? { guild_id: input.guildId, member: { ...member, joined_at: member.joined_at ?? GUILD_JOINED_AT }, channel_type: ChannelType.GuildText }
      : // discord.js needs channel_type to build the (partial) DM channel from a DM message.
        { channel_type: ChannelType.DM }),
  };
}

// ---------------------------------------------------------------------------
// Interactions

/** Slash-command option values: primitives are typed by inference, or pass the type explicitly. */
export type SimpleOptionValue =
  | string
  | number
  | boolean
  | { type: ApplicationCommandOptionType; value: string | number | boolean };

export type SlashOptionsInput = Record<string, SimpleOptionValue> | APIApplicationCommandInteractionDataOption[];

export function toApiOptions(input: SlashOptionsInput | undefined): APIApplicationCommandInteractionDataOption[] {
  if (!input) return [];
  if (Array.isArray(input)) return input;
  return Object.entries(input).map(([name, v]) => basicOption(name, v));
}

function basicOption(name: string, v: SimpleOptionValue): APIApplicationCommandInteractionDataBasicOption {
  if (typeof v === 'object') return { name, type: v.type, value: v.value } as APIApplicationCommandInteractionDataBasicOption;
  if (typeof v === 'string') return { name, type: ApplicationCommandOptionType.String, value: v };
  if (typeof v === 'boolean') return { name, type: ApplicationCommandOptionType.Boolean, value: v };
  return Number.isInteger(v)
    ? { name, type: ApplicationCommandOptionType.Integer, value: v }
    : { name, type: ApplicationCommandOptionType.Number, value: v };
}

/** Where an interaction happens and who triggers it; resolved by state.ts. */
export interface InteractionContext {
  user: APIUser;
  /** Guild member (with computed `permissions`), or undefined for DMs. */
  member?: APIInteractionGuildMember;
  guildId?: string;
  channel: APITextChannel | APIDMChannel | APIThreadChannel;
  appPermissions: bigint;
  applicationId: string;
  locale?: Locale;
}

function baseInteraction(ctx: InteractionContext) {
  const inGuild = ctx.guildId !== undefined;
  return {
    id: snowflake(),
    application_id: ctx.applicationId,
    token: interactionToken(),
    version: 1 as const,
    channel: ctx.channel,
    channel_id: ctx.channel.id,
    app_permissions: ctx.appPermissions.toString(),
    locale: ctx.locale ?? Locale.EnglishUS,
    entitlements: [],
    attachment_size_limit: 10 * 1024 * 1024,
    ...(inGuild
      ? {
          guild_id: ctx.guildId,
          guild: { id: ctx.guildId!, locale: Locale.EnglishUS, features: [] },
          guild_locale: Locale.EnglishUS,
          member: ctx.member,
          authorizing_integration_owners: { [ApplicationIntegrationType.GuildInstall]: ctx.guildId! },
          context: InteractionContextType.Guild,
        }
      : {
          user: ctx.user,
          authorizing_integration_owners: { [ApplicationIntegrationType.GuildInstall]: '0' },
          context: InteractionContextType.BotDM,
        }),
  };
}

export function buildSlashCommand(
  ctx: InteractionContext,
  command: { id: string; name: string; guildId?: string },
  options: SlashOptionsInput | undefined,
): APIChatInputApplicationCommandInteraction {
  const apiOptions = toApiOptions(options);
  return {
    ...baseInteraction(ctx),
    type: InteractionType.ApplicationCommand,
    data: {
      id: command.id,
      name: command.name,
      type: ApplicationCommandType.ChatInput,
      ...(apiOptions.length ? { options: apiOptions } : {}),
      ...(command.guildId ? { guild_id: command.guildId } : {}),
    },
  } as APIChatInputApplicationCommandInteraction;
}

export function buildAutocomplete(
  ctx: InteractionContext,
  command: { id: string; name: string; guildId?: string },
  focused: { name: string; value: string; type?: ApplicationCommandOptionType },
  otherOptions: SlashOptionsInput | undefined,
): APIApplicationCommandAutocompleteInteraction {
  const others = toApiOptions(otherOptions).filter((o) => o.name !== focused.name);
  // Autocomplete values arrive as the raw text typed so far, with `focused: true`.
  const focusedOption = {
    name: focused.name,
    type: focused.type ?? ApplicationCommandOptionType.String,
    value: focused.value,
    focused: true,
  };
  return {
    ...baseInteraction(ctx),
    type: InteractionType.ApplicationCommandAutocomplete,
    data: {
      id: command.id,
      name: command.name,
      type: ApplicationCommandType.ChatInput,
      options: [...others, focusedOption],
      ...(command.guildId ? { guild_id: command.guildId } : {}),
    },
  } as APIApplicationCommandAutocompleteInteraction;
}

export function buildButton(ctx: InteractionContext, customId: string, message: APIMessage): APIMessageComponentButtonInteraction {
  return {
    ...baseInteraction(ctx),
    type: InteractionType.MessageComponent,
    message,
    data: { custom_id: customId, component_type: ComponentType.Button },
  } as APIMessageComponentButtonInteraction;
}
