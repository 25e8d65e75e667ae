/**
 * The one place simulated code gives way to the JavaScript event loop (shared/style.md rule 15):
 * a run that drives API tasks calls `yieldToEventLoop` after a world event that settled API
 * promises. One setImmediate comes after every pending microtask, so when it resolves every
 * promise continuation the event unblocked has run, and each task is again either waiting on
 * the API (a call or a simulated sleep) or finished. A task that is neither is awaiting
 * something outside the simulation (a timer, I/O), and the run fails with its seed.
 * test/tidy.test.ts allows setImmediate in this file only.
 */

/** Resolves once the event loop has run every pending promise continuation. */
export function yieldToEventLoop(): Promise<void> {
  return new Promise<void>((resolve) => {
    setImmediate(resolve); // wall-clock-ok: the one yield of API-driven runs (rule 15)
  });
}
