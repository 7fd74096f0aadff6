/**
 * `npm run start:sharded`: the bot under discord.js's ShardingManager, one child process per shard. Each shard
 * is `src/index.ts` run as `npm start` runs it (same settings and .env; discord.js tells it its shard id), so it
 * loads the corpus and answers the questions of its own servers. This process only starts the shards, starts
 * one again when its process exits (SHARD_RESPAWN), and relays refreshes between them (src/sharding/relay.ts).
 */
import { fileURLToPath } from "node:url";
import { ShardingManager, type Shard } from "discord.js";
import { loadConfigOrExit } from "./config.js";
import { createLogger } from "./log.js";
import { setTimeout as sleep } from "node:timers/promises";
import { DISCORD_API, fetchGatewayBot, IDENTIFY_INTERVAL_MS, startGroups, type GatewayBot } from "./sharding/gateway-bot.js";
import { relayRefreshes } from "./sharding/relay.js";

/** How long a shard may take from its start to Discord's READY (it loads the corpus first). */
const SHARD_READY_TIMEOUT_MS = 5 * 60_000;

async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const token = config.discordToken;
  if (token === undefined) {
    process.stderr.write("npm run start:sharded runs the Discord bot, so it needs DISCORD_TOKEN (README: \"Connecting Discord\"). Without it, npm start opens the console chat.\n");
    process.exit(1);
  }
  const logger = createLogger({ level: config.logLevel, name: "lookout-shards" });

  let gateway: GatewayBot | undefined;
  try {
    gateway = await fetchGatewayBot(token, config.discordApiUrl ?? DISCORD_API);
  } catch (error) {
    if (config.shardCount === "auto") throw new Error(`SHARD_COUNT is auto, but Discord's recommended count could not be fetched: ${(error as Error).message}`);
    logger.warn({ err: error }, "GET /gateway/bot failed: starting shards 5.5 s apart, as for max_concurrency 1");
  }
  const count = config.shardCount === "auto" ? gateway!.shards : config.shardCount;
  const groups = startGroups(count, gateway?.maxConcurrency ?? 1);

  const manager = new ShardingManager(fileURLToPath(new URL("./index.ts", import.meta.url)), {
    token,
    totalShards: count,
    mode: "process",
    respawn: config.shardRespawn,
    // Each shard runs the TypeScript entry through tsx's loader, as `npm start` does.
    execArgv: ["--import", import.meta.resolve("tsx")],
  });
  relayRefreshes(manager, { logger });
  let stopping = false;
  manager.on("shardCreate", (shard) => {
    const log = logger.child({ shard: shard.id });
    // mode "process": the child is a ChildProcess
    shard.on("spawn", (child) => log.info({ shardPid: "pid" in child ? child.pid : undefined }, "shard process started"));
    shard.on("ready", () => log.info("shard connected to Discord"));
    shard.on("disconnect", () => log.warn("shard disconnected from Discord"));
    shard.on("death", (child) => {
      const fields = { shardPid: "pid" in child ? child.pid : undefined, exitCode: "exitCode" in child ? child.exitCode : undefined };
      if (stopping) log.info(fields, "shard process exited");
      else log.error(fields, manager.respawn ? "shard process exited; starting it again" : "shard process exited (SHARD_RESPAWN is off)");
    });
    shard.on("error", (error) => log.error({ err: error }, "shard error"));
  });

  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "stopping every shard");
    manager.respawn = false;
    const exits = [...manager.shards.values()].map(
      (shard) =>
        new Promise<void>((resolve) => {
          const child = shard.process;
          if (child === null || child.exitCode !== null || child.signalCode !== null) return resolve();
          child.once("exit", () => resolve());
          // A signal sent to the whole process group (Ctrl-C, `timeout`, systemd) reached the shards already, and a
          // second one would cut their clean disconnect short: only those still running after a second get SIGTERM.
          setTimeout(() => child.exitCode === null && child.signalCode === null && child.kill("SIGTERM"), 1000).unref();
        }),
    );
    const deadline = setTimeout(() => process.exit(1), 15_000);
    deadline.unref();
    void Promise.all(exits).then(() => process.exit(0));
  };
  // `on`, not `once`: the same signal often arrives twice (sent to the process group, and relayed by tsx's CLI);
  // a second one must not kill this process before its shards have stopped.
  process.on("SIGINT", () => shutdown("SIGINT"));
  process.on("SIGTERM", () => shutdown("SIGTERM"));

  logger.info({ shards: count, from: config.shardCount === "auto" ? "Discord's recommendation" : "SHARD_COUNT", groups: groups.length }, "starting shards");
  // manager.spawn() starts one shard at a time; the shards of a group may identify together, so they start together.
  try {
    for (const [i, group] of groups.entries()) {
      const pause = i < groups.length - 1 ? sleep(IDENTIFY_INTERVAL_MS) : Promise.resolve();
      await Promise.all([...group.map((id) => startShard(manager.createShard(id))), pause]);
    }
  } catch (error) {
    // Not left running without this process (they would also stop when its IPC channel closes).
    manager.respawn = false;
    for (const shard of manager.shards.values()) shard.process?.kill("SIGTERM");
    throw error;
  }
  logger.info({ shards: count }, "every shard is connected");
}

/**
 * Starts a shard's process and resolves once it is connected to Discord. Unlike `shard.spawn(timeout)`, a
 * disconnect before that is not a failure: a shard whose Message Content intent Discord refuses (close 4014)
 * reconnects without it (src/discord/bot.ts). Its process exiting, or the timeout, is.
 */
async function startShard(shard: Shard): Promise<void> {
  const connected = new Promise<void>((resolve, reject) => {
    const done = (error?: Error) => {
      clearTimeout(timer);
      shard.off("ready", onReady);
      shard.off("death", onDeath);
      if (error) reject(error);
      else resolve();
    };
    const onReady = () => done();
    const onDeath = () => done(new Error(`shard ${shard.id}'s process exited before it connected to Discord`));
    const timer = setTimeout(() => done(new Error(`shard ${shard.id} did not connect to Discord within ${SHARD_READY_TIMEOUT_MS / 1000} s`)), SHARD_READY_TIMEOUT_MS);
    shard.once("ready", onReady);
    shard.once("death", onDeath);
  });
  await shard.spawn(-1);
  await connected;
}

main().catch((error: Error) => {
  process.stderr.write(`Lookout could not start its shards: ${error.message}\n`);
  process.exit(1);
});
