/**
 * End to end, /corpus add and /corpus remove: the real bot (a real discord.js Client) against the loopback
 * stand-in, which delivers the attachment option as Discord does (data.resolved.attachments) and serves the
 * file's bytes at its url; a temporary corpus folder and cache folder.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ApplicationCommandOptionType, InteractionResponseType, MessageFlags, PermissionFlagsBits } from "discord.js";
import { afterEach, describe, expect, it } from "vitest";
import type { Config } from "../../src/config.js";
import { formatBytes } from "../../src/core/describe.js";
import { Library } from "../../src/corpus/library.js";
import { startBot, type BotHandle } from "../../src/discord/bot.js";
import { allCommandDefinitions } from "../../src/discord/commands/index.js";
import { createLogger } from "../../src/log.js";
import { CommandNotDeliveredError, startDiscordStandIn, type ActorOptions, type DiscordStandIn, type RecordedRequest, type SlashOptionsInput, type UploadOptions } from "../discord-stand-in/index.js";
import { botConfigFor } from "../discord-stand-in/bot-config.js";

const EDIT_ORIGINAL = "/webhooks/:applicationId/:token/messages/:messageId";
const CHANNEL_MESSAGES = "/channels/:channelId/messages";
const MOD: ActorOptions = { userId: "300000000000000001", memberPermissions: PermissionFlagsBits.ManageGuild | PermissionFlagsBits.SendMessages };
const MEMBER: ActorOptions = { userId: "300000000000000002" };

const BASE = {
  "lighthouse.txt":
    "The old lighthouse on the northern cape was built of granite in 1871.\nIts lamp was automated in 1954 and the keepers left the island.\nToday the tower is a museum open on summer weekends.\n",
};
const BRIDGE =
  "The Pelican Bridge opened to traffic in 1998 after four years of construction.\nIt spans the estuary with a main span of 420 metres.\nA toll was charged until the construction loan was repaid in 2012.\n";

/* eslint-disable @typescript-eslint/no-explicit-any -- recorded REST bodies are untyped JSON */
type Body = any;

const teardown: Array<() => unknown> = [];
afterEach(async () => {
  for (const undo of teardown.splice(0).reverse()) await undo();
});

function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  teardown.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

interface Setup {
  s: DiscordStandIn;
  bot: BotHandle;
  corpusDir: string;
  cacheDir: string;
  library: Library;
  logLines: string[];
  modLogChannelId: string;
}

async function setup(config: Partial<Config> = {}): Promise<Setup> {
  const corpusDir = tempDir("lookout-corpus-");
  for (const [name, text] of Object.entries(BASE)) writeFileSync(join(corpusDir, name), text);
  const cacheDir = join(tempDir("lookout-cache-"), ".cache");
  const library = await Library.open({ corpusDir, maxFileBytes: 5 * 1024 * 1024, maxQuestionChars: 500 });
  const s = await startDiscordStandIn({ channelNames: ["general", "mod-log"] });
  teardown.push(() => s.close());
  const logLines: string[] = [];
  const logger = createLogger({ level: "debug" }, { write: (line: string) => void logLines.push(line) });
  const modLogChannelId = s.channelIds[1]!;
  const bot = await startBot(
    botConfigFor(s, { corpusDir, cacheDir, maxUploadBytes: 4096, modLogChannelId, ...config }),
    library,
    logger,
    { readyTimeoutMs: 5000 },
  );
  teardown.push(() => bot.stop());
  return { s, bot, corpusDir, cacheDir, library, logLines, modLogChannelId };
}

type Opt = { name: string; type: ApplicationCommandOptionType; value: string | number | boolean };

function sub(name: string, options: Opt[] = []): SlashOptionsInput {
  return [{ type: ApplicationCommandOptionType.Subcommand, name, options }] as SlashOptionsInput;
}

const str = (name: string, value: string): Opt => ({ name, type: ApplicationCommandOptionType.String, value });
const bool = (name: string, value: boolean): Opt => ({ name, type: ApplicationCommandOptionType.Boolean, value });

function editOf(s: DiscordStandIn, interactionId: string): Promise<RecordedRequest> {
  const token = s.state.interactions.get(interactionId)?.payload.token;
  return s.waitForRequest((r) => r.route === EDIT_ORIGINAL && r.method === "PATCH" && r.params.token === token, 10_000);
}

/** /corpus add with a file attached (served by the stand-in); the deferred reply's final edit. */
async function add(s: DiscordStandIn, filename: string, content: string | Uint8Array, extra: Opt[] = [], actor: ActorOptions = MOD, upload: UploadOptions = {}) {
  const file = s.upload(filename, content, upload);
  const { d } = s.sendInteraction(s.slashCommand("corpus", sub("add", [{ name: "file", type: ApplicationCommandOptionType.Attachment, value: file.id }, ...extra]), actor));
  const callback = await s.waitForInteractionResponse(d.id, 5000);
  if (callback.body.type !== InteractionResponseType.DeferredChannelMessageWithSource) return { callback: callback.body as Body, edit: undefined, file };
  expect(callback.body.data.flags & MessageFlags.Ephemeral).toBe(MessageFlags.Ephemeral);
  const edit = (await editOf(s, d.id)).body as Body;
  expect(edit.allowed_mentions).toEqual({ parse: [], replied_user: false });
  return { callback: callback.body as Body, edit, file };
}

async function remove(s: DiscordStandIn, name: string, actor: ActorOptions = MOD) {
  const { d } = s.sendInteraction(s.slashCommand("corpus", sub("remove", [str("name", name)]), actor));
  const callback = await s.waitForInteractionResponse(d.id, 5000);
  if (callback.body.type !== InteractionResponseType.DeferredChannelMessageWithSource) return { callback: callback.body as Body, edit: undefined };
  return { callback: callback.body as Body, edit: (await editOf(s, d.id)).body as Body };
}

async function ask(s: DiscordStandIn, question: string): Promise<Body> {
  const { d } = s.sendInteraction(s.slashCommand("ask", { question }, MEMBER));
  return (await s.waitForInteractionResponse(d.id, 5000)).body.data;
}

/** Markdown escapes taken out (file names in replies are escaped). */
const readable = (text: string) => text.replace(/\\(.)/g, "$1");

/** The corpus folder's entries (hidden temporary files would show here too). */
const listing = (dir: string) => readdirSync(dir).sort();

describe("/corpus add", () => {
  it("adds a .txt file; a moment later it answers from it, and the reply reports the refresh", async () => {
    const { s, corpusDir } = await setup();
    const { edit } = await add(s, "pelican-bridge.txt", BRIDGE);
    expect(edit.content).toContain("Corpus: added pelican-bridge.txt");
    expect(edit.embeds[0].title).toBe("Corpus refreshed");
    expect(edit.embeds[0].description).toContain("**Documents:** 2 (1 added, 0 changed, 0 removed)");
    expect(readFileSync(join(corpusDir, "pelican-bridge.txt"), "utf8")).toBe(BRIDGE);
    expect(listing(corpusDir)).toEqual(["lighthouse.txt", "pelican-bridge.txt"]);
    const answer = await ask(s, "When did the Pelican Bridge open to traffic?");
    expect(answer.embeds[0].description).toContain("1998");
    expect(answer.embeds[0].description).toContain("Pelican bridge");
    expect(s.attachments.downloads).toHaveLength(1);
    expect(s.unmatchedRequests).toEqual([]);
  });

  it("puts the metadata options into sources.json, so the citation shows the title and outlet", async () => {
    const { s, corpusDir } = await setup();
    writeFileSync(join(corpusDir, "sources.json"), JSON.stringify({ "lighthouse.txt": { outlet: "Cape Gazette" } }));
    const { edit } = await add(s, "bridge.txt", BRIDGE, [str("title", "Bridge history"), str("outlet", "Estuary News"), str("date", "2024-05-01"), str("url", "https://example.org/bridge")]);
    expect(edit.content).toContain("title, outlet, date, url in sources.json");
    expect(JSON.parse(readFileSync(join(corpusDir, "sources.json"), "utf8"))).toEqual({
      "lighthouse.txt": { outlet: "Cape Gazette" },
      "bridge.txt": { title: "Bridge history", outlet: "Estuary News", date: "2024-05-01", url: "https://example.org/bridge" },
    });
    const answer = await ask(s, "How long is the main span of the Pelican Bridge?");
    expect(answer.embeds[0].description).toContain("*Bridge history* — Estuary News");
    expect(answer.embeds[0].description).toContain("https://example.org/bridge");
    expect(listing(corpusDir)).toEqual(["bridge.txt", "lighthouse.txt", "sources.json"]);
  });

  it("refuses a broken sources.json instead of overwriting it, and changes nothing", async () => {
    const { s, corpusDir } = await setup();
    writeFileSync(join(corpusDir, "sources.json"), "{ not json");
    const { edit } = await add(s, "bridge.txt", BRIDGE, [str("title", "Bridge history")]);
    expect(edit.content).toMatch(/^Not changed: sources\.json in the corpus folder is not valid/);
    expect(readFileSync(join(corpusDir, "sources.json"), "utf8")).toBe("{ not json");
    expect(listing(corpusDir)).toEqual(["lighthouse.txt", "sources.json"]);
  });

  it("writes hostile names only inside the corpus folder, under a safe name, or refuses them", async () => {
    const { s, corpusDir } = await setup();
    const parent = join(corpusDir, "..");
    const before = listing(parent);
    const cases: Array<[string, string | null]> = [
      ["../x.txt", "x.txt"],
      ["/etc/y.txt", "y.txt"],
      ["C:\\z.txt", "z.txt"],
      ["con.txt", "con_.txt"],
      [".hidden.txt", "hidden.txt"],
      ["nu\u0000l.txt", "nul_.txt"],
      ["..", null],
      [".txt", null],
    ];
    for (const [raw, expected] of cases) {
      const { edit } = await add(s, raw, `A note called ${expected ?? "nothing"} about the harbour ferry timetable.\n`);
      if (expected === null) expect(edit.content, raw).toMatch(/^Not changed: /);
      else expect(readable(edit.content), raw).toContain(`Corpus: added ${expected}`);
    }
    expect(listing(corpusDir)).toEqual(["con_.txt", "hidden.txt", "lighthouse.txt", "nul_.txt", "x.txt", "y.txt", "z.txt"]);
    expect(listing(parent)).toEqual(before);
    expect(existsSync("/etc/y.txt")).toBe(false);
  });

  it("refuses a file type the loader does not read, and changes nothing", async () => {
    const { s, corpusDir } = await setup();
    for (const name of ["script.exe", "image.png", "README", "notes.txt.exe"]) {
      const { edit } = await add(s, name, "whatever");
      expect(edit.content).toMatch(/^Not changed: .*only \.txt \.md \.markdown \.html \.htm \.pdf \.docx files can be added/);
    }
    expect(listing(corpusDir)).toEqual(["lighthouse.txt"]);
    expect(s.attachments.downloads).toEqual([]); // refused before downloading
  });

  it("refuses a file over MAX_UPLOAD_BYTES by its declared size, and by the bytes that actually arrive", async () => {
    const { s, corpusDir } = await setup({ maxUploadBytes: 4096 });
    const big = "The ferry leaves at nine. ".repeat(200); // 5,200 bytes
    const declared = await add(s, "big.txt", big);
    expect(declared.edit.content).toMatch(/^Not changed: “big\.txt” is 5\.1 kB, larger than the limit \(4\.0 kB, MAX_UPLOAD_BYTES\)/);
    expect(s.attachments.downloads).toEqual([]);
    // It claims 100 bytes, and is served without a Content-Length: only counting while streaming catches it.
    const lying = await add(s, "lying.txt", big, [], MOD, { declaredSize: 100, chunked: 512 });
    expect(lying.edit.content).toMatch(/^Not changed: “lying\.txt”: the file is larger than the limit \(4\.0 kB, MAX_UPLOAD_BYTES\)/);
    // It claims 100 bytes, and its Content-Length says more.
    const header = await add(s, "header.txt", big, [], MOD, { declaredSize: 100 });
    expect(header.edit.content).toMatch(/^Not changed: “header\.txt”: the file is larger than the limit/);
    expect(s.attachments.downloads).toHaveLength(2);
    expect(listing(corpusDir)).toEqual(["lighthouse.txt"]);
  });

  it("refuses what the loader would skip, with the reader's reason: invalid UTF-8, NUL bytes, an empty file, a fake PDF", async () => {
    const { s, corpusDir } = await setup();
    const cases: Array<[string, Uint8Array | string, RegExp]> = [
      ["latin1.txt", Buffer.from([0x43, 0x61, 0x66, 0xe9, 0x20, 0x6e, 0x6f, 0x69, 0x72, 0x0a]), /not valid UTF-8 text; save it as UTF-8/],
      ["binary.md", Buffer.from("abc\u0000def"), /binary \(contains NUL bytes\)/],
      ["empty.txt", "   \n", /empty/],
      ["fake.pdf", "just text", /not a PDF \(no %PDF header\)/],
    ];
    for (const [name, bytes, reason] of cases) {
      const { edit } = await add(s, name, bytes);
      expect(edit.content, name).toMatch(/^Not changed: “.+” cannot be used: /);
      expect(edit.content, name).toMatch(reason);
    }
    expect(listing(corpusDir)).toEqual(["lighthouse.txt"]);
  });

  it("never overwrites an existing file without replace:True; with it, replaces the file", async () => {
    const { s, corpusDir } = await setup();
    const refused = await add(s, "lighthouse.txt", BRIDGE);
    expect(refused.edit.content).toContain("Not changed: “lighthouse.txt” is already in the corpus; add it again with replace:True");
    expect(readFileSync(join(corpusDir, "lighthouse.txt"), "utf8")).toBe(BASE["lighthouse.txt"]);
    const replaced = await add(s, "lighthouse.txt", BRIDGE, [bool("replace", true)]);
    expect(replaced.edit.content).toContain("Corpus: replaced lighthouse.txt");
    expect(replaced.edit.embeds[0].description).toContain("(0 added, 1 changed, 0 removed)");
    expect(readFileSync(join(corpusDir, "lighthouse.txt"), "utf8")).toBe(BRIDGE);
    expect(listing(corpusDir)).toEqual(["lighthouse.txt"]);
    expect((await ask(s, "When did the Pelican Bridge open to traffic?")).embeds[0].description).toContain("1998");
  });

  it("refuses a member without permission, privately, without downloading anything", async () => {
    const { s, corpusDir } = await setup();
    const { callback } = await add(s, "bridge.txt", BRIDGE, [], MEMBER);
    expect(callback.type).toBe(InteractionResponseType.ChannelMessageWithSource);
    expect(callback.data.flags & MessageFlags.Ephemeral).toBe(MessageFlags.Ephemeral);
    expect(callback.data.content).toContain("Only moderators");
    expect(callback.data.allowed_mentions).toEqual({ parse: [], replied_user: false });
    expect(s.attachments.downloads).toEqual([]);
    expect(listing(corpusDir)).toEqual(["lighthouse.txt"]);
  });

  it("logs each change (who, what, when) and notes it in the mod-log channel", async () => {
    const { s, logLines, modLogChannelId } = await setup();
    await add(s, "bridge.txt", BRIDGE);
    const post = await s.waitForRequest((r) => r.route === CHANNEL_MESSAGES && r.method === "POST" && r.params.channelId === modLogChannelId, 5000);
    expect(post.body.content).toBe(`📄 <@${MOD.userId}> added **bridge.txt** in the corpus (${formatBytes(Buffer.byteLength(BRIDGE))}).`);
    expect(post.body.allowed_mentions).toEqual({ parse: [] });
    const logged = logLines.map((l) => JSON.parse(l)).find((l) => l.msg === "corpus changed");
    expect(logged).toMatchObject({ user: MOD.userId, action: "add", id: "bridge.txt", replaced: false });
    expect(Date.parse(logged.at)).toBeGreaterThan(Date.now() - 60_000);
  });
});

describe("/corpus remove", () => {
  it("moves the file to the trash in CACHE_DIR and drops its sources.json entry; the document is no longer answered", async () => {
    const { s, corpusDir, cacheDir, logLines, modLogChannelId } = await setup();
    await add(s, "bridge.txt", BRIDGE, [str("title", "Bridge history")]);
    expect((await ask(s, "When did the Pelican Bridge open to traffic?")).embeds[0].description).toContain("1998");
    // Autocomplete inside a subcommand, as Discord sends it: the focused option within the subcommand's options.
    const typing = s.autocomplete("corpus", "name", "brid", MOD);
    const focused = typing.data.options;
    const { d } = s.sendInteraction({ ...typing, data: { ...typing.data, options: [{ type: ApplicationCommandOptionType.Subcommand, name: "remove", options: focused }] } } as typeof typing);
    const choices = (await s.waitForInteractionResponse(d.id)).body.data.choices;
    expect(choices).toEqual([{ name: "Bridge history (bridge.txt)", value: "bridge.txt" }]);

    const { edit } = await remove(s, "bridge.txt");
    expect(edit.content).toContain("Corpus: removed bridge.txt (moved to the trash folder, not deleted). Its sources.json entry was dropped.");
    expect(edit.embeds[0].description).toContain("(0 added, 0 changed, 1 removed)");
    expect(listing(corpusDir)).toEqual(["lighthouse.txt", "sources.json"]);
    expect(JSON.parse(readFileSync(join(corpusDir, "sources.json"), "utf8"))).toEqual({});
    const trashed = readdirSync(join(cacheDir, "trash"));
    expect(trashed).toHaveLength(1);
    expect(trashed[0]).toMatch(/^\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d-\d{3}Z-bridge\.txt$/);
    expect(readFileSync(join(cacheDir, "trash", trashed[0]!), "utf8")).toBe(BRIDGE);
    const after = await ask(s, "When did the Pelican Bridge open to traffic?");
    expect(JSON.stringify(after)).not.toContain("1998");
    const post = await s.waitForRequest((r) => r.route === CHANNEL_MESSAGES && r.method === "POST" && r.params.channelId === modLogChannelId && /removed/.test(r.body.content), 5000);
    expect(post.body.content).toBe(`🗑️ <@${MOD.userId}> removed **bridge.txt** from the corpus (kept in the trash folder).`);
    expect(logLines.map((l) => JSON.parse(l)).find((l) => l.msg === "corpus changed" && l.action === "remove")).toMatchObject({ user: MOD.userId, id: "bridge.txt" });
  });

  it("refuses members without permission, and a name that is no document", async () => {
    const { s, corpusDir } = await setup();
    const refused = await remove(s, "lighthouse.txt", MEMBER);
    expect(refused.callback.data.content).toContain("Only moderators");
    const unknown = await remove(s, "nothing-like-this.txt");
    expect(unknown.edit.content).toContain("No document is called");
    expect(listing(corpusDir)).toEqual(["lighthouse.txt"]);
  });

  it("reports a failed refresh (removing the last document): the old corpus keeps serving", async () => {
    const { s } = await setup();
    const { edit } = await remove(s, "lighthouse.txt");
    expect(edit.content).toContain("the refresh failed, so the previous corpus keeps answering");
    expect(edit.embeds[0].title).toBe("Refresh failed");
    expect((await ask(s, "When was the lighthouse built?")).embeds[0].description).toContain("1871");
  });
});

describe("/corpus registration", () => {
  it("is registered through the command list with the moderators' permission, like /refresh", async () => {
    const defs = allCommandDefinitions({ moderatorRoleIds: [] });
    const corpus = defs.find((c) => c.name === "corpus")!;
    const refresh = defs.find((c) => c.name === "refresh")!;
    expect(corpus.default_member_permissions).toBe(refresh.default_member_permissions);
    expect(allCommandDefinitions({ moderatorRoleIds: ["523456789012345678"] }).find((c) => c.name === "corpus")!.default_member_permissions).toBeNull();
    const { s } = await setup();
    s.state.guildCommands.set(s.guildId, defs.map((d, i) => ({ ...d, id: String(900000000000000000n + BigInt(i)), application_id: s.applicationId, guild_id: s.guildId, version: "1" }) as never));
    expect(() => s.sendInteraction(s.slashCommand("corpus", sub("remove", [str("name", "x")]), MEMBER))).toThrow(CommandNotDeliveredError);
  });
});
