/**
 * Which API tasks a run drives, chosen from its options alone (with the seed), so that every
 * caller (run, sweep, shrink, replay, show, demo) runs the same tasks for the same seed and
 * options. The recipe workloads (docs/recipes.md) run one task per client; `sessions` and
 * `basic` run none (their clients are hosts, src/run/ensemble.ts), and such runs stay on the
 * synchronous path (run-seed.ts).
 */
import { barrierTask, cacheTask, configTask, queueTask, recipeTask } from "../recipes/index.js";
import type { DataPlan, RecipeClient, WorkloadRun } from "../recipes/index.js";
import type { RecipeWorkload, RunOptions } from "./options.js";
import { isRecipeWorkload } from "./options.js";
import { encryptPlan } from "./encrypt/index.js";
import type { ScenarioExtras, ScenarioTask } from "./scenario.js";

/**
 * One client's part in a recipe workload: the task client `index` of `count` runs. `shared`
 * is one map per run, for what the run's clients share (a protected resource).
 */
export type RecipeTaskMaker = (
  index: number, count: number, options: RunOptions, shared: Map<string, unknown>,
) => (client: RecipeClient) => Promise<void>;

/** The run as a recipe workload sees it. */
function workloadRun(options: RunOptions, shared: Map<string, unknown>): WorkloadRun {
  return {
    bug: options.bug, durationMs: options.durationMs, livenessMs: options.livenessMs, shared,
  };
}

/** A workload of src/recipes/workloads.ts by name. */
function recipe(name: string): RecipeTaskMaker {
  return (_index, _count, options, shared) => recipeTask(name, workloadRun(options, shared));
}

/** The recipe workloads but `mixed`, by name. */
const RECIPE_TASKS: Readonly<Record<Exclude<RecipeWorkload, "mixed">, RecipeTaskMaker>> = {
  membership: recipe("membership"),
  election: recipe("election"),
  lock: recipe("lock"),
  rwlock: recipe("rwlock"),
  semaphore: recipe("semaphore"),
  config: (index, _, options) => configTask(index, dataPlan(options)),
  cache: (index, _, options) => cacheTask(index, dataPlan(options)),
  queue: (index, _, options) => queueTask(index, dataPlan(options)),
  barrier: (index, count, options) => barrierTask(index, count, dataPlan(options)),
};

/**
 * The data recipes' timing: writers stop when the faults do, and the referee reads the
 * settled state halfway through the healed phase, leaving the other half to converge.
 */
function dataPlan(options: RunOptions): DataPlan {
  return {
    bug: options.bug, writeMs: options.durationMs,
    refereeMs: options.durationMs + Math.floor(options.livenessMs / 2),
  };
}

/**
 * What `mixed` deals its clients out to, in turn: every recipe, a coordination recipe and a
 * data recipe alternating, so that a few clients already meet both kinds.
 */
export const MIXED_RECIPES: readonly Exclude<RecipeWorkload, "mixed">[] = [
  "lock", "config", "election", "cache", "membership", "queue", "rwlock", "barrier",
  "semaphore",
];

/**
 * The `mixed` workload's client `index` of `count`: recipe MIXED_RECIPES[(index + offset) % 9],
 * as that recipe's client number floor(index / 9) of the clients dealt to it (a data recipe's
 * roles and the barrier's size count its own clients only). The offset is the seed's, so a
 * sweep with fewer than nine clients still runs every recipe on some seeds.
 */
function mixedTask(seed: number, index: number, count: number, options: RunOptions,
  shared: Map<string, unknown>): (client: RecipeClient) => Promise<void> {
  const kinds = MIXED_RECIPES.length;
  const offset = (((seed - 1) % kinds) + kinds) % kinds;
  const name = MIXED_RECIPES[(index + offset) % kinds] ?? "lock";
  const slot = index % kinds;
  const dealt = Math.floor((count - 1 - slot) / kinds) + 1;
  return RECIPE_TASKS[name](Math.floor(index / kinds), dealt, options, shared);
}

/** The recipe workloads' names (mixed last). */
export function recipeWorkloadNames(): RecipeWorkload[] {
  return [...Object.keys(RECIPE_TASKS) as RecipeWorkload[], "mixed"];
}

/** A run's API tasks and what its kind of run adds around them (final observations, checkers). */
export interface ScenarioPlan {
  readonly tasks: ScenarioTask[];
  readonly extras: ScenarioExtras;
}

/**
 * The API tasks of seed `seed`'s run with `options` (none: the synchronous path): a recipe
 * workload's clients, then `--encrypt`'s key-service tasks (run/encrypt), with the latter's
 * final observations and checkers.
 */
export function scenarioPlan(seed: number, options: RunOptions): ScenarioPlan {
  // Recipe tasks draw from the run's "tasks" stream (scenario.ts), forked per task; the
  // --encrypt tasks from the "encrypt" stream, so adding them shifts no recipe draw.
  const encrypt = options.encrypt ? encryptPlan(seed, options) : undefined;
  return {
    tasks: [...recipeTasks(seed, options), ...(encrypt?.tasks ?? [])],
    extras: encrypt?.extras ?? {},
  };
}

/** The API tasks of seed `seed`'s run with `options` (scenarioPlan's tasks). */
export function scenarioTasks(seed: number, options: RunOptions): ScenarioTask[] {
  return scenarioPlan(seed, options).tasks;
}

/** One task per client for a recipe workload; none for the others. */
function recipeTasks(seed: number, options: RunOptions): ScenarioTask[] {
  const workload = options.workload;
  if (!isRecipeWorkload(workload)) return [];
  const make: RecipeTaskMaker = workload === "mixed"
    ? (index, count, opts, shared) => mixedTask(seed, index, count, opts, shared)
    : RECIPE_TASKS[workload];
  const shared = new Map<string, unknown>();
  return Array.from({ length: options.clients },
    (_, i) => make(i, options.clients, options, shared));
}
