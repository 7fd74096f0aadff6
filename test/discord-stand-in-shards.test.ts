/**
 * The stand-in shards as Discord documents it: GET /gateway/bot recommends a shard count, IDENTIFY carries
 * `shard: [id, count]`, each session gets READY and GUILD_CREATE for its own guilds, and a guild's events go
 * only to shard `(guild_id >> 22) % count` (DMs to shard 0). Two real discord.js Clients, one per shard.
 */
import { Client, Events, GatewayIntentBits, Partials, type Interaction, type Message } from 'discord.js';
import { afterEach, describe, expect, it } from 'vitest';
import { noIdentifyThrottle, shardOf, startDiscordStandIn, type DiscordStandIn } from './discord-stand-in/index.js';

let standIn: DiscordStandIn | undefined;
const clients: Client[] = [];

afterEach(async () => {
  for (const c of clients.splice(0)) await c.destroy();
  await standIn?.close();
  standIn = undefined;
});

async function shardClient(s: DiscordStandIn, shard: number, count: number): Promise<Client<true>> {
  const client = new Client({
    intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages, GatewayIntentBits.DirectMessages],
    partials: [Partials.Channel],
    rest: { api: s.apiUrl },
    shards: [shard],
    shardCount: count,
    ws: { buildIdentifyThrottler: noIdentifyThrottle },
  });
  clients.push(client);
  const ready = new Promise<Client<true>>((resolve) => client.once(Events.ClientReady, resolve));
  await client.login(s.token);
  return ready;
}

/** Interactions and messages each client receives. */
function record(client: Client): string[] {
  const seen: string[] = [];
  client.on(Events.InteractionCreate, (i: Interaction) => seen.push(`interaction:${i.guildId ?? 'dm'}`));
  client.on(Events.MessageCreate, (m: Message) => seen.push(`message:${m.guildId ?? 'dm'}`));
  return seen;
}

describe('stand-in sharding', () => {
  it('recommends the configured shard count and max_concurrency in GET /gateway/bot', async () => {
    standIn = await startDiscordStandIn({ recommendedShards: 2, maxConcurrency: 2 });
    const response = await fetch(`${standIn.apiUrl}/v10/gateway/bot`, { headers: { Authorization: `Bot ${standIn.token}` } });
    const body = (await response.json()) as { shards: number; session_start_limit: { max_concurrency: number } };
    expect(body.shards).toBe(2);
    expect(body.session_start_limit.max_concurrency).toBe(2);
  });

  it('gives each shard READY with its own guilds and routes guild events by (guild_id >> 22) % count, DMs to shard 0', async () => {
    standIn = await startDiscordStandIn({ recommendedShards: 2 });
    const second = standIn.addGuild('Second Guild');
    expect(shardOf(standIn.guildId, 2)).toBe(0);
    expect(shardOf(second.guildId, 2)).toBe(1);
    const shardReady: Array<{ shard: [number, number]; guildIds: string[] }> = [];
    standIn.events.on('shardReady', (e) => shardReady.push(e));

    const zero = await shardClient(standIn, 0, 2);
    const one = await shardClient(standIn, 1, 2);
    expect(zero.guilds.cache.map((g) => g.id)).toEqual([standIn.guildId]);
    expect(one.guilds.cache.map((g) => g.id)).toEqual([second.guildId]);
    expect(one.channels.cache.has(second.channelId)).toBe(true);
    expect(shardReady.map((e) => e.shard).sort()).toEqual([
      [0, 2],
      [1, 2],
    ]);
    expect(standIn.connectedShards).toEqual([0, 1]);

    const atZero = record(zero);
    const atOne = record(one);
    const inFirst = standIn.sendInteraction(standIn.slashCommand('ask', { question: 'first?' }));
    const inSecond = standIn.sendInteraction(standIn.slashCommand('ask', { question: 'second?' }, { guildId: second.guildId }));
    standIn.sendMessage('hello there', { mentionsBot: true, guildId: second.guildId });
    standIn.sendMessage('a direct message', { dm: true });
    expect([inFirst.shard, inSecond.shard]).toEqual([0, 1]);
    await expect.poll(() => atZero.length + atOne.length).toBe(4);
    expect(atZero).toEqual([`interaction:${standIn.guildId}`, 'message:dm']);
    expect(atOne).toEqual([`interaction:${second.guildId}`, `message:${second.guildId}`]);

    // What the bot does in guild B comes back as guild B's events, to shard 1 only.
    const channel = one.channels.cache.get(second.channelId);
    if (!channel?.isSendable()) throw new Error('guild B channel not cached');
    const deleted: string[] = [];
    one.on(Events.MessageDelete, (m) => deleted.push(`1:${m.guildId}`));
    zero.on(Events.MessageDelete, (m) => deleted.push(`0:${m.guildId}`));
    const sent = await channel.send('to be deleted');
    await sent.delete();
    await expect.poll(() => deleted).toEqual([`1:${second.guildId}`]);
  });

  it('refuses an IDENTIFY whose shard id is not below the count (4010 Invalid shard)', async () => {
    standIn = await startDiscordStandIn();
    const client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: standIn.apiUrl }, shards: [2], shardCount: 2 });
    clients.push(client);
    await expect(client.login(standIn.token)).rejects.toThrow();
    expect(standIn.protocolErrors.some((e) => e.includes('Invalid shard'))).toBe(true);
  });

  it('skips a guild event whose shard has no session, and still delivers the others', async () => {
    standIn = await startDiscordStandIn();
    const second = standIn.addGuild();
    await shardClient(standIn, 0, 2);
    const sent = standIn.sendInteraction(standIn.slashCommand('ask', { question: 'nobody hears?' }, { guildId: second.guildId }));
    expect(sent.s).toBeNull();
    expect(sent.skipped).toMatch(/no session of the shard/);
  });
});
