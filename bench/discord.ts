/**
 * Discord latency: from an interaction (or a mention) leaving the gateway to the bot's reply reaching REST,
 * measured through the loopback stand-in with the real discord.js client, the real bot and the shipped corpus.
 * Target (issue "The Discord bot"): p99 under 50 ms.
 *   npm run bench:discord [-- --count 1000]
 */
import { parseArgs } from "node:util";
import { loadConfig } from "../src/config.js";
import { Library } from "../src/corpus/library.js";
import { startBot } from "../src/discord/bot.js";
import { createLogger } from "../src/log.js";
import { startDiscordStandIn } from "../test/discord-stand-in/index.js";
import { loadSeed } from "./data.js";
import { percentile } from "./scoring.js";

const { values } = parseArgs({ options: { count: { type: "string", default: "500" } } });
const count = Number(values.count);

const library = await Library.open({ corpusDir: new URL("../corpus", import.meta.url).pathname, maxFileBytes: 5 * 1024 * 1024, maxQuestionChars: 500 });
const questions = [...loadSeed().answerable, ...loadSeed().noAnswer].map((q) => q.q);
const standIn = await startDiscordStandIn();
const config = { ...loadConfig({}), discordToken: standIn.token, discordApiUrl: standIn.apiUrl, cooldownSeconds: 0 };
const bot = await startBot(config, library, createLogger({ level: "silent" }));

async function slashAsk(question: string): Promise<number> {
  const sent = standIn.sendInteraction(standIn.slashCommand("ask", { question }));
  const reply = await standIn.waitForInteractionResponse(sent.d.id, 5000);
  return reply.receivedAt - sent.sentAt!;
}

async function mentionAsk(question: string): Promise<number> {
  const since = standIn.requests.length;
  const sent = standIn.sendMessage(question, { mentionsBot: true });
  const reply = await standIn.waitForRequest((r) => r.method === "POST" && r.route === "/channels/:channelId/messages", 5000, { since });
  return reply.receivedAt - sent.sentAt!;
}

/**
 * Messages sent by the bot count against Discord's global limit of 50 requests per second, which
 * @discordjs/rest enforces on the client side (a burst over it waits about a second). Questions are
 * therefore paced at `perSecond`; interaction callbacks are exempt from that limit and are not paced.
 */
async function measure(name: string, ask: (q: string) => Promise<number>, perSecond = Infinity) {
  const paced = async (q: string) => {
    const started = performance.now();
    const ms = await ask(q);
    const wait = 1000 / perSecond - (performance.now() - started);
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    return ms;
  };
  for (let i = 0; i < 50; i++) await paced(questions[i % questions.length]!); // warm-up
  const ms: number[] = [];
  for (let i = 0; i < count; i++) ms.push(await paced(questions[i % questions.length]!));
  const p = (q: number) => percentile(ms, q).toFixed(2);
  console.log(`| ${name} | ${count} | ${p(50)} | ${p(95)} | ${p(99)} | ${Math.max(...ms).toFixed(2)} |`);
}

console.log(`Discord round trip through the loopback stand-in (gateway dispatch sent → reply received by REST), ${new Date().toISOString().slice(0, 10)}\n`);
console.log("| path | questions | p50 ms | p95 ms | p99 ms | max ms |\n|---|---:|---:|---:|---:|---:|");
await measure("/ask slash command", slashAsk);
await measure("@mention message (25 per second)", mentionAsk, 25);
await bot.stop();
await standIn.close();
