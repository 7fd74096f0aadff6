/**
 * The Discord load test: refreshes in sequence (add, change, remove a harbour-ledger file, then `/refresh` by a
 * moderator, as users do it) while questions arrive at a steady rate, `/ask` and @mentions, through the loopback
 * stand-in with the real discord.js client and the real bot, over a temporary copy of the shipped corpus.
 *
 * Each reply is read back from the REST request the stand-in recorded. A question fails when it gets no reply
 * within REPLY_TIMEOUT_MS, gets the error notice, or is answered after Discord's 3 s interaction deadline. Each
 * answer's ship excerpts must come from one corpus version that was in service while the question waited
 * (harbour-ledger.ts): version n is in service from the moment its /refresh is sent until the reply to the next
 * successful /refresh arrives (the swap happens somewhere in between). And a question about a ship that every
 * such version held must quote it (an index missing a file it should have is half-built too).
 *
 * Used by `npm run bench:discord` (bench/discord.ts) and by test/discord/load.e2e.test.ts on a smaller scale.
 */
import { cpSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { monitorEventLoopDelay, type IntervalHistogram } from "node:perf_hooks";
import { PermissionFlagsBits } from "discord.js";
import { Library } from "../src/corpus/library.js";
import { startBot } from "../src/discord/bot.js";
import { ERROR_NOTICE } from "../src/discord/format.js";
import { registerCommands } from "../src/discord/register.js";
import { createLogger } from "../src/log.js";
import { startDiscordStandIn, type RecordedRequest } from "../test/discord-stand-in/index.js";
import { loadSeed } from "./data.js";
import { HarbourLedger, judgeAnswer, pick, seededRandom, shipExcerpts, shipQuestions, type LedgerState, type ShipExcerpt } from "./harbour-ledger.js";
import { percentile } from "./scoring.js";
import { botConfigFor } from "../test/discord-stand-in/bot-config.js";

export interface LoadOptions {
  /** Refreshes in sequence (each after the previous one's reply). */
  refreshes: number;
  /** Questions sent per second, whether or not earlier ones were answered yet. */
  questionsPerSecond: number;
  /** Seconds of questions before the quiet ones, not timed (the code paths warm up). Default 2. */
  warmUpSeconds?: number;
  /** Seconds of questions before the first refresh (the latency without refreshes). */
  quietSeconds: number;
  /** Pause after each refresh's reply before the next file change, so questions also land between refreshes. */
  pauseMs: number;
  /** Every n-th question is an @mention (a channel message, which counts against Discord's 50 requests/s); the rest are /ask. */
  mentionEvery?: number;
  /**
   * While each refresh runs, one more question every this many ms about the ship whose file it reads changed:
   * the answers a half-built index would spoil, asked while it could be in service. 0: none.
   */
  probeEveryMs?: number;
}

export interface QuestionRecord {
  text: string;
  surface: "slash" | "mention";
  /** The ship asked about (undefined: a seed question about the shipped corpus). */
  ship?: string;
  /** When it was sent: while warming up, before the first /refresh, or from then on. */
  phase: "warm-up" | "quiet" | "refreshes";
  sentAt: number;
  repliedAt?: number;
  /** Why it failed (no reply, error notice, too late), if it did. */
  failure?: string;
  excerpts: ShipExcerpt[];
  mixed: boolean;
  missed: boolean;
}

export interface RefreshRecord {
  version: number;
  change: string;
  ship: string;
  sentAt: number;
  repliedAt?: number;
  failure?: string;
}

/** How long the event loop was held up (ms): what a question arriving at a bad moment waits before it is read. */
export interface LoopDelay {
  p99: number;
  max: number;
}

export interface LoadResult {
  questions: QuestionRecord[];
  refreshes: RefreshRecord[];
  /** Event-loop delay without refreshes and during them. */
  loopDelay: { quiet: LoopDelay; refreshes: LoopDelay };
  /** Warnings and errors the bot logged. */
  botProblems: string[];
}

const CORPUS = fileURLToPath(new URL("../corpus", import.meta.url));
const CALLBACK = "/interactions/:interactionId/:token/callback";
const CHANNEL_MESSAGES = "/channels/:channelId/messages";
const EDIT_ORIGINAL = "/webhooks/:applicationId/:token/messages/:messageId";
/** Discord refuses an interaction callback later than this after the interaction. */
const INTERACTION_DEADLINE_MS = 3000;
const REPLY_TIMEOUT_MS = 10_000;
const REFRESH_TIMEOUT_MS = 60_000;
/** A member with Manage Server, whom Discord shows /refresh. */
const MODERATOR = { userId: "300000000000000001", memberPermissions: PermissionFlagsBits.ManageGuild | PermissionFlagsBits.SendMessages };

/** Resolves replies recorded by the stand-in to whoever waits for them, by interaction id, message id or token. */
class ReplyRouter {
  private readonly waiting = new Map<string, (request: RecordedRequest) => void>();

  constructor(private readonly keyOf: (request: RecordedRequest) => string | undefined) {}

  onRequest = (request: RecordedRequest): void => {
    const key = this.keyOf(request);
    const resolve = key === undefined ? undefined : this.waiting.get(key);
    if (resolve === undefined) return;
    this.waiting.delete(key!);
    resolve(request);
  };

  /** The reply for `key`, or undefined after `timeoutMs`. Register before sending: the reply can come back first. */
  expect(key: string, timeoutMs: number): Promise<RecordedRequest | undefined> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiting.delete(key);
        resolve(undefined);
      }, timeoutMs);
      this.waiting.set(key, (request) => {
        clearTimeout(timer);
        resolve(request);
      });
    });
  }
}

/** The answer's visible text: the embed description, or the content of a plain notice. */
function replyText(body: { data?: ReplyBody } & ReplyBody): string {
  const data = body.data ?? body;
  return data.embeds?.[0]?.description ?? data.content ?? "";
}

interface ReplyBody {
  content?: string;
  embeds?: { title?: string; description?: string }[];
}

export async function runDiscordLoad(options: LoadOptions): Promise<LoadResult> {
  const dir = mkdtempSync(join(tmpdir(), "lookout-load-"));
  const corpusDir = join(dir, "corpus");
  mkdirSync(corpusDir);
  cpSync(CORPUS, corpusDir, { recursive: true });
  const ledger = new HarbourLedger(corpusDir);
  const seed = loadSeed();
  const seedQuestions = [...seed.answerable, ...seed.noAnswer].map((q) => q.q);

  const library = await Library.open({ corpusDir, maxFileBytes: 5 * 1024 * 1024, maxQuestionChars: 500 });
  const standIn = await startDiscordStandIn({ interactionDeadlineMs: INTERACTION_DEADLINE_MS });
  const botProblems: string[] = [];
  const logger = createLogger({ level: "warn" }, { write: (line: string) => void botProblems.push(line.trim()) });
  const config = botConfigFor(standIn, { discordApplicationId: standIn.applicationId, discordGuildId: standIn.guildId, databasePath: join(dir, "lookout.db") });
  // What `npm run register` does, so the stand-in delivers /refresh to moderators only, as Discord would.
  await registerCommands({ token: standIn.token, apiUrl: standIn.apiUrl, applicationId: standIn.applicationId, guildId: standIn.guildId, moderatorRoleIds: [] });
  const bot = await startBot(config, library, logger);

  // Replies: /ask and /refresh callbacks by interaction id, mention replies by the message they reply to,
  // the /refresh report (an edit of the deferred reply) by interaction token.
  const replies = new ReplyRouter((r) => {
    if (r.route === CALLBACK) return `interaction:${r.params.interactionId}`;
    if (r.route === CHANNEL_MESSAGES && r.method === "POST") {
      const id = (r.body as { message_reference?: { message_id?: string } } | undefined)?.message_reference?.message_id;
      return id === undefined ? undefined : `message:${id}`;
    }
    if (r.route === EDIT_ORIGINAL && r.method === "PATCH") return `edit:${r.params.token}`;
    return undefined;
  });
  standIn.events.on("request", replies.onRequest);

  const questions: QuestionRecord[] = [];
  const refreshes: RefreshRecord[] = [];
  const pending: Promise<void>[] = [];
  const mentionEvery = options.mentionEvery ?? 4;

  const random = seededRandom(7);
  /** The ship whose file the running /refresh reads changed, while one runs. */
  let refreshing: string | undefined;

  /**
   * A third seed questions; the rest about a ship: mostly the one the running refresh changes (those are the
   * answers a half-built index would spoil), else the one the latest change touched or any ship ever written.
   */
  const nextQuestion = (n: number): Pick<QuestionRecord, "text" | "ship"> => {
    if (n % 3 === 0) return { text: seedQuestions[(n / 3) % seedQuestions.length]! };
    const latest = refreshing ?? ledger.touched.at(-1);
    const ship = latest !== undefined && random() < (refreshing === undefined ? 0.5 : 0.8) ? latest : pick(ledger.allShips, random);
    return { text: pick(shipQuestions(ship), random), ship };
  };

  let phase: QuestionRecord["phase"] = "warm-up";
  const quietLoop = monitorEventLoopDelay({ resolution: 5 });
  const busyLoop = monitorEventLoopDelay({ resolution: 5 });
  let asked = 0;
  const ask = ({ text, ship }: Pick<QuestionRecord, "text" | "ship">): void => {
    const n = asked++;
    const surface = n % mentionEvery === mentionEvery - 1 ? "mention" : "slash";
    const record: QuestionRecord = { text, ship, surface, phase, sentAt: performance.now(), excerpts: [], mixed: false, missed: false };
    questions.push(record);
    let reply: Promise<RecordedRequest | undefined>;
    if (surface === "slash") {
      const interaction = standIn.slashCommand("ask", { question: text });
      reply = replies.expect(`interaction:${interaction.id}`, REPLY_TIMEOUT_MS);
      record.sentAt = standIn.sendInteraction(interaction).sentAt ?? record.sentAt;
    } else {
      const sent = standIn.sendMessage(text, { mentionsBot: true });
      reply = replies.expect(`message:${sent.d.id}`, REPLY_TIMEOUT_MS);
      record.sentAt = sent.sentAt ?? record.sentAt;
    }
    pending.push(
      reply.then((request) => {
        if (request === undefined) {
          record.failure = "no reply";
          return;
        }
        record.repliedAt = request.receivedAt;
        const text = replyText(request.body as ReplyBody);
        if (text.includes(ERROR_NOTICE)) record.failure = "error notice";
        else if (surface === "slash" && request.receivedAt - record.sentAt > INTERACTION_DEADLINE_MS) record.failure = "after the interaction deadline";
        record.excerpts = shipExcerpts(text);
      }),
    );
  };

  // Questions at a steady rate, caught up after a slow turn of the event loop rather than skipped.
  let sent = 0;
  const startedAt = performance.now();
  const timer = setInterval(() => {
    const due = Math.floor(((performance.now() - startedAt) * options.questionsPerSecond) / 1000);
    while (sent < due) ask(nextQuestion(sent++));
  }, 5);

  try {
    await new Promise((resolve) => setTimeout(resolve, (options.warmUpSeconds ?? 2) * 1000));
    phase = "quiet";
    quietLoop.enable();
    await new Promise((resolve) => setTimeout(resolve, options.quietSeconds * 1000));
    quietLoop.disable();
    phase = "refreshes";
    busyLoop.enable();
    for (let i = 0; i < options.refreshes; i++) {
      const change = ledger.next();
      const interaction = standIn.slashCommand("refresh", {}, MODERATOR);
      const record: RefreshRecord = { ...change, sentAt: performance.now() };
      refreshes.push(record);
      const report = replies.expect(`edit:${interaction.token}`, REFRESH_TIMEOUT_MS);
      record.sentAt = standIn.sendInteraction(interaction).sentAt ?? record.sentAt;
      refreshing = change.ship;
      const probes = (options.probeEveryMs ?? 0) > 0 ? setInterval(() => ask({ text: pick(shipQuestions(change.ship), random), ship: change.ship }), options.probeEveryMs) : undefined;
      const edit = await report;
      clearInterval(probes);
      refreshing = undefined;
      if (edit === undefined) record.failure = "no report";
      else {
        record.repliedAt = edit.receivedAt;
        const title = (edit.body as ReplyBody).embeds?.[0]?.title;
        if (title !== "Corpus refreshed") record.failure = `report titled ${JSON.stringify(title)}`;
      }
      await new Promise((resolve) => setTimeout(resolve, options.pauseMs));
    }
  } finally {
    busyLoop.disable();
    clearInterval(timer);
    await Promise.all(pending);
    standIn.events.off("request", replies.onRequest);
    await bot.stop();
    await standIn.close();
    rmSync(dir, { recursive: true, force: true });
  }

  // Judge every answer against the corpus versions in service while it waited.
  const windows = serviceWindows(ledger.states, refreshes);
  for (const q of questions) {
    if (q.repliedAt === undefined) continue;
    const live = windows.filter((w) => w.from <= q.repliedAt! && q.sentAt <= w.until).map((w) => w.state);
    Object.assign(q, judgeAnswer(q.excerpts, q.ship, live));
  }
  const delay = (h: IntervalHistogram): LoopDelay => ({ p99: h.percentile(99) / 1e6, max: h.max / 1e6 });
  return { questions, refreshes, botProblems, loopDelay: { quiet: delay(quietLoop), refreshes: delay(busyLoop) } };
}

/**
 * When each corpus version may have been in service: version 0 from the start, version n from its /refresh being
 * sent; each until the reply to the next successful /refresh (after which that one serves). A failed refresh's
 * version never served; the next successful one reads the files as they then are.
 */
function serviceWindows(states: readonly LedgerState[], refreshes: readonly RefreshRecord[]): { state: LedgerState; from: number; until: number }[] {
  const served = [{ version: 0, from: -Infinity }, ...refreshes.filter((r) => r.failure === undefined).map((r) => ({ version: r.version, from: r.sentAt }))];
  return served.map((s, i) => {
    const next = served[i + 1];
    const until = next === undefined ? Infinity : refreshes.find((r) => r.version === next.version)!.repliedAt!;
    return { state: states[s.version]!, from: s.from, until };
  });
}

export interface LoadSummary {
  refreshes: number;
  refreshFailures: number;
  questions: number;
  failed: number;
  mixed: number;
  missed: number;
  /** Round trips (ms) of the questions answered without (after the warm-up) and during refreshes, and of the /refresh reports. */
  quietMs: number[];
  busyMs: number[];
  refreshMs: number[];
}

export function summarize(result: LoadResult): LoadSummary {
  const answered = result.questions.filter((q) => q.repliedAt !== undefined);
  return {
    refreshes: result.refreshes.length,
    refreshFailures: result.refreshes.filter((r) => r.failure !== undefined).length,
    questions: result.questions.length,
    failed: result.questions.filter((q) => q.failure !== undefined).length,
    mixed: result.questions.filter((q) => q.mixed).length,
    missed: result.questions.filter((q) => q.missed).length,
    quietMs: answered.filter((q) => q.phase === "quiet").map((q) => q.repliedAt! - q.sentAt),
    busyMs: answered.filter((q) => q.phase === "refreshes").map((q) => q.repliedAt! - q.sentAt),
    refreshMs: result.refreshes.filter((r) => r.repliedAt !== undefined).map((r) => r.repliedAt! - r.sentAt),
  };
}

/** The load test's table (Markdown). */
export function loadTable(s: LoadSummary, options: LoadOptions): string {
  const ms = (values: number[], p: number) => (values.length === 0 ? "–" : percentile(values, p).toFixed(1));
  return [
    "| questions | refreshes (failed) | questions asked | failed | mixed-version answers | ship not quoted | p50 ms | p99 ms | refresh p50 ms | refresh p99 ms |",
    "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    `| ${options.questionsPerSecond}/s, no refresh | 0 | ${s.quietMs.length} | | | | ${ms(s.quietMs, 50)} | ${ms(s.quietMs, 99)} | | |`,
    `| ${options.questionsPerSecond}/s, during refreshes | ${s.refreshes} (${s.refreshFailures}) | ${s.busyMs.length} | | | | ${ms(s.busyMs, 50)} | ${ms(s.busyMs, 99)} | ${ms(s.refreshMs, 50)} | ${ms(s.refreshMs, 99)} |`,
    `| all | ${s.refreshes} (${s.refreshFailures}) | ${s.questions} | ${s.failed} | ${s.mixed} | ${s.missed} | | | | |`,
  ].join("\n");
}
