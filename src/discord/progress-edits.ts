/**
 * A deferred reply that shows a running corpus build: every few seconds the reply is edited with the build's
 * latest progress ("Refreshing… analysing 12/40 documents, 8,100 sentences, about 20 s left"), until the
 * command replaces it with its report. Within Discord's limits: one edit in flight at a time, never more often
 * than the interval (3 s), none once the interaction's token is about to expire (15 minutes), and an edit
 * that fails is logged and forgotten: the build goes on and the final report is still sent.
 */
import type { ChatInputCommandInteraction } from "discord.js";
import type { BuildProgress, ProgressListener } from "../core/progress.js";
import { describeProgress, ProgressEstimator, type ProgressView } from "../core/progress-estimate.js";
import type { Logger } from "../log.js";
import { DiscordLimits } from "./limits.js";
import { payload } from "./payload.js";

/** How often a deferred reply is edited with progress: Discord rate-limits edits, and people read slower. */
export const PROGRESS_EDIT_MS = 3_000;
/** An interaction's token lets the bot edit its reply for 15 minutes; edits stop a minute before. */
const EDITABLE_FOR_MS = 14 * 60_000;
/**
 * discord.js already retries server errors and waits out rate limits, so an edit that fails is likely to fail
 * again (a deleted reply, a dead token): after this many in a row, progress edits stop (the report is still tried).
 */
const MAX_FAILED_EDITS = 3;

export interface ProgressEdits {
  readonly onProgress: ProgressListener;
  /** Stops editing and waits for an edit still in flight, so the final reply lands after it. True when the reply was (or may have been) edited with progress. */
  stop(): Promise<boolean>;
}

/** The interaction's side this uses (a real ChatInputCommandInteraction in the bot). */
type Editable = Pick<ChatInputCommandInteraction, "editReply" | "createdTimestamp" | "id">;

/** `describe` turns the progress line into the reply's content, e.g. `Refreshing… ${line}`. */
export function editRepliesWithProgress(interaction: Editable, options: { intervalMs: number; logger: Logger; describe: (line: string) => string }): ProgressEdits {
  const { intervalMs, logger, describe } = options;
  const estimator = new ProgressEstimator();
  let latest: ProgressView | undefined;
  let shown: BuildProgress | undefined;
  let inFlight: Promise<void> | undefined;
  let attempted = false;
  let failures = 0;

  const tick = () => {
    if (latest === undefined || latest === shown || inFlight !== undefined) return;
    if (Date.now() - interaction.createdTimestamp > EDITABLE_FOR_MS) return stopTimer();
    shown = latest;
    attempted = true;
    // Our own words and figures, and what the caller already escaped: only the length needs a bound.
    const content = describe(describeProgress(latest)).slice(0, DiscordLimits.content);
    inFlight = interaction
      .editReply(payload({ content }))
      .then(() => void (failures = 0))
      .catch((error: unknown) => {
        failures++;
        const givingUp = failures >= MAX_FAILED_EDITS;
        if (givingUp) stopTimer();
        logger.warn({ err: error, interaction: interaction.id, failures }, `could not show the refresh's progress; it goes on${givingUp ? " (no more progress edits)" : ""}`);
      })
      .finally(() => (inFlight = undefined));
  };
  const timer = setInterval(tick, intervalMs);
  timer.unref();
  const stopTimer = () => clearInterval(timer);

  return {
    onProgress: (progress) => {
      latest = estimator.update(progress);
    },
    async stop() {
      stopTimer();
      latest = undefined;
      await inFlight;
      return attempted;
    },
  };
}
