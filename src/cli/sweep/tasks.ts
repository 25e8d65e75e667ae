/**
 * The work a sweep hands out, one task per seed (or per failing seed to shrink), as plain
 * structured-clonable records: the run options travel as the ordinary RunOptions record, so a
 * worker thread runs exactly what the main thread would. The same functions run in-process
 * (`--workers 1`) and in the worker threads (worker.ts), so results cannot depend on the count.
 */
import { marksReachedAsync } from "../../util/index.js";
import { runSeed, shrinkFaults } from "../../run/index.js";
import type { RunOptionsInput } from "../../run/index.js";
import { runFileObject } from "../commands/run.js";
import type { SeedOutcome } from "./summary.js";

/** Run one seed and judge it. */
export interface SeedTask {
  readonly kind: "seed";
  readonly seed: number;
  /** The sweep's options as given: with swarm on, each seed draws the rest (run/swarm.ts). */
  readonly options: RunOptionsInput;
  /** Record the coverage marks the run reaches (sweep --coverage). */
  readonly coverage?: boolean;
}

/** Shrink one failing seed's faults (src/run/shrink.ts) within `runsMax` runs. */
export interface ShrinkTask {
  readonly kind: "shrink";
  readonly seed: number;
  readonly options: RunOptionsInput;
  readonly runsMax: number;
}

/** What a shrink task sends back: the shrunk run file (wallMs 0) or null, and its cost. */
export interface ShrinkOutcome {
  readonly seed: number;
  readonly runs: number;
  readonly faultsBefore: number;
  readonly runFile: Record<string, unknown> | null;
  readonly faultsAfter: number | null;
}

/** One of a sweep's tasks. */
export type SweepTask = SeedTask | ShrinkTask;

/** Runs a seed; only what the sweep sums and lists comes back (not the whole report). */
export async function runSeedTask(task: SeedTask): Promise<SeedOutcome> {
  // Marks are counted in the thread that ran the seed and travel back with its outcome: a
  // worker's marks cannot be shared with the main thread any other way. A thread runs one seed
  // at a time, so the recording cannot mix two seeds' marks.
  const run = () => runSeed(task.seed, task.options);
  const recorded = task.coverage === true ? await marksReachedAsync(run) : undefined;
  const report = recorded === undefined ? await run() : recorded.value;
  return {
    ...(recorded === undefined ? {} : { marks: [...recorded.reached].sort() }),
    seed: task.seed,
    violations: report.violations,
    linearizability: report.linearizability,
    events: report.events,
    simTimeMicros: Math.round(report.simTimeMs * 1000),
  };
}

/** Shrinks a seed; the run file is the object `zabsim run --json` prints (wallMs 0). */
export async function runShrinkTask(task: ShrinkTask): Promise<ShrinkOutcome> {
  const result = await shrinkFaults(task.seed, task.options, task.runsMax);
  const shrunk = result.shrunk;
  return {
    seed: task.seed,
    runs: result.runs,
    faultsBefore: result.faultsBefore.length,
    runFile: shrunk === null ? null : runFileObject(shrunk, 0),
    faultsAfter: shrunk === null ? null : shrunk.options.schedule.length,
  };
}
