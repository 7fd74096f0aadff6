/** Answers and corpus listings as plain terminal text (the console chat and `npm run ask`). */
import type { KnowledgeBase } from "../core/contracts.js";
import type { Answer, Citation, DocumentMeta } from "../core/types.js";
import { describePlace } from "../core/place.js";
import { formatBytes } from "../corpus/load.js";

const bold = (s: string, tty: boolean) => (tty ? `\x1b[1m${s}\x1b[22m` : `*${s}*`);

/** "Title — Outlet, Author, date, url" with whatever is known. */
export function describeSource(meta: DocumentMeta): string {
  const details = [meta.outlet, meta.author, meta.date, meta.url].filter(Boolean).join(", ");
  return details ? `${meta.title} — ${details}` : meta.title;
}

function describeCitation(c: Citation): string {
  return `${describeSource(c.meta)} (${[c.documentId, describePlace(c.location)].filter(Boolean).join(", ")})`;
}

export function formatAnswer(answer: Answer, kb: KnowledgeBase, options: { top: number; tty: boolean }): string {
  if (!answer.answered) return declineMessage(answer, kb);
  return answer.excerpts
    .slice(0, options.top)
    .map((e, i) => {
      let text = "";
      let at = 0;
      for (const [start, end] of e.highlights) {
        text += e.text.slice(at, start) + bold(e.text.slice(start, end), options.tty);
        at = end;
      }
      text += e.text.slice(at);
      const [own, ...also] = e.citations;
      const alsoIn = also.length ? `\n    also in: ${also.map(describeCitation).join("; ")}` : "";
      return `[${i + 1}] ${text}\n    — ${own ? describeCitation(own) : ""}${alsoIn}`;
    })
    .join("\n\n");
}

export function declineMessage(answer: Answer, kb: KnowledgeBase): string {
  switch (answer.reason) {
    case "empty":
      return "Ask a question with a few words about what you want to know, e.g. “how was the call intercepted?”.";
    case "too-long":
      return "That question is too long. Please ask it in fewer words.";
    default:
      return `The corpus does not answer that. It is about ${kb.topics.join(", ")}. Type /sources to list the documents.`;
  }
}

export function formatSources(kb: KnowledgeBase): string {
  return kb.documents.map((d, i) => `${i + 1}. ${describeSource(d.meta)}\n   ${d.id}, ${formatBytes(d.bytes)}`).join("\n");
}
