/**
 * The load test on a small scale (bench/discord-load.ts; `npm run bench:discord` runs it with 100 refreshes at
 * 50 questions a second): moderators' /refresh after adding, changing and removing harbour-ledger files, while
 * /ask and @mentions arrive through the loopback stand-in with the real discord.js client and the real bot.
 * No question may fail, and every answer must come from one whole corpus version that was in service while it waited.
 */
import { describe, expect, it } from "vitest";
import { HarbourLedger, judgeAnswer, shipExcerpts, shipName, shipText, shipTitle } from "../../bench/harbour-ledger.js";
import { runDiscordLoad, summarize } from "../../bench/discord-load.js";
import { tempCorpus } from "../temp-folder.js";

describe("the harbour ledger's answer check", () => {
  const kalo = shipName(0);
  const other = shipName(1);
  /** A ship sentence as the bot shows it: numbered, matches in bold, escaped, with its citation line(s). */
  const block = (ship: string, version: number, line: 0 | 1, alsoIn: string[] = []) => {
    const sentence = shipText(ship, version).split("\n\n").filter((p) => p.startsWith("The ship"))[line]!.trim();
    const also = alsoIn.length === 0 ? "" : `\n↳ also in ${alsoIn.map((t) => `*${t}* (line 5)`).join("; ")}`;
    return `“${sentence.replace(ship, `**${ship}**`).replace(".", "\\.")}”\n↳ *${shipTitle(ship, version)}* · line ${5 + 2 * line}${also}`;
  };
  const reply = (...blocks: string[]) => blocks.map((b, i) => `**[${i + 1}]** ${b}`).join("\n\n");
  const elsewhere = "“Pistorius said the line was not secure\\.”\n↳ *German officer used non\\-secure line* — The Guardian · line 9";

  it("reads the ship and version of each quoted ship sentence and cited ship file, through bold and escapes, and skips other excerpts", () => {
    expect(shipExcerpts(reply(block(kalo, 17, 0), elsewhere, block(kalo, 17, 1)))).toEqual([
      { ship: kalo, version: 17 },
      { ship: kalo, version: 17 },
      { ship: kalo, version: 17 },
      { ship: kalo, version: 17 },
    ]);
    // a sentence the engine merged with a near-identical one of another file names that file's version too
    expect(shipExcerpts(reply(block(kalo, 5, 0, [shipTitle(kalo, 3)])))).toContainEqual({ ship: kalo, version: 3 });
  });

  it("flags an answer quoting two versions of one file, or files no single corpus version held together", () => {
    const before = new Map([
      [kalo, 3],
      [other, 0],
    ]);
    const after = new Map([[kalo, 5]]); // Kalo changed to v5 and the other ship removed in one refresh
    const judge = (text: string) => judgeAnswer(shipExcerpts(text), kalo, [before, after]);
    expect(judge(reply(block(kalo, 3, 0), block(kalo, 5, 1)))).toEqual({ mixed: true, missed: false });
    expect(judge(reply(block(kalo, 5, 0, [shipTitle(kalo, 3)])))).toEqual({ mixed: true, missed: false });
    expect(judge(reply(block(kalo, 5, 0), block(other, 0, 0)))).toEqual({ mixed: true, missed: false });
    expect(judge(reply(block(kalo, 3, 0), block(kalo, 3, 1), block(other, 0, 0)))).toEqual({ mixed: false, missed: false });
    expect(judge(reply(block(kalo, 5, 1), elsewhere))).toEqual({ mixed: false, missed: false });
    // a version that was not in service while the question waited
    expect(judgeAnswer(shipExcerpts(reply(block(kalo, 3, 0))), kalo, [after])).toEqual({ mixed: true, missed: false });
    // Kalo was in every corpus version in service, yet not quoted
    expect(judge(reply(elsewhere))).toEqual({ mixed: false, missed: true });
    expect(judgeAnswer([], other, [before, after]).missed).toBe(false); // removed meanwhile: not quoting it is right
  });

  it("changes the files in turn: add, change, remove", async () => {
    const ledger = new HarbourLedger(await tempCorpus({}), 3);
    const changes = Array.from({ length: 6 }, () => ledger.next());
    expect(changes.map((c) => c.change)).toEqual(["add", "change", "remove", "add", "change", "remove"]);
    expect(ledger.states.map((s) => s.size)).toEqual([3, 4, 4, 3, 4, 4, 3]);
    expect(ledger.states[2]!.get(changes[1]!.ship)).toBe(2);
    expect(ledger.states[3]!.has(changes[2]!.ship)).toBe(false);
  });
});

describe("under load", () => {
  it("10 refreshes while 20 questions a second arrive: every question answered, each answer from one corpus version in service", async () => {
    const options = { refreshes: 10, questionsPerSecond: 20, warmUpSeconds: 0, quietSeconds: 1, pauseMs: 50, probeEveryMs: 5 };
    const result = await runDiscordLoad(options);
    const summary = summarize(result);
    const problems = result.questions
      .filter((q) => q.failure !== undefined || q.mixed || q.missed)
      .map((q) => `${q.surface} “${q.text}”: ${q.failure ?? (q.mixed ? "mixed versions" : "ship not quoted")} ${JSON.stringify(q.excerpts.map((e) => `${e.ship} v${e.version}`))}`);
    expect(problems).toEqual([]);
    expect(result.refreshes.filter((r) => r.failure !== undefined)).toEqual([]);
    expect(result.botProblems).toEqual([]);
    expect(summary.refreshes).toBe(10);
    expect(summary.questions).toBeGreaterThanOrEqual(20 * 1.5); // the rate held: at least the quiet second and a bit
    // the check had something to check: ship questions answered from their file, some while a refresh ran
    const quoted = result.questions.filter((q) => q.ship !== undefined && q.excerpts.some((e) => e.ship === q.ship));
    expect(quoted.length).toBeGreaterThan(summary.questions / 3);
    expect(quoted.filter((q) => q.phase === "refreshes").length).toBeGreaterThan(5);
  }, 60_000);
});
