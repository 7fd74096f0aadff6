/** /settings and /stats replies stay within Discord's limits at their largest. */
import { describe, expect, it } from "vitest";
import { formatSettings } from "../../src/discord/commands/settings.js";
import { formatStats } from "../../src/discord/format-stats.js";
import { limitViolations } from "../../src/discord/payload.js";
import { doc } from "./fakes.js";

const ids = (n: number, base: bigint) => Array.from({ length: n }, (_, i) => String(base + BigInt(i)));

describe("limits", () => {
  it("/settings show with 25 ask channels and 25 moderator roles", () => {
    const embed = formatSettings(
      { askChannelIds: ids(25, 10000000000000000000n), moderatorRoleIds: ids(25, 11000000000000000000n), cooldownSeconds: 3600, askChannelThreads: true, modLogChannelId: "12345678901234567890" },
      {},
      false,
    );
    expect(limitViolations({ embeds: [embed] })).toEqual([]);
  });

  it("/stats with long questions, many documents and long titles", () => {
    const long = (i: number) => ({ question: `${"why ".repeat(200)}${i}`, count: 1000 - i });
    const documents = Array.from({ length: 300 }, (_, i) => doc(`d${i}.txt`, { title: `${"A very long title ".repeat(20)}${i}` }));
    const embed = formatStats({
      rows: {
        days: [{ day: 20000, asked: 10, answered: 5 }],
        up: 1,
        down: 2,
        declined: Array.from({ length: 5 }, (_, i) => long(i)),
        disliked: Array.from({ length: 5 }, (_, i) => long(i)),
        cited: documents.slice(0, 150).map((d, i) => ({ documentId: d.id, cited: 500 - i })),
      },
      days: 30,
      sinceDay: 19971,
      documents,
      questionLogDays: 30,
      problem: "writing to the database has failed since 2026-11-29 10:00 UTC",
      withChart: true,
    });
    expect(limitViolations({ embeds: [embed] })).toEqual([]);
  });
});
