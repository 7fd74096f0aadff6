/**
 * End to end, `npm run start:sharded`'s entry (src/sharded.ts) as a real process: discord.js's ShardingManager
 * forks two real shard processes (src/index.ts) that connect to the loopback stand-in, which routes each guild's
 * events to its shard as Discord does. Two guilds on different shards; a corpus folder changed on disk; /refresh
 * in one guild reaches both shards; a killed shard is reported, and the other keeps answering.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { InteractionResponseType, PermissionFlagsBits } from "discord.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { shardOf, startDiscordStandIn, type ActorOptions, type DiscordStandIn } from "../discord-stand-in/index.js";

const REPO = join(import.meta.dirname, "..", "..");
const EDIT_ORIGINAL = "/webhooks/:applicationId/:token/messages/:messageId";
const MOD: ActorOptions = { userId: "300000000000000001", memberPermissions: PermissionFlagsBits.ManageGuild | PermissionFlagsBits.SendMessages };

const LIGHTHOUSE = "The old lighthouse on the northern cape was built of granite in 1871.\nIts lamp was automated in 1954 and the keepers left the island.\nToday the tower is a museum open on summer weekends.\n";
const BRIDGE = "The Pelican Bridge opened to traffic in 1998 after four years of construction.\nIt spans the estuary with a main span of 420 metres.\nA toll was charged until the construction loan was repaid in 2012.\n";

/* eslint-disable @typescript-eslint/no-explicit-any -- recorded REST bodies are untyped JSON */
type Body = any;

let s: DiscordStandIn;
let manager: ChildProcess;
let guildB: { guildId: string; channelId: string };
let corpusDir: string;
let work: string;
/** Every JSON log line the manager and its shards wrote (the shards share the manager's stdout). */
const lines: Array<Record<string, unknown>> = [];
let output = "";

beforeAll(async () => {
  // Two shards recommended by GET /gateway/bot (SHARD_COUNT is left at auto); max_concurrency 2 lets both start at once.
  s = await startDiscordStandIn({ recommendedShards: 2, maxConcurrency: 2 });
  guildB = s.addGuild("Second Guild");
  work = mkdtempSync(join(tmpdir(), "lookout-shards-"));
  corpusDir = join(work, "corpus");
  rmSync(corpusDir, { recursive: true, force: true });
  await import("node:fs/promises").then((fs) => fs.mkdir(corpusDir));
  writeFileSync(join(corpusDir, "lighthouse.txt"), LIGHTHOUSE);
  manager = spawn(process.execPath, ["--import", "tsx", "src/sharded.ts"], {
    cwd: REPO,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      DISCORD_TOKEN: s.token,
      DISCORD_API_URL: s.apiUrl,
      CORPUS_DIR: corpusDir,
      CACHE_DIR: join(work, "cache"),
      DATABASE_PATH: join(work, "data", "lookout.db"),
      SEMANTIC: "off",
      COOLDOWN_SECONDS: "0",
      SHARD_RESPAWN: "off",
      LOG_LEVEL: "info",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let pending = "";
  manager.stdout!.on("data", (chunk: Buffer) => {
    pending += chunk.toString();
    const parts = pending.split("\n");
    pending = parts.pop() ?? "";
    for (const part of parts) {
      output += `${part}\n`;
      try {
        lines.push(JSON.parse(part) as Record<string, unknown>);
      } catch {
        // not a log line
      }
    }
  });
  manager.stderr!.on("data", (chunk: Buffer) => void (output += chunk.toString()));
  await waitFor(() => lines.some((l) => l.msg === "every shard is connected"), 90_000, "both shards connected");
}, 120_000);

afterAll(async () => {
  if (manager !== undefined && manager.exitCode === null) {
    const exited = new Promise((resolve) => manager.once("exit", resolve));
    manager.kill("SIGTERM");
    await exited;
  }
  await s?.close();
  rmSync(work, { recursive: true, force: true });
}, 30_000);

async function waitFor(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > until || manager.exitCode !== null) throw new Error(`${what}: not within ${timeoutMs} ms (manager exit ${manager.exitCode}); output:\n${output.slice(-4000)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** /ask in a guild: the shard the stand-in delivered it to, and the reply's text. */
async function ask(question: string, guildId?: string): Promise<{ shard: number | undefined; text: string }> {
  const sent = s.sendInteraction(s.slashCommand("ask", { question }, { userId: "300000000000000002", ...(guildId === undefined ? {} : { guildId }) }));
  const callback = await s.waitForInteractionResponse(sent.d.id, 10_000);
  return { shard: sent.shard, text: JSON.stringify(callback.body.data) };
}

/** /refresh by a moderator in the main guild; the deferred reply's final edit. */
async function refresh(): Promise<{ shard: number | undefined; edit: Body }> {
  const sent = s.sendInteraction(s.slashCommand("refresh", {}, MOD));
  const callback = await s.waitForInteractionResponse(sent.d.id, 10_000);
  expect(callback.body.type).toBe(InteractionResponseType.DeferredChannelMessageWithSource);
  const token = sent.d.token;
  const edit = await s.waitForRequest((r) => r.route === EDIT_ORIGINAL && r.method === "PATCH" && r.params.token === token, 30_000);
  return { shard: sent.shard, edit: edit.body };
}

const shardsEmbed = (edit: Body): { title: string; description: string } => edit.embeds.find((e: Body) => String(e.title).startsWith("Shards:"));
const readable = (text: string) => text.replace(/\\(.)/g, "$1");

describe("npm run start:sharded: two shard processes against the stand-in", () => {
  it("starts Discord's recommended two shards, each with its own guild, every log line naming its shard", () => {
    expect(shardOf(s.guildId, 2)).toBe(0);
    expect(shardOf(guildB.guildId, 2)).toBe(1);
    expect(s.connectedShards).toEqual([0, 1]);
    const loaded = lines.filter((l) => l.msg === "corpus loaded");
    expect(loaded.map((l) => l.shard).sort()).toEqual([0, 1]);
    expect(new Set(loaded.map((l) => l.pid)).size).toBe(2); // two processes
    const connected = lines.filter((l) => l.msg === "connected to Discord");
    expect(connected.map((l) => [l.shard, l.guilds]).sort()).toEqual([
      [0, 1],
      [1, 1],
    ]);
  });

  it("answers a question in each guild from the shard that guild belongs to", async () => {
    const a = await ask("When was the lighthouse built?");
    const b = await ask("When was the lighthouse built?", guildB.guildId);
    expect([a.shard, b.shard]).toEqual([0, 1]);
    expect(a.text).toContain("1871");
    expect(b.text).toContain("1871");
  });

  it("a /refresh in guild A after a file changed: both shards answer the new content, and the reply lists both", async () => {
    const before = await ask("How long is the main span of the Pelican Bridge?", guildB.guildId);
    expect(before.text).not.toContain("420 metres");
    writeFileSync(join(corpusDir, "bridge.txt"), BRIDGE);

    const { shard, edit } = await refresh();
    expect(shard).toBe(0);
    const shards = shardsEmbed(edit);
    expect(shards.title).toBe("Shards: 2 of 2 reloaded");
    const description = readable(shards.description);
    expect(description).toMatch(/Shard 0 \(this one\): reloaded, 2 documents, \d+ sentences, \d+ ms/);
    expect(description).toMatch(/Shard 1: reloaded, 2 documents, \d+ sentences, \d+ ms/);

    const a = await ask("How long is the main span of the Pelican Bridge?");
    const b = await ask("How long is the main span of the Pelican Bridge?", guildB.guildId);
    expect([a.shard, b.shard]).toEqual([0, 1]);
    expect(a.text).toContain("420 metres");
    expect(b.text).toContain("420 metres");
    // Only the shard where /refresh ran notes the corpus change; the other only reloaded.
    expect(lines.filter((l) => l.msg === "corpus reloaded: refreshed on another shard").map((l) => l.shard)).toEqual([1]);
  });

  it("a killed shard is reported as unreachable by the next /refresh, and the other shard keeps answering", async () => {
    const pid = lines.find((l) => l.shard === 1 && typeof l.pid === "number" && l.name === "lookout")?.pid as number;
    expect(pid).toBeGreaterThan(0);
    process.kill(pid, "SIGKILL");
    await waitFor(() => lines.some((l) => l.msg === "shard process exited (SHARD_RESPAWN is off)" && l.shard === 1), 10_000, "the manager saw shard 1 exit");
    writeFileSync(join(corpusDir, "bridge.txt"), BRIDGE.replace("420 metres", "450 metres"));

    const { edit } = await refresh();
    const shards = shardsEmbed(edit);
    expect(shards.title).toBe("Shards: 1 of 2 reloaded");
    const description = readable(shards.description);
    expect(description).toMatch(/Shard 0 \(this one\): reloaded/);
    expect(description).toMatch(/Shard 1: unreachable \(not connected/);

    const a = await ask("How long is the main span of the Pelican Bridge?");
    expect(a.text).toContain("450 metres");
    // Guild B's shard is gone: Discord (the stand-in) holds its events for a session that never resumes.
    const lost = s.sendInteraction(s.slashCommand("ask", { question: "When was the lighthouse built?" }, { guildId: guildB.guildId }));
    expect(lost.shard).toBe(1);
    await expect(s.waitForInteractionResponse(lost.d.id, 1500)).rejects.toThrow(/no matching REST request/);
  });
});
