/** Threads the bot opens for answers. */

/** Discord's limit on a thread name. */
export const THREAD_NAME_MAX = 100;

/** A thread name from a question: whitespace collapsed, cut to 100 characters with "…", never empty. */
export function threadName(question: string): string {
  const text = question.replace(/\s+/g, " ").trim();
  if (text === "") return "Question";
  if (text.length <= THREAD_NAME_MAX) return text;
  // Cut by code points, so an emoji is never split in half.
  return `${Array.from(text.slice(0, THREAD_NAME_MAX - 1)).slice(0, -1).join("").trimEnd()}…`;
}
