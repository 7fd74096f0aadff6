/** The `ask --json` contract: one answer as one line of JSON (benchmarks and scripts depend on its shape). */
import type { Answer, Place } from "../core/types.js";

export function toJsonLine(answer: Answer, top: number): string {
  return JSON.stringify({
    question: answer.question,
    answered: answer.answered,
    ...(answer.confidence && { confidence: answer.confidence }),
    results: answer.excerpts.slice(0, top).map((e) => ({
      text: e.text,
      score: Number(e.score.toFixed(6)),
      source: { id: e.citations[0]!.documentId, title: e.citations[0]!.meta.title, location: placeOf(e.citations[0]!.location) },
    })),
  });
}

/** Only the place fields (page, heading, line) of a citation's location, in that order. */
function placeOf({ page, heading, line }: Place): Place {
  return { ...(page !== undefined && { page }), ...(heading !== undefined && { heading }), ...(line !== undefined && { line }) };
}
