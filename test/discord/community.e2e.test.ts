/**
 * End to end, the bot as a community tool: Find in sources, votes, Remove, threads, /settings, /stats with its
 * chart and CSV, a failing database, retention, buttons after a restart. The real bot (a real discord.js Client)
 * against the loopback stand-in, the shipped corpus, and a real SQLite file in a temporary folder.
 */
import { mkdtempSync, rmSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  GatewayIntentBits,
  GatewayOpcodes,
  InteractionResponseType,
  MessageFlags,
  PermissionFlagsBits,
} from "discord.js";
import { afterEach, describe, expect, it } from "vitest";
import type { Config } from "../../src/config.js";
import { Library } from "../../src/corpus/library.js";
import { startBot, type BotHandle, type StartBotOptions } from "../../src/discord/bot.js";
import { decodeButtonId } from "../../src/discord/custom-id.js";
import { limitViolations } from "../../src/discord/payload.js";
import { createLogger } from "../../src/log.js";
import { DAY_MS, Store } from "../../src/store/store.js";
import { startDiscordStandIn, type ActorOptions, type DiscordStandIn, type RecordedRequest, type SlashOptionsInput } from "../discord-stand-in/index.js";
import { botConfigFor } from "../discord-stand-in/bot-config.js";

const CORPUS = join(import.meta.dirname, "../../corpus");
const CALLBACK = "/interactions/:interactionId/:token/callback";
const CHANNEL_MESSAGES = "/channels/:channelId/messages";
const EDIT_ORIGINAL = "/webhooks/:applicationId/:token/messages/:messageId";
const ANSWERABLE = "How many senior officers were on the recorded conference?";
const ADMIN: ActorOptions = { userId: "300000000000000001", memberPermissions: PermissionFlagsBits.ManageGuild | PermissionFlagsBits.SendMessages };
const MEMBER_A: ActorOptions = { userId: "300000000000000002" };
const MEMBER_B: ActorOptions = { userId: "300000000000000003" };

/* eslint-disable @typescript-eslint/no-explicit-any -- recorded REST bodies are untyped JSON */
type Body = any;

const shipped = await Library.open({ corpusDir: CORPUS, maxFileBytes: 5 * 1024 * 1024, maxQuestionChars: 500 });
let standIn: DiscordStandIn | undefined;
let bot: BotHandle | undefined;
let logLines: string[] = [];
/** What each test leaves to undo, last first: the bot, the stand-in, the temporary folder. */
const teardown: Array<() => unknown> = [];

afterEach(async () => {
  for (const undo of teardown.splice(0).reverse()) await undo();
  bot = undefined;
  standIn = undefined;
});

function dbPath(): string {
  const dir = mkdtempSync(join(tmpdir(), "lookout-db-"));
  teardown.push(() => rmSync(dir, { recursive: true, force: true }));
  return join(dir, "lookout.db");
}

/** Starts (or restarts, on the same stand-in) the bot with a database at `path`. */
async function start(path: string, config: Partial<Config> = {}, options: StartBotOptions = {}): Promise<{ s: DiscordStandIn; bot: BotHandle }> {
  if (standIn === undefined) {
    const started = (standIn = await startDiscordStandIn());
    teardown.push(() => started.close());
  }
  const s = standIn;
  logLines = [];
  const logger = createLogger({ level: "debug" }, { write: (line: string) => void logLines.push(line) });
  const started = (bot = await startBot(botConfigFor(s, { databasePath: path, ...config }), shipped, logger, {
    readyTimeoutMs: 5000,
    store: { flushMs: 10 },
    ...options,
  }));
  teardown.push(() => started.stop());
  return { s, bot: started };
}

async function restart(path: string, config: Partial<Config> = {}): Promise<void> {
  await bot?.stop();
  await start(path, config);
}

async function slash(s: DiscordStandIn, name: string, options: SlashOptionsInput = {}, actor: ActorOptions = {}): Promise<{ id: string; body: Body }> {
  const { d } = s.sendInteraction(s.slashCommand(name, options, actor));
  const callback = await s.waitForInteractionResponse(d.id);
  return { id: d.id, body: callback.body };
}

/** A subcommand with options, as Discord sends it. */
function sub(name: string, options: Array<{ name: string; type: ApplicationCommandOptionType; value: string | number | boolean }> = []): SlashOptionsInput {
  return [{ type: ApplicationCommandOptionType.Subcommand, name, options }] as SlashOptionsInput;
}

/** The edit of a deferred reply (PATCH …/messages/@original) for an interaction. */
function editOf(s: DiscordStandIn, interactionId: string): Promise<RecordedRequest> {
  const token = s.state.interactions.get(interactionId)?.payload.token;
  return s.waitForRequest((r) => r.route === EDIT_ORIGINAL && r.method === "PATCH" && r.params.token === token, 5000);
}

async function click(s: DiscordStandIn, customId: string, messageId: string, actor: ActorOptions = {}): Promise<Body> {
  const { d } = s.sendInteraction(s.button(customId, messageId, actor));
  return (await s.waitForInteractionResponse(d.id)).body;
}

function buttonIds(data: Body): string[] {
  return (data.components ?? []).flatMap((row: Body) => row.components.map((b: Body) => b.custom_id));
}

function buttonFor(data: Body, action: string): string {
  const id = buttonIds(data).find((c) => decodeButtonId(c)?.action === action);
  if (id === undefined) throw new Error(`no ${action} button`);
  return id;
}

function originalMessageId(s: DiscordStandIn, interactionId: string): string {
  const id = s.state.interactions.get(interactionId)?.originalMessageId;
  if (id === undefined) throw new Error("no original message");
  return id;
}

/** Asks with /ask and returns the interaction id, the answer's body and its message id. */
async function askSlash(s: DiscordStandIn, question: string, actor: ActorOptions = MEMBER_A, extra: Record<string, boolean> = {}) {
  const reply = await slash(s, "ask", { question, ...extra }, actor);
  return { id: reply.id, data: reply.body.data, messageId: originalMessageId(s, reply.id) };
}

/** Lets the bot finish its reply (questions are queued once it is sent), then writes the queue. */
async function flushed(): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 30));
  bot?.context.store.flush();
}

/** The intents of the client's last IDENTIFY (gateway op 2). */
function lastIdentifyIntents(s: DiscordStandIn): number {
  const identify = s.frames.filter((f) => f.op === GatewayOpcodes.Identify).at(-1);
  return (identify?.d as { intents: number } | undefined)?.intents ?? 0;
}

/** Width and height from a PNG's IHDR chunk, after checking the signature. */
function pngSize(data: Buffer): { width: number; height: number } {
  expect(data.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  expect(data.subarray(12, 16).toString("latin1")).toBe("IHDR");
  return { width: data.readUInt32BE(16), height: data.readUInt32BE(20) };
}

describe("Find in sources (message command)", () => {
  it("is registered as a message command, beside the slash commands", async () => {
    const { registerCommands } = await import("../../src/discord/register.js");
    const s = (standIn = await startDiscordStandIn());
    teardown.push(() => s.close());
    await registerCommands({ token: s.token, apiUrl: s.apiUrl, guildId: s.guildId, moderatorRoleIds: [] });
    const messageCommands = s.commands.guild.filter((c) => c.type === ApplicationCommandType.Message).map((c) => c.name);
    expect(messageCommands).toEqual(["Find in sources", "Find in sources (ping author)"]);
    expect(s.unmatchedRequests).toEqual([]);
  });

  it("answers another member's message as a reply, pinging nobody, or only its author when asked to", async () => {
    const { s } = await start(dbPath());
    const bystander = "300000000000000009";
    const target = s.sendMessage(`@everyone ${ANSWERABLE} <@${bystander}> <@&${s.moderatorRoleId}>`, { ...MEMBER_A, mentionUserIds: [bystander] });
    await new Promise((resolve) => setTimeout(resolve, 50));

    for (const [name, ping] of [
      ["Find in sources", false],
      ["Find in sources (ping author)", true],
    ] as const) {
      const since = s.requests.length;
      const { d } = s.sendInteraction(s.messageCommand(name, target.d.id, MEMBER_B));
      const callback = await s.waitForInteractionResponse(d.id);
      expect(callback.body.type).toBe(InteractionResponseType.DeferredChannelMessageWithSource);
      expect(callback.body.data.flags & MessageFlags.Ephemeral).toBeTruthy();
      const post = await s.waitForRequest((r) => r.method === "POST" && r.route === CHANNEL_MESSAGES, 5000, { since });
      expect(post.body.message_reference).toMatchObject({ message_id: target.d.id });
      expect(post.body.allowed_mentions).toEqual({ parse: [], replied_user: ping });
      expect(limitViolations(post.body)).toEqual([]);
      expect(post.body.embeds[0].description.toLowerCase()).toContain("senior officers");
      const confirmation = await editOf(s, d.id);
      const stored = s.messages.get((post.responseBody as { id: string }).id);
      // Who the message notifies: the author of the target when chosen, nobody else (not the bystander, no role, no @everyone).
      expect(stored?.mentions.map((u) => u.id)).toEqual(ping ? [MEMBER_A.userId] : []);
      expect(stored?.mention_everyone).toBe(false);
      expect(confirmation.body.content).toContain("answered the message");
      expect(confirmation.body.allowed_mentions).toEqual({ parse: [], replied_user: false });
      // The answer carries the feedback buttons, keyed by the interaction.
      expect(buttonIds(post.body).map((id) => decodeButtonId(id)?.action)).toEqual(["more", "context", "up", "down", "delete"]);
    }
    expect(s.unmatchedRequests).toEqual([]);
  });

  it("tells only the invoker when the documents do not answer the message", async () => {
    const { s } = await start(dbPath());
    const target = s.sendMessage("What is the capital of Peru?", MEMBER_A);
    const since = s.requests.length;
    const { d } = s.sendInteraction(s.messageCommand("Find in sources", target.d.id, MEMBER_B));
    const edit = await editOf(s, d.id);
    expect(edit.body.embeds[0].title).toBe("Not in my documents");
    expect(s.requests.slice(since).filter((r) => r.method === "POST" && r.route === CHANNEL_MESSAGES)).toHaveLength(0);
  });

  it("says so privately when the message has no text", async () => {
    const { s } = await start(dbPath());
    const target = s.sendMessage("", MEMBER_A);
    const { d } = s.sendInteraction(s.messageCommand("Find in sources", target.d.id, MEMBER_B));
    const callback = await s.waitForInteractionResponse(d.id);
    expect(callback.body.data.flags & MessageFlags.Ephemeral).toBeTruthy();
    expect(callback.body.data.content).toContain("no text");
  });
});

describe("👍 / 👎", () => {
  it("records one vote per person: add, change, withdraw; two people count apart", async () => {
    const { s, bot } = await start(dbPath());
    const answer = await askSlash(s, ANSWERABLE);
    const up = buttonFor(answer.data, "up");
    const down = buttonFor(answer.data, "down");
    const counts = () => bot.context.store.raw!.voteCounts(answer.id);

    const replies: string[] = [];
    for (const [id, actor] of [
      [up, MEMBER_A],
      [down, MEMBER_A],
      [down, MEMBER_A],
      [up, MEMBER_B],
    ] as const) {
      const body = await click(s, id, answer.messageId, actor);
      expect(body.type).toBe(InteractionResponseType.ChannelMessageWithSource);
      expect(body.data.flags & MessageFlags.Ephemeral).toBeTruthy();
      replies.push(body.data.content);
      if (replies.length === 1) expect(counts()).toEqual({ up: 1, down: 0 });
      if (replies.length === 2) expect(counts()).toEqual({ up: 0, down: 1 });
      if (replies.length === 3) expect(counts()).toEqual({ up: 0, down: 0 });
    }
    expect(replies[0]).toMatch(/Thanks.*👍/);
    expect(replies[1]).toMatch(/Changed.*👎/);
    expect(replies[2]).toMatch(/withdrawn/);
    expect(counts()).toEqual({ up: 1, down: 0 });
  });
});

describe("Remove", () => {
  it("removes the answer for its asker and for a moderator, and refuses anyone else", async () => {
    const { s } = await start(dbPath());
    const deletes = () => s.requests.filter((r) => r.method === "DELETE" && r.route === "/channels/:channelId/messages/:messageId");

    const first = await askSlash(s, ANSWERABLE, MEMBER_A);
    const refused = await click(s, buttonFor(first.data, "delete"), first.messageId, MEMBER_B);
    expect(refused.data.content).toContain("Only the person who asked");
    expect(deletes()).toHaveLength(0);
    expect(s.messages.has(first.messageId)).toBe(true);

    const byAsker = await click(s, buttonFor(first.data, "delete"), first.messageId, MEMBER_A);
    expect(byAsker.data.content).toContain("removed");
    expect(deletes().map((r) => r.params.messageId)).toEqual([first.messageId]);
    expect(s.messages.has(first.messageId)).toBe(false);
    expect(s.dispatches.some((d) => d.t === "MESSAGE_DELETE" && (d.d as { id: string }).id === first.messageId)).toBe(true);

    const second = await askSlash(s, ANSWERABLE, MEMBER_A);
    const byModerator = await click(s, buttonFor(second.data, "delete"), second.messageId, { userId: "300000000000000004", roles: [s.moderatorRoleId] });
    expect(byModerator.data.content).toContain("removed");
    expect(s.messages.has(second.messageId)).toBe(false);
    expect(s.unmatchedRequests).toEqual([]);
  });

  it("is not offered on a private answer", async () => {
    const { s } = await start(dbPath());
    const answer = await askSlash(s, ANSWERABLE, MEMBER_A, { private: true });
    expect(buttonIds(answer.data).map((id) => decodeButtonId(id)?.action)).toEqual(["more", "context", "up", "down"]);
  });
});

describe("threads", () => {
  it("/ask thread:true opens a thread on the answer, named after the question", async () => {
    const { s, bot } = await start(dbPath());
    const answer = await askSlash(s, ANSWERABLE, MEMBER_A, { thread: true });
    const created = await s.waitForRequest((r) => r.route === "/channels/:channelId/messages/:messageId/threads", 5000);
    expect(created.params.messageId).toBe(answer.messageId);
    expect(created.body).toMatchObject({ name: ANSWERABLE });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(created.status).toBe(201);
    expect(s.state.threads.get(answer.messageId)).toMatchObject({ name: ANSWERABLE, parent_id: s.channelId, type: 11 });
    expect(s.dispatches.some((d) => d.t === "THREAD_CREATE")).toBe(true);
    // The client learnt about the thread from THREAD_CREATE.
    expect(bot.client.channels.cache.get(answer.messageId)?.isThread()).toBe(true);
  });

  it("answers ask-channel questions in a thread once an admin turns thread mode on, and follow-ups in it", async () => {
    const path = dbPath();
    const { s } = await start(path, {});
    standIn = s;
    await restart(path, { askChannelIds: [s.channelId] });
    const on = await slash(s, "settings", sub("threads", [{ name: "enabled", type: ApplicationCommandOptionType.Boolean, value: true }]), ADMIN);
    expect(on.body.data.embeds[0].description).toMatch(/threads\*\*: yes/);

    const since = s.requests.length;
    const question = s.sendMessage(ANSWERABLE, MEMBER_A);
    const thread = await s.waitForRequest((r) => r.route === "/channels/:channelId/messages/:messageId/threads", 5000, { since });
    expect(thread.params.messageId).toBe(question.d.id);
    expect(thread.body.name).toBe(ANSWERABLE);
    const answer = await s.waitForRequest((r) => r.method === "POST" && r.route === CHANNEL_MESSAGES, 5000, { since });
    expect(answer.params.channelId).toBe(question.d.id); // the thread's id is the message's
    expect(answer.body.embeds[0].description.toLowerCase()).toContain("senior officers");

    // A follow-up inside the thread is answered there, without a new thread.
    const before = s.requests.length;
    s.sendMessage("What did the Ministry of Defence blame for the leak?", { ...MEMBER_A, channelId: question.d.id });
    const followUp = await s.waitForRequest((r) => r.method === "POST" && r.route === CHANNEL_MESSAGES, 5000, { since: before });
    expect(followUp.params.channelId).toBe(question.d.id);
    expect(s.requests.slice(before).filter((r) => r.route?.endsWith("/threads"))).toHaveLength(0);
  });
});

describe("/settings", () => {
  it("an admin changes the cooldown; a member is refused; the change survives a restart", async () => {
    const path = dbPath();
    const { s } = await start(path);
    const refused = await slash(s, "settings", sub("cooldown", [{ name: "seconds", type: ApplicationCommandOptionType.Integer, value: 42 }]), MEMBER_A);
    expect(refused.body.data.content).toContain("Manage Server");
    expect(refused.body.data.flags & MessageFlags.Ephemeral).toBeTruthy();

    const saved = await slash(s, "settings", sub("cooldown", [{ name: "seconds", type: ApplicationCommandOptionType.Integer, value: 42 }]), ADMIN);
    expect(saved.body.data.embeds[0].description).toContain("**Cooldown**: 42 s");

    await restart(path); // a new client, the same database file
    const shown = await slash(s, "settings", sub("show"), ADMIN);
    expect(shown.body.data.embeds[0].description).toContain("**Cooldown**: 42 s");
    expect(shown.body.data.embeds[0].description).toContain("**Mod-log channel** *(default)*: none");
    // …and it is in force: a second question within 42 s waits.
    await askSlash(s, ANSWERABLE, MEMBER_B);
    const second = await slash(s, "ask", { question: ANSWERABLE }, MEMBER_B);
    expect(second.body.data.content).toMatch(/wait 4\d seconds/);

    const reset = await slash(s, "settings", sub("reset"), ADMIN);
    expect(reset.body.data.embeds[0].description).toContain("**Cooldown** *(default)*: off");
  });
});

describe("/settings: ask channels and moderator roles", () => {
  it("an ask channel set with /settings takes effect after a restart (the bot then asks for Message Content); a moderator role opens /stats", async () => {
    const path = dbPath();
    const s = (standIn = await startDiscordStandIn());
    teardown.push(() => s.close());
    const helpers = "300000000000000077";
    s.state.roles.push({ ...s.state.roles[0]!, id: helpers, name: "Helpers", position: 1 }); // no Manage Server
    await start(path);
    const helper: ActorOptions = { userId: "300000000000000005", roles: [helpers] };
    expect((await slash(s, "stats", sub("summary"), helper)).body.data.content).toContain("Only moderators");

    const role = await slash(s, "settings", sub("moderator-role", [{ name: "role", type: ApplicationCommandOptionType.Role, value: helpers }, { name: "enabled", type: ApplicationCommandOptionType.Boolean, value: true }]), ADMIN);
    expect(role.body.data.embeds[0].description).toContain(`**Moderator roles**: <@&${helpers}>`);
    const stats = await slash(s, "stats", sub("summary"), helper);
    expect(stats.body.type).toBe(InteractionResponseType.DeferredChannelMessageWithSource);
    await editOf(s, stats.id);

    const channel = await slash(s, "settings", sub("ask-channel", [{ name: "channel", type: ApplicationCommandOptionType.Channel, value: s.channelId }, { name: "enabled", type: ApplicationCommandOptionType.Boolean, value: true }]), ADMIN);
    expect(channel.body.data.embeds[0].description).toContain(`**Ask channels**: <#${s.channelId}>`);
    expect(channel.body.data.embeds[0].description).toContain("Message Content intent");
    expect(lastIdentifyIntents(s) & GatewayIntentBits.MessageContent).toBe(0);

    await restart(path);
    expect(lastIdentifyIntents(s) & GatewayIntentBits.MessageContent).toBe(GatewayIntentBits.MessageContent);
    const since = s.requests.length;
    s.sendMessage(ANSWERABLE, MEMBER_A); // no mention: an ask channel now
    const answer = await s.waitForRequest((r) => r.method === "POST" && r.route === CHANNEL_MESSAGES, 5000, { since });
    expect(answer.body.embeds[0].description.toLowerCase()).toContain("senior officers");
    expect(s.unmatchedRequests).toEqual([]);
  });
});

describe("/stats", () => {
  it("reports questions, share answered, votes, declined questions grouped, documents, with a PNG chart and a CSV export", async () => {
    const { s } = await start(dbPath());
    const answered = await askSlash(s, ANSWERABLE, MEMBER_A);
    await askSlash(s, "What did the Ministry of Defence blame for the leak?", MEMBER_B);
    await askSlash(s, "what is the capital of peru", MEMBER_A);
    await askSlash(s, "What is the capital of Peru?", MEMBER_B);
    await askSlash(s, "Which football club won the league, \"=1+1\"?", MEMBER_B);
    await click(s, buttonFor(answered.data, "down"), answered.messageId, MEMBER_B);
    await flushed();

    const refused = await slash(s, "stats", sub("summary"), MEMBER_A);
    expect(refused.body.data.content).toContain("Only moderators");

    const summary = await slash(s, "stats", sub("summary", [{ name: "days", type: ApplicationCommandOptionType.Integer, value: 14 }]), ADMIN);
    expect(summary.body.type).toBe(InteractionResponseType.DeferredChannelMessageWithSource);
    const edit = await editOf(s, summary.id);
    expect(edit.multipart).toBe(true);
    const embed = edit.body.embeds[0];
    expect(limitViolations(edit.body)).toEqual([]);
    expect(embed.title).toBe("Questions in the last 14 days");
    expect(embed.description).toContain("**5** questions asked · **40 %** answered · 👍 **0** · 👎 **1**");
    const field = (name: string) => embed.fields.find((f: Body) => f.name === name)?.value as string;
    expect(field("Most asked, not answered")).toMatch(/^1\. “what is the capital of peru” ×2/); // two wordings, counted once, shown as first asked
    expect(field("Most 👎")).toContain("How many senior officers were on the recorded conference? ×1".replace("? ", "?” ").replace("How", "“How"));
    expect(field("Documents cited most")).toMatch(/^1\. /);
    expect(embed.image).toEqual({ url: "attachment://lookout-stats.png" });
    expect(edit.files).toHaveLength(1);
    const png = edit.files[0]!;
    expect(png).toMatchObject({ field: "files[0]", name: "lookout-stats.png" });
    expect(pngSize(png.data)).toEqual({ width: 800, height: 300 });
    expect(s.messages.get(originalMessageId(s, summary.id))?.attachments[0]).toMatchObject({ filename: "lookout-stats.png" });

    const exported = await slash(s, "stats", sub("export"), ADMIN);
    const csvEdit = await editOf(s, exported.id);
    expect(csvEdit.files).toHaveLength(1);
    expect(csvEdit.files[0]!.name).toMatch(/^lookout-questions-\d{4}-\d\d-\d\d-7d\.csv$/);
    const csv = csvEdit.files[0]!.data.toString("utf8");
    const lines = csv.trimEnd().split("\r\n");
    expect(lines[0]).toBe("asked_at,channel_id,surface,question,answered,relevance,sources,thumbs_up,thumbs_down");
    expect(lines).toHaveLength(6);
    expect(csv).toContain(`"'Which football club won the league, ""=1+1""?"`.replace(`"'Which`, `"Which`));
    expect(csv).not.toContain(MEMBER_A.userId!);
    const downVoted = lines.find((l) => l.includes("senior officers"));
    expect(downVoted).toMatch(/,yes,[\d.]+,[^,]+,0,1$/);
    expect(csvEdit.body.content).toContain("5 questions from the last 7 days");
  });
});

describe("a failing database", () => {
  it("never stops the answers: a read-only connection (PRAGMA query_only), a full database (max_page_count)", async () => {
    const { s, bot } = await start(dbPath());
    await askSlash(s, ANSWERABLE, MEMBER_A);
    await flushed();
    const raw = bot.context.store.raw!;
    expect(raw.questionCount()).toBe(1);

    // 1. Writes refused: the connection is made read-only mid-run.
    raw.connection.pragma("query_only = ON");
    const answer = await askSlash(s, "What did the Ministry of Defence blame for the leak?", MEMBER_A);
    expect(answer.data.embeds[0].description.toLowerCase()).toContain("non-secure data line");
    await flushed();
    expect(logLines.some((l) => l.includes("database operation failed") && l.includes("log questions"))).toBe(true);
    const vote = await click(s, buttonFor(answer.data, "up"), answer.messageId, MEMBER_B);
    expect(vote.data.content).toContain("couldn't record your vote");
    const stats = await slash(s, "stats", sub("summary"), ADMIN);
    const statsEdit = await editOf(s, stats.id);
    expect(statsEdit.body.embeds[0].description).toContain("The question log is unavailable: writing to the database has failed");

    // 2. Disk full: the database may not grow by a page (SQLITE_FULL); writable again otherwise.
    raw.connection.pragma("query_only = OFF");
    await flushed(); // the queued question is written now
    expect(raw.questionCount()).toBe(2);
    const pages = raw.connection.pragma("page_count", { simple: true }) as number;
    raw.connection.pragma(`max_page_count = ${pages}`);
    for (let i = 0; i < 12; i++) {
      const more = await askSlash(s, `${"How was the call intercepted? ".repeat(16)} ${i}`, MEMBER_A);
      expect(more.data.embeds).toHaveLength(1);
      await flushed();
    }
    expect(bot.context.store.problem).toMatch(/writing to the database has failed/);
    expect(logLines.some((l) => l.includes("database or disk is full"))).toBe(true);
    expect(s.unmatchedRequests).toEqual([]);
  });

  it("never stops the answers when the file is corrupt at start: /stats says the log is unavailable", async () => {
    const path = dbPath();
    writeFileSync(path, Buffer.alloc(8192, 0x5a)); // not an SQLite file
    const { s } = await start(path);
    expect(logLines.some((l) => l.includes("cannot open the database"))).toBe(true);
    const answer = await askSlash(s, ANSWERABLE, MEMBER_A);
    expect(answer.data.embeds[0].description.toLowerCase()).toContain("senior officers");
    const stats = await slash(s, "stats", sub("summary"), ADMIN);
    expect((await editOf(s, stats.id)).body.content).toContain("The question log is unavailable (the database could not be opened)");
    const settings = await slash(s, "settings", sub("cooldown", [{ name: "seconds", type: ApplicationCommandOptionType.Integer, value: 5 }]), ADMIN);
    expect(settings.body.data.content).toContain("couldn't save");
  });
});

describe("retention and restarts", () => {
  it("deletes question texts older than QUESTION_LOG_DAYS at start, keeping the daily counts", async () => {
    const path = dbPath();
    const store = Store.open(path);
    const base = { guildId: "100000000000000001", channelId: "100000000000000002", userId: "1", surface: "slash" as const, grouped: "x", answered: true, relevance: 1, sources: ["a.txt"] };
    store.recordQuestions([
      { ...base, id: "1", askedAt: Date.now() - 40 * DAY_MS, text: "an old question" },
      { ...base, id: "2", askedAt: Date.now() - 29 * DAY_MS, text: "a recent question" },
    ]);
    store.close();
    const { bot } = await start(path, { questionLogDays: 30 });
    const raw = bot.context.store.raw!;
    expect(raw.questionCount()).toBe(1);
    expect(raw.question("1")).toBeUndefined();
    expect(raw.question("2")?.text).toBe("a recent question");
    expect(raw.stats(base.guildId, Math.floor(Date.now() / DAY_MS) - 60).days.map((d) => d.asked)).toEqual([1, 1]);
    expect(logLines.some((l) => l.includes("old questions deleted"))).toBe(true);
  });

  it("buttons keep working after a restart (the question comes from the log), or say the answer expired", async () => {
    const path = dbPath();
    const { s } = await start(path);
    const answer = await askSlash(s, "Who said it is in the Kremlin's interest to spread misinformation?", MEMBER_A);
    await restart(path);
    expect(existsSync(path)).toBe(true);
    const more = await click(s, buttonFor(answer.data, "more"), answer.messageId, MEMBER_A);
    expect(more.type).toBe(InteractionResponseType.UpdateMessage);
    expect(more.data.embeds[0].footer.text).toMatch(/^Excerpts 4–6/);
    const notAsker = await click(s, buttonFor(answer.data, "more"), answer.messageId, MEMBER_B);
    expect(notAsker.data.content).toContain("Only the person who asked");
    const unknown = await click(s, "lookout:context:999999999999999999:0", answer.messageId, MEMBER_A);
    expect(unknown.data.content).toContain("expired");
  });

  it("limits button clicks per user, the Context button included", async () => {
    const { s } = await start(dbPath(), {}, { buttonLimit: { max: 3, windowMs: 60_000 } });
    const answer = await askSlash(s, ANSWERABLE, MEMBER_A);
    const context = buttonFor(answer.data, "context");
    const bodies = [];
    for (let i = 0; i < 4; i++) bodies.push(await click(s, context, answer.messageId, MEMBER_B));
    expect(bodies.slice(0, 3).every((b) => b.data.embeds?.[0]?.title?.startsWith("Context"))).toBe(true);
    expect(bodies[3].data.content).toContain("pressing buttons quickly");
    // Another user is not affected.
    const other = await click(s, context, answer.messageId, MEMBER_A);
    expect(other.data.embeds[0].title).toMatch(/^Context/);
  });
});
