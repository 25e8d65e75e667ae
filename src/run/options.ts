/**
 * RunOptions: the whole description of one zabsim run besides its seed. Together with the seed
 * they decide the run byte for byte, so the CLI prints them in every report (`options`) and a
 * saved run file feeds them back to replay or shrink it. Every field has a default; `--help`
 * shows them, and `validateRunOptions` names the bad field in one line for exit code 2.
 */
import type {
  ClockOptions, DiskOptions, NemesisOptions, NetworkOptions, ScheduledFault, SimOptionsInput,
} from "../sim/index.js";
import { resolveSimOptions, validateSimOptions } from "../sim/index.js";
import type { RECIPE_WORKLOADS, RUN_FAULT_MIXES, RUN_WORKLOADS } from "./option-table.js";
import {
  OPTION_TABLE, RUN_LIMITS, RECIPE_WORKLOADS as RECIPE_WORKLOAD_LIST, defaultsIn, fieldValue,
  sectionsOfTable, tableDefaults,
} from "./option-table.js";
import { checkOption } from "./option-values.js";

/**
 * The run's fault mixes. "standard" stays inside ZAB's fault model (crash-recovery, a sound
 * disk, an asynchronous network); "corruption" is the standard mix plus bit flips of synced
 * records, which ZAB assumes never happen: violations it causes lie outside the fault model.
 * "adversary" is the standard mix plus an attacker on the wire between servers
 * (ensemble/attacker.ts), which ZAB does not claim to survive without secure quorum.
 */
export type RunFaultMix = (typeof RUN_FAULT_MIXES)[number];

export {
  RECIPE_WORKLOADS, RUN_FAULT_MIXES, RUN_LIMITS, RUN_WORKLOADS,
} from "./option-table.js";

/** The network knobs a run sets (the sim's own names; per-link overrides stay unset). */
export type RunNetwork = Omit<NetworkOptions, "links">;
/** The disk knobs a run sets. */
export type RunDisk = DiskOptions;
/** The clock knobs a run sets: every node's offset and drift are drawn within these. */
export type RunClock = Omit<ClockOptions, "nodes">;
/** The mix's tuning; its window, heal, majority promise and schedule come from the run. */
export type RunNemesis = Pick<
  NemesisOptions, "faultsPerSecond" | "crashMax" | "restartDelayMicrosMin" | "restartDelayMicrosMax"
>;

/** Everything that shapes a run, besides the seed. */
export interface RunOptions {
  /** Voting servers (ZooKeeper participants), ids 1..replicas. */
  readonly replicas: number;
  /** Observers (non-voting learners), ids after the voters. */
  readonly observers: number;
  /** Workload clients, ids from CLIENT_ID_BASE. */
  readonly clients: number;
  /**
   * Which clients run: "sessions" (the default: ZooKeeper client sessions with watches,
   * ephemerals, multi, sync, moves, closes and expiries, src/ensemble/session-workload.ts) or
   * "basic" (one request at a time on a few paths, src/ensemble/workload.ts).
   */
  readonly workload: RunWorkload;
  /** Simulated length of the safety phase (faults on), in milliseconds. */
  readonly durationMs: number;
  /**
   * Simulated length of the liveness phase that follows the heal, in milliseconds; it is also
   * the bound: a write must be acknowledged within it.
   */
  readonly livenessMs: number;
  /** The nemesis's fault mix during the safety phase. */
  readonly faults: RunFaultMix;
  /** A planted protocol bug (src/consensus/bugs.ts), or null for a correct ensemble. */
  readonly bug: string | null;
  /**
   * Authenticated, encrypted quorum traffic (ZooKeeper's sslQuorum; docs/security.md). Off by
   * default; unless given, the adversary mix turns it on.
   */
  readonly secureQuorum: boolean;
  /**
   * The key service's clients on the simulated client API, with their checkers (issue 15;
   * docs/keys.md). Off by default; a run with it on is API-driven (run/encrypt).
   */
  readonly encrypt: boolean;
  /**
   * Swarm worlds (docs/reach.md): true (the default) draws, from the seed's own "swarm" stream,
   * every world knob the input does not give (run/swarm.ts); the report holds what was drawn,
   * so its options give every field and replay the same world. false: the fixed world.
   */
  readonly swarm: boolean;
  /** Explicit faults applied on top of the mix (what replay and shrink feed back). */
  readonly schedule: readonly ScheduledFault[];
  /** Latency, spikes, loss, duplication and reordering of every link (SimOptions.network). */
  readonly network: RunNetwork;
  /** fsync latency and torn writes of every server's disk (SimOptions.disk). */
  readonly disk: RunDisk;
  /** Clock skew and drift bounds (SimOptions.clock). */
  readonly clock: RunClock;
  /** The drawn mix's rate, crash bound and restart delays (SimOptions.nemesis). */
  readonly nemesis: RunNemesis;
  /**
   * Whole-ensemble power losses in the safety phase (run/power.ts); null: one in half the runs
   * (the fixed world's rule).
   */
  readonly powerLosses: number | null;
  /** Each new leader's first zxid counter (0 in ZooKeeper; near 2^32 - 1 to force rollovers). */
  readonly zxidCounterStart: number;
}

/** A partial RunOptions: any field, and any subset of a section's fields. */
export type RunOptionsInput = {
  readonly [K in keyof RunOptions]?: RunOptions[K] extends object
    ? (K extends "schedule" ? RunOptions[K] : Partial<RunOptions[K]>) : RunOptions[K];
};

/** The world sections of RunOptions and the fields each may hold (from the option table). */
export const RUN_SECTIONS: ReadonlyMap<string, readonly string[]> = sectionsOfTable().sections;

/** The top-level fields of RunOptions (from the option table). */
export const RUN_OPTION_KEYS: readonly string[] = sectionsOfTable().top;

/** The name of a world section of RunOptions. */
export type RunSection = "network" | "disk" | "clock" | "nemesis";

/** The name of a client workload (the list lives in the option table). */
export type RunWorkload = (typeof RUN_WORKLOADS)[number];

/** A recipe workload's name (docs/recipes.md). */
export type RecipeWorkload = (typeof RECIPE_WORKLOADS)[number];

/** True when `workload` runs recipe clients on the API (src/run/tasks.ts) instead of hosts. */
export function isRecipeWorkload(workload: string): workload is RecipeWorkload {
  return (RECIPE_WORKLOAD_LIST as readonly string[]).includes(workload);
}

/** Client node ids start here, well clear of server ids (1..replicas+observers). */
export const CLIENT_ID_BASE = 101;

/** API-driven clients (runScenario's tasks) take node ids from here, after every host client. */
export const API_CLIENT_ID_BASE = CLIENT_ID_BASE + RUN_LIMITS.clientsMax;

/** The defaults: what `npm start` and a plain `zabsim run` use (option-table.ts holds them). */
export const RUN_DEFAULTS: RunOptions = tableDefaults() as unknown as RunOptions;

/** The run's default seed (`npm start`). */
export const DEFAULT_SEED = 1;

/** Fills missing fields (and missing fields of each world section) from the defaults. */
export function resolveRunOptions(input: RunOptionsInput = {}): RunOptions {
  const defaults = RUN_DEFAULTS as unknown as Record<string, object>;
  const given = input as Record<string, object | undefined>;
  const out: Record<string, unknown> = { ...defaults, ...given };
  for (const section of RUN_SECTIONS.keys()) {
    out[section] = { ...defaults[section], ...given[section] };
  }
  // A default that depends on other options (the adversary mix turns secure quorum on) holds
  // unless the input gives the field itself.
  for (const def of OPTION_TABLE) {
    if (def.implied === undefined) continue;
    if (def.fields.some((field) => given[field] !== undefined)) continue;
    const values = defaultsIn(def, out);
    def.fields.forEach((field, i) => { out[field] = values[i]; });
  }
  return out as unknown as RunOptions;
}

/**
 * The world's options for a run (the nemesis's window, heal and schedule are the run's to add).
 * The sections go to the sim as they are, so the sim validates exactly what the run uses.
 */
export function worldOptionsOf(options: RunOptions): SimOptionsInput {
  return {
    network: options.network,
    disk: options.disk,
    clock: options.clock,
    nemesis: {
      ...options.nemesis,
      mix: options.faults === "none" ? "none" : "standard",
      corruptSynced: options.faults === "corruption",
      keepMajority: true,
      ...pausesOf(options),
    },
  };
}

/**
 * Process pauses join the mix of the recipe workloads only (docs/recipes.md): the lessons of
 * fencing need a client that stalls past its session timeout, and a stalled server is ZAB's
 * slow process. The default workloads draw none, so their seeds run as before.
 */
export const RECIPE_PAUSES_PER_SECOND = 0.3;

function pausesOf(options: RunOptions): { pausesPerSecond: number; pauseNodes: number[] } {
  if (!isRecipeWorkload(options.workload)) return { pausesPerSecond: 0, pauseNodes: [] };
  const { voters, observers } = serverIds(options);
  return {
    pausesPerSecond: RECIPE_PAUSES_PER_SECOND,
    pauseNodes: [...clientIds(options), ...voters, ...observers],
  };
}

/** Server ids of the voters and observers. */
export function serverIds(options: RunOptions): { voters: number[]; observers: number[] } {
  const voters = Array.from({ length: options.replicas }, (_, i) => i + 1);
  const observers = Array.from({ length: options.observers }, (_, i) => options.replicas + i + 1);
  return { voters, observers };
}

/** Client ids: the workload's hosts, or a recipe workload's API clients (one per task). */
export function clientIds(options: RunOptions): number[] {
  const base = isRecipeWorkload(options.workload) ? API_CLIENT_ID_BASE : CLIENT_ID_BASE;
  return Array.from({ length: options.clients }, (_, i) => base + i);
}

/** One problem with run options: the field (dotted for a section's) and a line naming it. */
export interface RunOptionsProblem {
  readonly field: string;
  readonly message: string;
}

/**
 * The first problem with `options` as one line naming the field, or undefined when they are
 * usable. Checks the schedule and the world sections with the world's own validation.
 */
export function validateRunOptions(options: RunOptions): string | undefined {
  return runOptionsProblem(options)?.message;
}

/** Like validateRunOptions, with the field apart (the CLI maps it back to its flag). */
export function runOptionsProblem(options: RunOptions): RunOptionsProblem | undefined {
  return sectionProblem(options) ?? tableProblem(options) ?? worldProblem(options);
}

/** The first option whose values the table's rules refuse, in the table's order. */
function tableProblem(options: RunOptions): RunOptionsProblem | undefined {
  for (const def of OPTION_TABLE) {
    const message = checkOption(def, def.fields.map((field) => fieldValue(options, field)));
    if (message !== undefined) return { field: def.fields[0] ?? def.flag, message };
  }
  return undefined;
}

/** Each world section is an object holding only its own fields (a run file may be hand-made). */
function sectionProblem(options: RunOptions): RunOptionsProblem | undefined {
  for (const [section, known] of RUN_SECTIONS) {
    const value: unknown = (options as unknown as Record<string, unknown>)[section];
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      return { field: section, message: `${section} must be an object` };
    }
    const stray = Object.keys(value).sort().find((key) => !known.includes(key));
    if (stray !== undefined) {
      return {
        field: `${section}.${stray}`,
        message: `${section}.${stray} is not a run option (${section} holds ${known.join(", ")})`,
      };
    }
  }
  return undefined;
}

/** The world's own validation of the sections and the schedule, against the run's topology. */
function worldProblem(options: RunOptions): RunOptionsProblem | undefined {
  const { voters, observers } = serverIds(options);
  const servers = [...voters, ...observers];
  const topology = { voters, servers, nodes: [...servers, ...clientIds(options)] };
  const world = worldOptionsOf(options);
  const sim = resolveSimOptions({
    ...world, nemesis: { ...world.nemesis, schedule: options.schedule },
  });
  const first = validateSimOptions(sim, topology)[0];
  if (first === undefined) return undefined;
  // The schedule is a top-level run option: name it as the run file does.
  const strip = (text: string): string => text.replace(/^nemesis\.schedule/, "schedule");
  return { field: strip(first.field), message: strip(first.message) };
}
