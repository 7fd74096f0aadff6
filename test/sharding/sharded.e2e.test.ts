/**
 * End to end, `npm run start:sharded`'s entry (src/sharded.ts) as a real process: discord.js's ShardingManager
 * forks two real shard processes (src/index.ts) that connect to the loopback stand-in, which routes each guild's
 * events to its shard as Discord does. Two guilds on different shards; a corpus folder changed on disk; /refresh
 * in one guild reaches both shards; a killed shard is reported, and the other keeps answering.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { InteractionResponseType, PermissionFlagsBits } from "discord.js";
import { ApplicationCommandOptionType } from "discord.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { shardOf, startDiscordStandIn, type ActorOptions, type DiscordStandIn, type DiscordStandInOptions } from "../discord-stand-in/index.js";

const REPO = join(import.meta.dirname, "..", "..");
const EDIT_ORIGINAL = "/webhooks/:applicationId/:token/messages/:messageId";
const MOD: ActorOptions = { userId: "300000000000000001", memberPermissions: PermissionFlagsBits.ManageGuild | PermissionFlagsBits.SendMessages };

const LIGHTHOUSE = "The old lighthouse on the northern cape was built of granite in 1871.\nIts lamp was automated in 1954 and the keepers left the island.\nToday the tower is a museum open on summer weekends.\n";
const FERRY = "The island ferry leaves the harbour every hour from six in the morning.\nThe crossing takes forty minutes in calm weather.\n";
const BRIDGE = "The Pelican Bridge opened to traffic in 1998 after four years of construction.\nIt spans the estuary with a main span of 420 metres.\nA toll was charged until the construction loan was repaid in 2012.\n";

/* eslint-disable @typescript-eslint/no-explicit-any -- recorded REST bodies are untyped JSON */
type Body = any;

/** A running `npm run start:sharded` (its entry as a real process) against its own stand-in and corpus folder. */
interface Sharded {
  s: DiscordStandIn;
  manager: ChildProcess;
  guildB: { guildId: string; channelId: string };
  corpusDir: string;
  work: string;
  /** Every JSON log line the manager and its shards wrote (the shards share the manager's stdout). */
  lines: Array<Record<string, unknown>>;
  output: () => string;
}

async function startSharded(env: Record<string, string> = {}, standIn: DiscordStandInOptions = {}): Promise<Sharded> {
  // Two shards recommended by GET /gateway/bot (SHARD_COUNT is left at auto); max_concurrency 2 lets both start at once.
  const s = await startDiscordStandIn({ recommendedShards: 2, maxConcurrency: 2, ...standIn });
  const guildB = s.addGuild("Second Guild");
  const work = mkdtempSync(join(tmpdir(), "lookout-shards-"));
  const corpusDir = join(work, "corpus");
  mkdirSync(corpusDir);
  writeFileSync(join(corpusDir, "lighthouse.txt"), LIGHTHOUSE);
  const manager = spawn(process.execPath, ["--import", "tsx", "src/sharded.ts"], {
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
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const lines: Array<Record<string, unknown>> = [];
  let output = "";
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
  const sharded: Sharded = { s, manager, guildB, corpusDir, work, lines, output: () => output };
  running.push(sharded);
  await waitFor(sharded, () => lines.some((l) => l.msg === "every shard is connected"), 60_000, "both shards connected");
  // Each shard writes its own "connected to Discord" line, which may reach the shared stdout after the manager's.
  await waitFor(sharded, () => new Set(lines.filter((l) => l.msg === "connected to Discord").map((l) => l.shard)).size === 2, 10_000, "both shards' own lines");
  return sharded;
}

const running: Sharded[] = [];

async function stop({ manager, s, work }: Sharded): Promise<void> {
  if (manager.exitCode === null && manager.signalCode === null) {
    const exited = new Promise((resolve) => manager.once("exit", resolve));
    manager.kill("SIGTERM");
    await exited;
  }
  await s.close();
  rmSync(work, { recursive: true, force: true });
}

afterAll(async () => {
  for (const sharded of running.splice(0)) await stop(sharded);
}, 30_000);

async function waitFor({ manager, output }: Pick<Sharded, "manager" | "output">, condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > until || manager.exitCode !== null) throw new Error(`${what}: not within ${timeoutMs} ms (manager exit ${manager.exitCode}); output:\n${output().slice(-4000)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** /ask in a guild: the shard the stand-in delivered it to, and the reply's text. */
async function ask(s: DiscordStandIn, question: string, guildId?: string): Promise<{ shard: number | undefined; text: string }> {
  const sent = s.sendInteraction(s.slashCommand("ask", { question }, { userId: "300000000000000002", ...(guildId === undefined ? {} : { guildId }) }));
  const callback = await s.waitForInteractionResponse(sent.d.id, 10_000);
  return { shard: sent.shard, text: JSON.stringify(callback.body.data) };
}

/** /refresh by a moderator in the main guild; the deferred reply's final edit. */
async function refresh(s: DiscordStandIn): Promise<{ shard: number | undefined; edit: Body }> {
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
  let x: Sharded;
  beforeAll(async () => {
    x = await startSharded();
  }, 120_000);

  it("starts Discord's recommended two shards, each with its own guild, every log line naming its shard", () => {
    expect(shardOf(x.s.guildId, 2)).toBe(0);
    expect(shardOf(x.guildB.guildId, 2)).toBe(1);
    expect(x.s.connectedShards).toEqual([0, 1]);
    const loaded = x.lines.filter((l) => l.msg === "corpus loaded");
    expect(loaded.map((l) => l.shard).sort()).toEqual([0, 1]);
    expect(new Set(loaded.map((l) => l.pid)).size).toBe(2); // two processes
    const connected = x.lines.filter((l) => l.msg === "connected to Discord");
    expect(connected.map((l) => [l.shard, l.guilds]).sort()).toEqual([
      [0, 1],
      [1, 1],
    ]);
  });

  it("answers a question in each guild from the shard that guild belongs to", async () => {
    const a = await ask(x.s, "When was the lighthouse built?");
    const b = await ask(x.s, "When was the lighthouse built?", x.guildB.guildId);
    expect([a.shard, b.shard]).toEqual([0, 1]);
    expect(a.text).toContain("1871");
    expect(b.text).toContain("1871");
  });

  it("a /refresh in guild A after a file changed: both shards answer the new content, and the reply lists both", async () => {
    const before = await ask(x.s, "How long is the main span of the Pelican Bridge?", x.guildB.guildId);
    expect(before.text).not.toContain("420 metres");
    writeFileSync(join(x.corpusDir, "bridge.txt"), BRIDGE);

    const { shard, edit } = await refresh(x.s);
    expect(shard).toBe(0);
    const shards = shardsEmbed(edit);
    expect(shards.title).toBe("Shards: 2 of 2 reloaded");
    const description = readable(shards.description);
    expect(description).toMatch(/Shard 0 \(this one\): reloaded, 2 documents, \d+ sentences, \d+ ms/);
    expect(description).toMatch(/Shard 1: reloaded, 2 documents, \d+ sentences, \d+ ms/);

    const a = await ask(x.s, "How long is the main span of the Pelican Bridge?");
    const b = await ask(x.s, "How long is the main span of the Pelican Bridge?", x.guildB.guildId);
    expect([a.shard, b.shard]).toEqual([0, 1]);
    expect(a.text).toContain("420 metres");
    expect(b.text).toContain("420 metres");
    // The other shard only reloaded.
    expect(x.lines.filter((l) => l.msg === "corpus reloaded: refreshed on another shard").map((l) => l.shard)).toEqual([1]);
  });

  it("/corpus add in guild A writes the file once, and the other shard answers from it too", async () => {
    const file = x.s.upload("ferry.txt", FERRY);
    const sent = x.s.sendInteraction(x.s.slashCommand("corpus", [{ type: ApplicationCommandOptionType.Subcommand, name: "add", options: [{ name: "file", type: ApplicationCommandOptionType.Attachment, value: file.id }] }], MOD));
    expect(sent.shard).toBe(0);
    const edit = await x.s.waitForRequest((r) => r.route === EDIT_ORIGINAL && r.method === "PATCH" && r.params.token === sent.d.token, 30_000);
    expect(readable(edit.body.content)).toContain("ferry.txt");
    expect(shardsEmbed(edit.body).title).toBe("Shards: 2 of 2 reloaded");
    expect(readdirSync(x.corpusDir).sort()).toEqual(["bridge.txt", "ferry.txt", "lighthouse.txt"]); // no copy, no leftover temporary file
    expect(x.lines.filter((l) => l.msg === "corpus changed").map((l) => l.shard)).toEqual([0]);
    const b = await ask(x.s, "How long does the ferry crossing take?", x.guildB.guildId);
    expect(b.shard).toBe(1);
    expect(b.text).toContain("forty minutes");
  });

  it("a killed shard is reported as unreachable by the next /refresh, and the other shard keeps answering", async () => {
    const pid = x.lines.find((l) => l.shard === 1 && typeof l.pid === "number" && l.name === "lookout")?.pid as number;
    expect(pid).toBeGreaterThan(0);
    process.kill(pid, "SIGKILL");
    await waitFor(x, () => x.lines.some((l) => l.msg === "shard process exited (SHARD_RESPAWN is off)" && l.shard === 1), 10_000, "the manager saw shard 1 exit");
    writeFileSync(join(x.corpusDir, "bridge.txt"), BRIDGE.replace("420 metres", "450 metres"));

    const { edit } = await refresh(x.s);
    const shards = shardsEmbed(edit);
    expect(shards.title).toBe("Shards: 1 of 2 reloaded");
    const description = readable(shards.description);
    expect(description).toMatch(/Shard 0 \(this one\): reloaded/);
    expect(description).toMatch(/Shard 1: unreachable \(not connected/);

    const a = await ask(x.s, "How long is the main span of the Pelican Bridge?");
    expect(a.text).toContain("450 metres");
    // Guild B's shard is gone: Discord (the stand-in) holds its events for a session that never resumes.
    const lost = x.s.sendInteraction(x.s.slashCommand("ask", { question: "When was the lighthouse built?" }, { guildId: x.guildB.guildId }));
    expect(lost.shard).toBe(1);
    await expect(x.s.waitForInteractionResponse(lost.d.id, 1500)).rejects.toThrow(/no matching REST request/);
  });
});

describe("npm run start:sharded with CORPUS_WATCH and SHARD_RESPAWN", () => {
  let x: Sharded;
  beforeAll(async () => {
    x = await startSharded({ CORPUS_WATCH: "on", CORPUS_WATCH_DEBOUNCE_MS: "200", SHARD_RESPAWN: "on" });
  }, 120_000);

  it("one shard watches the folder; a file written there reaches both shards", async () => {
    expect(x.lines.filter((l) => l.msg === "watching the corpus folder (CORPUS_WATCH)").map((l) => l.shard)).toEqual([0]);
    writeFileSync(join(x.corpusDir, "bridge.txt"), BRIDGE);
    await waitFor(x, () => x.lines.some((l) => l.msg === "other shards reloaded after file changes"), 20_000, "the watch refresh reached the other shard");
    const reloaded = x.lines.find((l) => l.msg === "other shards reloaded after file changes");
    expect(reloaded).toMatchObject({ shard: 0, shards: [{ shard: 1, status: "ok", documents: 2 }] });
    const b = await ask(x.s, "How long is the main span of the Pelican Bridge?", x.guildB.guildId);
    expect(b.shard).toBe(1);
    expect(b.text).toContain("420 metres");
  });

  it("a shard whose process dies is started again, connects, and answers from the folder as it is now", async () => {
    const pid = x.lines.find((l) => l.shard === 1 && typeof l.pid === "number" && l.name === "lookout")?.pid as number;
    process.kill(pid, "SIGKILL");
    await waitFor(x, () => x.lines.some((l) => l.msg === "shard process exited; starting it again" && l.shard === 1), 10_000, "the manager restarting shard 1");
    // Changed while shard 1 is down: its new process reads it from disk.
    writeFileSync(join(x.corpusDir, "bridge.txt"), BRIDGE.replace("420 metres", "480 metres"));
    await waitFor(x, () => x.lines.filter((l) => l.msg === "connected to Discord" && l.shard === 1).length === 2, 60_000, "shard 1 connected again");
    const b = await ask(x.s, "How long is the main span of the Pelican Bridge?", x.guildB.guildId);
    expect(b.shard).toBe(1);
    expect(b.text).toContain("480 metres");
    expect(x.lines.filter((l) => l.msg === "corpus loaded" && l.shard === 1).map((l) => l.pid)).toHaveLength(2);
  });

  it("when the manager is killed, its shards stop too instead of staying connected unmanaged", async () => {
    const pids = [...new Set(x.lines.filter((l) => l.name === "lookout" && typeof l.pid === "number").map((l) => l.pid as number))].filter(alive);
    expect(pids).toHaveLength(2);
    x.manager.kill("SIGKILL");
    const until = Date.now() + 15_000;
    while (pids.some(alive) && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(pids.filter(alive)).toEqual([]);
    await expect.poll(() => x.s.connectedShards).toEqual([]);
  }, 30_000);
});

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe("npm run start:sharded when Discord refuses the Message Content intent", () => {
  it("each shard reconnects without it and still reports itself connected to the manager", async () => {
    // ASK_CHANNEL_IDS asks for the intent; the "developer portal" has not enabled it (close code 4014).
    const x = await startSharded({ ASK_CHANNEL_IDS: "100000000000000099" }, { allowedPrivilegedIntents: 0 });
    expect(x.s.connectedShards).toEqual([0, 1]);
    expect(x.lines.filter((l) => l.msg === "connected to Discord").map((l) => [l.shard, l.messageContent]).sort()).toEqual([
      [0, false],
      [1, false],
    ]);
    writeFileSync(join(x.corpusDir, "bridge.txt"), BRIDGE);
    const { edit } = await refresh(x.s);
    expect(shardsEmbed(edit).title).toBe("Shards: 2 of 2 reloaded");
  }, 120_000);
});
