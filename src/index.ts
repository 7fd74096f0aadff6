/**
 * Start-up: settings → corpus → Discord bot (with DISCORD_TOKEN) or the local console chat (without).
 */
import { ConfigError, loadConfigFromEnvironment, type Config } from "./config.js";
import { createLogger } from "./log.js";
import { describeLibraryEvent, openLibrary } from "./open-library.js";
import { runConsoleChat } from "./console/chat.js";

async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfigFromEnvironment();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\nSee .env.example for every variable.\n`);
    process.exit(1);
  }
  const started = performance.now();
  const logger = createLogger({ level: config.logLevel });
  const consoleChat = !config.discordToken;
  const library = await openLibrary(config, (event) => {
    const { level, text } = describeLibraryEvent(event);
    if (consoleChat) {
      if (level === "warn") process.stderr.write(`warning: ${text}\n`);
    } else logger[level](event, text);
  });
  const kb = library.current;
  const loaded = { documents: kb.documents.length, sentences: kb.sentenceCount, ms: Math.round(performance.now() - started) };

  if (consoleChat) {
    for (const s of library.skipped) process.stderr.write(`warning: skipped ${s.id}: ${s.reason}\n`);
    process.stdout.write(
      `Lookout: ${loaded.documents} documents, ${loaded.sentences} sentences from ${config.corpusDir}/ (${loaded.ms} ms).\n` +
        "No DISCORD_TOKEN is set, so this is the local console chat on the same engine.\n" +
        "To connect Discord: copy .env.example to .env, set DISCORD_TOKEN (README: \"Connecting Discord\"), then npm start.\n\n",
    );
    await runConsoleChat(library);
    return;
  }

  for (const s of library.skipped) logger.warn({ file: s.id, reason: s.reason }, `skipped ${s.id}: ${s.reason}`);
  logger.info(loaded, "corpus loaded");
  const { startBot } = await import("./discord/bot.js");
  const bot = await startBot(config, library, logger);
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "shutting down");
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
}

main().catch((error: Error) => {
  process.stderr.write(`Lookout could not start: ${error.message}\n`);
  process.exit(1);
});
