/**
 * The one entry every caller uses to run and judge a seed (the CLI's run, replay, show, demo,
 * sweep and shrink). A run whose options call for no API tasks (the `sessions` and `basic`
 * workloads) stays on the synchronous runSimulation path at its full speed; one with tasks (a
 * recipe workload, `--encrypt`: src/run/tasks.ts) runs them with runScenario. Either way the
 * report is the same shape, and a task that threw is one of its violations (`recipe-task`).
 */
import { RunOptionsInvalid, runSimulation } from "./simulate.js";
import type { RunHooks, RunReport } from "./simulate.js";
import type { RunOptionsInput } from "./options.js";
import { resolveRunOptions, validateRunOptions } from "./options.js";
import { runScenario } from "./scenario.js";
import type { ScenarioTask } from "./scenario.js";
import { scenarioPlan } from "./tasks.js";
import type { ScenarioPlan } from "./tasks.js";

/**
 * Runs seed `seed` with `input` (missing fields take defaults) and judges it. `tasks` replaces
 * the tasks the options call for (a test's own scenario).
 */
export async function runSeed(
  seed: number, input: RunOptionsInput = {}, hooks: RunHooks = {},
  tasks?: readonly ScenarioTask[],
): Promise<RunReport> {
  const plan = tasks === undefined ? planOf(seed, input) : { tasks: [...tasks], extras: {} };
  if (plan.tasks.length === 0) return runSimulation(seed, input, hooks);
  return (await runScenario(seed, input, plan.tasks, hooks, plan.extras)).report;
}

/** True when the options call for API tasks (the run goes through runScenario). */
export function hasTasks(seed: number, input: RunOptionsInput = {}): boolean {
  return planOf(seed, input).tasks.length > 0;
}

/** The options' tasks; options that fail validation are refused before anything is built. */
function planOf(seed: number, input: RunOptionsInput): ScenarioPlan {
  const options = resolveRunOptions(input);
  const problem = validateRunOptions(options);
  if (problem !== undefined) throw new RunOptionsInvalid(problem);
  return scenarioPlan(seed, options);
}
