/**
 * Asking the corpus on behalf of a Discord user: shared by /ask, mentions, DMs and ask channels.
 */
import type { Answer } from "../core/types.js";
import type { QuestionSurface } from "../store/store.js";
import { termsOf } from "../text/analyser.js";
import type { BotContext } from "./context.js";
import { EXCERPTS_PER_PAGE, formatAnswer, formatDecline } from "./format.js";
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
export async function ask(ctx: BotContext, question: string, key: string, askerId: string, view: { removable?: boolean } = {}): Promise<AskOutcome> {
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
  return { answer, payload: formatAnswer(answer, { page: 0, key, ...view }), userError: false };
}

export interface AskedWhere {
  /** The answer's key (the asking interaction's or message's id). */
  key: string;
  guildId: string | null;
  channelId: string;
  userId: string;
  surface: QuestionSurface;
}

/**
 * Queues the question for the log; call it once the reply is on its way (the write happens later, in a batch).
 * The user's own mistakes (empty, too long) are not logged.
 */
export function logAsked(ctx: BotContext, outcome: AskOutcome, where: AskedWhere): void {
  if (outcome.userError) return;
  const { answer } = outcome;
  const shown = answer.answered ? answer.excerpts.slice(0, EXCERPTS_PER_PAGE) : [];
  ctx.store.logQuestion({
    id: where.key,
    guildId: where.guildId ?? "",
    channelId: where.channelId,
    userId: where.userId,
    askedAt: Date.now(),
    surface: where.surface,
    text: answer.question,
    grouped: termsOf(answer.question).join(" "),
    answered: answer.answered && answer.excerpts.length > 0,
    relevance: answer.excerpts[0]?.score ?? null,
    sources: shown.map((e) => e.citations[0]?.documentId).filter((id): id is string => id !== undefined),
  });
}
