/**
 * API-driven runs: scenarios written as ordinary async TypeScript against a simulated
 * ensemble, with the run's faults, and still deterministic (shared/style.md rule 15).
 *
 * Each task gets its own client node (an ApiClientHost) and a ScenarioClient: a ZooKeeper API
 * object per session, and simulated sleeps. The world runs synchronously, event by event; after
 * an event that settled API promises (a call completed, a watcher ran, a sleep ended) the run
 * yields once to the event loop (src/run/event-loop.ts), so every continuation that event
 * unblocked runs before the next event. Then each task is either finished or waiting on the API;
 * a task that is neither awaits something outside the simulation and the run fails with its
 * seed. Runs without tasks (runSimulation) never leave the synchronous path.
 */
import type { Watcher, ZooKeeper } from "../client/index.js";
import { ApiClientHost } from "../ensemble/index.js";
import type { ZabWire } from "../ensemble/index.js";
import type { Observation } from "../observe/index.js";
import type { RecipeEvent } from "../observe/index.js";
import type { RunOutcome } from "../sim/index.js";
import { Prng } from "../util/index.js";
import { yieldToEventLoop } from "./event-loop.js";
import { API_CLIENT_ID_BASE, resolveRunOptions, serverIds } from "./options.js";
import type { RunOptionsInput } from "./options.js";
import { judgeRun, prepareRun } from "./simulate.js";
import type { ExtraCheck, PreparedRun, RunHooks, RunReport } from "./simulate.js";

/** What a scenario task works with. */
export interface ScenarioClient {
  /** This task's client node id. */
  readonly node: number;
  /** A new session (a ZooKeeper object) on this task's node. */
  connect(watcher?: Watcher): ZooKeeper;
  /** Resolves after `ms` of the node's simulated time. */
  sleep(ms: number): Promise<void>;
  /** Puts an observation in the trace at this task's node (the checkers read it). */
  observe(observation: Observation): void;
  /**
   * This task's seeded stream (the run's "tasks" stream forked per task), so a task's random
   * choices depend on the seed alone and never shift another stream's draws.
   */
  readonly random: Prng;
  /** Reports a recipe event: a `recipe` observation of this node and its current session. */
  record(event: RecipeEvent): void;
  /** Simulated milliseconds since the task began, by its node's clock. */
  elapsedMs(): number;
}

/** One task of a scenario: async code against the API. */
export type ScenarioTask = (client: ScenarioClient) => Promise<void>;

/** How each task ended. */
export interface TaskOutcome {
  readonly node: number;
  /** "done", "failed" (it threw: `error` says what), or "pending" (still waiting at the end). */
  readonly status: "done" | "failed" | "pending";
  readonly error?: string;
}

/** A scenario's run report and its tasks' outcomes. */
export interface ScenarioReport {
  readonly report: RunReport;
  readonly tasks: readonly TaskOutcome[];
}

/** A task awaited something the simulation does not drive (a timer, I/O). */
export class ScenarioStalled extends Error {
  constructor(readonly seed: number, readonly node: number) {
    super(`seed ${seed}: the task on client node ${node} awaits something outside the ` +
      "simulation (neither an API call nor a simulated sleep)");
    this.name = "ScenarioStalled";
  }
}

/** The session timeout scenario clients ask for. */
const SCENARIO_SESSION_TIMEOUT_MS = 4000;

interface Running {
  readonly host: ApiClientHost<ZabWire>;
  status: TaskOutcome["status"];
  error?: string;
}

/** What a kind of API-driven run adds around its tasks (the `--encrypt` run, for one). */
export interface ScenarioExtras {
  /**
   * Called once the world has run to its end, before the checkers: it may put final
   * observations in the trace (at the first task's node), such as the disks' bytes.
   */
  readonly finish?: (run: PreparedRun, observe: (observation: Observation) => void) => void;
  /** More checkers over the run's observations, beside every run's own. */
  readonly check?: ExtraCheck;
}

/** Runs `tasks` against seed `seed`'s ensemble and judges the run. */
export async function runScenario(seed: number, input: RunOptionsInput,
  tasks: readonly ScenarioTask[], hooks: RunHooks = {}, extras: ScenarioExtras = {}):
  Promise<ScenarioReport> {
  const options = resolveRunOptions(input);
  const { voters, observers } = serverIds(options);
  const firstId = API_CLIENT_ID_BASE;
  const hosts = tasks.map((_, i) => new ApiClientHost<ZabWire>(firstId + i,
    { servers: [...voters, ...observers], sessionTimeoutMs: SCENARIO_SESSION_TIMEOUT_MS },
    (message) => message));
  const run = prepareRun(seed, input, hooks, hosts);
  const running: Running[] = hosts.map((host) => ({ host, status: "pending" }));
  // The hosts start with the world's first events; tasks begin once their nodes are up.
  run.world.runUntil(0);
  const streams = new Prng(seed, "tasks");
  tasks.forEach((task, i) => start(task, running[i] as Running, streams.fork(`task${i}`)));
  await settle(run, running);
  let outcome = await runPhase(run, running, run.healAtMicros);
  if (run.world.failure === null) outcome = await runPhase(run, running, run.endMicros);
  else outcome = "failed";
  const first = running[0];
  if (extras.finish !== undefined && first !== undefined) {
    extras.finish(run, (observation) => first.host.observe(observation));
  }
  const report = judgeRun(run, outcome, extras.check);
  return {
    report,
    tasks: running.map((r) => ({
      node: r.host.id, status: r.status, ...(r.error === undefined ? {} : { error: r.error }),
    })),
  };
}

/**
 * Starts a task. A task that throws is reported in the trace (a `task-failed` recipe event),
 * so the checkers fail the run there, with its seed, like any violation.
 */
function start(task: ScenarioTask, entry: Running, random: Prng): void {
  const began = entry.host.localMicros;
  const client: ScenarioClient = {
    elapsedMs: () => (entry.host.localMicros - began) / 1000,
    node: entry.host.id,
    connect: (watcher) => entry.host.open(watcher),
    sleep: (ms) => entry.host.sleep(ms),
    observe: (observation) => entry.host.observe(observation),
    random,
    record: (event) => entry.host.record(event),
  };
  task(client).then(() => {
    entry.status = "done";
  }, (error: unknown) => {
    entry.status = "failed";
    entry.error = error instanceof Error ? error.message : String(error);
    entry.host.record({ type: "task-failed", message: entry.error });
  });
}

/** Runs the world to `untilMicros`, yielding after each event that settled API promises. */
async function runPhase(run: PreparedRun, running: readonly Running[], untilMicros: number):
  Promise<RunOutcome> {
  let settled = totalSettled(running);
  for (;;) {
    const outcome = run.world.runUntilPaused(untilMicros, () => totalSettled(running) !== settled);
    if (outcome !== "paused") return outcome;
    await settle(run, running);
    settled = totalSettled(running);
  }
}

/** Lets every continuation run, then checks that each task waits on the API or is done. */
async function settle(run: PreparedRun, running: readonly Running[]): Promise<void> {
  await yieldToEventLoop();
  for (const entry of running) {
    if (entry.status === "pending" && entry.host.waiting === 0) {
      throw new ScenarioStalled(run.seed, entry.host.id);
    }
  }
}

function totalSettled(running: readonly Running[]): number {
  let total = 0;
  for (const entry of running) total += entry.host.settled;
  return total;
}
