/**
 * /corpus add file:<attachment> [title] [outlet] [author] [date] [url] [replace] and /corpus remove name:<document>
 * (moderators, the same gate as /refresh): change the corpus folder from Discord, then refresh.
 *
 * add: the file's name made safe (src/corpus/file-name.ts), its format one the loader reads, its size within
 * MAX_UPLOAD_BYTES (declared, then counted while downloading), its bytes read by the loader's reader for that
 * format (a file the loader would skip is refused with its reason); never over an existing file without
 * replace:True; the metadata options go into sources.json. remove: the file is moved to CACHE_DIR/trash/, never
 * deleted, and its sources.json entry dropped. Each change is logged (who, what, when), noted in the mod-log
 * channel, and followed by a refresh whose report is the reply; a failed refresh leaves the old corpus serving.
 */
import {
  InteractionContextType,
  MessageFlags,
  SlashCommandBuilder,
  type AutocompleteInteraction,
  type ChatInputCommandInteraction,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
} from "discord.js";
import { formatBytes } from "../../core/describe.js";
import { addDocument, checkMeta, contentProblem, CorpusChangeRefused, download, DownloadRefused, formatProblem, removeDocument, type UploadMeta } from "../../corpus/changes.js";
import { safeFileName } from "../../corpus/file-name.js";
import type { BotContext, CommandSettings } from "../context.js";
import { notice } from "../format.js";
import { documentChoices, formatRefreshFailure, formatRefreshReport, formatSourceNotFound, resolveDocument } from "../format-corpus.js";
import { withShardReloads } from "../format-shards.js";
import { fitEscaped } from "../markdown.js";
import { reloadResult } from "../../sharding/protocol.js";
import { admitModerator, isServerModerator, MODERATOR_PERMISSION, moderatorCommandPermissions, noteInModLog } from "../moderators.js";
import { editRepliesWithProgress } from "../progress-edits.js";

/** How long a download may take. */
export const DOWNLOAD_TIMEOUT_MS = 30_000;

const META_OPTIONS = ["title", "outlet", "author", "date", "url"] as const;

function builder(defaultMemberPermissions: bigint | null) {
  return new SlashCommandBuilder()
    .setName("corpus")
    .setDescription("Add a document to the corpus or remove one (moderators only)")
    .setDefaultMemberPermissions(defaultMemberPermissions)
    .setContexts(InteractionContextType.Guild)
    .addSubcommand((c) => {
      c.setName("add")
        .setDescription("Add a document (text, Markdown, web page, PDF, Word) and refresh")
        .addAttachmentOption((o) => o.setName("file").setDescription("The document").setRequired(true));
      for (const name of META_OPTIONS) {
        c.addStringOption((o) => o.setName(name).setDescription(`The document's ${name}, shown in citations (kept in sources.json)`).setMaxLength(500));
      }
      return c.addBooleanOption((o) => o.setName("replace").setDescription("Replace a document of the same file name (default: refuse)"));
    })
    .addSubcommand((c) =>
      c
        .setName("remove")
        .setDescription("Remove a document (moved to the trash folder, not deleted) and refresh")
        .addStringOption((o) => o.setName("name").setDescription("Title or file name of the document").setRequired(true).setAutocomplete(true)),
    );
}

/** The definition without settings: Discord shows /corpus only to members with Manage Server. */
export const data = builder(MODERATOR_PERMISSION);

/** What `npm run register` sends: shown to moderator roles as /refresh is (see moderatorCommandPermissions). */
export function definition(settings: CommandSettings): RESTPostAPIChatInputApplicationCommandsJSONBody {
  return builder(moderatorCommandPermissions(settings)).toJSON();
}

export async function execute(interaction: ChatInputCommandInteraction, ctx: BotContext): Promise<void> {
  if (!(await admitModerator(interaction, ctx, "change the documents"))) return;
  // Download and refresh can take seconds, beyond Discord's 3 s to answer an interaction.
  await interaction.deferReply({ flags: MessageFlags.Ephemeral });
  if (interaction.options.getSubcommand() === "remove") await remove(interaction, ctx);
  else await add(interaction, ctx);
}

async function refuse(interaction: ChatInputCommandInteraction, ctx: BotContext, what: Record<string, unknown>, why: string): Promise<void> {
  ctx.logger.info({ user: interaction.user.id, guild: interaction.guildId, ...what, reason: why }, "corpus change refused");
  await interaction.editReply(notice(`Not changed: ${why}. The corpus is as it was.`));
}

async function add(interaction: ChatInputCommandInteraction, ctx: BotContext): Promise<void> {
  const attachment = interaction.options.getAttachment("file", true);
  const what = { action: "add", file: attachment.name, size: attachment.size };
  const safe = safeFileName(attachment.name);
  if ("refused" in safe) return refuse(interaction, ctx, what, `${safe.refused} (“${attachment.name}”)`);
  const name = safe.name;
  const wrongType = formatProblem(name);
  if (wrongType !== undefined) return refuse(interaction, ctx, what, `“${name}”: ${wrongType}`);
  const limit = ctx.config.maxUploadBytes;
  const describeLimit = `the limit (${formatBytes(limit)}, MAX_UPLOAD_BYTES)`;
  if (attachment.size > limit) return refuse(interaction, ctx, what, `“${name}” is ${formatBytes(attachment.size)}, larger than ${describeLimit}`);
  const checked = checkMeta(Object.fromEntries(META_OPTIONS.map((o) => [o, interaction.options.getString(o) ?? undefined])) as UploadMeta);
  if ("problem" in checked) return refuse(interaction, ctx, what, checked.problem);

  let bytes: Uint8Array;
  try {
    bytes = await download(attachment.url, { maxBytes: limit, timeoutMs: DOWNLOAD_TIMEOUT_MS, describeLimit });
  } catch (error) {
    if (!(error instanceof DownloadRefused)) throw error;
    return refuse(interaction, ctx, what, `“${name}”: ${error.message}`);
  }
  // The loader's own reader for this format, on these bytes: a file it would skip is refused for the same reason.
  const unusable = await contentProblem(bytes, name);
  if (unusable !== undefined) return refuse(interaction, ctx, what, `“${name}” cannot be used: ${unusable}`);

  let result;
  try {
    result = await addDocument({
      corpusDir: ctx.config.corpusDir,
      name,
      bytes,
      meta: checked.meta,
      replace: interaction.options.getBoolean("replace") ?? false,
    });
  } catch (error) {
    if (!(error instanceof CorpusChangeRefused)) throw error;
    return refuse(interaction, ctx, what, error.message);
  }
  const verb = result.replaced ? "replaced" : "added";
  const summary = `${verb} ${result.id} (${formatBytes(bytes.length)}${result.metadataWritten ? `; ${Object.keys(checked.meta).join(", ")} in sources.json` : ""})`;
  ctx.logger.info(
    { user: interaction.user.id, guild: interaction.guildId, action: "add", id: result.id, replaced: result.replaced, bytes: bytes.length, meta: checked.meta, at: new Date().toISOString() },
    "corpus changed",
  );
  await noteInModLog(interaction, ctx, `📄 <@${interaction.user.id}> ${verb} **${fitEscaped(result.id, 200)}** in the corpus (${formatBytes(bytes.length)}).`);
  await refreshAndReport(interaction, ctx, `Corpus: ${summary}.`, result.id);
}

async function remove(interaction: ChatInputCommandInteraction, ctx: BotContext): Promise<void> {
  const value = interaction.options.getString("name", true);
  const resolved = resolveDocument(ctx.library.current.documents, value);
  if (resolved.kind !== "found") {
    await interaction.editReply(formatSourceNotFound(value, resolved));
    return;
  }
  const id = resolved.doc.id;
  let result;
  try {
    result = await removeDocument({ corpusDir: ctx.config.corpusDir, cacheDir: ctx.config.cacheDir, id });
  } catch (error) {
    if (!(error instanceof CorpusChangeRefused)) throw error;
    return refuse(interaction, ctx, { action: "remove", id }, error.message);
  }
  ctx.logger.info(
    { user: interaction.user.id, guild: interaction.guildId, action: "remove", id, trash: result.trashPath, metadata: result.metadata, at: new Date().toISOString() },
    "corpus changed",
  );
  await noteInModLog(interaction, ctx, `🗑️ <@${interaction.user.id}> removed **${fitEscaped(id, 200)}** from the corpus (kept in the trash folder).`);
  const note =
    result.metadata === "broken" ? " sources.json is not valid JSON, so its entry (if any) was left as it is." : result.metadata === "dropped" ? " Its sources.json entry was dropped." : "";
  await refreshAndReport(interaction, ctx, `Corpus: removed ${id} (moved to the trash folder, not deleted).${note}`);
}

/** Refreshes (after any refresh already running, which may have read the folder before the change) and replies with its report, edited with the build's progress meanwhile. */
async function refreshAndReport(interaction: ChatInputCommandInteraction, ctx: BotContext, done: string, added?: string): Promise<void> {
  const content = fitEscaped(done, 1800);
  // Under sharding the other shards reload the changed folder at the same time (only this one wrote to it).
  const started = performance.now();
  const others = ctx.shards?.reloadOthers();
  const here = ctx.shards?.id ?? 0;
  const progress = editRepliesWithProgress(interaction, { intervalMs: ctx.progressEditMs, logger: ctx.logger, describe: (line) => `${content}\nRefreshing… ${line}` });
  try {
    // A refresh asked for while one runs follows it, so it sees this change even if that one read the folder before.
    const report = await ctx.library.refresh(progress.onProgress);
    await progress.stop(); // an edit still in flight lands before the report, not over it
    const skipped = added === undefined ? undefined : report.skipped.find((s) => s.id === added);
    const warning = skipped === undefined ? "" : `\n⚠️ The refresh skipped it: ${fitEscaped(skipped.reason, 300)}`;
    ctx.logger.info({ user: interaction.user.id, documents: report.documents, sentences: report.sentences, ms: Math.round(report.milliseconds) }, "corpus refreshed after a change");
    await interaction.editReply(withShardReloads({ ...formatRefreshReport(report), content: content + warning }, reloadResult(here, report, 0), await others));
  } catch (error) {
    ctx.logger.warn({ err: error, user: interaction.user.id }, "refresh after a corpus change failed; the previous corpus keeps serving");
    const failure = {
      ...formatRefreshFailure(error, ctx.library.current),
      content: `${content}\nThe file change is made, but the refresh failed, so the previous corpus keeps answering.`,
    };
    const failed = reloadResult(here, error instanceof Error ? error : new Error(String(error)), performance.now() - started);
    await progress.stop();
    await interaction.editReply(withShardReloads(failure, failed, await others));
  } finally {
    await progress.stop();
  }
}

export async function autocomplete(interaction: AutocompleteInteraction, ctx: BotContext): Promise<void> {
  // Only moderators are offered document names to remove (they are public through /sources anyway).
  if (!isServerModerator(interaction, ctx)) {
    await interaction.respond([]);
    return;
  }
  await interaction.respond(documentChoices(ctx.library.current.documents, interaction.options.getFocused()));
}

