// A shard process for test/sharding/relay.test.ts, forked by a real discord.js ShardingManager: it tells the manager
// it is ready as a connected discord.js client would ({ _ready: true }), then answers the relay's reload requests
// as its shard id says. Shard 0 asks the manager to reload the others and hands the answer to the test.
const id = Number(process.env.SHARDS);
process.on("message", (message) => {
  if (message?.lookout === "reload") {
    if (id === 1) process.send({ lookout: "reloaded", requestId: message.requestId, result: { shard: id, status: "ok", documents: 3, sentences: 42, ms: 7 } });
    if (id === 2) process.send({ lookout: "reloaded", requestId: message.requestId, result: { shard: id, status: "failed", reason: "no documents could be loaded", ms: 3 } });
    // shard 3 never answers
    if (id === 4) process.exit(1); // dies while reloading
  }
  if (message?.lookout === "reloaded-others") process.send({ test: "results", results: message.results });
  if (message?.test === "ask") process.send({ lookout: "reload-others", requestId: "request-1" });
});
process.send({ _ready: true });
