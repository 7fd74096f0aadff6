/**
 * The HTTP (REST API) half of the stand-in: records every request the bot makes and
 * answers the routes discord.js uses with realistic payloads, including Discord's
 * error shapes and limits, so the bot under test fails here the way it would in prod.
 *
 * All routes live under `/api/v10` (@discordjs/rest appends `/v10` to `rest.api`).
 */
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  GatewayDispatchEvents,
  GatewayIntentBits,
  InteractionResponseType,
  InteractionType,
  MessageFlags,
  MessageType,
  PermissionFlagsBits,
} from 'discord.js';
import type { APIApplicationCommand, APIAttachment, APIEmbed, APIMessage, APIUser } from 'discord-api-types/v10';
import { buildGuild, snowflake } from './payloads.js';
import type { InteractionRecord, StandInState } from './state.js';
import { threadRoutes, type Dispatch } from './threads.js';

// ---------------------------------------------------------------------------
// Public types

export interface RecordedFile {
  /** Multipart field name, e.g. `files[0]`. */
  field: string;
  name: string;
  contentType: string;
  size: number;
  data: Buffer;
}

export interface RecordedRequest {
  /** Position in `requests`. */
  index: number;
  method: string;
  /** Path below `/api/v10`, without the query string, e.g. `/channels/123/messages`. */
  path: string;
  /** The matched route template, e.g. `/channels/:channelId/messages`, or `null` if unknown. */
  route: string | null;
  params: Record<string, string>;
  query: Record<string, string>;
  headers: IncomingHttpHeaders;
  /**
   * Parsed JSON body (for multipart requests: the parsed `payload_json` part, or the
   * plain form fields). `undefined` when the request had no body. Typed `any` because
   * its shape depends on the route; assert on it with `toMatchObject`.
   */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
  rawBody: Buffer;
  multipart: boolean;
  files: RecordedFile[];
  /** performance.now() when the request arrived (before the body was read). */
  receivedAt: number;
  /** Filled in once answered. */
  status?: number;
  respondedAt?: number;
  /** The JSON the stand-in answered with (undefined for 204). */
  responseBody?: unknown;
}

export interface CannedResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export type RequestPredicate = (request: RecordedRequest) => boolean;

export interface RestOptions {
  token: string;
  gatewayUrl: () => string;
  /** Extra delay before each response, to simulate Discord's round trip. */
  latencyMs: number;
  /** Max time from INTERACTION_CREATE to its callback before 10062 Unknown interaction. */
  interactionDeadlineMs: number;
  onRequest: (request: RecordedRequest) => void;
  log: (line: string) => void;
  /** Sends a gateway dispatch (THREAD_CREATE after a thread is started). */
  dispatch?: Dispatch;
  /** GET /gateway/bot's `shards` (Discord's recommended shard count). Default 1. */
  recommendedShards?: number;
  /** GET /gateway/bot's `session_start_limit.max_concurrency` (IDENTIFYs allowed per 5 s). Default 1. */
  maxConcurrency?: number;
}

// ---------------------------------------------------------------------------
// Routing plumbing

export interface Reply {
  status: number;
  body?: unknown;
}

export interface RouteContext {
  req: RecordedRequest;
  params: Record<string, string>;
}

export interface Route {
  method: string;
  pattern: string;
  /** false for routes discord.js calls with `auth: false` (interaction callbacks, interaction webhooks). */
  auth: boolean;
  handler: (ctx: RouteContext) => Reply | Promise<Reply>;
}

const noContent: Reply = { status: 204 };
const ok = (body: unknown): Reply => ({ status: 200, body });

/** Discord's error body: `{ code, message, errors? }`. */
export function discordError(status: number, code: number, message: string, errors?: unknown): Reply {
  return { status, body: errors ? { code, message, errors } : { code, message } };
}

const unknownMessage = () => discordError(404, 10008, 'Unknown Message');
const unknownChannel = () => discordError(404, 10003, 'Unknown Channel');
const unknownWebhook = () => discordError(404, 10015, 'Unknown Webhook');
const unknownCommand = () => discordError(404, 10063, 'Unknown application command');
const missingAccess = () => discordError(403, 50001, 'Missing Access');

/** Collects "Invalid Form Body" field errors in Discord's nested `{ a: { b: { _errors: [...] } } }` shape. */
class FormErrors {
  private readonly root: Record<string, unknown> = {};
  private count = 0;

  add(path: (string | number)[], code: string, message: string): void {
    let node = this.root;
    for (const key of path) node = (node[String(key)] ??= {}) as Record<string, unknown>;
    ((node._errors ??= []) as unknown[]).push({ code, message });
    this.count++;
  }

  maxLength(path: (string | number)[], value: unknown, max: number): void {
    if (typeof value === 'string' && value.length > max) this.add(path, 'BASE_TYPE_MAX_LENGTH', `Must be ${max} or fewer in length.`);
    if (Array.isArray(value) && value.length > max) this.add(path, 'BASE_TYPE_MAX_LENGTH', `Must be ${max} or fewer in length.`);
  }

  reply(): Reply | null {
    return this.count ? discordError(400, 50035, 'Invalid Form Body', this.root) : null;
  }
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

// ---------------------------------------------------------------------------
// Validation of bodies the bot sends (Discord's documented limits)

function validateEmbeds(errors: FormErrors, prefix: (string | number)[], embeds: unknown): void {
  if (embeds === undefined || embeds === null) return;
  if (!Array.isArray(embeds)) return errors.add([...prefix, 'embeds'], 'LIST_TYPE_CONVERT', 'Must be an array.');
  errors.maxLength([...prefix, 'embeds'], embeds, 10);
  let total = 0;
  embeds.forEach((embed: APIEmbed, i) => {
    const p = [...prefix, 'embeds', i];
    errors.maxLength([...p, 'title'], embed.title, 256);
    errors.maxLength([...p, 'description'], embed.description, 4096);
    errors.maxLength([...p, 'footer', 'text'], embed.footer?.text, 2048);
    errors.maxLength([...p, 'author', 'name'], embed.author?.name, 256);
    errors.maxLength([...p, 'fields'], embed.fields, 25);
    total += (embed.title?.length ?? 0) + (embed.description?.length ?? 0) + (embed.footer?.text?.length ?? 0) + (embed.author?.name?.length ?? 0);
    embed.fields?.forEach((field, j) => {
      errors.maxLength([...p, 'fields', j, 'name'], field.name, 256);
      errors.maxLength([...p, 'fields', j, 'value'], field.value, 1024);
      if (!field.name) errors.add([...p, 'fields', j, 'name'], 'BASE_TYPE_REQUIRED', 'This field is required');
      if (!field.value) errors.add([...p, 'fields', j, 'value'], 'BASE_TYPE_REQUIRED', 'This field is required');
      total += (field.name?.length ?? 0) + (field.value?.length ?? 0);
    });
  });
  if (total > 6000) errors.add([...prefix, 'embeds'], 'MAX_EMBED_SIZE_EXCEEDED', 'Embed size exceeds maximum size of 6000');
}

function validateComponents(errors: FormErrors, prefix: (string | number)[], components: unknown, flags: number): void {
  if (!Array.isArray(components)) return;
  if (flags & MessageFlags.IsComponentsV2) return; // v2 layouts have different rules; not modelled
  errors.maxLength([...prefix, 'components'], components, 5);
  components.forEach((row: Record<string, unknown>, i) => {
    const children = Array.isArray(row.components) ? (row.components as Record<string, unknown>[]) : [];
    errors.maxLength([...prefix, 'components', i, 'components'], children, 5);
    children.forEach((c, j) => {
      const p = [...prefix, 'components', i, 'components', j];
      errors.maxLength([...p, 'custom_id'], c.custom_id, 100);
      errors.maxLength([...p, 'label'], c.label, 80);
    });
  });
}

/** Content/embeds/components limits; `requireNonEmpty` for message creation (not edits). */
function validateMessageBody(body: unknown, files: RecordedFile[], prefix: (string | number)[], requireNonEmpty: boolean): Reply | null {
  if (!isObject(body)) {
    if (requireNonEmpty && files.length === 0) return discordError(400, 50006, 'Cannot send an empty message');
    return null;
  }
  const errors = new FormErrors();
  if (body.content !== undefined && body.content !== null && typeof body.content !== 'string') {
    errors.add([...prefix, 'content'], 'STRING_TYPE_CONVERT', 'Could not interpret value as string.');
  }
  errors.maxLength([...prefix, 'content'], body.content, 2000);
  validateEmbeds(errors, prefix, body.embeds);
  validateComponents(errors, prefix, body.components, Number(body.flags ?? 0));
  const invalid = errors.reply();
  if (invalid) return invalid;
  const empty =
    !body.content &&
    !(Array.isArray(body.embeds) && body.embeds.length) &&
    !(Array.isArray(body.components) && body.components.length) &&
    !(Array.isArray(body.sticker_ids) && body.sticker_ids.length) &&
    !body.poll &&
    files.length === 0;
  return requireNonEmpty && empty ? discordError(400, 50006, 'Cannot send an empty message') : null;
}

const COMMAND_NAME = /^[-_'\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u;

function validateCommandOptions(errors: FormErrors, prefix: (string | number)[], options: unknown): void {
  if (options === undefined) return;
  if (!Array.isArray(options)) return errors.add(prefix, 'LIST_TYPE_CONVERT', 'Must be an array.');
  errors.maxLength(prefix, options, 25);
  let seenOptional = false;
  const names = new Set<string>();
  options.forEach((o: Record<string, unknown>, i) => {
    const p = [...prefix, i];
    const name = String(o.name ?? '');
    if (!COMMAND_NAME.test(name) || name !== name.toLowerCase()) errors.add([...p, 'name'], 'APPLICATION_COMMAND_INVALID_NAME', 'Command name is invalid');
    if (names.has(name)) errors.add([...p, 'name'], 'APPLICATION_COMMAND_OPTIONS_NAME_ALREADY_EXISTS', 'Option name already exists');
    names.add(name);
    const desc = String(o.description ?? '');
    if (desc.length < 1 || desc.length > 100) errors.add([...p, 'description'], 'BASE_TYPE_BAD_LENGTH', 'Must be between 1 and 100 in length.');
    errors.maxLength([...p, 'choices'], o.choices, 25);
    const isSub = o.type === ApplicationCommandOptionType.Subcommand || o.type === ApplicationCommandOptionType.SubcommandGroup;
    if (isSub) return validateCommandOptions(errors, [...p, 'options'], o.options);
    if (o.required && seenOptional) {
      errors.add([...p, 'required'], 'APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID', 'Required options must be placed before non-required options');
    }
    if (!o.required) seenOptional = true;
  });
}

function validateCommand(errors: FormErrors, prefix: (string | number)[], body: unknown): void {
  if (!isObject(body)) return errors.add(prefix, 'DICT_TYPE_CONVERT', 'Only dictionaries may be used in a DictType');
  const type = Number(body.type ?? ApplicationCommandType.ChatInput);
  const name = String(body.name ?? '');
  const chatInput = type === ApplicationCommandType.ChatInput;
  // USER and MESSAGE (context menu) command names may have capitals and spaces: 1-32 characters.
  const validName = chatInput ? COMMAND_NAME.test(name) && name === name.toLowerCase() : name.length >= 1 && name.length <= 32;
  if (!validName) {
    errors.add([...prefix, 'name'], 'APPLICATION_COMMAND_INVALID_NAME', 'Command name is invalid');
  }
  if (chatInput) {
    const desc = String(body.description ?? '');
    if (desc.length < 1 || desc.length > 100) errors.add([...prefix, 'description'], 'BASE_TYPE_BAD_LENGTH', 'Must be between 1 and 100 in length.');
    validateCommandOptions(errors, [...prefix, 'options'], body.options);
  }
}

// ---------------------------------------------------------------------------
// The server half

export class RestStandIn {
  readonly requests: RecordedRequest[] = [];
  private readonly overrides: { predicate: RequestPredicate; response: CannedResponse }[] = [];
  private readonly routes: Route[];

  constructor(
    private readonly state: StandInState,
    private readonly options: RestOptions,
  ) {
    this.routes = this.buildRoutes();
  }

  /** The next request matching `predicate` gets `response` instead of the normal handling. */
  respondOnce(predicate: RequestPredicate, response: CannedResponse): void {
    this.overrides.push({ predicate, response });
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const receivedAt = performance.now();
    const url = new URL(req.url ?? '/', 'http://stand-in');
    const rawBody = await readBody(req);
    const prefix = '/api/v10';
    const path = url.pathname.startsWith(prefix) ? url.pathname.slice(prefix.length) || '/' : url.pathname;

    const recorded: RecordedRequest = {
      index: this.requests.length,
      method: (req.method ?? 'GET').toUpperCase(),
      path,
      route: null,
      params: {},
      query: Object.fromEntries(url.searchParams),
      headers: req.headers,
      body: undefined,
      rawBody,
      multipart: false,
      files: [],
      receivedAt,
    };
    await parseBody(recorded);

    const match = url.pathname.startsWith(prefix) ? this.match(recorded.method, path) : null;
    if (match) {
      recorded.route = match.route.pattern;
      recorded.params = match.params;
    }
    this.requests.push(recorded);
    this.options.onRequest(recorded);

    let reply: Reply;
    let headers: Record<string, string> = {};
    const override = this.overrides.findIndex((o) => o.predicate(recorded));
    try {
      if (override >= 0) {
        const { response } = this.overrides.splice(override, 1)[0]!;
        reply = { status: response.status, body: response.body };
        headers = response.headers ?? {};
      } else if (!match) {
        const pathKnown = this.routes.some((r) => matchPattern(r.pattern, path));
        reply = pathKnown ? discordError(405, 0, '405: Method Not Allowed') : discordError(404, 0, '404: Not Found');
        this.options.log(`REST ${recorded.method} ${path} -> no such route`);
      } else if (match.route.auth && req.headers.authorization !== `Bot ${this.options.token}`) {
        reply = discordError(401, 0, '401: Unauthorized');
      } else {
        reply = await match.route.handler({ req: recorded, params: match.params });
      }
    } catch (error) {
      this.options.log(`REST ${recorded.method} ${path} handler threw: ${String(error)}`);
      reply = discordError(500, 0, '500: Internal Server Error');
    }

    if (this.options.latencyMs > 0) await sleep(this.options.latencyMs);
    this.send(res, recorded, reply, headers);
  }

  /** Requests that hit no known route (answered 404/405). */
  get unmatched(): RecordedRequest[] {
    return this.requests.filter((r) => r.route === null);
  }

  private send(res: ServerResponse, recorded: RecordedRequest, reply: Reply, extraHeaders: Record<string, string>): void {
    // Generous rate-limit headers: @discordjs/rest reads these and would otherwise queue.
    const resetAfter = 60;
    const headers: Record<string, string> = {
      'x-ratelimit-limit': '1000',
      'x-ratelimit-remaining': '999',
      'x-ratelimit-reset': (Date.now() / 1000 + resetAfter).toFixed(3),
      'x-ratelimit-reset-after': resetAfter.toFixed(3),
      'x-ratelimit-bucket': bucketHash(`${recorded.method}:${recorded.route ?? recorded.path}`),
      ...extraHeaders,
    };
    recorded.status = reply.status;
    recorded.respondedAt = performance.now();
    if (reply.status === 204 || reply.body === undefined) {
      res.writeHead(reply.status, headers).end();
      return;
    }
    recorded.responseBody = reply.body;
    res.writeHead(reply.status, { ...headers, 'content-type': 'application/json' }).end(JSON.stringify(reply.body));
  }

  private match(method: string, path: string): { route: Route; params: Record<string, string> } | null {
    for (const route of this.routes) {
      if (route.method !== method) continue;
      const params = matchPattern(route.pattern, path);
      if (params) return { route, params };
    }
    return null;
  }

  // -------------------------------------------------------------------------
  // Route table. Literal segments (`@me`) come before parameterised ones.

  private buildRoutes(): Route[] {
    const s = this.state;
    const r = (method: string, pattern: string, handler: Route['handler'], auth = true): Route => ({ method, pattern, handler, auth });
    const ids = s.ids;

    return [
      // Gateway discovery (WebSocketManager.fetchGatewayInformation)
      r('GET', '/gateway', () => ok({ url: this.options.gatewayUrl() }), false),
      r('GET', '/gateway/bot', () =>
        ok({
          url: this.options.gatewayUrl(),
          shards: this.options.recommendedShards ?? 1,
          session_start_limit: { total: 1000, remaining: 999, reset_after: 14_400_000, max_concurrency: this.options.maxConcurrency ?? 1 },
        }),
      ),

      // Users
      r('GET', '/users/@me', () => ok(s.botUser)),
      r('POST', '/users/@me/channels', ({ req }) => {
        const recipient = isObject(req.body) ? String(req.body.recipient_id ?? '') : '';
        if (!/^\d{17,20}$/.test(recipient)) return discordError(400, 50035, 'Invalid Form Body', { recipient_id: { _errors: [{ code: 'NUMBER_TYPE_COERCE', message: 'Value is not snowflake.' }] } });
        return ok(s.dmChannelFor(recipient));
      }),
      r('GET', '/users/:userId', ({ params }) => {
        const user = s.users.get(params.userId!);
        return user ? ok(user) : discordError(404, 10013, 'Unknown User');
      }),

      // Application (ClientApplication#fetch) and commands
      r('GET', '/applications/@me', () => ok(this.application())),
      r('PATCH', '/applications/@me', ({ req }) => ok({ ...this.application(), ...(isObject(req.body) ? req.body : {}) })),
      ...this.commandRoutes('/applications/:applicationId/commands', () => s.globalCommands),
      ...this.commandRoutes('/applications/:applicationId/guilds/:guildId/commands', (params) => {
        let list = s.guildCommands.get(params.guildId!);
        if (!list) s.guildCommands.set(params.guildId!, (list = []));
        return list;
      }),

      // Guild
      r('GET', '/guilds/:guildId', ({ params }) => (params.guildId === ids.guildId ? ok(this.restGuild()) : unknownGuild())),
      r('GET', '/guilds/:guildId/channels', ({ params }) => (params.guildId === ids.guildId ? ok(s.channels) : unknownGuild())),
      r('GET', '/guilds/:guildId/roles', ({ params }) => (params.guildId === ids.guildId ? ok(s.roles) : unknownGuild())),
      r('GET', '/guilds/:guildId/members/:userId', ({ params }) => {
        if (params.guildId !== ids.guildId) return unknownGuild();
        const member = s.members.get(params.userId!);
        return member ? ok(member) : discordError(404, 10007, 'Unknown Member');
      }),

      // Channels and messages
      r('GET', '/channels/:channelId', ({ params }) => {
        const channel = s.channel(params.channelId!);
        return channel ? ok(channel) : unknownChannel();
      }),
      r('GET', '/channels/:channelId/messages', ({ params, req }) => {
        if (!s.channel(params.channelId!)) return unknownChannel();
        const limit = Math.min(Number(req.query.limit ?? 50), 100);
        const inChannel = [...s.messages.values()].filter((m) => m.channel_id === params.channelId);
        return ok(inChannel.sort((a, b) => (BigInt(b.id) > BigInt(a.id) ? 1 : -1)).slice(0, limit));
      }),
      r('POST', '/channels/:channelId/messages', (ctx) => this.createChannelMessage(ctx)),
      r('GET', '/channels/:channelId/messages/:messageId', ({ params }) => {
        const message = s.messages.get(params.messageId!);
        return message && message.channel_id === params.channelId ? ok(message) : unknownMessage();
      }),
      r('PATCH', '/channels/:channelId/messages/:messageId', ({ params, req }) => {
        const message = s.messages.get(params.messageId!);
        if (!message || message.channel_id !== params.channelId) return unknownMessage();
        if (message.author.id !== s.botUser.id) return discordError(403, 50005, 'Cannot edit a message authored by another user');
        return this.editMessage(message, req, []);
      }),
      r('DELETE', '/channels/:channelId/messages/:messageId', ({ params }) => {
        const message = s.messages.get(params.messageId!);
        if (!message || message.channel_id !== params.channelId) return unknownMessage();
        // Deleting another user's message needs Manage Messages.
        const botPermissions = s.permissionsOf(s.members.get(s.botUser.id)!);
        if (message.author.id !== s.botUser.id && !(botPermissions & PermissionFlagsBits.ManageMessages)) return discordError(403, 50013, 'Missing Permissions');
        s.messages.delete(message.id);
        // Discord tells the bot too (GuildMessages or DirectMessages intent).
        const guildId = s.guildIdOfChannel(message.channel_id);
        this.options.dispatch?.(
          GatewayDispatchEvents.MessageDelete,
          { id: message.id, channel_id: message.channel_id, ...(guildId === undefined ? {} : { guild_id: guildId }) },
          guildId === undefined ? GatewayIntentBits.DirectMessages : GatewayIntentBits.GuildMessages,
        );
        return noContent;
      }),
      ...threadRoutes(s, (event, data, intent) => this.options.dispatch?.(event, data, intent)),
      r('POST', '/channels/:channelId/typing', ({ params }) => (s.channel(params.channelId!) ? noContent : unknownChannel())),
      r('PUT', '/channels/:channelId/messages/:messageId/reactions/:emoji/@me', ({ params }) => (s.messages.has(params.messageId!) ? noContent : unknownMessage())),
      r('DELETE', '/channels/:channelId/messages/:messageId/reactions/:emoji/@me', () => noContent),

      // Interactions: callback + the interaction webhook (both sent with auth: false)
      r('POST', '/interactions/:interactionId/:token/callback', (ctx) => this.interactionCallback(ctx), false),
      r('POST', '/webhooks/:applicationId/:token', (ctx) => this.followUp(ctx), false),
      r('GET', '/webhooks/:applicationId/:token/messages/:messageId', (ctx) => this.webhookMessage(ctx, 'GET'), false),
      r('PATCH', '/webhooks/:applicationId/:token/messages/:messageId', (ctx) => this.webhookMessage(ctx, 'PATCH'), false),
      r('DELETE', '/webhooks/:applicationId/:token/messages/:messageId', (ctx) => this.webhookMessage(ctx, 'DELETE'), false),
    ];

    function unknownGuild(): Reply {
      return discordError(404, 10004, 'Unknown Guild');
    }
  }

  private application() {
    const s = this.state;
    return {
      id: s.ids.applicationId,
      name: s.botUser.username,
      icon: null,
      description: '',
      summary: '',
      type: null,
      bot_public: false,
      bot_require_code_grant: false,
      verify_key: '0'.repeat(64),
      flags: 0,
      hook: true,
      is_monetized: false,
      tags: [],
      owner: s.user(s.ids.ownerId),
      team: null,
      bot: s.botUser,
      approximate_guild_count: 1,
      integration_types_config: { 0: {} },
    };
  }

  private restGuild() {
    // REST guild objects lack the GUILD_CREATE-only fields (channels, members, ...).
    const { channels: _c, members: _m, threads: _t, presences: _p, voice_states: _v, joined_at: _j, large: _l, member_count: _mc, ...guild } = buildGuild(
      this.state.fixture,
      [...this.state.members.values()],
    );
    return guild;
  }

  // -------------------------------------------------------------------------
  // Messages

  /** Turn a message body the bot sent into the message object Discord would store. */
  private messageFromBody(
    body: Record<string, unknown>,
    files: RecordedFile[],
    base: { channelId: string; author: APIUser },
    extra: Partial<APIMessage> = {},
  ): APIMessage {
    const content = typeof body.content === 'string' ? body.content : '';
    const message: APIMessage = {
      id: snowflake(),
      type: MessageType.Default,
      channel_id: base.channelId,
      author: base.author,
      content,
      timestamp: new Date().toISOString(),
      edited_timestamp: null,
      tts: Boolean(body.tts),
      mention_everyone: /@(everyone|here)\b/.test(content) && this.mentionAllowed(body, 'everyone'),
      mentions: this.parseUserMentions(content, body),
      mention_roles: [],
      attachments: attachmentsFor(files, []),
      embeds: (Array.isArray(body.embeds) ? body.embeds : []).map(normalizeEmbed),
      pinned: false,
      // Discord keeps only the flags a bot may set.
      flags: Number(body.flags ?? 0) & (MessageFlags.Ephemeral | MessageFlags.SuppressEmbeds | MessageFlags.SuppressNotifications | MessageFlags.IsComponentsV2),
      components: (Array.isArray(body.components) ? body.components : []) as APIMessage['components'],
      ...extra,
    };
    return this.state.storeMessage(message);
  }

  private mentionAllowed(body: Record<string, unknown>, kind: 'users' | 'everyone' | 'roles', id?: string): boolean {
    const allowed = body.allowed_mentions;
    if (!isObject(allowed)) return true;
    const parse = Array.isArray(allowed.parse) ? allowed.parse : [];
    if (parse.includes(kind)) return true;
    return kind === 'users' && id !== undefined && Array.isArray(allowed.users) && allowed.users.includes(id);
  }

  private parseUserMentions(content: string, body: Record<string, unknown>): APIUser[] {
    const users: APIUser[] = [];
    for (const [, id] of content.matchAll(/<@!?(\d{17,20})>/g)) {
      const user = this.state.users.get(id!);
      if (user && this.mentionAllowed(body, 'users', id) && !users.some((u) => u.id === id)) users.push(user);
    }
    return users;
  }

  private editMessage(message: APIMessage, req: RecordedRequest, extraFlagsToClear: number[]): Reply {
    const invalid = validateMessageBody(req.body, req.files, [], false);
    if (invalid) return invalid;
    const body: Record<string, unknown> = isObject(req.body) ? req.body : {};
    if (typeof body.content === 'string' || body.content === null) {
      message.content = (body.content as string | null) ?? '';
      message.mentions = this.parseUserMentions(message.content, body);
    }
    if (Array.isArray(body.embeds)) message.embeds = body.embeds.map(normalizeEmbed);
    if (Array.isArray(body.components)) message.components = body.components as APIMessage['components'];
    if (Array.isArray(body.attachments) || req.files.length) {
      const keep = Array.isArray(body.attachments) ? body.attachments.map((a: { id?: unknown }) => String(a.id)) : message.attachments.map((a) => a.id);
      message.attachments = attachmentsFor(req.files, message.attachments.filter((a) => keep.includes(a.id)));
    }
    if (body.flags !== undefined && body.flags !== null) {
      message.flags = (Number(message.flags ?? 0) & MessageFlags.Ephemeral) | (Number(body.flags) & (MessageFlags.SuppressEmbeds | MessageFlags.IsComponentsV2));
    }
    for (const flag of extraFlagsToClear) message.flags = Number(message.flags ?? 0) & ~flag;
    message.edited_timestamp = new Date().toISOString();
    return ok(message);
  }

  private createChannelMessage({ params, req }: RouteContext): Reply {
    const s = this.state;
    const channel = s.channel(params.channelId!);
    if (!channel) return unknownChannel();
    const invalid = validateMessageBody(req.body, req.files, [], true);
    if (invalid) return invalid;
    const body: Record<string, unknown> = isObject(req.body) ? req.body : {};

    const extra: Partial<APIMessage> = {};
    const ref = body.message_reference;
    if (isObject(ref) && ref.message_id !== undefined) {
      const referenced = s.messages.get(String(ref.message_id));
      if (!referenced && ref.fail_if_not_exists !== false) {
        return discordError(400, 50035, 'Invalid Form Body', {
          message_reference: { _errors: [{ code: 'MESSAGE_REFERENCE_UNKNOWN_MESSAGE', message: 'Unknown message' }] },
        });
      }
      if (referenced) {
        extra.type = MessageType.Reply;
        extra.message_reference = {
          type: 0,
          message_id: referenced.id,
          channel_id: referenced.channel_id,
          ...(s.guildIdOfChannel(referenced.channel_id) === undefined ? {} : { guild_id: s.guildIdOfChannel(referenced.channel_id) }),
        };
        extra.referenced_message = referenced;
      }
    }
    const message = this.messageFromBody(body, req.files, { channelId: channel.id, author: s.botUser }, extra);
    // A reply pings the replied-to author unless allowed_mentions.replied_user is false.
    const allowed = body.allowed_mentions;
    const pingReplied = !isObject(allowed) || allowed.replied_user !== false;
    if (message.referenced_message && pingReplied && !message.mentions.some((u) => u.id === message.referenced_message!.author.id)) {
      message.mentions.push(message.referenced_message.author);
    }
    return ok(message);
  }

  // -------------------------------------------------------------------------
  // Interactions

  private interactionMessage(record: InteractionRecord, body: Record<string, unknown>, files: RecordedFile[]): APIMessage {
    const i = record.payload;
    const user = i.member?.user ?? i.user!;
    const commandName = 'data' in i && i.data && 'name' in i.data ? i.data.name : '';
    return this.messageFromBody(body, files, { channelId: i.channel?.id ?? i.channel_id ?? this.state.ids.channelId, author: this.state.botUser }, {
      type: i.type === InteractionType.ApplicationCommand ? MessageType.ChatInputCommand : MessageType.Default,
      webhook_id: this.state.ids.applicationId,
      application_id: this.state.ids.applicationId,
      interaction_metadata: {
        id: i.id,
        type: i.type,
        user,
        authorizing_integration_owners: i.authorizing_integration_owners,
      } as APIMessage['interaction_metadata'],
      interaction: { id: i.id, type: i.type, name: commandName, user },
    });
  }

  private interactionCallback({ params, req }: RouteContext): Reply {
    const s = this.state;
    const record = s.interactions.get(params.interactionId!);
    if (!record || record.payload.token !== params.token) return discordError(404, 10062, 'Unknown interaction');
    const sentAt = record.sentAt();
    if (!record.acknowledged && sentAt !== null && req.receivedAt - sentAt > this.options.interactionDeadlineMs) {
      this.options.log(`REST: callback for interaction ${record.payload.id} came ${Math.round(req.receivedAt - sentAt)}ms late`);
      return discordError(404, 10062, 'Unknown interaction');
    }
    if (record.acknowledged) return discordError(400, 40060, 'Interaction has already been acknowledged.');
    const body: Record<string, unknown> = isObject(req.body) ? req.body : {};
    const type = Number(body.type);
    const data: Record<string, unknown> = isObject(body.data) ? body.data : {};
    const i = record.payload;
    const isComponent = i.type === InteractionType.MessageComponent;
    const isAutocomplete = i.type === InteractionType.ApplicationCommandAutocomplete;

    const allowedTypes: number[] = isAutocomplete
      ? [InteractionResponseType.ApplicationCommandAutocompleteResult]
      : [
          InteractionResponseType.ChannelMessageWithSource,
          InteractionResponseType.DeferredChannelMessageWithSource,
          InteractionResponseType.Modal,
          ...(isComponent ? [InteractionResponseType.DeferredMessageUpdate, InteractionResponseType.UpdateMessage] : []),
        ];
    if (!allowedTypes.includes(type)) {
      return discordError(400, 50035, 'Invalid Form Body', {
        type: { _errors: [{ code: 'INTERACTION_RESPONSE_TYPE_INVALID', message: 'Interaction response type is invalid' }] },
      });
    }

    let message: APIMessage | undefined;
    switch (type) {
      case InteractionResponseType.ChannelMessageWithSource: {
        const invalid = validateMessageBody(data, req.files, ['data'], true);
        if (invalid) return invalid;
        message = this.interactionMessage(record, data, req.files);
        break;
      }
      case InteractionResponseType.DeferredChannelMessageWithSource:
        // "Bot is thinking…": an empty original with the Loading flag until edited.
        message = this.interactionMessage(record, { flags: Number(data.flags ?? 0) }, []);
        message.flags = Number(message.flags ?? 0) | MessageFlags.Loading;
        break;
      case InteractionResponseType.UpdateMessage:
      case InteractionResponseType.DeferredMessageUpdate: {
        const target = 'message' in i && i.message ? (s.messages.get(i.message.id) ?? s.storeMessage(i.message)) : undefined;
        if (!target) return unknownMessage();
        if (type === InteractionResponseType.UpdateMessage) {
          const edited = this.editMessage(target, { ...req, body: data }, []);
          if (edited.status !== 200) return edited;
        }
        message = target;
        break;
      }
      case InteractionResponseType.ApplicationCommandAutocompleteResult: {
        const errors = new FormErrors();
        const choices = Array.isArray(data.choices) ? (data.choices as Record<string, unknown>[]) : [];
        errors.maxLength(['data', 'choices'], choices, 25);
        choices.forEach((c, n) => {
          const name = String(c.name ?? '');
          if (name.length < 1 || name.length > 100) errors.add(['data', 'choices', n, 'name'], 'BASE_TYPE_BAD_LENGTH', 'Must be between 1 and 100 in length.');
          errors.maxLength(['data', 'choices', n, 'value'], c.value, 100);
        });
        const invalid = errors.reply();
        if (invalid) return invalid;
        break;
      }
      default:
        break; // Modal: nothing to store
    }

    record.acknowledged = true;
    record.callbackType = type;
    if (message) record.originalMessageId = message.id;

    if (req.query.with_response !== 'true') return noContent;
    return ok({
      interaction: {
        id: i.id,
        type: i.type,
        ...(message
          ? {
              response_message_id: message.id,
              response_message_loading: Boolean(Number(message.flags ?? 0) & MessageFlags.Loading),
              response_message_ephemeral: Boolean(Number(message.flags ?? 0) & MessageFlags.Ephemeral),
            }
          : {}),
      },
      resource: { type, ...(message ? { message } : {}) },
    });
  }

  private webhookRecord(params: Record<string, string>): InteractionRecord | undefined {
    if (params.applicationId !== this.state.ids.applicationId) return undefined;
    return this.state.interactionByToken(params.token!);
  }

  private followUp({ params, req }: RouteContext): Reply {
    const record = this.webhookRecord(params);
    // Discord only knows the interaction webhook once the interaction was acknowledged.
    if (!record || !record.acknowledged) return unknownWebhook();
    const invalid = validateMessageBody(req.body, req.files, [], true);
    if (invalid) return invalid;
    const body: Record<string, unknown> = isObject(req.body) ? req.body : {};
    const original = record.originalMessageId ? this.state.messages.get(record.originalMessageId) : undefined;
    let message: APIMessage;
    if (original && Number(original.flags ?? 0) & MessageFlags.Loading) {
      // After deferReply, Discord turns the first follow-up into the deferred original.
      const edited = this.editMessage(original, req, [MessageFlags.Loading]);
      if (edited.status !== 200) return edited;
      message = original;
    } else {
      message = this.interactionMessage(record, body, req.files);
      record.followUpIds.push(message.id);
    }
    return req.query.wait === 'false' ? noContent : ok(message);
  }

  private webhookMessage({ params, req }: RouteContext, method: 'GET' | 'PATCH' | 'DELETE'): Reply {
    const record = this.webhookRecord(params);
    if (!record) return unknownWebhook();
    const id = params.messageId === '@original' ? record.originalMessageId : params.messageId;
    const known = id !== undefined && (id === record.originalMessageId || record.followUpIds.includes(id));
    const message = known ? this.state.messages.get(id) : undefined;
    if (!message) return unknownMessage();
    if (method === 'GET') return ok(message);
    if (method === 'DELETE') {
      this.state.messages.delete(message.id);
      if (message.id === record.originalMessageId) record.originalMessageId = undefined;
      return noContent;
    }
    return this.editMessage(message, req, [MessageFlags.Loading]);
  }

  // -------------------------------------------------------------------------
  // Application commands (global and guild), stored so registration can be tested

  private commandRoutes(base: string, list: (params: Record<string, string>) => APIApplicationCommand[]): Route[] {
    const s = this.state;
    const guard = (params: Record<string, string>): Reply | null => {
      if (params.applicationId !== s.ids.applicationId) return missingAccess();
      if (params.guildId !== undefined && params.guildId !== s.ids.guildId) return missingAccess();
      return null;
    };
    const make = (params: Record<string, string>, body: Record<string, unknown>, existing?: APIApplicationCommand): APIApplicationCommand => {
      const type = Number(body.type ?? existing?.type ?? ApplicationCommandType.ChatInput);
      return {
        ...(existing ?? {}),
        ...body,
        id: existing?.id ?? snowflake(),
        application_id: s.ids.applicationId,
        version: snowflake(),
        type,
        name: String(body.name ?? existing?.name),
        description: String(body.description ?? existing?.description ?? ''),
        default_member_permissions: (body.default_member_permissions ?? existing?.default_member_permissions ?? null) as string | null,
        nsfw: Boolean(body.nsfw ?? existing?.nsfw ?? false),
        ...(params.guildId ? { guild_id: params.guildId } : { dm_permission: (body.dm_permission ?? true) as boolean }),
        integration_types: (body.integration_types ?? existing?.integration_types ?? [0]) as APIApplicationCommand['integration_types'],
        contexts: (body.contexts ?? existing?.contexts ?? null) as APIApplicationCommand['contexts'],
      } as APIApplicationCommand;
    };
    const one = (pattern: string) => `${base}${pattern}`;
    return [
      { method: 'GET', pattern: base, auth: true, handler: ({ params }) => guard(params) ?? ok(list(params)) },
      {
        method: 'PUT',
        pattern: base,
        auth: true,
        handler: ({ params, req }) => {
          const denied = guard(params);
          if (denied) return denied;
          if (!Array.isArray(req.body)) return discordError(400, 50035, 'Invalid Form Body', { _errors: [{ code: 'LIST_TYPE_CONVERT', message: 'Must be an array.' }] });
          const errors = new FormErrors();
          (req.body as unknown[]).forEach((c, n) => validateCommand(errors, [n], c));
          const invalid = errors.reply();
          if (invalid) return invalid;
          // Bulk overwrite keeps ids of commands with the same name and type, like Discord.
          const current = list(params);
          const next = (req.body as Record<string, unknown>[]).map((body) =>
            make(params, body, current.find((c) => c.name === body.name && c.type === Number(body.type ?? ApplicationCommandType.ChatInput))),
          );
          current.splice(0, current.length, ...next);
          return ok(next);
        },
      },
      {
        method: 'POST',
        pattern: base,
        auth: true,
        handler: ({ params, req }) => {
          const denied = guard(params);
          if (denied) return denied;
          const errors = new FormErrors();
          validateCommand(errors, [], req.body);
          const invalid = errors.reply();
          if (invalid) return invalid;
          const body = req.body as Record<string, unknown>;
          const current = list(params);
          const index = current.findIndex((c) => c.name === body.name && c.type === Number(body.type ?? ApplicationCommandType.ChatInput));
          const command = make(params, body, current[index]);
          if (index >= 0) current[index] = command;
          else current.push(command);
          return { status: index >= 0 ? 200 : 201, body: command };
        },
      },
      {
        method: 'GET',
        pattern: one('/:commandId'),
        auth: true,
        handler: ({ params }) => guard(params) ?? (list(params).find((c) => c.id === params.commandId) ? ok(list(params).find((c) => c.id === params.commandId)) : unknownCommand()),
      },
      {
        method: 'PATCH',
        pattern: one('/:commandId'),
        auth: true,
        handler: ({ params, req }) => {
          const denied = guard(params);
          if (denied) return denied;
          const current = list(params);
          const index = current.findIndex((c) => c.id === params.commandId);
          if (index < 0) return unknownCommand();
          const command = make(params, isObject(req.body) ? req.body : {}, current[index]);
          current[index] = command;
          return ok(command);
        },
      },
      {
        method: 'DELETE',
        pattern: one('/:commandId'),
        auth: true,
        handler: ({ params }) => {
          const denied = guard(params);
          if (denied) return denied;
          const current = list(params);
          const index = current.findIndex((c) => c.id === params.commandId);
          if (index < 0) return unknownCommand();
          current.splice(index, 1);
          return noContent;
        },
      },
    ];
  }
}

// ---------------------------------------------------------------------------
// Helpers

function matchPattern(pattern: string, path: string): Record<string, string> | null {
  const want = pattern.split('/');
  const got = path.split('/');
  if (want.length !== got.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    const w = want[i]!;
    const g = decodeURIComponent(got[i]!);
    if (w.startsWith(':')) {
      if (!g) return null;
      params[w.slice(1)] = g;
    } else if (w !== g) return null;
  }
  return params;
}

function bucketHash(key: string): string {
  let h = 0;
  for (const ch of key) h = (Math.imul(h, 31) + ch.charCodeAt(0)) | 0;
  return `standin${(h >>> 0).toString(16)}`;
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** JSON bodies are parsed; multipart (files attached) is decoded with the fetch API's FormData parser. */
async function parseBody(recorded: RecordedRequest): Promise<void> {
  const type = String(recorded.headers['content-type'] ?? '');
  if (recorded.rawBody.length === 0) return;
  if (type.startsWith('application/json')) {
    try {
      recorded.body = JSON.parse(recorded.rawBody.toString('utf8'));
    } catch {
      recorded.body = recorded.rawBody.toString('utf8');
    }
    return;
  }
  if (type.startsWith('multipart/form-data')) {
    recorded.multipart = true;
    try {
      const form = await new Response(new Uint8Array(recorded.rawBody), { headers: { 'content-type': type } }).formData();
      const fields: Record<string, string> = {};
      for (const [field, value] of form.entries()) {
        if (typeof value === 'string') {
          if (field === 'payload_json') recorded.body = JSON.parse(value);
          else fields[field] = value;
        } else {
          recorded.files.push({ field, name: value.name, contentType: value.type, size: value.size, data: Buffer.from(await value.arrayBuffer()) });
        }
      }
      if (recorded.body === undefined && Object.keys(fields).length) recorded.body = fields;
    } catch {
      // Leave body undefined; rawBody still has everything.
    }
    return;
  }
  recorded.body = recorded.rawBody.toString('utf8');
}

function attachmentsFor(files: RecordedFile[], kept: APIAttachment[]): APIAttachment[] {
  return [
    ...kept,
    ...files.map((f) => {
      const id = snowflake();
      const url = `https://cdn.discordapp.com/attachments/0/${id}/${encodeURIComponent(f.name)}`;
      return { id, filename: f.name, size: f.size, url, proxy_url: url, content_type: f.contentType || undefined };
    }),
  ];
}

/** Discord fills in `type: 'rich'` and echoes the rest. */
function normalizeEmbed(embed: APIEmbed): APIEmbed {
  return { type: 'rich' as APIEmbed['type'], ...embed };
}
