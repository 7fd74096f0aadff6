/**
 * SQLite FTS5 through better-sqlite3: in-memory database, tokenize='porter' (Porter stemming over
 * unicode61), ranked by bm25(). The question becomes its words, each double-quoted (so no word can be
 * read as FTS5 syntax) and OR-ed; an FTS5 error on a question is reported as a declined result.
 */
import Database from "better-sqlite3";
import type { AdapterFactory } from "../adapter.js";

/** `"word1" OR "word2" …` from the letters/digits runs of the question; null when there are none. */
export function toFtsQuery(question: string): string | null {
  const words = [...new Set(question.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter((w) => w !== ""))];
  return words.length === 0 ? null : words.map((w) => `"${w}"`).join(" OR ");
}

const createAdapter: AdapterFactory = () => {
  const db = new Database(":memory:");
  db.exec("CREATE VIRTUAL TABLE sentences USING fts5(text, tokenize='porter')");
  const insert = db.prepare("INSERT INTO sentences(rowid, text) VALUES (?, ?)");
  const query = db.prepare("SELECT rowid FROM sentences WHERE sentences MATCH ? ORDER BY bm25(sentences) LIMIT ?").pluck();
  return {
    name: "SQLite FTS5",
    config: "better-sqlite3 :memory:, tokenize='porter', OR of quoted words, bm25()",
    memory: "rss",
    build(sentences, onProgress) {
      const insertAll = db.transaction(() => {
        sentences.forEach((s, i) => {
          insert.run(i, s.text);
          if (i % 10_000 === 0) onProgress?.(i);
        });
      });
      insertAll();
    },
    search(question, k) {
      const match = toFtsQuery(question);
      if (match === null) return [];
      try {
        return query.all(match, k) as number[];
      } catch {
        return null; // never expected with quoted words, but one bad question must not end the run
      }
    },
  };
};
export default createAdapter;
