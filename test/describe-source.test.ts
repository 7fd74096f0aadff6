import { describe, expect, it } from "vitest";
import { formatSources as consoleSources } from "../src/console/format.js";
import { buildKnowledgeBase } from "../src/core/knowledge-base.js";
import { formatSources as discordSources } from "../src/discord/format-corpus.js";

const kb = buildKnowledgeBase([
  {
    id: "ferry.txt",
    text: "The ferry to the island leaves at nine every morning.\n",
    blocks: [],
    bytes: 3056,
    meta: { title: "Ferry times", outlet: "Island News", author: "A. Writer", date: "2025-01-02", url: "https://example.org/ferry" },
  },
  { id: "notes.txt", text: "Tickets are sold at the harbour office.\n", blocks: [], bytes: 812, meta: { title: "Notes", author: "B. Clerk" } },
]);

describe("a source is described the same way in the console and on Discord", () => {
  it("names the outlet (else the author) and the date, and sizes in kB", () => {
    const console = consoleSources(kb);
    expect(console).toContain("1. Ferry times — Island News, 2025-01-02\n   ferry.txt, 3.0 kB, https://example.org/ferry");
    expect(console).toContain("2. Notes — B. Clerk\n   notes.txt, 812 B");
    const discord = discordSources(kb, []).embeds[0]!.description;
    expect(discord).toContain("*Ferry times* — Island News, 2025-01-02 · 3.0 kB · [link](https://example.org/ferry)");
    expect(discord).toContain("*Notes* — B. Clerk · 812 B");
  });
});
