/**
 * End to end, a long refresh's progress in Discord: the real bot (a real discord.js Client) against the loopback
 * stand-in; a temporary corpus large enough that building it takes a while (about 10,000 sentences), and the
 * progress edits made every 50 ms instead of every 3 s (StartBotOptions.progressEditMs), so that a build of a
 * second or less shows several. The edits are PATCHes of the original interaction response, as on Discord.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ApplicationCommandOptionType, InteractionResponseType, PermissionFlagsBits } from "discord.js";
import { afterEach, describe, expect, it } from "vitest";
import { Library } from "../../src/corpus/library.js";
import { startBot } from "../../src/discord/bot.js";
import { createLogger } from "../../src/log.js";
import { generatedDocument } from "../generated-text.js";
import { snowflake, startDiscordStandIn, type ActorOptions, type DiscordStandIn, type RecordedRequest } from "../discord-stand-in/index.js";
import { botConfigFor } from "../discord-stand-in/bot-config.js";

const EDIT_ORIGINAL = "/webhooks/:applicationId/:token/messages/:messageId";
const MOD: ActorOptions = { userId: "300000000000000001", memberPermissions: PermissionFlagsBits.ManageGuild | PermissionFlagsBits.SendMessages };
const DOCUMENTS = 100;

const teardown: Array<() => unknown> = [];
afterEach(async () => {
  for (const undo of teardown.splice(0).reverse()) await undo();
});

async function setup() {
  const corpusDir = mkdtempSync(join(tmpdir(), "lookout-progress-"));
  teardown.push(() => rmSync(corpusDir, { recursive: true, force: true }));
  writeFileSync(join(corpusDir, "000-first.txt"), generatedDocument(1000, 10));
  const cacheDir = join(corpusDir, "..", `${corpusDir.split("/").at(-1)}-cache`);
  teardown.push(() => rmSync(cacheDir, { recursive: true, force: true }));
  const library = await Library.open({ corpusDir, maxFileBytes: 5 * 1024 * 1024, maxQuestionChars: 500 });
  // Written after the library opened: a refresh reads and analyses only new and changed files, so these make it long.
  for (let d = 0; d < DOCUMENTS; d++) writeFileSync(join(corpusDir, `generated-${String(d).padStart(3, "0")}.txt`), generatedDocument(d, 100));
  const s = await startDiscordStandIn({ channelNames: ["general"] });
  teardown.push(() => s.close());
  const logLines: string[] = [];
  const logger = createLogger({ level: "debug" }, { write: (line: string) => void logLines.push(line) });
  const config = botConfigFor(s, { corpusDir, cacheDir, maxUploadBytes: 4096 });
  const bot = await startBot(config, library, logger, { readyTimeoutMs: 5000, progressEditMs: 50 });
  teardown.push(() => bot.stop());
  return { s, corpusDir, logLines };
}

/* eslint-disable @typescript-eslint/no-explicit-any -- recorded REST bodies are untyped JSON */
type Body = any;

/** Every edit of the interaction's original response up to the one with the final report, and any made after it (within 500 ms). */
async function editsUntilReport(s: DiscordStandIn, interactionId: string): Promise<{ before: Body[]; report: Body; after: Body[] }> {
  const token = s.state.interactions.get(interactionId)!.payload.token;
  const isEdit = (r: RecordedRequest) => r.route === EDIT_ORIGINAL && r.method === "PATCH" && r.params.token === token && r.params.messageId === "@original";
  await s.waitForRequest((r) => isEdit(r) && (r.body as Body).embeds?.length > 0, 30_000);
  await new Promise((resolve) => setTimeout(resolve, 500));
  const edits = s.requests.filter(isEdit).map((r) => r.body as Body);
  const at = edits.findIndex((e) => e.embeds?.length > 0);
  return { before: edits.slice(0, at), report: edits[at], after: edits.slice(at + 1) };
}

const PROGRESS = new RegExp(`^Refreshing… (reading \\d+/${DOCUMENTS + 1} documents|analysing \\d+/${DOCUMENTS + 1} documents, [\\d,]+ sentences|indexing [\\d,]+ sentences)`);

describe("a long refresh shows its progress in the deferred reply", () => {
  it("/refresh: the reply is edited with the build's progress, then replaced by the report", async () => {
    const { s, corpusDir } = await setup();
    writeFileSync(join(corpusDir, "zz-new.txt"), generatedDocument(999, 100));
    const { d } = s.sendInteraction(s.slashCommand("refresh", {}, MOD));
    expect((await s.waitForInteractionResponse(d.id, 5000)).body.type).toBe(InteractionResponseType.DeferredChannelMessageWithSource);
    const { before, report, after } = await editsUntilReport(s, d.id);

    expect(before.length).toBeGreaterThanOrEqual(1);
    for (const edit of before) {
      expect(edit.content).toMatch(PROGRESS);
      expect(edit.embeds).toEqual([]);
      expect(edit.allowed_mentions).toEqual({ parse: [], replied_user: false });
    }
    expect(report.embeds[0].title).toBe("Corpus refreshed");
    expect(report.embeds[0].description).toContain(`**Documents:** ${DOCUMENTS + 2} (${DOCUMENTS + 1} added, 0 changed, 0 removed)`);
    expect(report.content).toBe(""); // the progress line is gone
    expect(after).toEqual([]); // no progress edit lands over the report
    expect(s.unmatchedRequests).toEqual([]);
  }, 60_000);

  it("/corpus add: the progress follows what was added, and a failed progress edit does not stop the refresh or its report", async () => {
    const { s, logLines } = await setup();
    // Discord refuses the first edit (as it would a stale token): the bot logs it and carries on.
    s.respondOnce((r) => r.route === EDIT_ORIGINAL && r.method === "PATCH", { status: 404, body: { code: 10015, message: "Unknown Webhook" } });
    const file = s.upload("pelican-bridge.txt", "The Pelican Bridge opened to traffic in 1998 after four years of construction.\n");
    const option = { name: "file", type: ApplicationCommandOptionType.Attachment, value: file.id };
    const { d } = s.sendInteraction(s.slashCommand("corpus", [{ type: ApplicationCommandOptionType.Subcommand, name: "add", options: [option] }] as never, MOD));
    expect((await s.waitForInteractionResponse(d.id, 5000)).body.type).toBe(InteractionResponseType.DeferredChannelMessageWithSource);
    const { before, report, after } = await editsUntilReport(s, d.id);

    expect(before.length).toBeGreaterThanOrEqual(2); // the refused one, and at least one more
    for (const edit of before) {
      const [done, progress] = edit.content.split("\n");
      expect(done).toBe("Corpus: added pelican-bridge.txt (79 B).");
      expect(progress).toMatch(PROGRESS);
    }
    expect(logLines.some((l) => l.includes("could not show the refresh's progress"))).toBe(true);
    expect(report.content).toBe("Corpus: added pelican-bridge.txt (79 B).");
    expect(report.embeds[0].description).toContain(`**Documents:** ${DOCUMENTS + 2} (${DOCUMENTS + 1} added, 0 changed, 0 removed)`);
    expect(after).toEqual([]);
  }, 60_000);

  it("gives up progress edits after three failed ones in a row, and still sends the report", async () => {
    const { s, corpusDir, logLines } = await setup();
    // A build long enough for many more 50 ms ticks than the three refused edits, even on a fast machine.
    for (let d = 0; d < 3 * DOCUMENTS; d++) writeFileSync(join(corpusDir, `zz-more-${String(d).padStart(3, "0")}.txt`), generatedDocument(2000 + d, 100));
    for (let i = 0; i < 3; i++) s.respondOnce((r) => r.route === EDIT_ORIGINAL && r.method === "PATCH", { status: 404, body: { code: 10008, message: "Unknown Message" } });
    const { d } = s.sendInteraction(s.slashCommand("refresh", {}, MOD));
    expect((await s.waitForInteractionResponse(d.id, 5000)).body.type).toBe(InteractionResponseType.DeferredChannelMessageWithSource);
    const { before, report } = await editsUntilReport(s, d.id);
    expect(before).toHaveLength(3); // each refused; none after the third, though the build ran on for many more 50 ms ticks
    expect(logLines.filter((l) => l.includes("no more progress edits"))).toHaveLength(1);
    expect(report.embeds[0].title).toBe("Corpus refreshed");
  }, 60_000);

  it("makes no progress edit once the interaction's 15-minute token is about to expire, and still sends the report", async () => {
    const { s, corpusDir } = await setup();
    writeFileSync(join(corpusDir, "zz-new.txt"), generatedDocument(999, 100));
    // An interaction made 14½ minutes ago (its id tells discord.js when), answered now.
    const old = { ...s.slashCommand("refresh", {}, MOD), id: snowflake(Date.now() - 14.5 * 60_000) };
    const { d } = s.sendInteraction(old);
    expect((await s.waitForInteractionResponse(d.id, 5000)).body.type).toBe(InteractionResponseType.DeferredChannelMessageWithSource);
    const { before, report } = await editsUntilReport(s, d.id);
    expect(before).toEqual([]);
    expect(report.embeds[0].title).toBe("Corpus refreshed");
    expect(report.content).toBeUndefined(); // nothing to replace
  }, 60_000);
});
