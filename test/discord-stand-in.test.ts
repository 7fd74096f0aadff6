/**
 * Proves the Discord stand-in works with a real discord.js v14 Client: login/ready,
 * interactions (slash, deferred, button, autocomplete), messages in guild and DM,
 * gateway resume, command registration, REST recording and Discord-style errors.
 */
import { once } from 'node:events';
import { inflateSync } from 'node:zlib';
import {
  ActionRowBuilder,
  ButtonBuilder,
  ButtonStyle,
  ChannelType,
  Client,
  DiscordAPIError,
  Events,
  GatewayIntentBits,
  InteractionResponseType,
  MessageFlags,
  Partials,
  PermissionFlagsBits,
  type ClientOptions,
  type Interaction,
  type Message,
  type TextChannel,
} from 'discord.js';
import { WebSocket } from 'ws';
import { afterEach, describe, expect, it } from 'vitest';
import {
  CommandNotDeliveredError,
  noIdentifyThrottle,
  startDiscordStandIn,
  type DiscordStandIn,
  type DiscordStandInOptions,
} from './discord-stand-in/index.js';

const CALLBACK = '/interactions/:interactionId/:token/callback';
const WEBHOOK_MESSAGE = '/webhooks/:applicationId/:token/messages/:messageId';

let standIn: DiscordStandIn | undefined;
let client: Client | undefined;

afterEach(async () => {
  await client?.destroy();
  await standIn?.close();
  client = undefined;
  standIn = undefined;
});

/** Start a stand-in and a logged-in, ready client against it. */
async function setup(
  options: DiscordStandInOptions = {},
  clientOptions: Partial<ClientOptions> = {},
): Promise<{ standIn: DiscordStandIn; client: Client }> {
  standIn = await startDiscordStandIn(options);
  client = new Client({
    intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages, GatewayIntentBits.DirectMessages, GatewayIntentBits.MessageContent],
    partials: [Partials.Channel],
    rest: { api: standIn.apiUrl },
    ...clientOptions,
  });
  const ready = once(client, Events.ClientReady, { signal: AbortSignal.timeout(3000) });
  await client.login(standIn.token);
  await ready;
  return { standIn, client };
}

/** Next event of the given name, with a timeout so a broken test fails instead of hanging. */
function next<K extends keyof import('discord.js').ClientEvents>(c: Client, event: K, timeoutMs = 2000) {
  return once(c, event, { signal: AbortSignal.timeout(timeoutMs) }) as Promise<import('discord.js').ClientEvents[K]>;
}

function onInteraction(c: Client, handler: (i: Interaction) => Promise<unknown>): Promise<void> {
  return new Promise((resolve, reject) => {
    c.once(Events.InteractionCreate, (i) => handler(i).then(() => resolve(), reject));
  });
}

describe('discord stand-in with a real discord.js Client', () => {
  it('logs in and becomes ready with the guild, channel and roles cached', async () => {
    const { standIn, client } = await setup();

    expect(client.user?.id).toBe(standIn.botUser.id);
    expect(client.application?.id).toBe(standIn.applicationId);
    const guild = client.guilds.cache.get(standIn.guildId);
    expect(guild?.available).toBe(true);
    expect(guild?.channels.cache.get(standIn.channelId)?.type).toBe(ChannelType.GuildText);
    expect(guild?.roles.cache.get(standIn.moderatorRoleId)?.permissions.has(PermissionFlagsBits.ManageGuild)).toBe(true);
    expect(guild?.roles.everyone.permissions.has(PermissionFlagsBits.ManageGuild)).toBe(false);
    expect(guild?.members.me?.id).toBe(standIn.botUser.id);

    const gatewayBot = await standIn.waitForRequest((r) => r.path === '/gateway/bot');
    expect(gatewayBot.headers.authorization).toBe(`Bot ${standIn.token}`);
    expect(standIn.stats.identifies).toBe(1);
    expect(standIn.frames.find((f) => f.op === 2)?.d).toMatchObject({ token: standIn.token, shard: [0, 1] });
    expect(standIn.unmatchedRequests).toEqual([]);
  });

  it('rejects a wrong token with 401 (login fails)', async () => {
    standIn = await startDiscordStandIn();
    client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: standIn.apiUrl } });
    await expect(client.login('not-the-token')).rejects.toMatchObject({ code: 'TokenInvalid' });
    expect(standIn.requests[0]?.status).toBe(401);
  });

  it('delivers a slash command and records interaction.reply at the callback route', async () => {
    const { standIn, client } = await setup();
    let seen: { question: string | null; manageGuild?: boolean; userId: string } | undefined;
    const handled = onInteraction(client, async (i) => {
      if (!i.isChatInputCommand()) throw new Error(`unexpected ${i.type}`);
      seen = { question: i.options.getString('question'), manageGuild: i.memberPermissions?.has(PermissionFlagsBits.ManageGuild), userId: i.user.id };
      await i.reply({ content: 'hi' });
    });

    const { d: interaction, s, sentAt } = standIn.sendInteraction(standIn.slashCommand('ask', { question: 'what is BM25?' }, { userId: '123456789012345678' }));
    const callback = await standIn.waitForInteractionResponse(interaction.id);
    await handled;

    expect(s).toBeGreaterThan(0);
    expect(callback.receivedAt).toBeGreaterThan(sentAt!);
    expect(callback.method).toBe('POST');
    expect(callback.path).toBe(`/interactions/${interaction.id}/${interaction.token}/callback`);
    expect(callback.body).toMatchObject({ type: InteractionResponseType.ChannelMessageWithSource, data: { content: 'hi' } });
    expect(callback.status).toBe(204);
    expect(seen).toEqual({ question: 'what is BM25?', manageGuild: false, userId: '123456789012345678' });
  });

  it('reflects Manage Guild from the Moderator role (and explicit permissions) in memberPermissions', async () => {
    const { standIn, client } = await setup();
    const perms: (boolean | undefined)[] = [];
    client.on(Events.InteractionCreate, (i) => {
      perms.push(i.memberPermissions?.has(PermissionFlagsBits.ManageGuild));
      if (i.isChatInputCommand()) void i.reply('ok');
    });
    const mod = standIn.sendInteraction(standIn.slashCommand('config', {}, { userId: '223456789012345678', roles: [standIn.moderatorRoleId] })).d;
    await standIn.waitForInteractionResponse(mod);
    const explicit = standIn.sendInteraction(standIn.slashCommand('config', {}, { memberPermissions: PermissionFlagsBits.ManageGuild })).d;
    await standIn.waitForInteractionResponse(explicit);
    const dm = standIn.sendInteraction(standIn.slashCommand('config', {}, { dm: true })).d;
    await standIn.waitForInteractionResponse(dm);

    expect(perms).toEqual([true, true, undefined]); // no member (hence no memberPermissions) in DMs
    expect(BigInt(mod.app_permissions) & PermissionFlagsBits.SendMessages).toBe(PermissionFlagsBits.SendMessages);
  });

  it('supports deferReply + editReply (PATCH @original returns a full message)', async () => {
    const { standIn, client } = await setup();
    let edited: Message | undefined;
    const handled = onInteraction(client, async (i) => {
      if (!i.isChatInputCommand()) return;
      await i.deferReply();
      edited = await i.editReply({ content: 'answer', embeds: [{ title: 'Sources', description: 'doc.md' }] });
    });
    const { d: interaction } = standIn.sendInteraction(standIn.slashCommand('ask', { question: 'q' }));

    const deferred = await standIn.waitForInteractionResponse(interaction);
    expect(deferred.body).toMatchObject({ type: InteractionResponseType.DeferredChannelMessageWithSource });
    const patch = await standIn.waitForRequest((r) => r.method === 'PATCH' && r.route === WEBHOOK_MESSAGE);
    expect(patch.params).toMatchObject({ applicationId: standIn.applicationId, token: interaction.token, messageId: '@original' });
    expect(patch.body).toMatchObject({ content: 'answer', embeds: [{ title: 'Sources' }] });
    await handled;

    expect(edited?.content).toBe('answer');
    expect(edited?.author.id).toBe(standIn.botUser.id);
    expect(edited?.flags.has(MessageFlags.Loading)).toBe(false);
    expect(edited?.embeds[0]?.title).toBe('Sources');
  });

  it('turns the first followUp after deferReply into the original and supports withResponse', async () => {
    const { standIn, client } = await setup();
    const handled = onInteraction(client, async (i) => {
      if (!i.isChatInputCommand()) return;
      const res = await i.deferReply({ withResponse: true, flags: MessageFlags.Ephemeral });
      expect(res.resource?.message?.flags.has(MessageFlags.Loading)).toBe(true);
      const first = await i.followUp('first');
      const second = await i.followUp('second');
      expect(first.id).toBe(res.resource?.message?.id);
      expect(second.id).not.toBe(first.id);
      expect((await i.fetchReply()).content).toBe('first');
    });
    const { d } = standIn.sendInteraction(standIn.slashCommand('ask'));
    await handled;
    const callback = await standIn.waitForInteractionResponse(d);
    expect(callback.query).toEqual({ with_response: 'true' });
    expect(callback.status).toBe(200);
  });

  it('handles a button click on a message the bot sent, with interaction.update', async () => {
    const { standIn, client } = await setup();
    const channel = client.channels.cache.get(standIn.channelId) as TextChannel;
    const sent = await channel.send({
      content: 'Was this helpful?',
      components: [new ActionRowBuilder<ButtonBuilder>().addComponents(new ButtonBuilder().setCustomId('feedback:yes').setLabel('Yes').setStyle(ButtonStyle.Success))],
    });

    const handled = onInteraction(client, async (i) => {
      if (!i.isButton()) throw new Error('expected a button');
      expect(i.customId).toBe('feedback:yes');
      expect(i.message.id).toBe(sent.id);
      await i.update({ content: 'Thanks!', components: [] });
    });
    const { d } = standIn.sendInteraction(standIn.button('feedback:yes', sent.id));
    const callback = await standIn.waitForInteractionResponse(d);
    await handled;

    expect(callback.body).toEqual({ type: InteractionResponseType.UpdateMessage, data: expect.objectContaining({ content: 'Thanks!', components: [] }) });
    expect(standIn.messages.get(sent.id)?.content).toBe('Thanks!');
  });

  it('answers autocomplete with interaction.respond', async () => {
    const { standIn, client } = await setup();
    const handled = onInteraction(client, async (i) => {
      if (!i.isAutocomplete()) throw new Error('expected autocomplete');
      const focused = i.options.getFocused(true);
      await i.respond([{ name: `${focused.value}ation`, value: `${focused.name}-1` }]);
    });
    const { d } = standIn.sendInteraction(standIn.autocomplete('ask', 'topic', 'install', { options: { question: 'how' } }));
    const callback = await standIn.waitForInteractionResponse(d);
    await handled;
    expect(callback.body).toEqual({
      type: InteractionResponseType.ApplicationCommandAutocompleteResult,
      data: { choices: [{ name: 'installation', value: 'topic-1' }] },
    });
  });

  it('delivers guild MESSAGE_CREATE (with mention) and records message.reply with message_reference', async () => {
    const { standIn, client } = await setup();
    const received = next(client, Events.MessageCreate);
    const { d: injected } = standIn.sendMessage('what is the refund policy?', { userId: '323456789012345678', mentionsBot: true });
    const [message] = await received;

    expect(message.content).toBe(`<@${standIn.botUser.id}> what is the refund policy?`);
    expect(message.guildId).toBe(standIn.guildId);
    expect(message.mentions.users.has(standIn.botUser.id)).toBe(true);
    expect(message.member?.id).toBe('323456789012345678');

    const reply = await message.reply('See the docs.');
    const post = await standIn.waitForRequest((r) => r.method === 'POST' && r.path === `/channels/${standIn.channelId}/messages`);
    expect(post.body).toMatchObject({ content: 'See the docs.', message_reference: { message_id: injected.id } });
    expect(reply.reference?.messageId).toBe(injected.id);
    expect(reply.author.id).toBe(standIn.botUser.id);
  });

  it('delivers a DM MESSAGE_CREATE (partial DM channel) and records the reply', async () => {
    const { standIn, client } = await setup();
    const received = next(client, Events.MessageCreate);
    const { d: injected } = standIn.sendMessage('hello in private', { userId: '423456789012345678', dm: true });
    const [message] = await received;

    expect(message.channel.type).toBe(ChannelType.DM);
    expect(message.guildId).toBeNull();
    expect(message.content).toBe('hello in private');
    await message.reply('hi there');
    const post = await standIn.waitForRequest((r) => r.method === 'POST' && r.path === `/channels/${injected.channel_id}/messages`);
    expect(post.body).toMatchObject({ content: 'hi there', message_reference: { message_id: injected.id } });

    // user.send() goes through POST /users/@me/channels and reuses the same DM channel.
    const dm = await client.users.send('423456789012345678', 'proactive');
    expect(dm.channelId).toBe(injected.channel_id);
    expect(standIn.unmatchedRequests).toEqual([]);
  });

  it('RESUMEs (not re-IDENTIFY) after dropConnection, replaying events sent while disconnected', async () => {
    const { standIn, client } = await setup();
    const resumed = standIn.waitForEvent('resumed', 4000);
    standIn.dropConnection();
    // Injected while the client is away: buffered, then replayed on RESUME.
    const received = onInteraction(client, async (i) => {
      if (i.isChatInputCommand()) await i.reply('still here');
    });
    const { d, sentAt } = standIn.sendInteraction(standIn.slashCommand('ask'));
    expect(sentAt).toBeNull();

    expect(await resumed).toMatchObject({ replayed: 1 });
    const callback = await standIn.waitForInteractionResponse(d, 3000);
    await received;
    expect(callback.body).toMatchObject({ data: { content: 'still here' } });
    expect(standIn.stats).toMatchObject({ identifies: 1, resumes: 1, connections: 2 });

    // The reconnect used READY's resume_gateway_url.
    const resumeFrame = standIn.frames.find((f) => f.op === 6);
    expect(resumeFrame?.d).toMatchObject({ session_id: standIn.gateway.sessionId, token: standIn.token });

    // And a fresh interaction after the resume works too.
    const again = onInteraction(client, async (i) => {
      if (i.isChatInputCommand()) await i.reply('after resume');
    });
    const { d: d2 } = standIn.sendInteraction(standIn.slashCommand('ask'));
    expect((await standIn.waitForInteractionResponse(d2)).body).toMatchObject({ data: { content: 'after resume' } });
    await again;
  });

  it('also resumes after a close frame with code 4000, via resume_gateway_url', async () => {
    const { standIn, client } = await setup();
    const connection = standIn.waitForEvent('connection', 4000);
    const resumed = standIn.waitForEvent('resumed', 4000);
    const shardResume = next(client, Events.ShardResume, 4000);
    standIn.dropConnection({ code: 4000 });
    expect((await connection).url).toBe(`${standIn.resumeGatewayUrl}?v=10&encoding=json`);
    await resumed;
    await shardResume;
    expect(standIn.stats).toMatchObject({ identifies: 1, resumes: 1 });
  });

  it('resumes after an op 7 RECONNECT', async () => {
    const { standIn, client } = await setup();
    const shardResume = next(client, Events.ShardResume, 4000);
    standIn.requestReconnect();
    await shardResume;
    expect(standIn.stats).toMatchObject({ identifies: 1, resumes: 1 });
  });

  it('re-IDENTIFYs after a non-resumable INVALID_SESSION', async () => {
    // Without this, @discordjs/ws waits 5+ s before a second IDENTIFY (like against Discord).
    const { standIn, client } = await setup({}, { ws: { buildIdentifyThrottler: noIdentifyThrottle } });
    const identified = standIn.waitForEvent('ready', 4000);
    // Wait for the client's side too: destroying a client mid-handshake makes @discordjs/ws reconnect.
    const shardReady = next(client, Events.ShardReady, 4000);
    standIn.invalidateSession(false);
    await identified;
    await shardReady;
    expect(standIn.stats).toMatchObject({ identifies: 2, resumes: 0 });
  });

  it('heartbeats with a short interval and ACKs them', async () => {
    const { standIn, client } = await setup({ heartbeatIntervalMs: 100 });
    await new Promise((r) => setTimeout(r, 350));
    expect(standIn.stats.heartbeats).toBeGreaterThanOrEqual(2);
    expect(client.ws.ping).toBeGreaterThanOrEqual(0);
  });

  it('stores application commands (global and guild) and uses their ids in interactions', async () => {
    const { standIn, client } = await setup();
    const global = await client.application!.commands.set([
      { name: 'ask', description: 'Ask the corpus', options: [{ type: 3, name: 'question', description: 'Your question', required: true }] },
    ]);
    const guild = await client.application!.commands.set([{ name: 'reindex', description: 'Rebuild the index' }], standIn.guildId);
    expect(standIn.commands.global.map((c) => c.name)).toEqual(['ask']);
    expect(standIn.commands.guild.map((c) => c.name)).toEqual(['reindex']);

    // Re-registering keeps ids, like Discord.
    const again = await client.application!.commands.set([{ name: 'ask', description: 'Ask it again' }]);
    expect(again.first()?.id).toBe(global.first()?.id);
    expect((await client.application!.commands.fetch()).size).toBe(1);

    const ids: string[] = [];
    client.on(Events.InteractionCreate, (i) => {
      if (i.isChatInputCommand()) ids.push(i.commandId, i.commandGuildId ?? 'global');
    });
    const a = standIn.sendInteraction(standIn.slashCommand('ask', { question: 'x' })).d;
    const b = standIn.sendInteraction(standIn.slashCommand('reindex')).d;
    await expect.poll(() => ids.length).toBe(4);
    expect(ids).toEqual([global.first()!.id, 'global', guild.first()!.id, standIn.guildId]);
    expect(a.data.id).toBe(global.first()!.id);
    expect(b.data.guild_id).toBe(standIn.guildId);

    // Invalid names are rejected like Discord (50035 Invalid Form Body).
    await expect(client.application!.commands.create({ name: 'Bad Name', description: 'x' })).rejects.toMatchObject({ code: 50035 });
  });

  it('like Discord, does not deliver a registered command to a member lacking its default_member_permissions', async () => {
    const { standIn, client } = await setup();
    await client.application!.commands.set(
      [
        { name: 'purge', description: 'Needs Manage Messages and Kick Members', defaultMemberPermissions: PermissionFlagsBits.ManageMessages | PermissionFlagsBits.KickMembers },
        { name: 'admin', description: 'Administrators only', defaultMemberPermissions: 0n },
        { name: 'open', description: 'Everyone' },
        { name: 'serveronly', description: 'Not in DMs', contexts: [0] },
      ],
      standIn.guildId,
    );
    await client.application!.commands.set([{ name: 'dmtoo', description: 'Global', defaultMemberPermissions: PermissionFlagsBits.ManageGuild }]);
    const delivered: string[] = [];
    client.on(Events.InteractionCreate, (i) => {
      if (i.isCommand() || i.isAutocomplete()) delivered.push(`${i.commandName}:${i.user.id}`);
    });
    const send = (name: string, actor: Parameters<DiscordStandIn['slashCommand']>[2] = {}) => () => standIn.sendInteraction(standIn.slashCommand(name, {}, actor));
    const helper = { userId: '223456789012345601', roles: [standIn.helperRoleId] }; // Manage Messages only
    const moderator = { userId: '223456789012345602', roles: [standIn.moderatorRoleId] }; // Manage Guild, Manage Messages, Kick Members
    const admin = { userId: '223456789012345603', memberPermissions: PermissionFlagsBits.Administrator };

    expect(send('purge')).toThrow(CommandNotDeliveredError);
    expect(send('purge', helper)).toThrow(/needs KickMembers/); // every bit is required
    expect(() => standIn.sendInteraction(standIn.autocomplete('purge', 'x', 'y', helper))).toThrow(CommandNotDeliveredError);
    expect(send('admin', moderator)).toThrow(/only administrators/);
    expect(send('serveronly', { dm: true })).toThrow(CommandNotDeliveredError); // a guild command does not exist in DMs
    expect(send('dmtoo', helper)).toThrow(/needs ManageGuild/); // global commands are checked in the guild too
    expect(standIn.dispatches.filter((d) => d.t === 'INTERACTION_CREATE')).toHaveLength(0);

    send('purge', moderator)();
    send('admin', admin)();
    send('admin', { userId: standIn.ownerId })(); // the owner has every permission
    send('open')();
    send('dmtoo', { dm: true })(); // default_member_permissions does not apply in DMs
    send('unregistered')(); // never registered: delivered as is
    await expect.poll(() => delivered.length).toBe(6);
    expect(delivered).toEqual([
      `purge:${moderator.userId}`,
      `admin:${admin.userId}`,
      `admin:${standIn.ownerId}`,
      `open:${standIn.defaultUserId}`,
      `dmtoo:${standIn.defaultUserId}`,
      `unregistered:${standIn.defaultUserId}`,
    ]);
  });

  it('answers with Discord-style errors: content too long, double acknowledge, unknown route', async () => {
    const { standIn, client } = await setup();
    const errors: unknown[] = [];
    const handled = onInteraction(client, async (i) => {
      if (!i.isChatInputCommand()) return;
      await i.reply({ content: 'x'.repeat(2001) }).catch((e: unknown) => errors.push(e));
      await i.reply('ok');
      // Bypass discord.js' own "already replied" guard to hit the route twice.
      await client.rest.post(`/interactions/${i.id}/${i.token}/callback`, { body: { type: 4, data: { content: 'again' } }, auth: false }).catch((e: unknown) => errors.push(e));
    });
    standIn.sendInteraction(standIn.slashCommand('ask'));
    await handled;
    expect(errors[0]).toBeInstanceOf(DiscordAPIError);
    expect(errors[0]).toMatchObject({ code: 50035, status: 400 });
    expect((errors[0] as DiscordAPIError).message).toContain('data.content[BASE_TYPE_MAX_LENGTH]');
    expect(errors[1]).toMatchObject({ code: 40060, status: 400 });

    await expect(client.rest.get('/not/a/route')).rejects.toMatchObject({ status: 404 });
    expect(standIn.unmatchedRequests.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /not/a/route']);
  });

  it('expires interactions not answered within the deadline (10062 Unknown interaction)', async () => {
    const { standIn, client } = await setup({ interactionDeadlineMs: 50 });
    const handled = onInteraction(client, async (i) => {
      if (!i.isChatInputCommand()) return;
      await new Promise((r) => setTimeout(r, 100)); // "slow search" without deferReply
      await expect(i.reply('too late')).rejects.toMatchObject({ code: 10062, status: 404 });
    });
    standIn.sendInteraction(standIn.slashCommand('ask'));
    await handled;
  });

  it('respondOnce injects a failure (discord.js retries a 500 once and succeeds)', async () => {
    const { standIn, client } = await setup();
    const isPost = (r: { method: string; route: string | null }) => r.method === 'POST' && r.route === '/channels/:channelId/messages';
    standIn.respondOnce(isPost, { status: 500, body: { message: 'boom', code: 0 } });
    const channel = client.channels.cache.get(standIn.channelId) as TextChannel;
    const sent = await channel.send('retry me');
    expect(sent.content).toBe('retry me');
    expect(standIn.requests.filter(isPost).map((r) => r.status)).toEqual([500, 200]);
  });

  it('records multipart bodies (files) with payload_json parsed', async () => {
    const { standIn, client } = await setup();
    const channel = client.channels.cache.get(standIn.channelId) as TextChannel;
    const sent = await channel.send({ content: 'see attached', files: [{ attachment: Buffer.from('hello file'), name: 'notes.txt' }] });
    const post = await standIn.waitForRequest((r) => r.method === 'POST' && r.route === '/channels/:channelId/messages');
    expect(post.multipart).toBe(true);
    expect(post.body).toMatchObject({ content: 'see attached' });
    expect(post.files).toMatchObject([{ field: 'files[0]', name: 'notes.txt', size: 10 }]);
    expect(post.files[0]?.data.toString()).toBe('hello file');
    expect(sent.attachments.first()?.name).toBe('notes.txt');
  });

  it('blanks guild message content when the client lacks the MessageContent intent', async () => {
    const { standIn, client } = await setup({}, { intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages] });
    const received = next(client, Events.MessageCreate);
    standIn.sendMessage('secret words');
    expect((await received)[0].content).toBe('');
    // Messages that mention the bot keep their content; DMs are skipped without the DirectMessages intent.
    const mentioned = next(client, Events.MessageCreate);
    standIn.sendMessage('hey', { mentionsBot: true });
    expect((await mentioned)[0].content).toContain('hey');
    expect(standIn.sendMessage('dm', { dm: true }).skipped).toMatch(/DirectMessages/);
  });

  it('serves compress=zlib-stream to raw gateway clients (discord.js uses it only with zlib-sync installed)', async () => {
    standIn = await startDiscordStandIn({ heartbeatIntervalMs: 1234 });
    const ws = new WebSocket(`${standIn.gatewayUrl}?v=10&encoding=json&compress=zlib-stream`);
    const [data] = (await once(ws, 'message', { signal: AbortSignal.timeout(2000) })) as [Buffer];
    ws.close();
    // A single message ends with the Z_SYNC_FLUSH marker and inflates on its own.
    expect([...data.subarray(-4)]).toEqual([0, 0, 0xff, 0xff]);
    const hello = JSON.parse(inflateSync(data, { finishFlush: 2 /* Z_SYNC_FLUSH */ }).toString());
    expect(hello).toMatchObject({ op: 10, d: { heartbeat_interval: 1234 } });
  });
});
