/**
 * Answers → Discord messages (embeds and buttons). Pure functions: no client, no I/O.
 * Every piece of corpus or user text goes through markdown.ts (cut, then escape), and every result
 * stays within DiscordLimits by construction.
 */
import { ButtonStyle, ComponentType, type APIEmbed } from "discord.js";
import { describeSource, type SourceStyle } from "../core/describe.js";
import { describePlace } from "../core/place.js";
import type { Answer, Citation, DocumentMeta, Excerpt } from "../core/types.js";
import { encodeButtonId } from "./custom-id.js";
import { DiscordLimits } from "./limits.js";
import { cutStart, escapeText, fitEscaped, fitHighlighted, fitRendered, plainFit, safeUrl } from "./markdown.js";
import { payload, type ActionRow, type ReplyPayload } from "./payload.js";

/** Excerpts shown per page of an answer. */
export const EXCERPTS_PER_PAGE = 3;

export const Colors = {
  answer: 0x2b7bb9,
  unsure: 0x8d9db6,
  declined: 0x9e9e9e,
  context: 0x5c6bc0,
  warning: 0xe0a800,
  error: 0xc0392b,
  ok: 0x2e9d57,
} as const;

/** Raw-length caps on metadata, so one long title cannot crowd out the excerpt. */
const MAX_TITLE_CHARS = 120;
const MAX_OUTLET_CHARS = 60;
/** Extra citations named per excerpt before "and N more". */
const MAX_ALSO_IN = 3;
/** Rendered characters of one excerpt at most (a "sentence" without punctuation can be pages long). */
const MAX_EXCERPT_CHARS = 1000;

export function pageCount(answer: Answer, pageSize = EXCERPTS_PER_PAGE): number {
  return Math.ceil(answer.excerpts.length / pageSize);
}

export function pageExcerpts(answer: Answer, page: number, pageSize = EXCERPTS_PER_PAGE): Excerpt[] {
  return answer.excerpts.slice(page * pageSize, (page + 1) * pageSize);
}

/** Source parts escaped and cut, so one long title or outlet cannot crowd out the excerpt. */
const DISCORD_SOURCE: SourceStyle = {
  title: (title) => `*${fitEscaped(title, MAX_TITLE_CHARS)}*`,
  detail: (detail, kind) => fitEscaped(detail, kind === "by" ? MAX_OUTLET_CHARS : 40),
};

/** "*Title* — outlet, date" (escaped; no link): core/describe.ts's description in Discord's style. */
export function describeCitedSource(documentId: string, meta: DocumentMeta): string {
  return describeSource({ ...meta, title: meta.title || documentId }, DISCORD_SOURCE);
}

const describeCitation = (citation: Citation) => describeCitedSource(citation.documentId, citation.meta);

/** Where in its document a citation points: "p. 12", "Results › Costs" (escaped), "line 3". */
function placeOf(citation: Citation): string {
  return describePlace(citation.location, (heading) => fitEscaped(heading, MAX_TITLE_CHARS));
}

/** "*Title* — outlet · p. 12". */
function withPlace(citation: Citation): string {
  const place = placeOf(citation);
  return place === "" ? describeCitation(citation) : `${describeCitation(citation)} · ${place}`;
}

/** The citation line of an excerpt: source, where in it, link when known. */
export function citationLine(citation: Citation): string {
  const url = safeUrl(citation.meta.url);
  const parts = [describeCitation(citation), placeOf(citation)].filter((p) => p !== "");
  if (url !== undefined) parts.push(`[link](${url})`);
  return parts.join(" · ");
}

/** "also in *B* — outlet (line 3), *C* (line 7) and 2 more", or "" with no extra citations. */
export function alsoInLine(citations: readonly Citation[], maxShown = MAX_ALSO_IN): string {
  const extra = citations.slice(1);
  if (extra.length === 0) return "";
  if (maxShown <= 0) return `also in ${extra.length} other document${extra.length === 1 ? "" : "s"}`;
  const shown = extra.slice(0, maxShown).map((c) => {
    const url = safeUrl(c.meta.url);
    const where = [placeOf(c), url === undefined ? "" : `[link](${url})`].filter((p) => p !== "").join(", ");
    return where === "" ? describeCitation(c) : `${describeCitation(c)} (${where})`;
  });
  const more = extra.length - shown.length;
  return `also in ${shown.join("; ")}${more > 0 ? ` and ${more} more` : ""}`;
}

/** One numbered excerpt block, at most `budget` characters. */
export function excerptBlock(excerpt: Excerpt, number: number, budget: number): string {
  const head = `**[${number}]** `;
  const own = excerpt.citations[0];
  // The citation lines, fullest first; the first that leaves room for a readable excerpt is used.
  const ownLine = own === undefined ? "" : `\n↳ ${citationLine(own)}`;
  const bareOwnLine = own === undefined ? "" : `\n↳ ${withPlace(own)}`;
  const also = (n: number): string => {
    const line = alsoInLine(excerpt.citations, n);
    return line === "" ? "" : `\n↳ ${line}`;
  };
  const variants = [ownLine + also(MAX_ALSO_IN), ownLine + also(1), ownLine + also(0), bareOwnLine + also(0), bareOwnLine, ""];
  const minExcerpt = Math.min(200, Math.floor(budget / 3));
  const tail = variants.find((t) => head.length + minExcerpt + 2 + t.length <= budget) ?? "";
  const room = Math.min(MAX_EXCERPT_CHARS, budget - head.length - tail.length - 2);
  const text = fitHighlighted(excerpt.text, excerpt.highlights, room);
  return `${head}“${text}”${tail}`;
}

/** The question as an embed title: “…”, escaped, within 256. */
export function questionTitle(question: string): string {
  const q = question.replace(/\s+/g, " ").trim();
  return `“${fitEscaped(q, DiscordLimits.embedTitle - 2)}”`;
}

export interface AnswerView {
  /** 0-based page. */
  page: number;
  /** Answer-cache key for the buttons; without one the message has no buttons. */
  key?: string;
  pageSize?: number;
  /** Show the "Remove" button (not on ephemeral answers, which their reader can dismiss). Default true. */
  removable?: boolean;
}

/** Leads an answer the engine is not sure of: the excerpts are the closest passages, and said to be. */
export const UNSURE_LEAD = "*I'm not sure these answer your question — the closest passages in the documents:*";

/** An answered question: one embed with up to `pageSize` cited excerpts, "More results" and "Context" buttons. */
export function formatAnswer(answer: Answer, view: AnswerView): ReplyPayload {
  const pageSize = view.pageSize ?? EXCERPTS_PER_PAGE;
  const pages = pageCount(answer, pageSize);
  const page = Math.max(0, Math.min(view.page, pages - 1));
  const shown = pageExcerpts(answer, page, pageSize);
  const first = page * pageSize;
  const separator = "\n\n";
  const lead = answer.confidence === "low" ? UNSURE_LEAD + separator : "";
  const budget = Math.floor((DiscordLimits.embedDescription - lead.length - separator.length * (shown.length - 1)) / Math.max(1, shown.length));
  const description = lead + shown.map((e, i) => excerptBlock(e, first + i + 1, budget)).join(separator);
  const total = answer.excerpts.length;
  const range = shown.length === 1 ? `Excerpt ${first + 1}` : `Excerpts ${first + 1}–${first + shown.length}`;
  const embed: APIEmbed = {
    color: answer.confidence === "low" ? Colors.unsure : Colors.answer,
    title: questionTitle(answer.question),
    description,
    footer: { text: `${range} of ${total} · quoted from the documents, not written by the bot · /sources lists them` },
  };
  const components: ActionRow[] = [];
  if (view.key !== undefined) {
    components.push({
      type: ComponentType.ActionRow,
      components: [
        {
          type: ComponentType.Button,
          style: ButtonStyle.Primary,
          label: page + 1 < pages ? `More results (${page + 2}/${pages})` : "No more results",
          custom_id: encodeButtonId({ action: "more", key: view.key, page: page + 1 }),
          disabled: page + 1 >= pages,
        },
        {
          type: ComponentType.Button,
          style: ButtonStyle.Secondary,
          label: "Context",
          custom_id: encodeButtonId({ action: "context", key: view.key, page }),
        },
        ...feedbackButtons(view.key, view.removable ?? true),
      ],
    });
  }
  return payload({ embeds: [embed], components });
}

/** 👍, 👎 and (unless `removable` is false) "Remove": the buttons every public answer carries. */
export function feedbackButtons(key: string, removable: boolean): ActionRow["components"] {
  const button = (action: "up" | "down" | "delete", style: ButtonStyle.Secondary | ButtonStyle.Danger, look: { emoji?: string; label?: string }) => ({
    type: ComponentType.Button as const,
    style,
    custom_id: encodeButtonId({ action, key, page: 0 }),
    ...(look.emoji === undefined ? {} : { emoji: { name: look.emoji } }),
    ...(look.label === undefined ? {} : { label: look.label }),
  });
  const buttons: ActionRow["components"] = [button("up", ButtonStyle.Secondary, { emoji: "👍" }), button("down", ButtonStyle.Secondary, { emoji: "👎" })];
  if (removable) buttons.push(button("delete", ButtonStyle.Danger, { label: "Remove" }));
  return buttons;
}

/** The sentences around each excerpt of a page, excerpt in bold. */
export function formatContext(answer: Answer, page: number, pageSize = EXCERPTS_PER_PAGE): ReplyPayload {
  const shown = pageExcerpts(answer, page, pageSize);
  const first = page * pageSize;
  const separator = "\n\n";
  const budget = Math.floor((DiscordLimits.embedDescription - separator.length * (shown.length - 1)) / Math.max(1, shown.length));
  const blocks = shown.map((excerpt, i) => {
    const own = excerpt.citations[0];
    const head = `**[${first + i + 1}]** ${own === undefined ? "" : withPlace(own)}\n`;
    const room = budget - head.length;
    const before = excerpt.context.before.join(" ");
    const after = excerpt.context.after.join(" ");
    const main = fitRendered(excerpt.text, Math.floor(room * 0.5), (c) => (c.text === "" ? "" : `**${escapeText(c.text)}**`));
    const sideRoom = room - main.length - 2;
    const beforeRoom = after === "" ? sideRoom : before === "" ? 0 : Math.floor(sideRoom / 2);
    const beforeText = fitRendered(before, beforeRoom, (c) => escapeText(c.text), cutStart);
    const afterText = fitEscaped(after, sideRoom - beforeText.length);
    const body = [beforeText, main, afterText].filter((s) => s !== "").join(" ");
    const none = before === "" && after === "" ? "\n*(no neighbouring sentences: the excerpt stands alone in its document)*" : "";
    return `${head}${body}${none.length <= room - body.length ? none : ""}`;
  });
  const last = first + shown.length;
  const embed: APIEmbed = {
    color: Colors.context,
    title: shown.length === 1 ? `Context of excerpt ${first + 1}` : `Context of excerpts ${first + 1}–${last}`,
    description: blocks.join(separator) || "No excerpts on this page.",
    footer: { text: "The excerpt is in bold, with the sentences around it in its document." },
  };
  return payload({ embeds: [embed] });
}

export interface DeclineOptions {
  /** Words describing the corpus (KnowledgeBase.topics). */
  topics: readonly string[];
  maxQuestionChars: number;
}

/** A declined question: empty, too long, or not answered by the corpus. */
export function formatDecline(answer: Answer, options: DeclineOptions): ReplyPayload {
  const question = answer.question.trim();
  let title: string;
  let description: string;
  switch (answer.reason) {
    case "too-long":
      title = "That question is too long";
      description =
        `Your question is ${question.length} characters long; the limit is ${options.maxQuestionChars}. ` +
        "Please shorten it to the key words and ask again.";
      break;
    case "empty":
      title = "What would you like to know?";
      description =
        question === ""
          ? "Ask me a question about the documents, for example `/ask question: how was the call intercepted?`, or mention me followed by your question."
          : `${questionTitle(question)} has no words I can search for (only very common ones). Add the names or terms you are asking about.`;
      break;
    default: {
      title = "Not in my documents";
      const topics = options.topics.filter((t) => t.trim() !== "").slice(0, 12);
      // topics may be words ("taurus, leak") or phrases with commas of their own ("A; B")
      const separator = topics.some((t) => t.includes(",")) ? "; " : ", ";
      const about = topics.length > 0 ? `\nThey are about ${fitEscaped(topics.join(separator), 400)}.` : "";
      description =
        `I couldn't find an answer to ${questionTitle(question)} in the documents I answer from.${about}\n` +
        "Use `/sources` to see what they are, or rephrase with words the documents would use.";
    }
  }
  const embed: APIEmbed = { color: Colors.declined, title, description };
  return payload({ embeds: [embed] });
}

/** A short notice (cooldown, expired button, refusals, errors): plain content, escaped by the caller where needed. */
export function notice(text: string): ReplyPayload {
  return payload({ content: plainFit(text, DiscordLimits.content) });
}

export function cooldownNotice(secondsLeft: number): ReplyPayload {
  const s = Math.max(1, Math.ceil(secondsLeft));
  return notice(`Please wait ${s} second${s === 1 ? "" : "s"} before asking another question.`);
}

export const EXPIRED_NOTICE =
  "This answer has expired (buttons work for a while after the question). Ask again with `/ask` to get fresh results.";

export const RATE_LIMIT_NOTICE = (seconds: number): string =>
  `You're pressing buttons quickly; please wait ${Math.max(1, Math.ceil(seconds))} s and try again.`;

export const ERROR_NOTICE = "Sorry, something went wrong while handling that. The problem has been logged; please try again in a moment.";
