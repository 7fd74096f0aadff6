/**
 * Asking the corpus on behalf of a Discord user: shared by /ask, mentions, DMs and ask channels.
 */
import type { Answer } from "../core/types.js";
import type { BotContext } from "./context.js";
import { formatAnswer, formatDecline } from "./format.js";
import type { ReplyPayload } from "./payload.js";

export interface AskOutcome {
  answer: Answer;
  payload: ReplyPayload;
  /** The user's own mistake (empty or too long): shown privately where possible, and no cooldown starts. */
  userError: boolean;
}

/**
 * Asks the current knowledge base and formats the reply. `key` (the asking message's or interaction's id)
 * names the question in the answer cache, for the buttons.
 */
export async function ask(ctx: BotContext, question: string, key: string, askerId: string): Promise<AskOutcome> {
  const started = performance.now();
  const kb = ctx.library.current;
  const answer = await ctx.library.ask(question);
  const ms = performance.now() - started;
  ctx.logger.info(
    { user: askerId, key, chars: question.length, answered: answer.answered, confidence: answer.confidence, reason: answer.reason, excerpts: answer.excerpts.length, ms: Math.round(ms * 100) / 100 },
    "question",
  );
  ctx.logger.debug({ key, question }, "question text");
  if (!answer.answered || answer.excerpts.length === 0) {
    // (an "answer" without excerpts is shown as no match)
    return {
      answer,
      payload: formatDecline(answer, { topics: kb.topics, maxQuestionChars: ctx.config.maxQuestionChars }),
      userError: answer.reason === "empty" || answer.reason === "too-long",
    };
  }
  ctx.answers.set(key, { question, askerId });
  return { answer, payload: formatAnswer(answer, { page: 0, key }), userError: false };
}
