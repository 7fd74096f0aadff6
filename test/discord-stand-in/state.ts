/**
 * The stand-in's mutable "Discord side" state, shared by the REST and gateway halves:
 * users and guild members seen so far, DM channels, messages (so replies, edits and
 * button clicks can refer to real message objects), interactions and their
 * acknowledgement status, and registered application commands.
 */
import { ChannelType, PermissionFlagsBits } from 'discord.js';
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

  permissionsOf(member: APIGuildMember): bigint {
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

  channel(id: string): APITextChannel | APIDMChannel | APIThreadChannel | undefined {
    return this.channels.find((c) => c.id === id) ?? this.threads.get(id) ?? [...this.dmChannels.values()].find((c) => c.id === id);
  }

  isGuildChannel(id: string): boolean {
    return this.channels.some((c) => c.id === id) || this.threads.has(id);
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
