/**
 * The corpus itself → Discord messages: /sources, /source (and its autocomplete), /refresh reports, /help.
 * Pure functions, like format.ts.
 */
import type { APIEmbed, APIEmbedField, APIApplicationCommandOptionChoice } from "discord.js";
import type { KnowledgeBase, RefreshReport } from "../core/contracts.js";
import type { LoadCounts } from "../corpus/library.js";
import type { IndexedDocument, SkippedFile } from "../core/types.js";

/** What the corpus commands show of a document. */
type ListedDocument = Pick<IndexedDocument, "id" | "meta" | "bytes">;
import { formatBytes } from "../core/describe.js";
import { Colors, describeCitedSource } from "./format.js";
import { DiscordLimits } from "./limits.js";
import { fitEscaped, plainFit, safeUrl } from "./markdown.js";
import { payload, type ReplyPayload } from "./payload.js";

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/**
 * Escaped items joined by `separator`, as many as fit in `max` characters, then "and N more".
 * Each item is cut to `itemMax` raw characters first.
 */
export function listWithin(items: readonly string[], max: number, separator = ", ", itemMax = 200): string {
  const pieces: string[] = [];
  let length = 0;
  for (let i = 0; i < items.length; i++) {
    const piece = fitEscaped(items[i] ?? "", itemMax);
    const added = (pieces.length > 0 ? separator.length : 0) + piece.length;
    const remaining = items.length - i - 1;
    // keep room for "and N more" in case a later item does not fit
    const reserve = remaining > 0 ? separator.length + `and ${remaining} more`.length : 0;
    if (length + added + reserve > max) {
      const note = `and ${items.length - i} more`;
      return pieces.length > 0 ? `${pieces.join(separator)}${separator}${note}` : note;
    }
    pieces.push(piece);
    length += added;
  }
  return pieces.join(separator);
}

/** /sources: every document with outlet, date and size, as many as fit. */
export function formatSources(kb: KnowledgeBase, skipped: readonly SkippedFile[]): ReplyPayload {
  const docs = kb.documents;
  const lines: string[] = [];
  let length = 0;
  const room = DiscordLimits.embedDescription - 40; // for the "…and N more" line
  let shown = 0;
  for (const doc of docs) {
    const url = safeUrl(doc.meta.url);
    const line = `**${shown + 1}.** ${describeCitedSource(doc.id, doc.meta)} · ${formatBytes(doc.bytes)}${url === undefined ? "" : ` · [link](${url})`}`;
    if (length + line.length + 1 > room) break;
    lines.push(line);
    length += line.length + 1;
    shown++;
  }
  if (shown < docs.length) lines.push(`…and ${docs.length - shown} more. Use \`/source\` to look one up by name.`);
  if (docs.length === 0) lines.push("The corpus is empty: no documents could be loaded.");
  const footer = [plural(docs.length, "document"), plural(kb.sentenceCount, "sentence")];
  if (skipped.length > 0) footer.push(`${plural(skipped.length, "file")} skipped (moderators: /refresh shows why)`);
  const embed: APIEmbed = {
    color: Colors.answer,
    title: "The documents I answer from",
    description: lines.join("\n"),
    footer: { text: footer.join(" · ") },
  };
  return payload({ embeds: [embed] });
}

/** The first non-blank lines of a document, quoted and escaped, within `max` characters. */
export function openingLines(text: string, max: number, maxLines = 8): string {
  const out: string[] = [];
  let length = 0;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/\s+/g, " ").trim();
    if (line === "") continue;
    const room = max - length - 3; // "> " and the newline
    if (room < 20) break;
    const rendered = `> ${fitEscaped(line, Math.min(room, 400))}`;
    out.push(rendered);
    length += rendered.length + 1;
    if (out.length >= maxLines) break;
  }
  return out.join("\n");
}

/**
 * /source: one document's details and opening lines. The knowledge base keeps no document texts, so
 * `opening` is what the caller has of its beginning (its first sentences, one per line); `sentences`, its
 * count of answerable sentences, when known.
 */
export function formatSource(doc: ListedDocument, opening: string, sentences?: number): ReplyPayload {
  const { meta } = doc;
  const fields: APIEmbedField[] = [];
  /** Corpus-supplied values are escaped; our own (sizes, counts) are shown as they are. */
  const add = (name: string, value: string | undefined, options: { inline?: boolean; trusted?: boolean } = {}): void => {
    if (value === undefined || value.trim() === "") return;
    const shown = options.trusted === true ? value : fitEscaped(value, DiscordLimits.embedFieldValue);
    fields.push({ name, value: shown, inline: options.inline ?? true });
  };
  add("Outlet", meta.outlet);
  add("Author", meta.author);
  add("Date", meta.date);
  add("Size", formatBytes(doc.bytes), { trusted: true });
  if (sentences !== undefined) add("Sentences", String(sentences), { trusted: true });
  add("File", doc.id, { inline: false });
  const url = safeUrl(meta.url);
  if (url !== undefined) fields.push({ name: "Link", value: url.length <= DiscordLimits.embedFieldValue ? url : "(too long to show)", inline: false });
  const lines = openingLines(opening, 1500);
  const embed: APIEmbed = {
    color: Colors.answer,
    title: fitEscaped(meta.title || doc.id, DiscordLimits.embedTitle),
    description: lines === "" ? "*(the document has no text)*" : `**Opening lines**\n${lines}`,
    fields,
  };
  if (url !== undefined) embed.url = url;
  return payload({ embeds: [embed] });
}

type Choice = APIApplicationCommandOptionChoice<string>;

/**
 * Autocomplete for /source: exact matches on title or id first, then prefix, then substring matches,
 * alphabetical within each group; at most 25, names and values within 100 characters.
 */
export function documentChoices(documents: readonly ListedDocument[], query: string): Choice[] {
  const q = query.trim().toLowerCase();
  const ranked: Array<{ rank: number; doc: ListedDocument }> = [];
  for (const doc of documents) {
    const title = (doc.meta.title || doc.id).toLowerCase();
    const id = doc.id.toLowerCase();
    let rank: number;
    if (q === "") rank = 0;
    else if (title === q || id === q) rank = 0;
    else if (title.startsWith(q) || id.startsWith(q)) rank = 1;
    else if (title.includes(q) || id.includes(q)) rank = 2;
    else continue;
    ranked.push({ rank, doc });
  }
  ranked.sort((a, b) => a.rank - b.rank || (a.doc.meta.title || a.doc.id).localeCompare(b.doc.meta.title || b.doc.id) || a.doc.id.localeCompare(b.doc.id));
  return ranked.slice(0, DiscordLimits.autocompleteChoices).map(({ doc }) => {
    const title = doc.meta.title || doc.id;
    const label = title === doc.id ? title : `${title} (${doc.id})`;
    return { name: plainFit(label, DiscordLimits.choiceName), value: doc.id.slice(0, DiscordLimits.choiceValue) };
  });
}

export type Resolved<D extends ListedDocument = ListedDocument> = { kind: "found"; doc: D } | { kind: "ambiguous"; candidates: D[] } | { kind: "none" };

/** Finds the document a /source `name` names: its id (or the 100-character start of one), its title, or a unique part of either. */
export function resolveDocument<D extends ListedDocument>(documents: readonly D[], value: string): Resolved<D> {
  const v = value.trim();
  const lower = v.toLowerCase();
  if (v === "") return { kind: "none" };
  const byId = documents.find((d) => d.id === v);
  if (byId !== undefined) return { kind: "found", doc: byId };
  for (const test of [
    (d: D) => d.id.toLowerCase() === lower || (d.meta.title || "").toLowerCase() === lower,
    (d: D) => v.length === DiscordLimits.choiceValue && d.id.startsWith(v),
    (d: D) => d.id.toLowerCase().startsWith(lower) || (d.meta.title || "").toLowerCase().startsWith(lower),
    (d: D) => d.id.toLowerCase().includes(lower) || (d.meta.title || "").toLowerCase().includes(lower),
  ]) {
    const matches = documents.filter(test);
    if (matches.length === 1 && matches[0] !== undefined) return { kind: "found", doc: matches[0] };
    if (matches.length > 1) return { kind: "ambiguous", candidates: matches };
  }
  return { kind: "none" };
}

export function formatSourceNotFound(value: string, resolved: Resolved): ReplyPayload {
  if (resolved.kind === "ambiguous") {
    const names = resolved.candidates.map((d) => d.meta.title || d.id);
    return payload({
      content: `${plural(resolved.candidates.length, "document")} match “${fitEscaped(value, 100)}”: ${listWithin(names, 1500, "; ", 120)}. Pick one from the suggestions as you type.`,
    });
  }
  return payload({ content: `No document is called “${fitEscaped(value, 100)}”. Use \`/sources\` to list them, or pick one from the suggestions as you type.` });
}

/** /refresh succeeded: what changed, what was skipped and why, how long it took. */
export function formatRefreshReport(report: RefreshReport & Partial<LoadCounts>): ReplyPayload {
  const delta = report.sentences - report.sentencesBefore;
  // Only new and changed files are read and analysed; the rest of the index is reused as it is.
  const work = report.reused === undefined ? "" : ` (read ${plural(report.read ?? 0, "file")}, analysed ${report.analysed ?? 0}, reused ${report.reused})`;
  const signed = delta > 0 ? `+${delta}` : String(delta);
  const description = [
    `**Documents:** ${report.documents} (${report.added.length} added, ${report.changed.length} changed, ${report.removed.length} removed)`,
    `**Sentences:** ${report.sentencesBefore} → ${report.sentences} (${signed}: ${report.sentencesAdded} added, ${report.sentencesRemoved} removed)`,
    `**Skipped:** ${plural(report.skipped.length, "file")}`,
    `Took ${Math.round(report.milliseconds)} ms${work}; the new corpus is answering questions now.`,
  ].join("\n");
  const fields: APIEmbedField[] = [];
  const max = DiscordLimits.embedFieldValue;
  if (report.added.length > 0) fields.push({ name: "Added", value: listWithin(report.added, max) });
  if (report.changed.length > 0) fields.push({ name: "Changed", value: listWithin(report.changed, max) });
  if (report.removed.length > 0) fields.push({ name: "Removed", value: listWithin(report.removed, max) });
  if (report.skipped.length > 0) {
    fields.push({ name: "Skipped", value: listWithin(report.skipped.map((s) => `${s.id}: ${s.reason}`), max, "\n", 300) });
  }
  const embed: APIEmbed = {
    color: report.skipped.length > 0 ? Colors.warning : Colors.ok,
    title: "Corpus refreshed",
    description,
    fields,
  };
  return payload({ embeds: [embed] });
}

/** /refresh failed: the error's message (never a stack), and that the previous corpus keeps serving. */
export function formatRefreshFailure(error: unknown, current: KnowledgeBase): ReplyPayload {
  const message = error instanceof Error ? error.message : String(error);
  const firstLine = message.split("\n")[0] ?? "";
  const embed: APIEmbed = {
    color: Colors.error,
    title: "Refresh failed",
    description:
      `${fitEscaped(firstLine || "unknown error", 1500)}\n\n` +
      `Nothing changed: the previous corpus (${plural(current.documents.length, "document")}, ${plural(current.sentenceCount, "sentence")}) keeps answering questions. ` +
      "Fix the problem and run `/refresh` again.",
  };
  return payload({ embeds: [embed] });
}

export interface HelpOptions {
  maxQuestionChars: number;
  cooldownSeconds: number;
  askChannelIds: readonly string[];
  /** False when the Message Content intent is not available, so ask channels cannot work. */
  askChannelsActive: boolean;
  documents: number;
}

export function formatHelp(options: HelpOptions): ReplyPayload {
  const ways = [
    "• `/ask question: …` — add `private: True` to see the answer alone",
    "• mention me followed by your question, e.g. `@Lookout how was the call intercepted?`",
    "• send me a direct message",
  ];
  if (options.askChannelIds.length > 0 && options.askChannelsActive) {
    ways.push(`• write in ${options.askChannelIds.map((id) => `<#${id}>`).join(", ")}`);
  }
  const limits = [`Questions can be up to ${options.maxQuestionChars} characters.`];
  if (options.cooldownSeconds > 0) limits.push(`You can ask one question every ${plural(options.cooldownSeconds, "second")}.`);
  const embed: APIEmbed = {
    color: Colors.answer,
    title: "Lookout — answers from the documents",
    description: [
      `I answer questions with excerpts quoted from ${plural(options.documents, "document")}, each with a numbered citation. I don't make anything up: if the documents don't answer it, I say so.`,
      "",
      "**Ask**",
      ...ways,
      "",
      "**Read more**",
      "• **More results** shows the next excerpts; **Context** shows the sentences around them.",
      "• `/sources` lists the documents; `/source name: …` shows one of them.",
      "",
      limits.join(" "),
      "Moderators: `/refresh` reloads the documents from disk; `/corpus add` and `/corpus remove` add or remove one.",
    ].join("\n"),
  };
  return payload({ embeds: [embed] });
}

