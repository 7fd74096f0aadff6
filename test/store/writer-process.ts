/**
 * One of several processes writing to the same database file at once (test/store/multi-process.test.ts), as the
 * shards of `npm run start:sharded` do: it opens the store (running the migrations if the file is new), then logs
 * questions in many small transactions and votes on them, and prints what it did as one JSON line.
 * Arguments: database path, a name for this writer, the number of questions.
 */
import { Store } from "../../src/store/store.js";

const [path, writer, countText] = process.argv.slice(2);
const count = Number(countText);
const errors: string[] = [];
let written = 0;
let voted = 0;
const started = Date.now();
const store = Store.open(path!);
for (let i = 0; i < count; i++) {
  const id = `${writer}-${i}`;
  try {
    store.recordQuestions([
      { id, guildId: "100000000000000001", channelId: "100000000000000002", userId: `user-${writer}`, askedAt: Date.now(), surface: "slash", text: `question ${i} from ${writer}`, grouped: `question ${i}`, answered: i % 2 === 0, relevance: 1, sources: ["a.txt"] },
    ]);
    written++;
    store.vote(id, `voter-${writer}`, 1, { guildId: "100000000000000001", askedAt: Date.now() });
    voted++;
  } catch (error) {
    errors.push((error as Error).message);
  }
}
store.close();
process.stdout.write(`${JSON.stringify({ writer, written, voted, errors: errors.slice(0, 5), errorCount: errors.length, ms: Date.now() - started })}\n`);
