/**
 * The run module's public surface: what the CLI and the tests call to run and judge a seed.
 * `run` wires a world (src/sim), its hosts and the checkers (src/check) so that neither of them
 * needs the other.
 */
export { runSimulation, RunOptionsInvalid } from "./simulate.js";
export { runSeed, hasTasks } from "./run-seed.js";
export { scenarioTasks, recipeWorkloadNames } from "./tasks.js";
export type { RecipeTaskMaker } from "./tasks.js";
export type { RunReport, RunHooks, RunViolation, FaultModel } from "./simulate.js";
export {
  RUN_DEFAULTS, RUN_LIMITS, DEFAULT_SEED, CLIENT_ID_BASE, resolveRunOptions, validateRunOptions,
  serverIds, clientIds, RUN_FAULT_MIXES, RUN_WORKLOADS, RECIPE_WORKLOADS, API_CLIENT_ID_BASE,
  isRecipeWorkload, RUN_SECTIONS, RUN_OPTION_KEYS,
  runOptionsProblem,
  worldOptionsOf,
} from "./options.js";
export { OPTION_TABLE, defaultsIn, fieldValue } from "./option-table.js";
export type { OptionDef, OptionUnit } from "./option-table.js";
export { readOption, showOption, checkOption } from "./option-values.js";
export type { OptionRead } from "./option-values.js";
export type {
  RunOptions, RunOptionsInput, RunFaultMix, RunOptionsProblem, RunSection, RunWorkload,
  RecipeWorkload,
} from "./options.js";
export { bugListing, unmetBugNeeds } from "./bug-needs.js";
export { isRunBugName, runBugNames } from "./bugs.js";
export type { BugListing } from "./bug-needs.js";
export { shrinkFaults, deltaDebug, explicitOptions, injectedFaults } from "./shrink.js";
export type { ShrinkResult } from "./shrink.js";
export { runScenario, ScenarioStalled } from "./scenario.js";
export type { ScenarioClient, ScenarioReport, ScenarioTask, TaskOutcome } from "./scenario.js";
export { prepareRun, judgeRun } from "./simulate.js";
export type { PreparedRun } from "./simulate.js";
export { CoverageCount } from "./coverage.js";
export {
  DRIFT_PPM_SWARM_MAX, SWARM_ROLLOVER_PROBABILITY, swarmDraw, swarmInput, swarmOn,
} from "./swarm.js";
export {
  MARKS, MARK_OPTION_SETS, ROLLOVER_HEADROOM, bugOptionSet, markApplies, marksFor,
  markOptionSets,
} from "./marks.js";
export type { MarkDef, MarkOptionSet, MarkReach } from "./marks.js";
