/**
 * Start-up: settings → corpus → Discord bot (with DISCORD_TOKEN) or the local console chat (without).
 */
import { loadConfigOrExit } from "./config.js";
import { createLogger } from "./log.js";
import { describeLibraryEvent, openLibrary } from "./open-library.js";
import { describeOpened, formatReload, runConsoleChat } from "./console/chat.js";
import { loadCountsOf } from "./corpus/library.js";
import { watchCorpus, type Refreshable } from "./corpus/watch.js";
import { linkToManager } from "./sharding/shard-link.js";
import { showBuildProgress, type ProgressDisplay } from "./console/progress-display.js";
import type { RefreshReport } from "./core/contracts.js";
import type { ProgressListener } from "./core/progress.js";

async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const started = performance.now();
  const logger = createLogger({ level: config.logLevel, ...(config.shard && { shard: config.shard.id }) });
  const consoleChat = !config.discordToken;
  // A bar on a terminal; otherwise the console chat writes plain lines to stderr and the bot logs them.
  const progress = showBuildProgress({
    stream: process.stderr,
    label: "Loading the corpus",
    ...(!consoleChat && { log: (text, figures) => logger.info({ progress: figures }, text) }),
  });
  const library = await openLibrary(
    config,
    (event) => {
      const { level, text } = describeLibraryEvent(event);
      if (consoleChat) {
        if (level === "warn") process.stderr.write(`warning: ${text}\n`);
      } else logger[level](event, text);
    },
    { onProgress: progress.onProgress },
  ).finally(() => progress.finish());
  const kb = library.current;
  const loaded = { documents: kb.documents.length, sentences: kb.sentenceCount, ms: Math.round(performance.now() - started), ...library.opened };

  if (consoleChat) {
    for (const s of library.skipped) process.stderr.write(`warning: skipped ${s.id}: ${s.reason}\n`);
    process.stdout.write(
      `Lookout: ${loaded.documents} documents, ${loaded.sentences} sentences from ${config.corpusDir}/ (${loaded.ms} ms; ${describeOpened(library.opened)}).\n` +
        "No DISCORD_TOKEN is set, so this is the local console chat on the same engine.\n" +
        "To connect Discord: copy .env.example to .env, set DISCORD_TOKEN (README: \"Connecting Discord\"), then npm start.\n\n",
    );
    // Plain lines, not the bar: the chat may be waiting at its prompt on the same terminal.
    const watched = showingProgress(library, () => showBuildProgress({ stream: process.stderr, label: "watch: refreshing", bar: false }));
    const stopWatching = config.corpusWatch
      ? watchCorpus(watched, {
          dir: config.corpusDir,
          debounceMs: config.corpusWatchDebounceMs,
          ignore: [config.cacheDir],
          onRefresh: (result) =>
            process.stderr.write(
              result instanceof Error
                ? `watch: refresh failed, the previous corpus keeps answering: ${result.message}\n`
                : `watch: files changed in ${config.corpusDir}/. ${formatReload(result)}\n`,
            ),
          onWatchError: (error) => process.stderr.write(`warning: watching ${config.corpusDir}/ failed (${error.message}); /refresh still reloads it\n`),
        })
      : undefined;
    if (stopWatching) process.stderr.write(`Watching ${config.corpusDir}/ for changes (CORPUS_WATCH).\n`);
    try {
      await runConsoleChat(library);
    } finally {
      stopWatching?.();
    }
    return;
  }

  for (const s of library.skipped) logger.warn({ file: s.id, reason: s.reason }, `skipped ${s.id}: ${s.reason}`);
  logger.info(loaded, "corpus loaded");
  const { startBot } = await import("./discord/bot.js");
  // Sharding (npm run start:sharded): this process is one shard; its refreshes reach the others through the manager.
  const shards = linkToManager(config.shard, library, logger);
  const bot = await startBot(config, library, logger, shards === undefined ? {} : { shards });
  // Under sharding one shard watches the folder (the others would all see the same changes) and reloads the rest.
  const watchHere = config.corpusWatch && (config.shard === undefined || config.shard.id === 0);
  // Its own refreshes go through the bot's library, which notes each corpus change in the store as /refresh's are.
  const watched = showingProgress(
    { refresh: (onProgress?: ProgressListener) => bot.context.library.refresh(onProgress) },
    () => showBuildProgress({ stream: process.stderr, label: "Refreshing after file changes", log: (text, figures) => logger.info({ progress: figures, trigger: "watch" }, text) }),
  );
  const stopWatching = watchHere
    ? watchCorpus(watched, {
        dir: config.corpusDir,
        debounceMs: config.corpusWatchDebounceMs,
        ignore: [config.cacheDir],
        onRefresh: (result) => {
          if (result instanceof Error) logger.error({ err: result, trigger: "watch" }, "corpus refresh after file changes failed; the previous corpus keeps serving");
          else
            logger.info(
              {
                trigger: "watch",
                documents: result.documents,
                added: result.added.length,
                changed: result.changed.length,
                removed: result.removed.length,
                skipped: result.skipped.length,
                sentences: result.sentences,
                sentencesAdded: result.sentencesAdded,
                sentencesRemoved: result.sentencesRemoved,
                // The library's reports say how many documents were reused, read and analysed.
                ...loadCountsOf(result),
                ms: result.milliseconds,
              },
              "corpus refreshed after file changes",
            );
          if (!(result instanceof Error)) for (const s of result.skipped) logger.warn({ file: s.id, reason: s.reason }, `skipped ${s.id}: ${s.reason}`);
          void shards?.reloadOthers().then((results) => logger.info({ trigger: "watch", shards: results }, "other shards reloaded after file changes"));
        },
        onWatchError: (error) => logger.error({ err: error, dir: config.corpusDir }, "watching the corpus folder failed; /refresh still reloads it"),
      })
    : undefined;
  if (stopWatching) logger.info({ dir: config.corpusDir, debounceMs: config.corpusWatchDebounceMs }, "watching the corpus folder (CORPUS_WATCH)");
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "shutting down");
    stopWatching?.();
    bot.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, "error while shutting down");
        process.exit(1);
      },
    );
  };
  process.once("SIGINT", () => shutdown("SIGINT"));
  process.once("SIGTERM", () => shutdown("SIGTERM"));
  shards?.onManagerGone(() => {
    setTimeout(() => process.exit(1), 10_000).unref();
    shutdown("the sharding manager exited");
  });
}

/** The watcher's refreshes with their progress shown: it starts them on its own, so a long one would otherwise go unseen. */
function showingProgress(library: { refresh(onProgress?: ProgressListener): Promise<RefreshReport> }, display: () => ProgressDisplay): Refreshable {
  return {
    refresh() {
      const shown = display();
      return library.refresh(shown.onProgress).finally(() => shown.finish());
    },
  };
}

main().catch((error: Error) => {
  process.stderr.write(`Lookout could not start: ${error.message}\n`);
  process.exit(1);
});
