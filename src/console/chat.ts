/** The local console chat: a question per line, answered by the same engine as the Discord bot. */
import { createInterface } from "node:readline";
import type { RefreshReport } from "../core/contracts.js";
import { loadCountsOf, type Library, type LoadCounts } from "../corpus/library.js";
import { formatAnswer, formatSources } from "./format.js";
import { showBuildProgress, type ProgressStream } from "./progress-display.js";

const HELP = `Type a question and press Enter. Commands:
  /sources   the documents in the corpus
  /refresh   reload the corpus folder
  /help      this text
  /quit      leave`;

/** How much of a load the index already built covered: "12 documents reused, 1 read, 1 analysed". */
export function describeOpened(counts: LoadCounts): string {
  return `${counts.reused} documents reused from the saved index, ${counts.read} read, ${counts.analysed} analysed`;
}

/** A refresh's report: counts, then each skipped file on a line of its own. */
export function formatReload(r: RefreshReport & Partial<LoadCounts>): string {
  const counts = loadCountsOf(r);
  const work = counts ? ` Only new and changed files were read: ${counts.read} read, ${counts.analysed} analysed, ${counts.reused} reused.` : "";
  return [
    `Reloaded in ${r.milliseconds} ms: ${r.documents} documents (added ${r.added.length}, changed ${r.changed.length}, removed ${r.removed.length}, skipped ${r.skipped.length}); ` +
      `${r.sentences} sentences (${r.sentencesAdded} added, ${r.sentencesRemoved} removed).${work}`,
    ...r.skipped.map((s) => `  skipped ${s.id}: ${s.reason}`),
  ].join("\n");
}

/** `progress`: where a /refresh longer than a second shows its progress (a bar on a terminal). */
export async function runConsoleChat(
  library: Library,
  input: NodeJS.ReadableStream = process.stdin,
  output: NodeJS.WritableStream = process.stdout,
  progress: ProgressStream = process.stderr,
): Promise<void> {
  const tty = (output as NodeJS.WriteStream).isTTY === true;
  const say = (text: string) => output.write(text + "\n");
  const rl = createInterface({ input, output, prompt: "ask> ", terminal: tty });
  say(HELP);
  rl.prompt();
  for await (const line of rl) {
    const text = line.trim();
    if (text === "/quit" || text === "/exit") break;
    if (text === "/help") say(HELP);
    else if (text === "/sources") say(formatSources(library.current));
    else if (text === "/refresh") {
      const display = showBuildProgress({ stream: progress, label: "Refreshing" });
      try {
        const report = await library.refresh(display.onProgress).finally(() => display.finish());
        say(formatReload(report));
      } catch (error) {
        say(`Refresh failed, the previous corpus keeps answering: ${(error as Error).message}`);
      }
    } else if (text) {
      const kb = library.current;
      say(formatAnswer(await library.ask(text), kb, { top: 3, tty }));
    }
    rl.prompt();
  }
  rl.close();
}
