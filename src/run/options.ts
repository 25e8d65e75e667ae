/**
 * RunOptions: the whole description of one zabsim run besides its seed. Together with the seed
 * they decide the run byte for byte, so the CLI prints them in every report (`options`) and a
 * saved run file feeds them back to replay or shrink it. Every field has a default; `--help`
 * shows them, and `validateRunOptions` names the bad field in one line for exit code 2.
 */
import { BUG_NAMES } from "../consensus/bugs.js";
import type { FaultMix, ScheduledFault } from "../sim/index.js";
import { resolveSimOptions, validateSimOptions } from "../sim/index.js";

/** Everything that shapes a run, besides the seed. */
export interface RunOptions {
  /** Voting servers (ZooKeeper participants), ids 1..replicas. */
  readonly replicas: number;
  /** Observers (non-voting learners), ids after the voters. */
  readonly observers: number;
  /** Workload clients, ids from CLIENT_ID_BASE. */
  readonly clients: number;
  /** Simulated length of the safety phase (faults on), in milliseconds. */
  readonly durationMs: number;
  /**
   * Simulated length of the liveness phase that follows the heal, in milliseconds; it is also
   * the bound: a write must be acknowledged within it.
   */
  readonly livenessMs: number;
  /** The nemesis's fault mix during the safety phase. */
  readonly faults: FaultMix;
  /** A planted protocol bug (src/consensus/bugs.ts), or null for a correct ensemble. */
  readonly bug: string | null;
  /** Explicit faults applied on top of the mix (what replay and shrink feed back). */
  readonly schedule: readonly ScheduledFault[];
}

/** Limits on the shape of a run; beyond them a run is more likely a typo than an intent. */
export const RUN_LIMITS = {
  replicasMax: 9,
  observersMax: 9,
  clientsMax: 64,
  durationMsMax: 3_600_000,
} as const;

/** Client node ids start here, well clear of server ids (1..replicas+observers). */
export const CLIENT_ID_BASE = 101;

/** The defaults: what `npm start` and a plain `zabsim run` use. */
export const RUN_DEFAULTS: RunOptions = {
  replicas: 3,
  observers: 0,
  clients: 3,
  durationMs: 10_000,
  livenessMs: 20_000,
  faults: "standard",
  bug: null,
  schedule: [],
};

/** The run's default seed (`npm start`). */
export const DEFAULT_SEED = 1;

/** Fills missing fields from the defaults. */
export function resolveRunOptions(input: Partial<RunOptions> = {}): RunOptions {
  return { ...RUN_DEFAULTS, ...input };
}

/** Server ids of the voters and observers. */
export function serverIds(options: RunOptions): { voters: number[]; observers: number[] } {
  const voters = Array.from({ length: options.replicas }, (_, i) => i + 1);
  const observers = Array.from({ length: options.observers }, (_, i) => options.replicas + i + 1);
  return { voters, observers };
}

/** Client ids. */
export function clientIds(options: RunOptions): number[] {
  return Array.from({ length: options.clients }, (_, i) => CLIENT_ID_BASE + i);
}

function whole(value: unknown, min: number, max: number): boolean {
  return typeof value === "number" && Number.isSafeInteger(value) && value >= min && value <= max;
}

/**
 * The first problem with `options` as one line naming the field, or undefined when they are
 * usable. Checks the schedule against the world's own validation (node ids, times, kinds).
 */
export function validateRunOptions(options: RunOptions): string | undefined {
  const { replicasMax, observersMax, clientsMax, durationMsMax } = RUN_LIMITS;
  if (!whole(options.replicas, 1, replicasMax)) {
    return `replicas must be a whole number from 1 to ${replicasMax}, ` +
      `got ${String(options.replicas)}`;
  }
  if (!whole(options.observers, 0, observersMax)) {
    return `observers must be a whole number from 0 to ${observersMax}`;
  }
  if (!whole(options.clients, 0, clientsMax)) {
    return `clients must be a whole number from 0 to ${clientsMax}`;
  }
  if (!whole(options.durationMs, 1, durationMsMax)) {
    return `durationMs must be a whole number from 1 to ${durationMsMax}`;
  }
  if (!whole(options.livenessMs, 0, durationMsMax)) {
    return `livenessMs must be a whole number from 0 to ${durationMsMax}`;
  }
  if (options.faults !== "none" && options.faults !== "standard") {
    return `faults must be "none" or "standard", got ${JSON.stringify(options.faults)}`;
  }
  if (options.bug !== null && !Object.prototype.hasOwnProperty.call(BUG_NAMES, options.bug)) {
    return `bug must be one of ${Object.keys(BUG_NAMES).sort().join(", ")} ` +
      `(see zabsim run --bug list), got "${String(options.bug)}"`;
  }
  if (!Array.isArray(options.schedule)) return "schedule must be a list of {atMicros, fault}";
  return validateSchedule(options);
}

function validateSchedule(options: RunOptions): string | undefined {
  const { voters, observers } = serverIds(options);
  const servers = [...voters, ...observers];
  const topology = { voters, servers, nodes: [...servers, ...clientIds(options)] };
  const sim = resolveSimOptions({ nemesis: { schedule: options.schedule } });
  const errors = validateSimOptions(sim, topology);
  const first = errors[0];
  return first === undefined ? undefined : first.message.replace(/^nemesis\./, "");
}
