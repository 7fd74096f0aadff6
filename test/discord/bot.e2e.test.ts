/**
 * End to end: the real bot (startBot, a real discord.js Client) against the loopback Discord stand-in,
 * answering from the real engine over the shipped corpus. Assertions are on what users would see:
 * the REST bodies the bot sent (embeds, buttons, flags, allowed_mentions).
 */
import { spawn } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { GatewayIntentBits, InteractionResponseType, MessageFlags, PermissionFlagsBits } from "discord.js";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { loadConfig, type Config } from "../../src/config.js";
import { Library } from "../../src/corpus/library.js";
import { BOT_PERMISSIONS, INVITE_SCOPES, inviteUrl, startBot, type BotHandle } from "../../src/discord/bot.js";
import type { CorpusSource } from "../../src/discord/context.js";
import { decodeButtonId } from "../../src/discord/custom-id.js";
import { limitViolations } from "../../src/discord/payload.js";
import { commandsByName } from "../../src/discord/commands/index.js";
import { commandDefinitions, registerCommands } from "../../src/discord/register.js";
import { createLogger } from "../../src/log.js";
import {
  CommandNotDeliveredError,
  EVERYONE_PERMISSIONS,
  startDiscordStandIn,
  type ActorOptions,
  type DiscordStandIn,
  type DiscordStandInOptions,
  type RecordedRequest,
} from "../discord-stand-in/index.js";
import { botConfigFor } from "../discord-stand-in/bot-config.js";

const CORPUS = join(import.meta.dirname, "../../corpus");
const TITLES = JSON.parse(readFileSync(join(CORPUS, "sources.json"), "utf8")) as Record<string, { title: string }>;
/** From the seed question set (shared/qa/seed-qa-open.jsonl): questions and gold answer phrases. */
const SEED: Array<{ q: string; gold: string[] }> = [
  { q: "What did the Ministry of Defence blame for the leak?", gold: ["non-secure data line"] },
  { q: "Is the army using the public version of Webex?", gold: ["not the version open to the public", "not the off-the-shelf software", "specially certified"] },
  { q: "Who said it is in the Kremlin's interest to spread misinformation?", gold: ["propagate misinformation"] },
  { q: "How many senior officers were on the recorded conference?", gold: ["four senior officers"] },
];

const CALLBACK = "/interactions/:interactionId/:token/callback";
const CHANNEL_MESSAGES = "/channels/:channelId/messages";
const EDIT_ORIGINAL = "/webhooks/:applicationId/:token/messages/:messageId";

/* eslint-disable @typescript-eslint/no-explicit-any -- recorded REST bodies are untyped JSON */
type Body = any;

let shipped: Library;
let standIn: DiscordStandIn | undefined;
let bot: BotHandle | undefined;
let logLines: string[] = [];
const tmpDirs: string[] = [];

beforeAll(async () => {
  shipped = await Library.open({ corpusDir: CORPUS, maxFileBytes: 5 * 1024 * 1024, maxQuestionChars: 500 });
}, 30_000);

afterEach(async () => {
  await bot?.stop();
  await standIn?.close();
  bot = undefined;
  standIn = undefined;
});

afterAll(() => {
  for (const dir of tmpDirs) rmSync(dir, { recursive: true, force: true });
});

async function setup(
  options: {
    config?: Partial<Config> | ((s: DiscordStandIn) => Partial<Config>);
    standIn?: DiscordStandInOptions;
    library?: CorpusSource;
    logLevel?: Config["logLevel"];
    /** What `npm run register` ran with (default: the bot's MODERATOR_ROLE_IDS); false: not registered. */
    register?: { moderatorRoleIds: readonly string[] } | false;
  } = {},
): Promise<{ standIn: DiscordStandIn; bot: BotHandle }> {
  standIn = await startDiscordStandIn(options.standIn);
  const config = botConfigFor(standIn, {
    discordApplicationId: standIn.applicationId,
    discordGuildId: standIn.guildId,
    ...(typeof options.config === "function" ? options.config(standIn) : options.config),
  });
  // What `npm run register` does with this config, so the stand-in offers each command as Discord would.
  if (options.register !== false) {
    await registerCommands({
      token: standIn.token,
      apiUrl: standIn.apiUrl,
      applicationId: standIn.applicationId,
      guildId: standIn.guildId,
      moderatorRoleIds: options.register?.moderatorRoleIds ?? config.moderatorRoleIds,
    });
  }
  logLines = [];
  const logger = createLogger({ level: options.logLevel ?? "info" }, { write: (line: string) => void logLines.push(line) });
  bot = await startBot(config, options.library ?? shipped, logger, { readyTimeoutMs: 5000 });
  return { standIn, bot };
}

/** Sends a slash command and returns the interaction callback's body. */
async function slash(s: DiscordStandIn, name: string, options: Record<string, string | boolean> = {}, actor: ActorOptions = {}): Promise<{ id: string; body: Body }> {
  const { d } = s.sendInteraction(s.slashCommand(name, options, actor));
  const callback = await s.waitForInteractionResponse(d.id);
  return { id: d.id, body: callback.body };
}

/** Asserts Discord would neither show nor deliver this command to this member: the bot never hears of it. */
function expectNotDelivered(s: DiscordStandIn, name: string, actor: ActorOptions = {}): void {
  const before = s.dispatches.length;
  expect(() => s.sendInteraction(s.slashCommand(name, {}, actor))).toThrow(CommandNotDeliveredError);
  expect(s.dispatches.length).toBe(before);
}

/** The message the bot created for an interaction's first reply (for button clicks on it). */
function originalMessageId(s: DiscordStandIn, interactionId: string): string {
  const id = s.state.interactions.get(interactionId)?.originalMessageId;
  if (id === undefined) throw new Error("no original message");
  return id;
}

async function click(s: DiscordStandIn, customId: string, messageId: string, actor: ActorOptions = {}): Promise<Body> {
  const { d } = s.sendInteraction(s.button(customId, messageId, actor));
  return (await s.waitForInteractionResponse(d.id)).body;
}

function buttons(data: Body): Array<{ custom_id: string; label: string; disabled?: boolean }> {
  return (data.components ?? []).flatMap((row: Body) => row.components);
}

/** Embed text as a user reads it: Markdown markers and escapes removed. */
function readable(text: string): string {
  return text.replace(/\*\*/g, "").replace(/\\(.)/g, "$1").replace(/\s+/g, " ");
}

function messagesSent(s: DiscordStandIn, since = 0): RecordedRequest[] {
  return s.requests.slice(since).filter((r) => r.method === "POST" && r.route === CHANNEL_MESSAGES);
}

/** Every request that can create or edit a visible message. */
function messageWrites(s: DiscordStandIn): RecordedRequest[] {
  return s.requests.filter(
    (r) => (r.route === CALLBACK && r.body?.data !== undefined && r.body?.type !== InteractionResponseType.ApplicationCommandAutocompleteResult) || r.route === CHANNEL_MESSAGES || r.route === EDIT_ORIGINAL || r.route === "/webhooks/:applicationId/:token",
  );
}

function expectNoPings(s: DiscordStandIn): void {
  const writes = messageWrites(s);
  expect(writes.length).toBeGreaterThan(0);
  for (const r of writes) {
    const body = r.route === CALLBACK ? r.body.data : r.body;
    expect(body.allowed_mentions, `${r.method} ${r.path}`).toEqual({ parse: [], replied_user: false });
  }
}

function copyCorpus(): string {
  const dir = mkdtempSync(join(tmpdir(), "lookout-corpus-"));
  tmpDirs.push(dir);
  cpSync(CORPUS, dir, { recursive: true });
  return dir;
}

describe("/ask", () => {
  const questions = [
    "What did the Ministry of Defence blame for the leak?",
    "Is the army using the public version of Webex?",
    "Who said it is in the Kremlin's interest to spread misinformation?",
    "How many senior officers were on the recorded conference?",
  ];

  it("answers seed questions with the gold phrase in a cited excerpt naming its document", async () => {
    const { standIn: s } = await setup();
    for (const q of questions) {
      const gold = SEED.find((x) => x.q === q)?.gold ?? [];
      const { body } = await slash(s, "ask", { question: q });
      expect(body.type).toBe(InteractionResponseType.ChannelMessageWithSource);
      expect(body.data.flags ?? 0).toBe(0); // public
      const embed = body.data.embeds[0];
      expect(embed.title).toBe(`“${q.replace(/'/g, "'")}”`);
      // The block (excerpt + its citation lines) holding a gold phrase cites a document whose text has it.
      const blocks: string[] = embed.description.split("\n\n");
      const block = blocks.find((b) => gold.some((g) => readable(b.split("\n")[0] ?? "").toLowerCase().includes(g)));
      expect(block, `${q}\n${embed.description}`).toBeDefined();
      const title = /\n↳ \*(.+?)\* —/.exec(block ?? "")?.[1];
      const cited = Object.entries(TITLES).find(([, meta]) => meta.title === readable(title ?? ""));
      expect(cited, `citation of ${q}: ${title}`).toBeDefined();
      const docText = readFileSync(join(CORPUS, cited![0]), "utf8").replace(/\s+/g, " ").toLowerCase();
      expect(gold.some((g) => docText.includes(g))).toBe(true);
      expect(block).toMatch(/· line \d+/);
      expect(block).toMatch(/^\*\*\[[123]\]\*\* “/);
      // matched words are bold
      expect(block).toMatch(/\*\*[^*[\]]+\*\*/);
      expect(limitViolations({ embeds: body.data.embeds, components: body.data.components })).toEqual([]);
      expect(buttons(body.data).map((b) => b.label)).toEqual(["More results (2/4)", "Context", undefined, undefined, "Remove"]);
    }
    expectNoPings(s);
    expect(s.unmatchedRequests).toEqual([]);
  });

  it("private:true answers ephemerally", async () => {
    const { standIn: s } = await setup();
    const { body } = await slash(s, "ask", { question: questions[0]!, private: true });
    expect(body.data.flags & MessageFlags.Ephemeral).toBe(MessageFlags.Ephemeral);
    expect(body.data.embeds[0].description).toContain("**[1]**");
  });

  it("declines an off-corpus question politely, pointing to /sources and naming what the corpus is about", async () => {
    const { standIn: s } = await setup();
    const { body } = await slash(s, "ask", { question: "What is the tallest mountain on Earth?" });
    const embed = body.data.embeds[0];
    expect(embed.title).toBe("Not in my documents");
    expect(embed.description).toContain("I couldn't find an answer to “What is the tallest mountain on Earth?”");
    expect(embed.description).toContain("`/sources`");
    expect(embed.description).toContain("They are about");
    expect(body.data.components ?? []).toEqual([]);
  });

  it("too long and empty questions get a private message with the limit", async () => {
    const { standIn: s } = await setup(); // MAX_QUESTION_CHARS 500, as the library was opened with
    const long = await slash(s, "ask", { question: "why ".repeat(130) });
    expect(long.body.data.flags & MessageFlags.Ephemeral).toBe(MessageFlags.Ephemeral);
    expect(long.body.data.embeds[0].description).toContain("Your question is 519 characters long; the limit is 500.");
    const empty = await slash(s, "ask", { question: "   " });
    expect(empty.body.data.flags & MessageFlags.Ephemeral).toBe(MessageFlags.Ephemeral);
    expect(empty.body.data.embeds[0].description).toContain("Ask me a question about the documents");
  });

  it("makes a user wait COOLDOWN_SECONDS between questions, with a private notice; others are not affected", async () => {
    const { standIn: s } = await setup({ config: { cooldownSeconds: 30 } });
    await slash(s, "ask", { question: questions[0]! });
    const again = await slash(s, "ask", { question: questions[1]! });
    expect(again.body.data.flags & MessageFlags.Ephemeral).toBe(MessageFlags.Ephemeral);
    expect(again.body.data.content).toMatch(/^Please wait (29|30) seconds before asking another question\.$/);
    const other = await slash(s, "ask", { question: questions[1]! }, { userId: s.ownerId });
    expect(other.body.data.embeds[0].description).toContain("**[1]**");
  });

  it("a user's own mistake (an empty or too long question) does not start the cooldown: the next question is answered at once", async () => {
    const { standIn: s } = await setup({ config: { cooldownSeconds: 30 } });
    const long = await slash(s, "ask", { question: "why ".repeat(130) });
    expect(long.body.data.embeds[0].description).toContain("the limit is 500");
    const empty = await slash(s, "ask", { question: "   " });
    expect(empty.body.data.embeds[0].description).toContain("Ask me a question about the documents");
    const real = await slash(s, "ask", { question: questions[0]! });
    expect(real.body.data.content).toBeUndefined(); // not "Please wait …"
    expect(real.body.data.embeds[0].description).toContain("**[1]**");
    // ...and that answered question did start it
    const again = await slash(s, "ask", { question: questions[1]! });
    expect(again.body.data.content).toMatch(/^Please wait/);
  });
});

describe("buttons", () => {
  it("'More results' edits the message with the next excerpts; disabled on the last page", async () => {
    const { standIn: s } = await setup();
    const q = "How was the call intercepted?";
    const expected = shipped.current.ask(q);
    expect(expected.excerpts.length).toBeGreaterThan(6);
    const first = await slash(s, "ask", { question: q });
    const messageId = originalMessageId(s, first.id);
    let more = buttons(first.body.data)[0]!;
    expect(decodeButtonId(more.custom_id)).toMatchObject({ action: "more", page: 1 });

    const second = await click(s, more.custom_id, messageId);
    expect(second.type).toBe(InteractionResponseType.UpdateMessage);
    const d2: string = second.data.embeds[0].description;
    expect(d2).toContain("**[4]**");
    expect(d2).not.toContain("**[1]**");
    expect(readable(d2)).toContain(readable(expected.excerpts[3]!.text).slice(0, 40));
    expect(second.data.embeds[0].footer.text).toMatch(/^Excerpts 4–6 of/);
    // the stand-in applied the edit to the same message
    expect(s.messages.get(messageId)?.embeds[0]?.description).toBe(d2);

    const pages = Math.ceil(expected.excerpts.length / 3);
    let last: Body = second;
    for (let page = 2; page < pages; page++) {
      more = buttons(last.data)[0]!;
      last = await click(s, more.custom_id, messageId);
    }
    const end = buttons(last.data)[0]!;
    expect(end.disabled).toBe(true);
    expect(end.label).toBe("No more results");
    expectNoPings(s);
  });

  it("'Context' privately shows the sentences around the excerpts", async () => {
    const { standIn: s } = await setup();
    const q = "What did the Ministry of Defence blame for the leak?";
    const top = shipped.current.ask(q).excerpts[0]!;
    const first = await slash(s, "ask", { question: q });
    const context = buttons(first.body.data)[1]!;
    const body = await click(s, context.custom_id, originalMessageId(s, first.id), { userId: s.ownerId });
    expect(body.type).toBe(InteractionResponseType.ChannelMessageWithSource);
    expect(body.data.flags & MessageFlags.Ephemeral).toBe(MessageFlags.Ephemeral);
    const d: string = body.data.embeds[0].description;
    expect(body.data.embeds[0].title).toBe("Context of excerpts 1–3");
    expect(d).toContain(`**${top.text.slice(0, 30)}`);
    const neighbour = top.context.before.at(-1) ?? top.context.after[0] ?? "";
    expect(neighbour).not.toBe("");
    expect(readable(d)).toContain(readable(neighbour).slice(0, 40));
  });

  it("only the asker can page; an expired answer says so privately", async () => {
    const { standIn: s } = await setup();
    const first = await slash(s, "ask", { question: "How was the call intercepted?" });
    const messageId = originalMessageId(s, first.id);
    const more = buttons(first.body.data)[0]!;
    const stranger = await click(s, more.custom_id, messageId, { userId: s.ownerId });
    expect(stranger.data.flags & MessageFlags.Ephemeral).toBe(MessageFlags.Ephemeral);
    expect(stranger.data.content).toContain("Only the person who asked can page");

    const expired = await click(s, "lookout:more:1234567890123456789:1", messageId);
    expect(expired.data.flags & MessageFlags.Ephemeral).toBe(MessageFlags.Ephemeral);
    expect(expired.data.content).toContain("This answer has expired");
  });
});

describe("messages", () => {
  it("answers a mention in a channel, replying to it without pinging", async () => {
    const { standIn: s } = await setup();
    const { d } = s.sendMessage("how was the call intercepted?", { mentionsBot: true });
    const reply = await s.waitForRequest((r) => r.method === "POST" && r.route === CHANNEL_MESSAGES);
    expect(reply.params.channelId).toBe(s.channelId);
    expect(reply.body.message_reference).toMatchObject({ message_id: d.id });
    expect(reply.body.allowed_mentions).toEqual({ parse: [], replied_user: false });
    expect(reply.body.embeds[0].title).toBe("“how was the call intercepted?”");
    expect(reply.body.embeds[0].description).toMatch(/\*\*\[1\]\*\* “/);
    expect(buttons(reply.body).map((b) => b.label)[1]).toBe("Context");
  });

  it("on cooldown, a mention gets one notice, then further messages are ignored", async () => {
    const { standIn: s } = await setup({ config: { cooldownSeconds: 30 } });
    s.sendMessage("how was the call intercepted?", { dm: true });
    await s.waitForRequest((r) => r.method === "POST" && r.route === CHANNEL_MESSAGES);
    s.sendMessage("and who leaked it?", { dm: true });
    const notice = await s.waitForRequest((r) => r.method === "POST" && r.route === CHANNEL_MESSAGES && r.body.content !== undefined);
    expect(notice.body.content).toMatch(/^Please wait (29|30) seconds before asking another question\.$/);
    s.sendMessage("hello??", { dm: true });
    await new Promise((r) => setTimeout(r, 200));
    expect(messagesSent(s)).toHaveLength(2);
  });

  it("a mention without a question, or with one too long, does not start the cooldown", async () => {
    const { standIn: s } = await setup({ config: { cooldownSeconds: 30 } });
    s.sendMessage("", { mentionsBot: true }); // just "@Lookout"
    const empty = await s.waitForRequest((r) => r.method === "POST" && r.route === CHANNEL_MESSAGES);
    expect(empty.body.embeds[0].description).toContain("Ask me a question about the documents");
    let since = s.requests.length;
    s.sendMessage("why ".repeat(130), { mentionsBot: true });
    const long = await s.waitForRequest((r) => r.method === "POST" && r.route === CHANNEL_MESSAGES, 2000, { since });
    expect(long.body.embeds[0].description).toContain("the limit is 500");
    since = s.requests.length;
    s.sendMessage("how was the call intercepted?", { mentionsBot: true });
    const answer = await s.waitForRequest((r) => r.method === "POST" && r.route === CHANNEL_MESSAGES, 2000, { since });
    expect(answer.body.content).toBeUndefined(); // not "Please wait …"
    expect(answer.body.embeds[0].description).toMatch(/\*\*\[1\]\*\* “/);
  });

  it("answers a direct message", async () => {
    const { standIn: s } = await setup();
    s.sendMessage("What did the Ministry of Defence blame for the leak?", { dm: true });
    const reply = await s.waitForRequest((r) => r.method === "POST" && r.route === CHANNEL_MESSAGES);
    expect(reply.params.channelId).not.toBe(s.channelId);
    expect(readable(reply.body.embeds[0].description).toLowerCase()).toContain("non-secure data line");
  });

  it("ignores channel messages that do not mention it when there are no ask channels", async () => {
    const { standIn: s, bot: b } = await setup();
    expect(b.messageContent).toBe(false); // not requested: mentions and DMs carry their text anyway
    s.sendMessage("how was the call intercepted?");
    s.sendMessage("how was the call intercepted?", { mentionsBot: true });
    const reply = await s.waitForRequest((r) => r.method === "POST" && r.route === CHANNEL_MESSAGES);
    expect(reply.body.message_reference.message_id).toBe([...s.messages.values()].find((m) => m.content.startsWith("<@"))?.id);
    await new Promise((r) => setTimeout(r, 200));
    expect(messagesSent(s)).toHaveLength(1);
  });

  it("with Message Content, every message in an ask channel is a question", async () => {
    const { standIn: s, bot: b } = await setup({ config: (si) => ({ askChannelIds: [si.channelId] }) });
    expect(b.messageContent).toBe(true);
    s.sendMessage("how was the call intercepted?");
    const reply = await s.waitForRequest((r) => r.method === "POST" && r.route === CHANNEL_MESSAGES);
    expect(reply.body.embeds[0].description).toMatch(/\*\*\[1\]\*\* “/);
  });

  it("without the Message Content intent in the portal (4014), logs how to enable it and reconnects without it", async () => {
    const { standIn: s, bot: b } = await setup({
      standIn: { allowedPrivilegedIntents: 0 },
      config: (si) => ({ askChannelIds: [si.channelId] }),
    });
    expect(b.messageContent).toBe(false);
    const logs = logLines.join("");
    expect(logs).toContain("Privileged Gateway Intents → Message Content Intent");
    expect(logs).toContain("ASK_CHANNEL_IDS is set but the Message Content intent is off");
    // two IDENTIFYs: the first asked for Message Content and was refused, the second did not ask
    const identifies = s.frames.filter((f) => f.op === 2).map((f) => Number((f.d as { intents: number }).intents));
    expect(identifies).toHaveLength(2);
    expect(identifies[0]! & GatewayIntentBits.MessageContent).toBe(GatewayIntentBits.MessageContent);
    expect(identifies[1]! & GatewayIntentBits.MessageContent).toBe(0);
    // mentions still work
    s.sendMessage("how was the call intercepted?", { mentionsBot: true });
    const reply = await s.waitForRequest((r) => r.method === "POST" && r.route === CHANNEL_MESSAGES);
    expect(reply.body.embeds[0].description).toMatch(/\*\*\[1\]\*\* “/);
  });
});

describe("/sources, /source and /help", () => {
  it("/sources lists the documents with outlet, date and size", async () => {
    const { standIn: s } = await setup();
    const { body } = await slash(s, "sources");
    expect(body.data.flags & MessageFlags.Ephemeral).toBe(MessageFlags.Ephemeral);
    const d: string = body.data.embeds[0].description;
    expect(d).toContain("*Use of non-secure line behind Taurus talk leak to Russia: Pistorius* — dpa, 2024-03-06 · 3.0 kB");
    expect(d).toContain("— The Guardian, 2024-03 · 4.7 kB");
    expect(body.data.embeds[0].footer.text).toMatch(/^3 documents · \d+ sentences$/);
  });

  it("/source autocomplete suggests matching titles, exact and prefix matches first", async () => {
    const { standIn: s } = await setup();
    const { d } = s.sendInteraction(s.autocomplete("source", "name", "german"));
    const body = (await s.waitForInteractionResponse(d.id)).body;
    expect(body.type).toBe(InteractionResponseType.ApplicationCommandAutocompleteResult);
    const names: string[] = body.data.choices.map((c: { name: string }) => c.name);
    expect(names).toEqual([
      "German military leak intercepted by Russia after participant's mistake (004_9214bb8f108f6730.txt)",
      "German officer used non-secure line on call intercepted by Russia, says Pistorius…",
    ]);
    expect(body.data.choices.map((c: { value: string }) => c.value)).toEqual(["004_9214bb8f108f6730.txt", "001_7874d4d84721f6f1.txt"]);

    const { d: d2 } = s.sendInteraction(s.autocomplete("source", "name", "pistorius"));
    const body2 = (await s.waitForInteractionResponse(d2.id)).body;
    expect(body2.data.choices).toHaveLength(2); // substring matches in two titles
  });

  it("/source shows the chosen document's details and opening lines", async () => {
    const { standIn: s } = await setup();
    const { body } = await slash(s, "source", { name: "000_c0686f1146004472.txt" });
    const embed = body.data.embeds[0];
    expect(embed.title).toBe("Use of non-secure line behind Taurus talk leak to Russia: Pistorius");
    expect(embed.fields).toEqual(expect.arrayContaining([{ name: "Outlet", value: "dpa", inline: true }, { name: "Date", value: "2024-03-06", inline: true }]));
    // Its first answerable sentences (the knowledge base keeps no file texts, so no date line or byline), and how many it has.
    expect(embed.description).toContain("> The Ministry of Defence blamed an unnamed individual's improper use");
    expect(embed.description).not.toContain("Saturday November 30, 2024");
    expect(embed.fields).toEqual(expect.arrayContaining([{ name: "Sentences", value: expect.stringMatching(/^\d+$/), inline: true }]));
    const missing = await slash(s, "source", { name: "mountains" });
    expect(missing.body.data.content).toContain("No document is called “mountains”");
  });

  it("/help explains how to ask", async () => {
    const { standIn: s } = await setup({ config: { cooldownSeconds: 5 } });
    const { body } = await slash(s, "help");
    expect(body.data.embeds[0].description).toContain("mention me followed by your question");
    expect(body.data.embeds[0].description).toContain("every 5 seconds");
  });
});

describe("/refresh", () => {
  /** A Library on a copy of the corpus, counting the refreshes the bot asks for. */
  async function countedLibrary(): Promise<{ corpus: string; library: Library; source: CorpusSource; refreshes: () => number }> {
    const corpus = copyCorpus();
    const library = await Library.open({ corpusDir: corpus, maxFileBytes: 5 * 1024 * 1024, maxQuestionChars: 500 });
    let refreshes = 0;
    const source: CorpusSource = {
      get current() {
        return library.current;
      },
      ask: (question) => library.ask(question),
      get skipped() {
        return library.skipped;
      },
      get isRefreshing() {
        return library.isRefreshing;
      },
      refresh: () => {
        refreshes++;
        return library.refresh();
      },
    };
    return { corpus, library, source, refreshes: () => refreshes };
  }

  async function expectRefreshed(s: DiscordStandIn, actor: ActorOptions): Promise<void> {
    const since = s.requests.length;
    const { body } = await slash(s, "refresh", {}, actor);
    expect(body.type).toBe(InteractionResponseType.DeferredChannelMessageWithSource);
    const edit = await s.waitForRequest((r) => r.route === EDIT_ORIGINAL && r.method === "PATCH", 5000, { since });
    expect(edit.body.embeds[0].title).toBe("Corpus refreshed");
  }

  it("without MODERATOR_ROLE_IDS, Discord offers it only to members with Manage Server (registered as that permission)", async () => {
    const { source, refreshes } = await countedLibrary();
    const { standIn: s } = await setup({ library: source });
    // what `npm run register` sent: exactly Manage Server, nothing else, nothing less
    const put = s.requests.find((r) => r.method === "PUT" && r.path.endsWith("/commands"));
    const sent = (put?.body as Body[]).find((c) => c.name === "refresh");
    expect(sent.default_member_permissions).toBe(PermissionFlagsBits.ManageGuild.toString());

    expectNotDelivered(s, "refresh"); // a plain member
    expectNotDelivered(s, "refresh", { roles: [s.helperRoleId] }); // Manage Messages is another permission
    expectNotDelivered(s, "refresh", { roles: [s.moderatorRoleId], dm: true }); // not offered in DMs
    expect(refreshes()).toBe(0);

    await expectRefreshed(s, { roles: [s.moderatorRoleId] }); // the Moderator role has Manage Server
    await expectRefreshed(s, { userId: "623456789012345678", memberPermissions: EVERYONE_PERMISSIONS | PermissionFlagsBits.ManageGuild }); // nothing but Manage Server
    await expectRefreshed(s, { userId: s.ownerId }); // the owner has every permission
    expect(refreshes()).toBe(3);
  });

  it("with MODERATOR_ROLE_IDS, a member with that role but without Manage Server can refresh; other members are refused privately", async () => {
    const { source, refreshes } = await countedLibrary();
    const { standIn: s } = await setup({ library: source, config: (si) => ({ moderatorRoleIds: [si.helperRoleId] }) });
    const registered = s.commands.guild.find((c) => c.name === "refresh");
    expect(registered?.default_member_permissions).toBeNull(); // Discord delivers it to everyone; the bot decides

    const helper = { userId: "723456789012345678", roles: [s.helperRoleId] };
    expect(BigInt(s.slashCommand("refresh", {}, helper).member!.permissions) & PermissionFlagsBits.ManageGuild).toBe(0n);
    await expectRefreshed(s, helper);
    expect(refreshes()).toBe(1);

    const { body } = await slash(s, "refresh"); // a plain member now sees the command, and is turned away
    expect(body.type).toBe(InteractionResponseType.ChannelMessageWithSource);
    expect(body.data.flags & MessageFlags.Ephemeral).toBe(MessageFlags.Ephemeral);
    expect(body.data.content).toContain("Only moderators");
    expect(refreshes()).toBe(1);

    await expectRefreshed(s, { roles: [s.moderatorRoleId] }); // Manage Server still counts
    expect(refreshes()).toBe(2);
  });

  it("by a moderator reports what a new file added, and the new corpus answers at once", async () => {
    const corpus = copyCorpus();
    const library = await Library.open({ corpusDir: corpus, maxFileBytes: 5 * 1024 * 1024, maxQuestionChars: 500 });
    const { standIn: s } = await setup({ library });
    writeFileSync(
      join(corpus, "010_lighthouse.txt"),
      "The Lookout lighthouse keeper counted seventeen gannets on the northern cliffs.\n\nHe logged every gannet in a green ledger.\n",
    );
    writeFileSync(join(corpus, "011_empty.txt"), "");
    const { id, body } = await slash(s, "refresh", {}, { roles: [s.moderatorRoleId] });
    expect(body.type).toBe(InteractionResponseType.DeferredChannelMessageWithSource);
    expect(body.data.flags & MessageFlags.Ephemeral).toBe(MessageFlags.Ephemeral);
    const edit = await s.waitForRequest((r) => r.route === EDIT_ORIGINAL && r.method === "PATCH" && r.params.messageId === "@original");
    const embed = edit.body.embeds[0];
    expect(embed.title).toBe("Corpus refreshed");
    expect(embed.description).toContain("**Documents:** 4 (1 added, 0 changed, 0 removed)");
    expect(embed.description).toMatch(/\*\*Sentences:\*\* \d+ → \d+ \(\+(\d+): \1 added, 0 removed\)/);
    expect(embed.description).toMatch(/Took \d+ ms \(read 2 files, analysed 1, reused 3\)/); // the new file and the empty one; the rest reused
    expect(embed.fields).toEqual(expect.arrayContaining([{ name: "Added", value: "010\\_lighthouse.txt" }]));
    const skipped = embed.fields.find((f: { name: string }) => f.name === "Skipped");
    expect(skipped?.value).toContain("011\\_empty.txt: ");
    expect(edit.body.content).toBeUndefined(); // it started this refresh: no "already running" note
    expect(edit.body.allowed_mentions).toEqual({ parse: [], replied_user: false });
    expect(s.state.interactions.get(id)?.acknowledged).toBe(true);

    const answer = await slash(s, "ask", { question: "How many gannets did the lighthouse keeper count?" });
    expect(readable(answer.body.data.embeds[0].description)).toContain("seventeen gannets");
  });

  it("a second /refresh while one runs joins it: one reload, both moderators get its report", async () => {
    const { library } = await countedLibrary();
    let reloads = 0;
    let finish: () => void = () => undefined;
    let running: Promise<Awaited<ReturnType<Library["refresh"]>>> | undefined;
    // The Library's contract (concurrent calls share one reload), with a reload that ends when the test says so.
    const gated: CorpusSource = {
      get current() {
        return library.current;
      },
      ask: (question) => library.ask(question),
      skipped: [],
      get isRefreshing() {
        return running !== undefined;
      },
      refresh() {
        running ??= new Promise<void>((resolve) => {
          reloads++;
          finish = resolve;
        })
          .then(() => library.refresh())
          .finally(() => (running = undefined));
        return running;
      },
    };
    const { standIn: s } = await setup({ library: gated });
    const first = await slash(s, "refresh", {}, { roles: [s.moderatorRoleId] });
    const second = await slash(s, "refresh", {}, { userId: s.ownerId });
    expect(first.body.type).toBe(InteractionResponseType.DeferredChannelMessageWithSource);
    expect(second.body.type).toBe(InteractionResponseType.DeferredChannelMessageWithSource);
    await new Promise((resolve) => setTimeout(resolve, 50)); // both handlers are now waiting on the reload
    expect(reloads).toBe(1);
    finish();
    const edits = await Promise.all(
      [first, second].map((x) => {
        const token = s.state.interactions.get(x.id)!.payload.token;
        return s.waitForRequest((r) => r.route === EDIT_ORIGINAL && r.method === "PATCH" && r.params.token === token, 5000);
      }),
    );
    expect(edits.map((e) => e.body.embeds[0].title)).toEqual(["Corpus refreshed", "Corpus refreshed"]);
    expect(edits[0]!.body.content).toBeUndefined();
    expect(edits[1]!.body.content).toContain("already running when you asked");
    expect(reloads).toBe(1);
  });

  it("accepts a role from MODERATOR_ROLE_IDS; a failed refresh reports the error and the old corpus keeps serving", async () => {
    const corpus = copyCorpus();
    const library = await Library.open({ corpusDir: corpus, maxFileBytes: 5 * 1024 * 1024, maxQuestionChars: 500 });
    const { standIn: s } = await setup({ library, config: (si) => ({ moderatorRoleIds: [si.helperRoleId] }) });
    for (const f of readdirSync(corpus)) rmSync(join(corpus, f));
    // the Helper role has no Manage Server: only the configured role lets the member in
    const { body } = await slash(s, "refresh", {}, { roles: [s.helperRoleId] });
    expect(body.type).toBe(InteractionResponseType.DeferredChannelMessageWithSource);
    const edit = await s.waitForRequest((r) => r.route === EDIT_ORIGINAL && r.method === "PATCH");
    const embed = edit.body.embeds[0];
    expect(embed.title).toBe("Refresh failed");
    expect(embed.description).toContain("no usable");
    expect(embed.description).not.toMatch(/\n\s+at /);
    expect(embed.description).toContain("the previous corpus (3 documents,");
    const answer = await slash(s, "ask", { question: "What did the Ministry of Defence blame for the leak?" });
    expect(readable(answer.body.data.embeds[0].description).toLowerCase()).toContain("non-secure data line");
  });

  it("at start-up, warns when the registered /refresh does not match MODERATOR_ROLE_IDS, or is not registered", async () => {
    const warnings = async (s: DiscordStandIn): Promise<string[]> => {
      await s.waitForRequest((r) => r.method === "GET" && r.path === `/applications/${s.applicationId}/guilds/${s.guildId}/commands`);
      await new Promise((resolve) => setTimeout(resolve, 100));
      return logLines.map((l) => JSON.parse(l) as { level: number; msg: string }).filter((l) => l.level === 40 && l.msg.includes("/refresh")).map((l) => l.msg);
    };
    // registered before MODERATOR_ROLE_IDS was set
    let { standIn: s } = await setup({ config: (si) => ({ moderatorRoleIds: [si.helperRoleId] }), register: { moderatorRoleIds: [] } });
    expect(await warnings(s)).toEqual([expect.stringMatching(/MODERATOR_ROLE_IDS role never see it: run `npm run register`/)]);
    await bot?.stop();
    await s.close();
    // registered with roles that were removed since
    ({ standIn: s } = await setup({ register: { moderatorRoleIds: ["323456789012345678"] } }));
    expect(await warnings(s)).toEqual([expect.stringMatching(/without the Manage Server requirement.*run `npm run register`/)]);
    await bot?.stop();
    await s.close();
    ({ standIn: s } = await setup({ register: false }));
    expect(await warnings(s)).toEqual(["/refresh is not registered: run `npm run register`"]);
    await bot?.stop();
    await s.close();
    // matching: silent
    ({ standIn: s } = await setup({ config: (si) => ({ moderatorRoleIds: [si.helperRoleId] }) }));
    expect(await warnings(s)).toEqual([]);
  });

  it("the registration follows MODERATOR_ROLE_IDS; every other command is offered to everyone", () => {
    const without = commandDefinitions({ moderatorRoleIds: [] });
    const withRoles = commandDefinitions({ moderatorRoleIds: ["323456789012345678"] });
    expect(without.find((c) => c.name === "refresh")?.default_member_permissions).toBe(PermissionFlagsBits.ManageGuild.toString());
    expect(withRoles.find((c) => c.name === "refresh")?.default_member_permissions ?? null).toBeNull();
    // /stats and /corpus follow the same rule; /settings stays with Manage Server; the rest are offered to everyone.
    for (const name of ["stats", "corpus"]) {
      expect(without.find((c) => c.name === name)?.default_member_permissions).toBe(PermissionFlagsBits.ManageGuild.toString());
      expect(withRoles.find((c) => c.name === name)?.default_member_permissions ?? null).toBeNull();
    }
    for (const c of [...without, ...withRoles].filter((c) => c.name === "settings")) expect(c.default_member_permissions).toBe(PermissionFlagsBits.ManageGuild.toString());
    for (const c of [...without, ...withRoles].filter((c) => !["refresh", "stats", "settings", "corpus"].includes(c.name))) expect(c.default_member_permissions ?? null).toBeNull();
    // otherwise the same command
    const strip = (c: Body) => ({ ...c, default_member_permissions: undefined });
    expect(strip(withRoles.find((c) => c.name === "refresh"))).toEqual(strip(without.find((c) => c.name === "refresh")));
    // the definition without settings is the one without MODERATOR_ROLE_IDS
    expect(commandsByName.get("refresh")?.data.toJSON()).toEqual(without.find((c) => c.name === "refresh"));
  });
});

describe("no pings, ever", () => {
  it("@everyone in a question or in a corpus file never reaches allowed_mentions or the text", async () => {
    const corpus = copyCorpus();
    writeFileSync(
      join(corpus, "012_pings.txt"),
      "@everyone The zeppelin hangar roof was painted <@&223456789012345678> crimson by @here volunteers <@123456789012345678>.\n",
    );
    const library = await Library.open({ corpusDir: corpus, maxFileBytes: 5 * 1024 * 1024, maxQuestionChars: 500 });
    const { standIn: s } = await setup({ library });
    const q = "@everyone what colour was the zeppelin hangar roof painted? <@&223456789012345678>";
    const slashReply = await slash(s, "ask", { question: q });
    const d: string = slashReply.body.data.embeds[0].description;
    expect(readable(d)).toContain("crimson");
    s.sendMessage(q, { mentionsBot: true });
    await s.waitForRequest((r) => r.method === "POST" && r.route === CHANNEL_MESSAGES);
    s.sendMessage(q, { dm: true });
    await s.waitForRequest((r) => r.method === "POST" && r.route === CHANNEL_MESSAGES && r.params.channelId !== s.channelId);

    expectNoPings(s);
    for (const r of messageWrites(s)) {
      const text = JSON.stringify(r.body);
      expect(text).not.toMatch(/@everyone|@here/);
      expect(text).not.toMatch(/<@&?\d+>/);
    }
    // and the bot's stored messages pinged nobody
    for (const m of s.messages.values()) {
      if (m.author.id !== s.botUser.id) continue;
      expect(m.mention_everyone).toBe(false);
      expect(m.mentions).toEqual([]);
      expect(m.mention_roles).toEqual([]);
    }
  });
});

describe("robustness", () => {
  it("resumes after the gateway connection drops and still answers", async () => {
    const { standIn: s } = await setup();
    const resumed = s.waitForEvent("resumed", 5000);
    s.dropConnection();
    await resumed;
    expect(s.stats.resumes).toBe(1);
    const { body } = await slash(s, "ask", { question: "What did the Ministry of Defence blame for the leak?" });
    expect(readable(body.data.embeds[0].description).toLowerCase()).toContain("non-secure data line");
    expect(logLines.join("")).toContain("gateway session resumed");
  });

  it("a failing handler is logged and the user gets a private apology; the bot keeps answering", async () => {
    let fail = true;
    const flaky: CorpusSource = {
      get current() {
        if (fail) throw new Error("index exploded");
        return shipped.current;
      },
      async ask(question) {
        if (fail) throw new Error("index exploded");
        return shipped.ask(question);
      },
      skipped: [],
      isRefreshing: false,
      refresh: () => shipped.refresh(),
    };
    const { standIn: s } = await setup({ library: flaky });
    const broken = await slash(s, "sources");
    expect(broken.body.data.flags & MessageFlags.Ephemeral).toBe(MessageFlags.Ephemeral);
    expect(broken.body.data.content).toContain("Sorry, something went wrong");
    expect(logLines.join("")).toContain("index exploded");
    fail = false;
    const ok = await slash(s, "sources");
    expect(ok.body.data.embeds[0].title).toBe("The documents I answer from");
  });

  it("a failure after deferring is apologised for with a follow-up", async () => {
    const broken: CorpusSource = {
      get current(): never {
        throw new Error("index gone");
      },
      ask: () => Promise.reject(new Error("index gone")),
      skipped: [],
      isRefreshing: false,
      refresh: () => Promise.reject(new Error("disk gone")),
    };
    const { standIn: s } = await setup({ library: broken });
    const { body } = await slash(s, "refresh", {}, { roles: [s.moderatorRoleId] });
    expect(body.type).toBe(InteractionResponseType.DeferredChannelMessageWithSource);
    const followUp = await s.waitForRequest((r) => r.method === "POST" && r.route === "/webhooks/:applicationId/:token");
    expect(followUp.body.content).toContain("Sorry, something went wrong");
    expect(followUp.body.flags & MessageFlags.Ephemeral).toBe(MessageFlags.Ephemeral);
    expect(logLines.join("")).toContain("index gone");
  });

  it("a wrong token fails start-up with a clear error instead of hanging", async () => {
    standIn = await startDiscordStandIn();
    const config: Config = { ...loadConfig({}), discordToken: "wrong.token.value", discordApiUrl: standIn.apiUrl, databasePath: ":memory:" };
    const logger = createLogger({ level: "silent" });
    await expect(startBot(config, shipped, logger, { readyTimeoutMs: 3000 })).rejects.toThrow(/invalid token/i);
  });

  it("never logs the token, even at trace level", async () => {
    const { standIn: s } = await setup({ logLevel: "trace" });
    await slash(s, "ask", { question: "How was the call intercepted?" });
    const logs = logLines.join("");
    expect(logs.length).toBeGreaterThan(1000);
    expect(logs).not.toContain(s.token);
    expect(logs).toContain("discord.com/api/v10/oauth2/authorize?client_id=");
  });

  it("logs the invite URL discord.js's generateInvite builds, on Discord's own authorization page even with DISCORD_API_URL set", async () => {
    const { standIn: s, bot: b } = await setup();
    const logged = logLines.map((l) => JSON.parse(l) as { msg: string; url?: string }).find((l) => l.msg.startsWith("invite URL"));
    const url = new URL(logged?.url ?? "");
    expect(url.origin).toBe("https://discord.com"); // not the stand-in at DISCORD_API_URL
    expect(url.searchParams.get("client_id")).toBe(s.applicationId);
    const generated = new URL(b.client.generateInvite({ scopes: [...INVITE_SCOPES], permissions: BOT_PERMISSIONS }));
    expect(generated.origin).toBe(new URL(s.apiUrl).origin); // why the bot does not call it: it builds on the REST base URL
    expect([...url.searchParams].sort()).toEqual([...generated.searchParams].sort());
    expect(url.toString()).toBe(inviteUrl(s.applicationId));
  });
});

describe("npm run register", () => {
  it("PUTs every command to the guild, /refresh with default_member_permissions Manage Server", async () => {
    standIn = await startDiscordStandIn();
    const s = standIn;
    const result = await registerCommands({ token: s.token, apiUrl: s.apiUrl, guildId: s.guildId, moderatorRoleIds: [] });
    expect(result).toMatchObject({ applicationId: s.applicationId, scope: "guild", commands: ["ask", "sources", "source", "help", "refresh", "settings", "stats", "corpus", "Find in sources", "Find in sources (ping author)"] });
    const put = s.requests.find((r) => r.method === "PUT");
    expect(put?.path).toBe(`/applications/${s.applicationId}/guilds/${s.guildId}/commands`);
    const registered = s.commands.guild;
    expect(registered.map((c) => c.name)).toEqual(["ask", "sources", "source", "help", "refresh", "settings", "stats", "corpus", "Find in sources", "Find in sources (ping author)"]);
    expect(registered.find((c) => c.name === "refresh")?.default_member_permissions).toBe("32");
    const ask = registered.find((c) => c.name === "ask");
    expect(ask?.options?.map((o) => o.name)).toEqual(["question", "private", "thread"]);
    const source = registered.find((c) => c.name === "source");
    expect(source?.options?.[0]).toMatchObject({ name: "name", autocomplete: true, required: true });
    // /corpus: moderators' permission like /refresh, an attachment option (type 11) for add, autocomplete for remove
    const corpus = registered.find((c) => c.name === "corpus");
    expect(corpus?.default_member_permissions).toBe("32");
    expect(corpus?.options?.map((o) => o.name)).toEqual(["add", "remove"]);
    const addOptions = (corpus?.options?.[0] as { options?: Array<{ name: string; type: number }> }).options;
    expect(addOptions?.map((o) => [o.name, o.type])).toEqual([["file", 11], ["title", 3], ["outlet", 3], ["author", 3], ["date", 3], ["url", 3], ["replace", 5]]);

    // global when no guild is given; an explicit application id skips GET /applications/@me
    const global = await registerCommands({ token: s.token, apiUrl: s.apiUrl, applicationId: s.applicationId, moderatorRoleIds: [] });
    expect(global.scope).toBe("global");
    expect(s.commands.global).toHaveLength(10);
    expect(s.requests.filter((r) => r.path === "/applications/@me")).toHaveLength(1);
    expect(s.unmatchedRequests).toEqual([]);
  });

  it("the script reads MODERATOR_ROLE_IDS from the environment like the bot, and a global /refresh then reaches role moderators", async () => {
    standIn = await startDiscordStandIn();
    const s = standIn;
    const cwd = mkdtempSync(join(tmpdir(), "lookout-register-")); // no .env here
    tmpDirs.push(cwd);
    const script = join(import.meta.dirname, "../../src/discord/register.ts");
    const TSX = join(import.meta.dirname, "../../node_modules/tsx/dist/cli.mjs"); // `npm run register` is `tsx src/discord/register.ts`
    const run = (env: Record<string, string>) =>
      new Promise<{ code: number | null; output: string }>((resolve, reject) => {
        const child = spawn(process.execPath, [TSX, script], {
          cwd,
          env: { PATH: process.env.PATH ?? "", DISCORD_TOKEN: s.token, DISCORD_API_URL: s.apiUrl, DISCORD_APPLICATION_ID: s.applicationId, ...env },
        });
        let output = "";
        child.stdout.on("data", (c: Buffer) => (output += c.toString()));
        child.stderr.on("data", (c: Buffer) => (output += c.toString()));
        child.on("error", reject);
        child.on("close", (code) => resolve({ code, output }));
      });

    const withRoles = await run({ MODERATOR_ROLE_IDS: s.helperRoleId });
    expect(withRoles.code, withRoles.output).toBe(0);
    expect(withRoles.output).toContain("/refresh is visible to every member");
    expect(s.commands.global.find((c) => c.name === "refresh")?.default_member_permissions).toBeNull();
    // a global command invoked in the guild: delivered to a Helper, who lacks Manage Server
    expect(s.state.undeliverableReason(s.slashCommand("refresh", {}, { roles: [s.helperRoleId] }))).toBeUndefined();

    const without = await run({});
    expect(without.code, without.output).toBe(0);
    expect(s.commands.global.find((c) => c.name === "refresh")?.default_member_permissions).toBe("32");
    expect(() => s.sendInteraction(s.slashCommand("refresh", {}, { roles: [s.helperRoleId] }))).toThrow(CommandNotDeliveredError);
  }, 30_000);
});
