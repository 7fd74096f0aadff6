/**
 * A loopback stand-in for Discord (REST API + gateway) that a real discord.js v14
 * Client can log into, for end-to-end tests and benchmarks of the bot.
 *
 *   const standIn = await startDiscordStandIn();
 *   const client = new Client({ intents: [...], partials: [Partials.Channel], rest: { api: standIn.apiUrl } });
 *   const ready = once(client, 'clientReady');
 *   await client.login(standIn.token);
 *   await ready;
 *   const { d: interaction } = standIn.sendInteraction(standIn.slashCommand('ask', { question: 'why?' }));
 *   const callback = await standIn.waitForInteractionResponse(interaction.id);
 *   ...
 *   await client.destroy(); await standIn.close();
 *
 * Files: payloads.ts (object builders), state.ts (users/messages/commands the fake
 * Discord remembers), rest.ts (HTTP API), gateway.ts (WebSocket gateway).
 */
import { EventEmitter } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { UploadOptions } from './attachments.js';
import { ApplicationFlags, ButtonStyle, ComponentType, GatewayDispatchEvents, GatewayIntentBits } from 'discord.js';
import type {
  APIApplicationCommand,
  APIApplicationCommandAutocompleteInteraction,
  APIAttachment,
  APIChatInputApplicationCommandInteraction,
  APIInteraction,
  APIMessage,
  APIMessageApplicationCommandInteraction,
  APIMessageComponentButtonInteraction,
  APIUser,
  ApplicationCommandOptionType,
  GatewayMessageCreateDispatchData,
} from 'discord-api-types/v10';
import {
  GATEWAY_PATH,
  GatewayStandIn,
  RESUME_GATEWAY_PATH,
  type GatewayStats,
  type ReceivedFrame,
  type SentDispatch,
  type StandInEvents,
} from './gateway.js';
import {
  botToken,
  buildAutocomplete,
  buildButton,
  buildMessage,
  buildSlashCommand,
  buildRoles,
  buildTextChannels,
  buildUserMessageCreate,
  defaultFixtureIds,
  extraGuildFixture,
  type SlashOptionsInput,
} from './payloads.js';
import { AttachmentStore, withResolvedAttachments } from './attachments.js';
import { buildMessageCommand } from './context-menu.js';
import { withResolved } from './resolved.js';
import { RestStandIn, type CannedResponse, type RecordedRequest, type RequestPredicate } from './rest.js';
import { StandInState, type ActorOptions } from './state.js';

export type { ActorOptions } from './state.js';
export type { UploadOptions } from './attachments.js';
export type { CannedResponse, RecordedFile, RecordedRequest, RequestPredicate } from './rest.js';
export type { GatewayStats, ReceivedFrame, SentDispatch, StandInEvents } from './gateway.js';
export type { SimpleOptionValue, SlashOptionsInput } from './payloads.js';
export { BOT_ROLE_PERMISSIONS, EVERYONE_PERMISSIONS, HELPER_PERMISSIONS, MODERATOR_PERMISSIONS, shardOf, snowflake } from './payloads.js';

/** What `sendInteraction` throws for a command Discord would neither show to this user nor deliver. */
export class CommandNotDeliveredError extends Error {
  constructor(readonly reason: string) {
    super(`stand-in: not delivered: ${reason}`);
    this.name = 'CommandNotDeliveredError';
  }
}

export interface DiscordStandInOptions {
  /** Bot token to accept. Default: a random token-shaped string (see `standIn.token`). */
  token?: string;
  /** HELLO heartbeat_interval. Default 41 250 ms like Discord; use e.g. 200 to exercise heartbeats. */
  heartbeatIntervalMs?: number;
  /** Delay added before every REST response (simulates Discord's round trip). Default 0. */
  restLatencyMs?: number;
  botUsername?: string;
  guildName?: string;
  /** Text channels of the guild; the first is `channelId`. Default `['general']`. */
  channelNames?: string[];
  /**
   * Privileged intents enabled "in the developer portal" (bitfield). IDENTIFY asking for
   * others is closed with 4014 like Discord does. Default: all three.
   */
  allowedPrivilegedIntents?: number;
  /**
   * Discord rejects an interaction callback that arrives more than 3 s after the
   * interaction (404 Unknown interaction, 10062), which is what a slow bot that forgets
   * to deferReply runs into. Default 3000; `Infinity` disables the check.
   */
  interactionDeadlineMs?: number;
  /** Diagnostics sink (unknown routes, protocol errors). Default: silent. */
  log?: (line: string) => void;
  /** Discord's recommended shard count, as GET /gateway/bot reports it. Default 1. */
  recommendedShards?: number;
  /** GET /gateway/bot's session_start_limit.max_concurrency. Default 1 (most bots). */
  maxConcurrency?: number;
}

export interface MessageOptions extends ActorOptions {
  /** Prefix `<@botId>` to the content (unless already present) and list the bot in `mentions`. */
  mentionsBot?: boolean;
  /** Further user ids to list in `mentions`. */
  mentionUserIds?: string[];
}

export interface AutocompleteOptions extends ActorOptions {
  /** The other options already filled in. */
  options?: SlashOptionsInput;
  /** Type of the focused option. Default String. */
  focusedType?: ApplicationCommandOptionType;
}

export class DiscordStandIn {
  /** Pass as `rest: { api }` to the discord.js Client. */
  readonly apiUrl: string;
  /** What GET /gateway/bot returns. */
  readonly gatewayUrl: string;
  /** READY's `resume_gateway_url` (a different path, so tests can see it was used). */
  readonly resumeGatewayUrl: string;
  readonly token: string;
  readonly applicationId: string;
  readonly botUser: APIUser;
  readonly guildId: string;
  /** The main guild text channel. */
  readonly channelId: string;
  /** All guild text channel ids (first = channelId). */
  readonly channelIds: readonly string[];
  readonly everyoneRoleId: string;
  /** Role with Manage Guild (0x20): put it in `roles` to act as a moderator. */
  readonly moderatorRoleId: string;
  /** Role with Manage Messages but not Manage Guild. */
  readonly helperRoleId: string;
  readonly botRoleId: string;
  /** Guild owner (not the default user, so the default user has no implicit permissions). */
  readonly ownerId: string;
  /** The user that acts when `userId` is not given. */
  readonly defaultUserId: string;
  /** Typed event stream: request, dispatch, frame, connection, identify, resume, ready, resumed, disconnect. */
  readonly events = new EventEmitter<StandInEvents>();

  /** Everything below is exposed for assertions and as an escape hatch. */
  readonly state: StandInState;
  readonly rest: RestStandIn;
  readonly gateway: GatewayStandIn;
  /** Files attached to commands (`upload`), served over HTTP at their `url` (attachments.ts). */
  readonly attachments: AttachmentStore;

  private constructor(
    private readonly server: Server,
    port: number,
    options: DiscordStandInOptions,
  ) {
    const base = `127.0.0.1:${port}`;
    this.apiUrl = `http://${base}/api`;
    this.gatewayUrl = `ws://${base}${GATEWAY_PATH}`;
    this.resumeGatewayUrl = `ws://${base}${RESUME_GATEWAY_PATH}`;
    const channelNames = options.channelNames?.length ? options.channelNames : ['general'];
    const ids = defaultFixtureIds(channelNames.length);
    this.state = new StandInState({
      ids,
      names: { botUsername: options.botUsername ?? 'lookout', guildName: options.guildName ?? 'Stand-in Guild', channelNames },
    });
    this.token = options.token ?? botToken(ids.botUserId);
    this.applicationId = ids.applicationId;
    this.botUser = this.state.botUser;
    this.guildId = ids.guildId;
    this.channelId = ids.channelId;
    this.channelIds = ids.channelIds;
    this.everyoneRoleId = ids.everyoneRoleId;
    this.moderatorRoleId = ids.moderatorRoleId;
    this.helperRoleId = ids.helperRoleId;
    this.botRoleId = ids.botRoleId;
    this.ownerId = ids.ownerId;
    this.defaultUserId = ids.defaultUserId;

    const log = options.log ?? (() => {});
    const allowedPrivilegedIntents =
      options.allowedPrivilegedIntents ?? GatewayIntentBits.GuildMembers | GatewayIntentBits.GuildPresences | GatewayIntentBits.MessageContent;
    this.rest = new RestStandIn(this.state, {
      token: this.token,
      gatewayUrl: () => this.gatewayUrl,
      latencyMs: options.restLatencyMs ?? 0,
      interactionDeadlineMs: options.interactionDeadlineMs ?? 3000,
      onRequest: (request) => this.events.emit('request', request),
      log,
      dispatch: (event, data, intent) => void this.gateway.dispatch(event, data, intent),
      ...(options.recommendedShards === undefined ? {} : { recommendedShards: options.recommendedShards }),
      ...(options.maxConcurrency === undefined ? {} : { maxConcurrency: options.maxConcurrency }),
    });
    this.gateway = new GatewayStandIn(this.state, {
      token: this.token,
      heartbeatIntervalMs: options.heartbeatIntervalMs ?? 41_250,
      gatewayUrl: () => this.gatewayUrl,
      resumeGatewayUrl: () => this.resumeGatewayUrl,
      allowedPrivilegedIntents,
      applicationFlags: applicationFlagsFor(allowedPrivilegedIntents),
      events: this.events,
      log,
    });
    this.attachments = new AttachmentStore(() => `http://${base}`, ids.applicationId);
    server.on('request', (req, res) => {
      if (this.attachments.handle(req, res)) return;
      this.rest.handle(req, res).catch((error: unknown) => {
        log(`REST handler crashed: ${String(error)}`);
        if (!res.headersSent) res.writeHead(500).end();
      });
    });
    server.on('upgrade', (req, socket, head: Buffer) => {
      if (!this.gateway.handleUpgrade(req, socket, head)) socket.destroy();
    });
  }

  /** @internal use startDiscordStandIn() */
  static async start(options: DiscordStandInOptions = {}): Promise<DiscordStandIn> {
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    return new DiscordStandIn(server, (server.address() as AddressInfo).port, options);
  }

  // -------------------------------------------------------------------------
  // Recorded traffic

  /** Every REST request the bot made, in arrival order. */
  get requests(): readonly RecordedRequest[] {
    return this.rest.requests;
  }

  /** Requests to routes the stand-in does not know (answered 404/405). Usually a test should assert this is empty. */
  get unmatchedRequests(): RecordedRequest[] {
    return this.rest.unmatched;
  }

  /** Every dispatch created (sent, buffered for resume, or skipped for missing intents). */
  get dispatches(): readonly SentDispatch[] {
    return this.gateway.dispatches;
  }

  /** Every gateway payload the client sent (heartbeats, IDENTIFY, RESUME, ...). */
  get frames(): readonly ReceivedFrame[] {
    return this.gateway.frames;
  }

  /** Counters: connections, identifies, resumes, failedResumes, heartbeats, replayed. */
  get stats(): Readonly<GatewayStats> {
    return this.gateway.stats;
  }

  get protocolErrors(): readonly string[] {
    return this.gateway.protocolErrors;
  }

  /** Registered application commands (via PUT/POST /applications/{id}/commands...). */
  get commands(): { global: APIApplicationCommand[]; guild: APIApplicationCommand[] } {
    return { global: this.state.globalCommands, guild: this.state.guildCommands.get(this.guildId) ?? [] };
  }

  /** Messages Discord "has": injected user messages and everything the bot created. */
  get messages(): ReadonlyMap<string, APIMessage> {
    return this.state.messages;
  }

  // -------------------------------------------------------------------------
  // Waiting

  /**
   * Resolve with the first request (at index >= `since`, default 0 — i.e. already-recorded
   * requests count) matching `predicate`. Rejects after `timeoutMs` listing what did arrive.
   */
  waitForRequest(predicate: RequestPredicate, timeoutMs = 2000, { since = 0 }: { since?: number } = {}): Promise<RecordedRequest> {
    const existing = this.rest.requests.slice(since).find(predicate);
    if (existing) return Promise.resolve(existing);
    return new Promise((resolve, reject) => {
      const onRequest = (request: RecordedRequest) => {
        if (!predicate(request)) return;
        cleanup();
        resolve(request);
      };
      const timer = setTimeout(() => {
        cleanup();
        const seen = this.rest.requests.slice(since).map((r) => `${r.method} ${r.path}`);
        reject(new Error(`stand-in: no matching REST request within ${timeoutMs}ms; got: ${seen.join(', ') || 'none'}`));
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        this.events.off('request', onRequest);
      };
      this.events.on('request', onRequest);
    });
  }

  /** The POST /interactions/{id}/{token}/callback for this interaction. */
  waitForInteractionResponse(interaction: string | { id: string }, timeoutMs = 2000): Promise<RecordedRequest> {
    const id = typeof interaction === 'string' ? interaction : interaction.id;
    return this.waitForRequest((r) => r.route === '/interactions/:interactionId/:token/callback' && r.params.interactionId === id, timeoutMs);
  }

  /** Next occurrence of a stand-in event (e.g. 'resumed', 'identify'); rejects after `timeoutMs`. */
  waitForEvent<K extends keyof StandInEvents>(event: K, timeoutMs = 5000): Promise<StandInEvents[K][0]> {
    return new Promise((resolve, reject) => {
      const listener = (...args: StandInEvents[K]) => {
        clearTimeout(timer);
        resolve(args[0]);
      };
      const timer = setTimeout(() => {
        this.events.off(event, listener as never);
        reject(new Error(`stand-in: no '${String(event)}' event within ${timeoutMs}ms`));
      }, timeoutMs);
      this.events.once(event, listener as never);
    });
  }

  /** Give the next request matching `predicate` a canned response (e.g. a 500 or 429). */
  respondOnce(predicate: RequestPredicate, response: CannedResponse): void {
    this.rest.respondOnce(predicate, response);
  }

  /**
   * Adds a further guild the bot is in (its own roles and one text channel; the same users), before the bot
   * connects: it is announced to the session of its shard (see `shardOf`). Returns its ids; pass `guildId` in
   * the actor options of `slashCommand` and the other builders to act in it. The n-th added guild's id is the
   * main guild's with n ms added to its timestamp, so with two shards the main guild is on shard 0 and the
   * first added guild on shard 1.
   */
  addGuild(name = `Guild ${this.state.extraGuilds.size + 2}`): { guildId: string; channelId: string } {
    const fixture = extraGuildFixture(this.state.fixture, this.state.extraGuilds.size + 1, name);
    this.state.extraGuilds.set(fixture.ids.guildId, { fixture, roles: buildRoles(fixture), channels: buildTextChannels(fixture) });
    return { guildId: fixture.ids.guildId, channelId: fixture.ids.channelId };
  }

  /** Shard ids with a connected session. */
  get connectedShards(): number[] {
    return this.gateway.connectedShards;
  }

  // -------------------------------------------------------------------------
  // Building payloads (use with sendInteraction)

  /** A CHAT_INPUT command interaction. Options: `{ question: 'x', count: 3, public: true }` or raw API options. */
  slashCommand(name: string, options?: SlashOptionsInput, actor: ActorOptions = {}): APIChatInputApplicationCommandInteraction {
    const interaction = withResolved(buildSlashCommand(this.state.context(actor), this.state.commandRef(name), options), this.state);
    return withResolvedAttachments(interaction, this.attachments);
  }

  /**
   * A file a user attaches to a command option: pass its `id` as the value of an ATTACHMENT option
   * (`{ name: 'file', type: ApplicationCommandOptionType.Attachment, value: id }`); `slashCommand` then puts it in
   * `data.resolved.attachments`, and its bytes are served at its `url`.
   */
  upload(filename: string, content: string | Uint8Array, options: UploadOptions = {}): APIAttachment {
    return this.attachments.upload(filename, content, options);
  }

  /** An autocomplete interaction with `focusedOption` being typed as `value`. */
  autocomplete(name: string, focusedOption: string, value: string, actor: AutocompleteOptions = {}): APIApplicationCommandAutocompleteInteraction {
    const { options, focusedType, ...who } = actor;
    return buildAutocomplete(this.state.context(who), this.state.commandRef(name), { name: focusedOption, value, type: focusedType }, options);
  }

  /**
   * A button click. `messageId` should be a message the bot sent (e.g. from a recorded
   * response); the interaction then happens in that message's channel. Unknown or
   * omitted ids get a stand-in bot message carrying the button.
   */
  button(customId: string, messageId?: string, actor: ActorOptions = {}): APIMessageComponentButtonInteraction {
    let message = messageId ? this.state.messages.get(messageId) : undefined;
    const channelId = actor.channelId ?? message?.channel_id;
    const ctx = this.state.context({ ...actor, channelId });
    message ??= this.state.storeMessage(
      buildMessage(
        { channelId: ctx.channel.id, author: this.botUser },
        {
          ...(messageId ? { id: messageId } : {}),
          components: [
            { type: ComponentType.ActionRow, components: [{ type: ComponentType.Button, style: ButtonStyle.Primary, custom_id: customId, label: customId }] },
          ],
        },
      ),
    );
    return buildButton(ctx, customId, message);
  }

  /**
   * A message context-menu command ("Apps → <name>" on a message): type APPLICATION_COMMAND with
   * data.type MESSAGE (3), target_id and the message in resolved.messages, in the message's channel.
   */
  messageCommand(name: string, messageId: string, actor: ActorOptions = {}): APIMessageApplicationCommandInteraction {
    const message = this.state.messages.get(messageId);
    if (!message) throw new Error(`stand-in: unknown message ${messageId}`);
    const ctx = this.state.context({ ...actor, channelId: actor.channelId ?? message.channel_id });
    return buildMessageCommand(ctx, this.state.commandRef(name), message);
  }

  // -------------------------------------------------------------------------
  // Injecting gateway events

  /**
   * Dispatch INTERACTION_CREATE. The stand-in remembers the interaction so its callback/webhook routes work.
   * Throws `CommandNotDeliveredError` (and dispatches nothing) when Discord would not let this user run a
   * registered command here: its `default_member_permissions` exceed the member's permissions, or its
   * `contexts` exclude this place (see `StandInState.undeliverableReason`).
   */
  sendInteraction<T extends APIInteraction>(payload: T): SentDispatch<T> {
    const reason = this.state.undeliverableReason(payload);
    if (reason !== undefined) throw new CommandNotDeliveredError(reason);
    let sent: SentDispatch<T> | undefined;
    this.state.rememberInteraction(payload, () => sent?.sentAt ?? null);
    sent = this.gateway.dispatch(GatewayDispatchEvents.InteractionCreate, payload);
    return sent;
  }

  /**
   * Dispatch MESSAGE_CREATE from a user, in the guild channel (default) or their DM.
   * Honours intents like Discord: without GuildMessages/DirectMessages the event is
   * skipped; without MessageContent, guild messages not mentioning the bot arrive with
   * empty content. The message is stored, so `message.reply()` can reference it.
   */
  sendMessage(content: string, options: MessageOptions = {}): SentDispatch<GatewayMessageCreateDispatchData> {
    const ctx = this.state.context(options);
    const botMention = `<@${this.botUser.id}>`;
    const text = options.mentionsBot && !content.includes(botMention) ? `${botMention} ${content}` : content;
    const mentions = [
      ...(options.mentionsBot ? [this.botUser] : []),
      ...(options.mentionUserIds ?? []).map((id) => this.state.user(id)),
    ];
    const inGuild = ctx.guildId !== undefined;
    const payload = buildUserMessageCreate({
      content: text,
      author: ctx.user,
      channelId: ctx.channel.id,
      guildId: ctx.guildId,
      member: inGuild ? this.state.member(ctx.user.id) : undefined,
      mentions,
      mentionMembers: this.state.members,
    });
    this.state.storeMessage(payload);

    const intents = this.gateway.intents ?? 0;
    const mentioned = mentions.some((u) => u.id === this.botUser.id);
    const delivered =
      inGuild && !mentioned && !(intents & GatewayIntentBits.MessageContent)
        ? { ...payload, content: '', embeds: [], attachments: [], components: [] }
        : payload;
    return this.gateway.dispatch(GatewayDispatchEvents.MessageCreate, delivered, inGuild ? GatewayIntentBits.GuildMessages : GatewayIntentBits.DirectMessages);
  }

  /** Any other dispatch, raw. */
  sendDispatch<D>(t: string, d: D, requiredIntent?: number): SentDispatch<D> {
    return this.gateway.dispatch(t, d, requiredIntent);
  }

  // -------------------------------------------------------------------------
  // Connection control

  /**
   * Cut the gateway connection but keep the session, so the client RESUMEs (it waits
   * ~500 ms first). Default: abrupt socket teardown (client sees 1006); `{ code: 4000 }`
   * sends a resumable close frame instead.
   */
  dropConnection(options: { code?: number } = {}): void {
    this.gateway.dropConnection(options);
  }

  /** op 7 RECONNECT. */
  requestReconnect(): void {
    this.gateway.requestReconnect();
  }

  /** op 9 INVALID_SESSION (resumable or not). */
  invalidateSession(resumable: boolean): void {
    this.gateway.invalidateSession(resumable);
  }

  /** Stop (false) or resume (true) answering heartbeats, to simulate a zombie connection. */
  setHeartbeatAck(enabled: boolean): void {
    this.gateway.ackHeartbeats = enabled;
  }

  async close(): Promise<void> {
    await this.gateway.close();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.events.removeAllListeners();
  }
}

/**
 * For `new Client({ ws: { buildIdentifyThrottler: noIdentifyThrottle } })`: @discordjs/ws
 * waits ~5–6.5 s between two IDENTIFYs (max_concurrency 1), which only matters for tests
 * that force a re-IDENTIFY (non-resumable INVALID_SESSION, a second login).
 */
export const noIdentifyThrottle = () => ({ async waitForIdentify(): Promise<void> {} });

/** Start a stand-in on 127.0.0.1 with a random free port. */
export function startDiscordStandIn(options: DiscordStandInOptions = {}): Promise<DiscordStandIn> {
  return DiscordStandIn.start(options);
}

/** READY's application.flags: the "intent enabled" flags matching the allowed privileged intents. */
function applicationFlagsFor(allowed: number): number {
  let flags = 0;
  if (allowed & GatewayIntentBits.GuildPresences) flags |= ApplicationFlags.GatewayPresence;
  if (allowed & GatewayIntentBits.GuildMembers) flags |= ApplicationFlags.GatewayGuildMembers;
  if (allowed & GatewayIntentBits.MessageContent) flags |= ApplicationFlags.GatewayMessageContent;
  return flags;
}
