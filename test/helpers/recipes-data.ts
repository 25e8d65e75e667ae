/**
 * Runs a data recipe workload on runScenario with the standard fault mix and collects what the
 * recipes report, in report order, as checker records (the trace position is the report's
 * number until the reports travel in the trace).
 */
import { checkRecipesData } from "../../src/check/index.js";
import type { RecipeDataRecord, Violation } from "../../src/check/index.js";
import type { RecipeDataEvent } from "../../src/observe/index.js";
import { dataWorkload } from "../../src/recipes/index.js";
import type { RecipeDataBug } from "../../src/recipes/index.js";
import { runScenario } from "../../src/run/index.js";
import type { RunOptions, TaskOutcome } from "../../src/run/index.js";
import { Prng } from "../../src/util/index.js";

export type DataWorkloadName = "config" | "cache" | "queue" | "barrier";

export interface DataRun {
  readonly records: RecipeDataRecord[];
  readonly violations: Violation[];
  readonly runViolations: readonly Violation[];
  readonly tasks: readonly TaskOutcome[];
}

export async function runDataWorkload(name: DataWorkloadName, seed: number,
  bug: RecipeDataBug | null = null, options: Partial<RunOptions> = {}): Promise<DataRun> {
  const durationMs = options.durationMs ?? 10_000;
  const livenessMs = options.livenessMs ?? 20_000;
  const records: RecipeDataRecord[] = [];
  const report = (event: RecipeDataEvent): void => {
    records.push({ index: records.length, timeMicros: 0, event });
  };
  const tasks = dataWorkload(name, {
    prng: new Prng(seed, `recipes/${name}`), report, bug, writeMs: durationMs,
    refereeMs: durationMs + Math.floor(livenessMs / 2),
  });
  const result = await runScenario(seed, { clients: 0, durationMs, livenessMs, ...options },
    tasks);
  return {
    records, violations: checkRecipesData(records), runViolations: result.report.violations,
    tasks: result.tasks,
  };
}
