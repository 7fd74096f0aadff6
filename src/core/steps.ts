/**
 * Long computations written as generators that pause (`yield`) between bounded pieces of work:
 * the pure path runs them straight through (`runToEnd`), the bot's refresh gives the event loop a
 * turn between pieces (knowledge-base.ts), and both run the same code.
 */
export type Steps<T> = Generator<void, T, void>;

/** Runs steps without pausing. */
export function runToEnd<T>(steps: Steps<T>): T {
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/** Lines (or blocks) handled between two pauses of a scan. */
export const LINES_PER_STEP = 2_000;

/** Characters of one line or block scanned between two pauses (a few milliseconds of the slowest scan). */
export const CHARS_PER_STEP = 100_000;

/**
 * Runs steps, giving the event loop a turn (setImmediate: timers and I/O first) whenever they have
 * worked for `sliceMs` since the last turn. A step should take well under that, so the loop is never
 * held much longer than `sliceMs`.
 */
export async function runInSlices<T>(steps: Steps<T>, sliceMs: number): Promise<T> {
  let sliceStart = performance.now();
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
    if (performance.now() - sliceStart < sliceMs) continue;
    await new Promise((resolve) => setImmediate(resolve));
    sliceStart = performance.now();
  }
}
