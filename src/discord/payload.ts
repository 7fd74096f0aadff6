/**
 * The shape of every reply the bot sends, and the one setting all of them share: no pings, ever.
 */
import type { APIActionRowComponent, APIComponentInMessageActionRow, APIEmbed } from "discord.js";
import { DiscordLimits } from "./limits.js";

export type ActionRow = APIActionRowComponent<APIComponentInMessageActionRow>;

/** A message body the handlers send with reply/update/editReply/followUp (flags are added by the handler). */
export interface ReplyPayload {
  content?: string;
  embeds: APIEmbed[];
  components: ActionRow[];
  allowedMentions: { parse: never[]; repliedUser: false };
}

/** A reply body; `allowedMentions` pings nobody: not @everyone/@here, not roles, not users, not the person replied to. */
export function payload(parts: { content?: string; embeds?: APIEmbed[]; components?: ActionRow[] }): ReplyPayload {
  const out: ReplyPayload = {
    embeds: parts.embeds ?? [],
    components: parts.components ?? [],
    allowedMentions: { parse: [], repliedUser: false },
  };
  if (parts.content !== undefined) out.content = parts.content;
  return out;
}

/** Characters counted towards the 6000 per-message embed total. */
export function embedLength(embed: APIEmbed): number {
  let n = (embed.title?.length ?? 0) + (embed.description?.length ?? 0);
  n += embed.footer?.text.length ?? 0;
  n += embed.author?.name.length ?? 0;
  for (const field of embed.fields ?? []) n += field.name.length + field.value.length;
  return n;
}

/** Every Discord limit a payload breaks (empty when it is fine). Used by tests and as a last check before sending. */
export function limitViolations(body: { content?: string; embeds?: APIEmbed[]; components?: ActionRow[] }): string[] {
  const L = DiscordLimits;
  const problems: string[] = [];
  if ((body.content?.length ?? 0) > L.content) problems.push(`content ${body.content?.length} > ${L.content}`);
  const embeds = body.embeds ?? [];
  if (embeds.length > L.embedsPerMessage) problems.push(`${embeds.length} embeds > ${L.embedsPerMessage}`);
  let total = 0;
  embeds.forEach((e, i) => {
    if ((e.title?.length ?? 0) > L.embedTitle) problems.push(`embed ${i} title ${e.title?.length} > ${L.embedTitle}`);
    if ((e.description?.length ?? 0) > L.embedDescription) problems.push(`embed ${i} description ${e.description?.length} > ${L.embedDescription}`);
    if ((e.footer?.text.length ?? 0) > L.embedFooter) problems.push(`embed ${i} footer > ${L.embedFooter}`);
    if ((e.author?.name.length ?? 0) > L.embedAuthorName) problems.push(`embed ${i} author > ${L.embedAuthorName}`);
    const fields = e.fields ?? [];
    if (fields.length > L.embedFields) problems.push(`embed ${i} has ${fields.length} fields > ${L.embedFields}`);
    fields.forEach((f, j) => {
      if (f.name.length > L.embedFieldName) problems.push(`embed ${i} field ${j} name ${f.name.length} > ${L.embedFieldName}`);
      if (f.value.length > L.embedFieldValue) problems.push(`embed ${i} field ${j} value ${f.value.length} > ${L.embedFieldValue}`);
    });
    total += embedLength(e);
  });
  if (total > L.embedsTotal) problems.push(`embeds total ${total} > ${L.embedsTotal}`);
  const rows = body.components ?? [];
  if (rows.length > L.actionRows) problems.push(`${rows.length} action rows > ${L.actionRows}`);
  for (const row of rows) {
    if (row.components.length > L.buttonsPerRow) problems.push(`row of ${row.components.length} components > ${L.buttonsPerRow}`);
    for (const c of row.components) {
      if ("custom_id" in c && c.custom_id.length > L.customId) problems.push(`custom_id '${c.custom_id}' > ${L.customId}`);
    }
  }
  return problems;
}
