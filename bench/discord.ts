/**
 * Discord latency: from an interaction (or a mention) leaving the gateway to the bot's reply reaching REST,
 * measured through the loopback stand-in with the real discord.js client, the real bot and the shipped corpus,
 * with the question log in a temporary SQLite file.
 * Targets (issues "The Discord bot" and "The bot as a community tool"): /ask p99 under 50 ms, also while 50
 * questions a second are logged; a vote recorded in under 5 ms at p99; /stats over 1,000,000 logged
 * questions in under 2 s.
 * Then the load test (bench/discord-load.ts; issue "Corpus operations at scale"): 100 refreshes while 50 questions a
 * second are asked, no question failing and every answer from one whole corpus version.
 *   npm run bench:discord [-- --count 1000 --stats-rows 1000000 --refreshes 100 --rate 50]
 *   npm run bench:discord -- --load-only      (the load test alone)
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { ApplicationCommandOptionType, PermissionFlagsBits } from "discord.js";
import { Library } from "../src/corpus/library.js";
import { startBot, type BotHandle } from "../src/discord/bot.js";
import { createLogger } from "../src/log.js";
import { DAY_MS, Store, type QuestionRecord } from "../src/store/store.js";
import { startDiscordStandIn, type DiscordStandIn, type SlashOptionsInput } from "../test/discord-stand-in/index.js";
import { defaultFixtureIds } from "../test/discord-stand-in/payloads.js";
import { loadSeed } from "./data.js";
import { loadTable, runDiscordLoad, summarize, type LoadOptions } from "./discord-load.js";
import { percentile } from "./scoring.js";
import { botConfigFor } from "../test/discord-stand-in/bot-config.js";

const { values } = parseArgs({
  options: {
    count: { type: "string", default: "500" },
    "stats-rows": { type: "string", default: "1000000" },
    refreshes: { type: "string", default: "100" },
    rate: { type: "string", default: "50" },
    "load-only": { type: "boolean", default: false },
  },
});
const count = Number(values.count);
const statsRows = Number(values["stats-rows"]);
const loadOptions: LoadOptions = { refreshes: Number(values.refreshes), questionsPerSecond: Number(values.rate), quietSeconds: 10, pauseMs: 100 };

async function loadTest(): Promise<void> {
  const { refreshes, questionsPerSecond } = loadOptions;
  console.log(
    `\nUnder load, ${new Date().toISOString().slice(0, 10)}: ${refreshes} refreshes in sequence (add, change or remove a file, then /refresh by a moderator) ` +
      `while ${questionsPerSecond} questions a second arrive (/ask, every 4th an @mention; a third seed questions, the rest about the files being changed), ` +
      `first 2 s to warm up, then ${loadOptions.quietSeconds} s without refreshes. Round trips in ms (interaction or message sent → reply received by REST):\n`,
  );
  const result = await runDiscordLoad(loadOptions);
  const summary = summarize(result);
  console.log(loadTable(summary, loadOptions));
  const { quiet, refreshes: busy } = result.loopDelay;
  console.log(`\nEvent loop held up: p99 ${quiet.p99.toFixed(1)} ms, at most ${quiet.max.toFixed(1)} ms without refreshes; p99 ${busy.p99.toFixed(1)} ms, at most ${busy.max.toFixed(1)} ms during them.`);
  const problems = [...result.questions.filter((q) => q.failure !== undefined || q.mixed || q.missed), ...result.refreshes.filter((r) => r.failure !== undefined)];
  for (const problem of problems.slice(0, 10)) console.log(JSON.stringify(problem));
  if (problems.length > 0 || result.botProblems.length > 0) process.exitCode = 1;
  for (const line of result.botProblems.slice(0, 10)) console.log(`bot: ${line}`);
}

if (values["load-only"]) {
  await loadTest();
  process.exit(); // the latency and /stats runs below are skipped
}

const library = await Library.open({ corpusDir: new URL("../corpus", import.meta.url).pathname, maxFileBytes: 5 * 1024 * 1024, maxQuestionChars: 500 });
const seed = loadSeed();
const questions = [...seed.answerable, ...seed.noAnswer].map((q) => q.q);
const dir = mkdtempSync(join(tmpdir(), "lookout-bench-"));
const ADMIN = { userId: "300000000000000001", memberPermissions: PermissionFlagsBits.ManageGuild | PermissionFlagsBits.SendMessages };

async function startOn(databasePath: string): Promise<{ standIn: DiscordStandIn; bot: BotHandle }> {
  const standIn = await startDiscordStandIn();
  const config = botConfigFor(standIn, { databasePath });
  // Buttons are clicked far faster than any person would: no rate limit here.
  const bot = await startBot(config, library, createLogger({ level: "silent" }), { buttonLimit: { max: 1_000_000, windowMs: 1000 } });
  return { standIn, bot };
}

const { standIn, bot } = await startOn(join(dir, "lookout.db"));

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

const row = (name: string, ms: readonly number[]) => {
  const p = (q: number) => percentile(ms, q).toFixed(2);
  console.log(`| ${name} | ${ms.length} | ${p(50)} | ${p(95)} | ${p(99)} | ${Math.max(...ms).toFixed(2)} |`);
};

/**
 * Messages sent by the bot count against Discord's global limit of 50 requests per second, which
 * @discordjs/rest enforces on the client side (a burst over it waits about a second). Questions are
 * therefore paced at `perSecond`; interaction callbacks are exempt from that limit.
 */
async function measure(name: string, ask: (q: string) => Promise<number>, perSecond = Infinity, n = count): Promise<number[]> {
  const paced = async (q: string) => {
    const started = performance.now();
    const ms = await ask(q);
    const wait = 1000 / perSecond - (performance.now() - started);
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    return ms;
  };
  for (let i = 0; i < 50; i++) await paced(questions[i % questions.length]!); // warm-up
  const ms: number[] = [];
  for (let i = 0; i < n; i++) ms.push(await paced(questions[i % questions.length]!));
  row(name, ms);
  return ms;
}

console.log(`Discord round trip through the loopback stand-in (gateway dispatch sent → reply received by REST), ${new Date().toISOString().slice(0, 10)}\n`);
console.log("| path | samples | p50 ms | p95 ms | p99 ms | max ms |\n|---|---:|---:|---:|---:|---:|");
await measure("/ask slash command", slashAsk);
await measure("@mention message (25 per second)", mentionAsk, 25);

// /ask while the log takes 50 questions a second: the asks themselves (paced at 50 per second, each one logged),
// and the batch writes timed as they happen.
const store = bot.context.store;
const flushMs: number[] = [];
const flush = store.flush.bind(store);
store.flush = () => {
  const started = performance.now();
  flush();
  flushMs.push(performance.now() - started);
};
const loggedBefore = store.raw!.questionCount();
await measure("/ask, 50 questions per second, each logged", slashAsk, 50);
store.flush();
row("  batch write of the logged questions (timer, every 1 s)", flushMs.slice(1));
console.log(`\n(${store.raw!.questionCount() - loggedBefore} questions logged during that run)\n`);

// Votes: the database write alone, and the click round trip.
const keys = [...standIn.state.interactions.values()].filter((r) => r.payload.type === 2).map((r) => r.payload.id).slice(-200);
const voteMs: number[] = [];
for (let i = 0; i < 2000; i++) {
  const started = performance.now();
  store.vote(keys[i % keys.length]!, String(400000000000000000n + BigInt(i % 300)), i % 3 === 0 ? -1 : 1, { guildId: standIn.guildId, askedAt: Date.now() });
  voteMs.push(performance.now() - started);
}
const answer = standIn.sendInteraction(standIn.slashCommand("ask", { question: questions[0]! }));
await standIn.waitForInteractionResponse(answer.d.id);
const messageId = standIn.state.interactions.get(answer.d.id)!.originalMessageId!;
const clickMs: number[] = [];
for (let i = 0; i < 500; i++) {
  const sent = standIn.sendInteraction(standIn.button(`lookout:${i % 2 ? "up" : "down"}:${answer.d.id}:0`, messageId, { userId: String(500000000000000000n + BigInt(i % 50)) }));
  const reply = await standIn.waitForInteractionResponse(sent.d.id, 5000);
  clickMs.push(reply.receivedAt - sent.sentAt!);
}
console.log("| vote | samples | p50 ms | p95 ms | p99 ms | max ms |\n|---|---:|---:|---:|---:|---:|");
row("vote recorded (database write)", voteMs);
row("👍/👎 click → ephemeral thanks (round trip)", clickMs);
await bot.stop();
await standIn.close();

// /stats over a large log, generated straight into a fresh database through the store.
const bigPath = join(dir, "big.db");
const generated = generateLog(bigPath, statsRows);
const big = await startOn(bigPath);
const statsMs: number[] = [];
const queryMs: number[] = [];
const guildId = big.standIn.guildId;
for (let i = 0; i < 6; i++) {
  const summary = [{ type: ApplicationCommandOptionType.Subcommand, name: "summary", options: [{ type: ApplicationCommandOptionType.Integer, name: "days", value: 30 }] }];
  const sent = big.standIn.sendInteraction(big.standIn.slashCommand("stats", summary as SlashOptionsInput, ADMIN));
  const token = sent.d.token;
  const edit = await big.standIn.waitForRequest((r) => r.method === "PATCH" && r.params.token === token, 30_000);
  if (i > 0) statsMs.push(edit.receivedAt - sent.sentAt!); // the first loads Vega
  const started = performance.now();
  big.bot.context.store.stats(guildId, 30);
  queryMs.push(performance.now() - started);
}
console.log(`\n/stats summary days:30 over ${statsRows.toLocaleString("en")} logged questions (generated in ${(generated / 1000).toFixed(1)} s):\n`);
console.log("| step | samples | p50 ms | p95 ms | p99 ms | max ms |\n|---|---:|---:|---:|---:|---:|");
row("/stats summary: interaction → reply with chart (round trip)", statsMs);
row("  of which the database queries", queryMs);
await big.bot.stop();
await big.standIn.close();
rmSync(dir, { recursive: true, force: true });

await loadTest();

/**
 * `rows` questions over the last 30 days in the stand-in's guild: a third declined (drawn from 2,000
 * wordings), two or three cited documents each, and a 👍 or 👎 on one in twenty. Returns the time taken (ms).
 */
function generateLog(path: string, rows: number): number {
  const started = performance.now();
  const store = Store.open(path);
  const guild = defaultFixtureIds().guildId; // the stand-in's guild
  const documents = library.current.documents.map((d) => d.id);
  const now = Date.now();
  let batch: QuestionRecord[] = [];
  const voted: QuestionRecord[] = [];
  let seedValue = 12345;
  const random = () => ((seedValue = (seedValue * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  for (let i = 0; i < rows; i++) {
    const declined = random() < 0.33;
    const wording = Math.floor(random() * 2000);
    batch.push({
      id: String(600000000000000000n + BigInt(i)),
      guildId: guild,
      channelId: "100000000000000002",
      userId: String(Math.floor(random() * 5000)),
      askedAt: now - Math.floor(random() * 30 * DAY_MS),
      surface: "slash",
      text: declined ? `question ${wording} that the documents do not answer?` : `question ${i % 500} about the leak?`,
      grouped: declined ? `question ${wording} document answer` : `question ${i % 500} leak`,
      answered: !declined,
      relevance: declined ? 0.1 : 0.8,
      sources: declined ? [] : [documents[i % documents.length]!, documents[(i + 1) % documents.length]!],
    });
    if (i % 20 === 0) voted.push(batch.at(-1)!);
    if (batch.length === 10_000) {
      store.recordQuestions(batch);
      batch = [];
    }
  }
  store.recordQuestions(batch);
  voted.forEach((q, i) => store.vote(q.id, String(i % 5000), i % 2 === 0 ? -1 : 1, { guildId: q.guildId, askedAt: q.askedAt }));
  store.close();
  return performance.now() - started;
}
