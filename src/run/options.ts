/**
 * RunOptions: the whole description of one zabsim run besides its seed. Together with the seed
 * they decide the run byte for byte, so the CLI prints them in every report (`options`) and a
 * saved run file feeds them back to replay or shrink it. Every field has a default; `--help`
 * shows them, and `validateRunOptions` names the bad field in one line for exit code 2.
 */
import { allBugNames, isBugName } from "../consensus/bugs.js";
import type {
  ClockOptions, DiskOptions, NemesisOptions, NetworkOptions, ScheduledFault, SimOptionsInput,
} from "../sim/index.js";
import { defaultSimOptions, resolveSimOptions, validateSimOptions } from "../sim/index.js";

/**
 * The run's fault mixes. "standard" stays inside ZAB's fault model (crash-recovery, a sound
 * disk, an asynchronous network); "corruption" is the standard mix plus bit flips of synced
 * records, which ZAB assumes never happen: violations it causes lie outside the fault model.
 * "adversary" is the standard mix plus an attacker on the wire between servers
 * (ensemble/attacker.ts), which ZAB does not claim to survive without secure quorum.
 */
export type RunFaultMix = "none" | "standard" | "corruption" | "adversary";

/** The fault mixes in the order --help lists them. */
export const RUN_FAULT_MIXES: readonly RunFaultMix[] = [
  "none", "standard", "corruption", "adversary",
];

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
}

/** A partial RunOptions: any field, and any subset of a section's fields. */
export type RunOptionsInput = {
  readonly [K in keyof RunOptions]?: RunOptions[K] extends object
    ? (K extends "schedule" ? RunOptions[K] : Partial<RunOptions[K]>) : RunOptions[K];
};

/** The world sections of RunOptions and the fields each may hold. */
export const RUN_SECTIONS = {
  network: [
    "latencyMicrosMin", "latencyMicrosMax", "spikeProbability", "spikeMicrosMax",
    "lossProbability", "duplicateProbability", "reorder",
  ],
  disk: ["fsyncMicrosMin", "fsyncMicrosMax", "tornWriteProbability"],
  clock: ["skewMicrosMax", "driftPpmMax"],
  nemesis: ["faultsPerSecond", "crashMax", "restartDelayMicrosMin", "restartDelayMicrosMax"],
} as const;

/** The name of a world section of RunOptions. */
export type RunSection = keyof typeof RUN_SECTIONS;

const SIM = defaultSimOptions();

/** The sim's network defaults without the per-link overrides. */
function simNetwork(): RunNetwork {
  const n = SIM.network;
  return {
    latencyMicrosMin: n.latencyMicrosMin, latencyMicrosMax: n.latencyMicrosMax,
    spikeProbability: n.spikeProbability, spikeMicrosMax: n.spikeMicrosMax,
    lossProbability: n.lossProbability, duplicateProbability: n.duplicateProbability,
    reorder: n.reorder,
  };
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
  secureQuorum: false,
  schedule: [],
  network: simNetwork(),
  /**
   * The servers' disks: an fsync takes 1 to 20 ms, like a spinning disk's (ZooKeeper's
   * recommended dedicated log device), rather than the kernel's sub-millisecond default. The
   * window between a write and its durability is what the fsync-before-ack rule protects; a
   * realistic window is what lets a power loss catch a server that acknowledges too early.
   */
  disk: { fsyncMicrosMin: 1_000, fsyncMicrosMax: 20_000, tornWriteProbability: 0 },
  clock: { skewMicrosMax: SIM.clock.skewMicrosMax, driftPpmMax: SIM.clock.driftPpmMax },
  nemesis: {
    faultsPerSecond: SIM.nemesis.faultsPerSecond,
    crashMax: SIM.nemesis.crashMax,
    restartDelayMicrosMin: SIM.nemesis.restartDelayMicrosMin,
    restartDelayMicrosMax: SIM.nemesis.restartDelayMicrosMax,
  },
};

/** The run's default seed (`npm start`). */
export const DEFAULT_SEED = 1;

/** Fills missing fields (and missing fields of each world section) from the defaults. */
export function resolveRunOptions(input: RunOptionsInput = {}): RunOptions {
  const d = RUN_DEFAULTS;
  return {
    ...d,
    ...input,
    secureQuorum: input.secureQuorum ?? input.faults === "adversary",
    network: { ...d.network, ...input.network },
    disk: { ...d.disk, ...input.disk },
    clock: { ...d.clock, ...input.clock },
    nemesis: { ...d.nemesis, ...input.nemesis },
  } as RunOptions;
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
    },
  };
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
  const shape = shapeProblem(options);
  if (shape !== undefined) return { field: shape.split(" ")[0] ?? "", message: shape };
  return sectionProblem(options) ?? worldProblem(options);
}

function shapeProblem(options: RunOptions): string | undefined {
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
  if (!RUN_FAULT_MIXES.includes(options.faults)) {
    return `faults must be one of ${RUN_FAULT_MIXES.join(", ")}, ` +
      `got ${JSON.stringify(options.faults)}`;
  }
  if (options.bug !== null && !isBugName(String(options.bug))) {
    return `bug must be one of ${allBugNames().join(", ")} ` +
      `(see zabsim run --bug list), got "${String(options.bug)}"`;
  }
  if (!Array.isArray(options.schedule)) return "schedule must be a list of {atMicros, fault}";
  if (typeof options.secureQuorum !== "boolean") return "secureQuorum must be true or false";
  return undefined;
}

/** Each world section is an object holding only its own fields (a run file may be hand-made). */
function sectionProblem(options: RunOptions): RunOptionsProblem | undefined {
  for (const section of Object.keys(RUN_SECTIONS) as RunSection[]) {
    const value: unknown = options[section];
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      return { field: section, message: `${section} must be an object` };
    }
    const known: readonly string[] = RUN_SECTIONS[section];
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
