/**
 * The stand-in's mutable "Discord side" state, shared by the REST and gateway halves:
 * users and guild members seen so far, DM channels, messages (so replies, edits and
 * button clicks can refer to real message objects), interactions and their
 * acknowledgement status, and registered application commands.
 */
import { ChannelType, InteractionContextType, InteractionType, PermissionFlagsBits } from 'discord.js';
import type {
  APIApplicationCommand,
  APIDMChannel,
  APIGuildMember,
  APIInteraction,
  APIInteractionGuildMember,
  APIMessage,
  APIRole,
  APITextChannel,
  APIThreadChannel,
  APIUser,
  Locale,
} from 'discord-api-types/v10';
import {
  ALL_PERMISSIONS,
  buildBotUser,
  buildDMChannel,
  buildMember,
  buildRoles,
  buildTextChannels,
  buildUser,
  computePermissions,
  EVERYONE_PERMISSIONS,
  snowflake,
  type Fixture,
  type InteractionContext,
} from './payloads.js';

/** Who triggers an interaction / writes a message, and where. */
export interface ActorOptions {
  /** Snowflake of the acting user. Default: `standIn.defaultUserId`. */
  userId?: string;
  username?: string;
  /**
   * Role ids the member has (guild only). Pass `standIn.moderatorRoleId` to give the
   * user Manage Guild. Default: no roles besides @everyone. Remembered per user.
   */
  roles?: string[];
  /** Override the member's permission bits on interactions (default: computed from roles). */
  memberPermissions?: bigint | string;
  /** Happen in the user's DM with the bot instead of the guild. */
  dm?: boolean;
  /** A guild added with `standIn.addGuild` (default: the main guild); the interaction happens in its channel. */
  guildId?: string;
  /** A guild text channel id (default `standIn.channelId`), or a DM channel id. */
  channelId?: string;
  locale?: Locale;
}

export interface InteractionRecord {
  payload: APIInteraction;
  acknowledged: boolean;
  /** InteractionResponseType of the first callback. */
  callbackType?: number;
  /** Message behind `@original`, once there is one. */
  originalMessageId?: string;
  followUpIds: string[];
  /** performance.now() when INTERACTION_CREATE reached the socket (null while buffered). */
  sentAt: () => number | null;
}

/** A guild besides the main one (standIn.addGuild): its fixture, roles and text channel. Members are shared. */
export interface ExtraGuild {
  readonly fixture: Fixture;
  readonly roles: APIRole[];
  readonly channels: APITextChannel[];
}

export class StandInState {
  readonly botUser: APIUser;
  readonly roles: APIRole[];
  readonly channels: APITextChannel[];
  readonly users = new Map<string, APIUser>();
  /** Guild members by user id. The bot is a member from the start. */
  readonly members = new Map<string, APIGuildMember>();
  /** DM channels by recipient user id. */
  readonly dmChannels = new Map<string, APIDMChannel>();
  /** Threads started through REST (threads.ts), by id. */
  readonly threads = new Map<string, APIThreadChannel>();
  readonly messages = new Map<string, APIMessage>();
  readonly interactions = new Map<string, InteractionRecord>();
  readonly globalCommands: APIApplicationCommand[] = [];
  readonly guildCommands = new Map<string, APIApplicationCommand[]>();
  /** Guilds besides the main one, by id (the bot is in all of them; so is every member, with no roles there). */
  readonly extraGuilds = new Map<string, ExtraGuild>();
  /** Ids handed out for commands that were never registered, stable per name. */
  private readonly adHocCommandIds = new Map<string, string>();

  constructor(readonly fixture: Fixture) {
    this.botUser = buildBotUser(fixture);
    this.roles = buildRoles(fixture);
    this.channels = buildTextChannels(fixture);
    this.users.set(this.botUser.id, this.botUser);
    this.members.set(this.botUser.id, buildMember(this.botUser, [fixture.ids.botRoleId]));
  }

  get ids() {
    return this.fixture.ids;
  }

  user(id: string, username?: string): APIUser {
    let user = this.users.get(id);
    if (!user || (username && user.username !== username)) {
      user = buildUser(id, username ?? user?.username);
      this.users.set(id, user);
    }
    return user;
  }

  /** Get or create the guild member for a user; `roles`, when given, replaces the stored ones. */
  member(userId: string, roles?: string[], username?: string): APIGuildMember {
    const user = this.user(userId, username);
    const existing = this.members.get(userId);
    const member = existing && !roles ? { ...existing, user } : buildMember(user, roles ?? existing?.roles ?? []);
    this.members.set(userId, member);
    return member;
  }

  /** Guild-level permissions: @everyone and the member's roles; Administrator and the guild owner have all. */
  permissionsOf(member: APIGuildMember): bigint {
    if (member.user.id === this.ids.ownerId) return ALL_PERMISSIONS;
    return computePermissions(this.roles, member.roles, this.ids.everyoneRoleId);
  }

  dmChannelFor(userId: string): APIDMChannel {
    let channel = this.dmChannels.get(userId);
    if (!channel) {
      channel = buildDMChannel(snowflake(), this.user(userId));
      this.dmChannels.set(userId, channel);
    }
    return channel;
  }

  /** Every guild the bot is in: the main one first. */
  get guildFixtures(): Fixture[] {
    return [this.fixture, ...[...this.extraGuilds.values()].map((g) => g.fixture)];
  }

  /** Text channels of the further guilds. */
  private get extraChannels(): APITextChannel[] {
    return [...this.extraGuilds.values()].flatMap((g) => g.channels);
  }

  channel(id: string): APITextChannel | APIDMChannel | APIThreadChannel | undefined {
    return (
      this.channels.find((c) => c.id === id) ??
      this.extraChannels.find((c) => c.id === id) ??
      this.threads.get(id) ??
      [...this.dmChannels.values()].find((c) => c.id === id)
    );
  }

  /** The guild a channel belongs to (threads: the main guild's), or undefined for a DM channel. */
  guildIdOfChannel(id: string): string | undefined {
    for (const g of this.extraGuilds.values()) if (g.channels.some((c) => c.id === id)) return g.fixture.ids.guildId;
    return this.channels.some((c) => c.id === id) || this.threads.has(id) ? this.ids.guildId : undefined;
  }

  isGuildChannel(id: string): boolean {
    return this.channels.some((c) => c.id === id) || this.threads.has(id) || this.extraChannels.some((c) => c.id === id);
  }

  /** Resolve actor options into the context an interaction or message happens in. */
  context(opts: ActorOptions = {}): InteractionContext {
    const userId = opts.userId ?? this.ids.defaultUserId;
    const user = this.user(userId, opts.username);
    const channelIsDM = opts.channelId !== undefined && !this.isGuildChannel(opts.channelId);
    if (opts.dm || channelIsDM) {
      const channel = opts.channelId ? this.channel(opts.channelId) : this.dmChannelFor(userId);
      if (!channel || channel.type !== ChannelType.DM) throw new Error(`stand-in: unknown channel ${opts.channelId} (neither a guild text channel nor a known DM channel)`);
      return {
        user,
        channel,
        // What Discord reports for bots in DMs: the usual text permissions.
        appPermissions: EVERYONE_PERMISSIONS | PermissionFlagsBits.UseApplicationCommands,
        applicationId: this.ids.applicationId,
        locale: opts.locale,
      };
    }
    const extra = opts.guildId === undefined || opts.guildId === this.ids.guildId ? undefined : this.extraGuilds.get(opts.guildId);
    if (opts.guildId !== undefined && opts.guildId !== this.ids.guildId && extra === undefined) throw new Error(`stand-in: unknown guild ${opts.guildId} (add it with addGuild)`);
    if (extra !== undefined) {
      const channel = extra.channels.find((c) => c.id === (opts.channelId ?? extra.fixture.ids.channelId));
      if (channel === undefined) throw new Error(`stand-in: channel ${opts.channelId} is not in guild ${opts.guildId}`);
      const member = this.member(userId, opts.roles, opts.username);
      const permissions =
        opts.memberPermissions !== undefined
          ? BigInt(opts.memberPermissions)
          : member.user.id === this.ids.ownerId
            ? ALL_PERMISSIONS
            : computePermissions(extra.roles, member.roles, extra.fixture.ids.everyoneRoleId);
      const botPermissions = computePermissions(extra.roles, [extra.fixture.ids.botRoleId], extra.fixture.ids.everyoneRoleId);
      return {
        user,
        member: { ...member, user, permissions: permissions.toString() },
        guildId: extra.fixture.ids.guildId,
        channel,
        appPermissions: botPermissions,
        applicationId: this.ids.applicationId,
        locale: opts.locale,
      };
    }
    const channelId = opts.channelId ?? this.ids.channelId;
    const channel = this.channels.find((c) => c.id === channelId) ?? this.threads.get(channelId)!;
    const member = this.member(userId, opts.roles, opts.username);
    const permissions = opts.memberPermissions !== undefined ? BigInt(opts.memberPermissions) : this.permissionsOf(member);
    const interactionMember: APIInteractionGuildMember = { ...member, user, permissions: permissions.toString() };
    return {
      user,
      member: interactionMember,
      guildId: this.ids.guildId,
      channel,
      appPermissions: this.permissionsOf(this.members.get(this.botUser.id)!),
      applicationId: this.ids.applicationId,
      locale: opts.locale,
    };
  }

  /** The registered command with this name (guild commands first), or a stable ad-hoc id. */
  commandRef(name: string): { id: string; name: string; guildId?: string } {
    const guildCmd = this.guildCommands.get(this.ids.guildId)?.find((c) => c.name === name);
    if (guildCmd) return { id: guildCmd.id, name, guildId: this.ids.guildId };
    const globalCmd = this.globalCommands.find((c) => c.name === name);
    if (globalCmd) return { id: globalCmd.id, name };
    let id = this.adHocCommandIds.get(name);
    if (!id) this.adHocCommandIds.set(name, (id = snowflake()));
    return { id, name };
  }

  /** The registered command an interaction invokes (guild commands of its guild, then global ones), if any. */
  registeredCommand(commandId: string, guildId: string | undefined): APIApplicationCommand | undefined {
    const inGuild = guildId === undefined ? undefined : this.guildCommands.get(guildId)?.find((c) => c.id === commandId);
    return inGuild ?? this.globalCommands.find((c) => c.id === commandId);
  }

  /**
   * Why Discord would not deliver this application command (or autocomplete) interaction, or undefined when
   * it would. Like Discord, for a registered command:
   * - a guild command exists only in its guild, and `contexts` limits where a command is offered (Guild, BotDM);
   * - in a guild, `default_member_permissions` hides the command from members lacking any of its bits
   *   (checked against the member's permissions as the interaction carries them: @everyone + roles,
   *   Administrator and the owner have all); "0" leaves it to administrators. It does not apply in DMs.
   * Commands that were never registered (ad-hoc ids) are delivered as they are, so tests can skip registration.
   * Not modelled: per-guild command permission overwrites (Server Settings → Integrations).
   */
  undeliverableReason(payload: APIInteraction): string | undefined {
    if (payload.type !== InteractionType.ApplicationCommand && payload.type !== InteractionType.ApplicationCommandAutocomplete) return undefined;
    const guildId = payload.guild_id;
    const command = this.registeredCommand(payload.data.id, guildId);
    if (command === undefined) {
      const elsewhere = [...this.guildCommands.values()].flat().some((c) => c.id === payload.data.id);
      return elsewhere ? `/${payload.data.name} is a guild command of another guild (or the interaction is not in a guild)` : undefined;
    }
    const context = guildId === undefined ? InteractionContextType.BotDM : InteractionContextType.Guild;
    if (command.contexts != null && !command.contexts.includes(context)) {
      return `/${command.name} is not offered in ${guildId === undefined ? 'DMs' : 'servers'} (contexts ${JSON.stringify(command.contexts)})`;
    }
    if (guildId === undefined || command.default_member_permissions == null) return undefined;
    const required = BigInt(command.default_member_permissions);
    const has = BigInt(payload.member?.permissions ?? '0');
    if ((has & PermissionFlagsBits.Administrator) !== 0n) return undefined;
    if (required === 0n) return `/${command.name} has default_member_permissions "0": only administrators see it`;
    const missing = required & ~has;
    if (missing === 0n) return undefined;
    const names = Object.entries(PermissionFlagsBits)
      .filter(([, bit]) => (missing & bit) !== 0n)
      .map(([name]) => name);
    return `/${command.name} needs ${names.join(', ')} (default_member_permissions ${command.default_member_permissions}); the member lacks it, so Discord does not show them the command`;
  }

  rememberInteraction(payload: APIInteraction, sentAt: () => number | null): void {
    this.interactions.set(payload.id, { payload, acknowledged: false, followUpIds: [], sentAt });
  }

  interactionByToken(token: string): InteractionRecord | undefined {
    for (const record of this.interactions.values()) if (record.payload.token === token) return record;
    return undefined;
  }

  storeMessage(message: APIMessage): APIMessage {
    this.messages.set(message.id, message);
    return message;
  }
}
