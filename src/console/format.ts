/** Answers and corpus listings as plain terminal text (the console chat and `npm run ask`). */
import type { KnowledgeBase } from "../core/contracts.js";
import { describeSource, formatBytes } from "../core/describe.js";
import { describePlace } from "../core/place.js";
import type { Answer, Citation } from "../core/types.js";

const bold = (s: string, tty: boolean) => (tty ? `\x1b[1m${s}\x1b[22m` : `*${s}*`);

/** "Title — outlet, date (file, p. 3 or heading or line 3, link)": in a terminal the link is written out. */
function describeCitation(c: Citation): string {
  return `${describeSource(c.meta)} (${[c.documentId, describePlace(c.location), c.meta.url].filter(Boolean).join(", ")})`;
}

export function formatAnswer(answer: Answer, kb: KnowledgeBase, options: { top: number; tty: boolean }): string {
  if (!answer.answered) return declineMessage(answer, kb);
  const lead = answer.confidence === "low" ? "I'm not sure these answer your question — the closest passages in the documents:\n\n" : "";
  return lead + answer.excerpts
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
    default: {
      // A corpus without recurring names has no topics to offer: say nothing rather than "It is about ."
      const about = kb.topics.length > 0 ? ` It is about ${kb.topics.join(", ")}.` : "";
      return `The corpus does not answer that.${about} Type /sources to list the documents.`;
    }
  }
}

export function formatSources(kb: KnowledgeBase): string {
  return kb.documents.map((d, i) => `${i + 1}. ${describeSource(d.meta)}\n   ${[d.id, formatBytes(d.bytes), d.meta.url].filter(Boolean).join(", ")}`).join("\n");
}
