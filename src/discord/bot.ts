/**
 * The Discord bot: creates the discord.js client, wires the handlers, logs in.
 *
 * Intents are the least that work: Guilds, GuildMessages and DirectMessages always (mentions of the bot and
 * DMs carry their text without the privileged Message Content intent), MessageContent only when
 * ASK_CHANNEL_IDS is set. If the Developer Portal has not enabled that intent, Discord closes the gateway with
 * 4014 "Disallowed intents": the bot logs how to enable it and reconnects without it (ask channels then stay
 * silent; mentions, DMs and slash commands keep working).
 */
import { Client, Events, GatewayIntentBits, OAuth2Routes, OAuth2Scopes, Partials, PermissionFlagsBits, type ClientOptions } from "discord.js";
import type { Config } from "../config.js";
import type { Logger } from "../log.js";
import { reportReadiness } from "../sharding/readiness.js";
import type { ShardPeers } from "../sharding/shard-link.js";
import type { BotContext, CorpusSource } from "./context.js";
import { ERROR_NOTICE, notice } from "./format.js";
import { handleInteraction } from "./handlers/interactions.js";
import { handleMessage } from "./handlers/messages.js";
import { definition as refreshDefinition } from "./commands/refresh.js";
import { defaultGuildSettings } from "../settings.js";
import { SafeStore, type SafeStoreOptions } from "../store/safe-store.js";
import { GuildSettingsSource } from "./guild-settings.js";
import { AnswerCache, ButtonLimiter, Cooldown, type AnswerCacheOptions } from "./state.js";
import { PROGRESS_EDIT_MS } from "./progress-edits.js";

/**
 * What the bot needs in a channel: View Channels, Send Messages, Send Messages in Threads, Create Public Threads
 * (answers in threads), Embed Links, Attach Files (the /stats chart and export), Read Message History.
 */
export const BOT_PERMISSIONS =
  PermissionFlagsBits.ViewChannel |
  PermissionFlagsBits.SendMessages |
  PermissionFlagsBits.SendMessagesInThreads |
  PermissionFlagsBits.CreatePublicThreads |
  PermissionFlagsBits.AttachFiles |
  PermissionFlagsBits.EmbedLinks |
  PermissionFlagsBits.ReadMessageHistory;

export const INVITE_SCOPES = [OAuth2Scopes.Bot, OAuth2Scopes.ApplicationsCommands] as const;

/**
 * The OAuth2 URL that adds the bot to a server with its slash commands and exactly BOT_PERMISSIONS, what
 * `client.generateInvite({ scopes: INVITE_SCOPES, permissions: BOT_PERMISSIONS })` builds, but always on Discord's
 * authorization page (OAuth2Routes): generateInvite builds on the REST base URL, which DISCORD_API_URL may
 * point at a proxy or a test stand-in, where no one can authorise anything.
 */
export function inviteUrl(applicationId: string): string {
  const query = new URLSearchParams({ client_id: applicationId, scope: INVITE_SCOPES.join(" "), permissions: BOT_PERMISSIONS.toString() });
  return `${OAuth2Routes.authorizationURL}?${query.toString()}`;
}

/**
 * Warns when the registered /refresh does not match MODERATOR_ROLE_IDS (registered before it was changed) or is
 * missing: the fix is `npm run register`. One GET at start-up; never fails the start.
 */
export async function checkRegisteredCommands(client: Client<true>, config: Config, log: Logger): Promise<void> {
  try {
    const registered = await (config.discordGuildId === undefined
      ? client.application.commands.fetch()
      : client.application.commands.fetch({ guildId: config.discordGuildId }));
    const refresh = registered.find((c) => c.name === "refresh");
    const scope = config.discordGuildId === undefined ? "global" : "guild";
    if (refresh === undefined) {
      log.warn({ scope }, "/refresh is not registered: run `npm run register`");
      return;
    }
    const want = refreshDefinition(config).default_member_permissions ?? null;
    const have = refresh.defaultMemberPermissions?.bitfield.toString() ?? null;
    if (want !== have) {
      log.warn(
        { scope, registered: have, expected: want, moderatorRoleIds: config.moderatorRoleIds },
        want === null
          ? "/refresh is registered for Manage Server only, so members with a MODERATOR_ROLE_IDS role never see it: run `npm run register`"
          : "/refresh is registered without the Manage Server requirement MODERATOR_ROLE_IDS (now empty) implies: run `npm run register`",
      );
    }
  } catch (error) {
    log.debug({ err: error }, "could not fetch the registered commands to check /refresh");
  }
}

export function gatewayIntents(messageContent: boolean): GatewayIntentBits[] {
  const intents = [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages, GatewayIntentBits.DirectMessages];
  if (messageContent) intents.push(GatewayIntentBits.MessageContent);
  return intents;
}

/** Gateway close code when the application asks for a privileged intent the Developer Portal has not enabled. */
export const DISALLOWED_INTENTS_CODE = 4014;

function isDisallowedIntents(error: unknown): boolean {
  return error instanceof Error && /disallowed intents/i.test(error.message);
}

const MESSAGE_CONTENT_HELP =
  "Discord refused the Message Content intent (close code 4014 'Disallowed intents'). To use ASK_CHANNEL_IDS, enable it: " +
  "Discord Developer Portal → your application → Bot → Privileged Gateway Intents → Message Content Intent. " +
  "Reconnecting without it: mentions, DMs and slash commands keep working, but messages in ask channels are ignored.";

export interface BotHandle {
  /** The logged-in client (replaced if the bot had to reconnect without the Message Content intent). */
  readonly client: Client<true>;
  /** Whether the connection has the Message Content intent (ask channels work). */
  readonly messageContent: boolean;
  readonly context: BotContext;
  /** Disconnects; safe to call more than once. */
  stop(): Promise<void>;
}

export interface StartBotOptions {
  answerCache?: AnswerCacheOptions;
  /** Give up when the client is not ready this long after login starts. Default 60 s. */
  readyTimeoutMs?: number;
  /** Store tuning (flush interval, clock) for tests and the bench. */
  store?: Partial<Omit<SafeStoreOptions, "databasePath" | "questionLogDays">>;
  /** Button clicks per user: `max` in `windowMs`. Default 5 in 10 s. */
  buttonLimit?: { max: number; windowMs: number };
  /** Under the ShardingManager: the other shards, which /refresh and /corpus reload too. */
  shards?: ShardPeers;
  /** How often a running refresh's deferred reply is edited with its progress. Default PROGRESS_EDIT_MS (3 s); tests shorten it. */
  progressEditMs?: number;
}

/** The corpus, with each successful refresh also noted in the store. */
function recordingRefreshes(library: CorpusSource, store: SafeStore): CorpusSource {
  return {
    get current() {
      return library.current;
    },
    get skipped() {
      return library.skipped;
    },
    get isRefreshing() {
      return library.isRefreshing;
    },
    ask: (question) => library.ask(question),
    async refresh(onProgress) {
      const report = await library.refresh(onProgress);
      store.recordCorpusChange({ documents: report.documents, added: report.added, changed: report.changed, removed: report.removed });
      return report;
    },
  };
}

function clientOptions(config: Config, messageContent: boolean): ClientOptions {
  return {
    intents: gatewayIntents(messageContent),
    partials: [Partials.Channel], // DM channels are not cached before their first message
    allowedMentions: { parse: [], repliedUser: false }, // no reply can ping anyone; every payload repeats it
    ...(config.discordApiUrl === undefined ? {} : { rest: { api: config.discordApiUrl } }),
  };
}

/** Creates the client, logs in, and resolves once it is ready to answer. */
export async function startBot(config: Config, library: CorpusSource, logger: Logger, options: StartBotOptions = {}): Promise<BotHandle> {
  const token = config.discordToken;
  if (token === undefined) throw new Error("startBot needs DISCORD_TOKEN");
  const log = logger.child({ component: "discord" });
  const store = SafeStore.open({ ...options.store, databasePath: config.databasePath, questionLogDays: config.questionLogDays }, logger);
  const guildSettings = new GuildSettingsSource(defaultGuildSettings(config), store);
  // Ask channels (from the environment or any server's /settings) need the privileged Message Content intent.
  const wantMessageContent = guildSettings.anyAskChannels();
  const context: BotContext = {
    config,
    library: recordingRefreshes(library, store),
    logger: log,
    answers: new AnswerCache(options.answerCache),
    cooldown: new Cooldown(config.cooldownSeconds),
    buttons: new ButtonLimiter(options.buttonLimit?.max, options.buttonLimit?.windowMs),
    progressEditMs: options.progressEditMs ?? PROGRESS_EDIT_MS,
    store,
    guildSettings,
    state: { messageContent: wantMessageContent },
    ...(options.shards === undefined ? {} : { shards: options.shards }),
  };
  const readyTimeoutMs = options.readyTimeoutMs ?? 60_000;
  let current: Client<true> | undefined;
  let started = false;
  let stopped = false;
  let fallingBack = false;

  const wire = (client: Client): void => {
    client.on(Events.InteractionCreate, (interaction) => void handleInteraction(interaction, context));
    client.on(Events.MessageCreate, (message) => {
      handleMessage(message, context).catch(async (error: unknown) => {
        log.error({ err: error, message: message.id, channel: message.channelId }, "message handler failed");
        try {
          await message.reply(notice(ERROR_NOTICE));
        } catch (replyError) {
          log.warn({ err: replyError, message: message.id }, "could not tell the user about the failure");
        }
      });
    });
    client.on(Events.Error, (error) => log.error({ err: error }, "discord.js client error"));
    client.on(Events.Warn, (message) => log.warn({ detail: message }, "discord.js warning"));
    client.on(Events.ShardError, (error, shardId) => {
      log.warn({ err: error, shard: shardId }, "gateway connection error");
      if (started && isDisallowedIntents(error)) void fallBack();
    });
    client.on(Events.ShardDisconnect, (event, shardId) => {
      if (stopped) return;
      if (started && event.code === DISALLOWED_INTENTS_CODE && context.state.messageContent) {
        log.warn({ shard: shardId, code: event.code }, "gateway closed: Message Content intent disallowed");
      } else {
        log.error({ shard: shardId, code: event.code }, "gateway closed for good: the bot is offline until restarted (check the token and intents)");
      }
      if (started && event.code === DISALLOWED_INTENTS_CODE) void fallBack();
    });
    client.on(Events.ShardReconnecting, (shardId) => log.info({ shard: shardId }, "gateway reconnecting"));
    client.on(Events.ShardResume, (shardId, replayed) => log.info({ shard: shardId, replayed }, "gateway session resumed"));
    if (log.isLevelEnabled("trace")) client.on(Events.Debug, (message) => log.trace({ detail: message }, "discord.js debug"));
  };

  const connect = async (messageContent: boolean): Promise<Client<true>> => {
    const client = new Client(clientOptions(config, messageContent));
    // Under the ShardingManager: a client made to reconnect without the Message Content intent reports its own readiness.
    reportReadiness(client);
    wire(client);
    let timer: NodeJS.Timeout | undefined;
    const ready = new Promise<Client<true>>((resolve, reject) => {
      client.once(Events.ClientReady, resolve);
      timer = setTimeout(() => reject(new Error(`Discord did not get ready within ${readyTimeoutMs} ms`)), readyTimeoutMs);
    });
    try {
      // race: a login that hangs past the timeout fails too (and neither rejection goes unhandled)
      return await Promise.race([ready, client.login(token).then(() => ready)]);
    } catch (error) {
      await client.destroy().catch(() => undefined);
      throw error;
    } finally {
      clearTimeout(timer);
    }
  };

  const announce = (client: Client<true>): void => {
    const applicationId = client.application.id;
    log.info({ user: client.user.tag, id: client.user.id, guilds: client.guilds.cache.size, messageContent: context.state.messageContent }, "connected to Discord");
    log.info({ url: inviteUrl(applicationId) }, "invite URL (scopes bot + applications.commands, minimal permissions)");
    if (config.askChannelIds.length > 0 && !context.state.messageContent) {
      log.warn({ askChannelIds: config.askChannelIds }, "ASK_CHANNEL_IDS is set but the Message Content intent is off: messages in those channels are ignored");
    }
  };

  const fallBack = async (): Promise<void> => {
    if (fallingBack || stopped || !context.state.messageContent) return;
    fallingBack = true;
    log.error(MESSAGE_CONTENT_HELP);
    context.state.messageContent = false;
    try {
      await current?.destroy();
      const client = await connect(false);
      if (stopped) {
        await client.destroy();
        return;
      }
      current = client;
      announce(client);
    } catch (error) {
      log.fatal({ err: error }, "could not reconnect to Discord without the Message Content intent");
    } finally {
      fallingBack = false;
    }
  };

  try {
    try {
      current = await connect(wantMessageContent);
    } catch (error) {
      if (!wantMessageContent || !isDisallowedIntents(error)) throw error;
      log.error(MESSAGE_CONTENT_HELP);
      context.state.messageContent = false;
      current = await connect(false);
    }
  } catch (error) {
    store.close();
    throw error;
  }
  started = true;
  announce(current);
  void checkRegisteredCommands(current, config, log);

  return {
    get client(): Client<true> {
      if (current === undefined) throw new Error("The bot is not connected");
      return current;
    },
    get messageContent(): boolean {
      return context.state.messageContent;
    },
    context,
    async stop(): Promise<void> {
      if (stopped) return;
      stopped = true;
      await current?.destroy();
      store.close();
      log.info("disconnected from Discord");
    },
  };
}
