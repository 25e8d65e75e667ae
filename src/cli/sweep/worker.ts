/**
 * The worker thread's entry point (piscina loads the BUILT file, dist/cli/sweep/worker.js): one
 * task in, its outcome out. Nothing else lives here so that a worker loads only what runs seeds.
 */
import type { SeedOutcome } from "./summary.js";
import type { ShrinkOutcome, SweepTask } from "./tasks.js";
import { runSeedTask, runShrinkTask } from "./tasks.js";

/** Runs one task (piscina calls the default export and awaits its promise). */
export default function runTask(task: SweepTask): Promise<SeedOutcome | ShrinkOutcome> {
  return task.kind === "seed" ? runSeedTask(task) : runShrinkTask(task);
}
