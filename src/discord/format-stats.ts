/** /stats as a Discord embed: pure, within Discord's limits. */
import type { APIEmbed } from "discord.js";
import type { IndexedDocument } from "../core/types.js";
import { DAY_MS, type GroupedQuestion, type StatsRows } from "../store/store.js";
import type { ChartDay } from "../stats/chart.js";
import { Colors } from "./format.js";
import { DiscordLimits } from "./limits.js";
import { fitEscaped } from "./markdown.js";

export const CHART_FILE = "lookout-stats.png";

/** Every day of the window, oldest first, with zeros for days without questions. */
export function chartDays(rows: StatsRows, sinceDay: number, days: number): ChartDay[] {
  const byDay = new Map(rows.days.map((d) => [d.day, d]));
  return Array.from({ length: days }, (_, i) => {
    const day = sinceDay + i;
    const row = byDay.get(day);
    return { date: new Date(day * DAY_MS).toISOString().slice(0, 10), asked: row?.asked ?? 0, answered: row?.answered ?? 0 };
  });
}

/** Numbered lines, as many as fit in an embed field. */
function fieldList(lines: readonly string[], empty: string): string {
  let out = "";
  for (const line of lines) {
    const next = out === "" ? line : `${out}\n${line}`;
    if (next.length > DiscordLimits.embedFieldValue) break;
    out = next;
  }
  return out === "" ? empty : out;
}

const questionLines = (groups: readonly GroupedQuestion[]) => groups.map((g, i) => `${i + 1}. “${fitEscaped(g.question.replace(/\s+/g, " "), 150)}” ×${g.count}`);

export interface StatsView {
  rows: StatsRows;
  days: number;
  sinceDay: number;
  documents: readonly Pick<IndexedDocument, "id" | "meta">[];
  questionLogDays: number;
  /** Set when the log is not being written (figures may be incomplete). */
  problem?: string;
  withChart: boolean;
}

export function formatStats(view: StatsView): APIEmbed {
  const { rows } = view;
  const asked = rows.days.reduce((n, d) => n + d.asked, 0);
  const answered = rows.days.reduce((n, d) => n + d.answered, 0);
  const share = asked === 0 ? "—" : `${Math.round((100 * answered) / asked)} %`;
  const title = (id: string) => view.documents.find((d) => d.id === id)?.meta.title ?? id;
  const citedIds = new Set(rows.cited.map((c) => c.documentId));
  const never = view.documents.filter((d) => !citedIds.has(d.id));
  const description = [
    `**${asked}** question${asked === 1 ? "" : "s"} asked · **${share}** answered · 👍 **${rows.up}** · 👎 **${rows.down}**`,
    ...(view.problem === undefined ? [] : [`⚠ The question log is unavailable: ${view.problem}. These figures may be incomplete; answers are unaffected.`]),
  ].join("\n");
  return {
    color: Colors.context,
    title: `Questions in the last ${view.days} day${view.days === 1 ? "" : "s"}`,
    description,
    fields: [
      { name: "Most asked, not answered", value: fieldList(questionLines(rows.declined), "none") },
      { name: "Most 👎", value: fieldList(questionLines(rows.disliked), "none") },
      { name: "Documents cited most", value: fieldList(rows.cited.slice(0, 10).map((c, i) => `${i + 1}. ${fitEscaped(title(c.documentId), 120)} — ${c.cited}`), "none") },
      { name: "Documents never cited", value: fieldList(never.map((d) => `• ${fitEscaped(d.meta.title || d.id, 120)}`), "none: every document was cited") },
    ],
    ...(view.withChart ? { image: { url: `attachment://${CHART_FILE}` } } : {}),
    footer: {
      text: `Rewordings of a question count once. Question texts are kept ${view.questionLogDays} days; counts longer. /stats export gives the questions as CSV.`,
    },
  };
}
