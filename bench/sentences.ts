/**
 * npx tsx bench/sentences.ts [corpus dir] > out.jsonl
 * Every answerable sentence of a corpus with its document and place, one JSON object per line: compare two
 * revisions' output to check that a change to reading or splitting leaves the sentences as they were.
 */
import { Library } from "../src/corpus/library.js";
import type { SentenceKnowledgeBase } from "../src/core/knowledge-base.js";

const dir = process.argv[2] ?? new URL("../corpus", import.meta.url).pathname;
const library = await Library.open({ corpusDir: dir, maxFileBytes: 50_000_000, maxQuestionChars: 500 });
const kb = library.current as SentenceKnowledgeBase;
for (let i = 0; i < kb.sentenceCount; i++) {
  const { text, document, position, place } = kb.sentence(i);
  process.stdout.write(JSON.stringify({ document: kb.documents[document]!.id, position, text, ...place }) + "\n");
}
