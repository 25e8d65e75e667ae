/**
 * The one home of every run option (issue 10, "one home per option"): each entry names the
 * option once (its flag, the RunOptions field or fields it sets, its unit, its default, its
 * range and its help line). Everything else is derived from this table: RUN_DEFAULTS, the
 * fields a run file may hold, the validation and its one-line messages (run/options.ts), the
 * command-line flags and the replay line (cli/run-flags.ts). Adding an option is adding a row.
 *
 * Flags read milliseconds with decimals and store whole microseconds, so the world's own fields
 * (SimOptions) are what a run file holds and what the world validates once more.
 */
import { runBugNames } from "./bugs.js";
import { ZXID_COUNTER_MAX } from "../util/index.js";
import {
  DRIFT_PPM_LIMIT, FAULTS_PER_SECOND_LIMIT, defaultSimOptions,
} from "../sim/index.js";

/** How an option's text is read and its value judged. */
export type OptionUnit =
  /** A whole number in [min, max]. */
  | "count"
  /** Milliseconds with up to 3 decimals, stored as whole microseconds >= 0. */
  | "ms"
  /** MIN..MAX in milliseconds (one value means MIN = MAX), stored as two microsecond fields. */
  | "ms-range"
  /** A number in [min, max] (a probability is [0, 1]). */
  | "number"
  /** One of `choices`. */
  | "choice"
  /** on or off, stored as a boolean. */
  | "on-off"
  /** A flag without a value (`--encrypt`): on when given, stored as a boolean. */
  | "switch"
  /** A whole number, or "minority" (stored as null). */
  | "count-or-minority"
  /** A whole number, or "auto" (stored as null: the run's own rule decides). */
  | "count-or-auto"
  /** A planted bug's name, or none (null). */
  | "bug"
  /** A fault schedule read from a file (stored as the list itself). */
  | "schedule";

/** A field's value, as a run file holds it. */
export type OptionValue = number | string | boolean | null | readonly unknown[];

/** One run option. */
export interface OptionDef {
  /** The flag without dashes ("loss" for --loss). */
  readonly flag: string;
  /** Dotted RunOptions fields it sets ("network.lossProbability"); a range sets two. */
  readonly fields: readonly string[];
  readonly unit: OptionUnit;
  /** The default value of each field, in the order of `fields`. */
  readonly defaults: readonly OptionValue[];
  readonly min?: number;
  readonly max?: number;
  readonly choices?: readonly string[];
  /** What a value looks like in --help ("N", "MS", "MIN..MAX", "P"). */
  readonly placeholder: string;
  readonly help: string;
  /** The default in force given the other options, when it depends on them (else `defaults`). */
  readonly implied?: (options: Readonly<Record<string, unknown>>) => readonly OptionValue[];
}

/** The run's fault mixes, in the order --help lists them (see run/options.ts). */
export const RUN_FAULT_MIXES = ["none", "standard", "corruption", "adversary"] as const;

/**
 * The recipe workloads (docs/recipes.md): API-driven clients running one of src/recipes, or
 * all of them, the clients dealt out in turn (`mixed`, run/tasks.ts).
 */
export const RECIPE_WORKLOADS = [
  "membership", "election", "lock", "rwlock", "semaphore", "config", "cache", "queue",
  "barrier", "mixed",
] as const;

/** The client workloads a run can use (docs/clients.md, docs/recipes.md). */
export const RUN_WORKLOADS = ["sessions", "basic", ...RECIPE_WORKLOADS] as const;

/** Limits on the shape of a run; beyond them a run is more likely a typo than an intent. */
export const RUN_LIMITS = {
  replicasMax: 9,
  observersMax: 9,
  clientsMax: 64,
  durationMsMax: 3_600_000,
} as const;

/** The largest clock drift and fault rate the world accepts (sim/validate.ts). */
const DRIFT_PPM_MAX = DRIFT_PPM_LIMIT;
const FAULT_RATE_MAX = FAULTS_PER_SECOND_LIMIT;

const SIM = defaultSimOptions();

/** The most whole-ensemble power losses a run may ask for. */
export const POWER_LOSSES_MAX = 8;

function count(
  flag: string, field: string, value: number, min: number, max: number, help: string,
): OptionDef {
  return { flag, fields: [field], unit: "count", defaults: [value], min, max, placeholder: "N",
    help };
}

function millis(flag: string, field: string, value: number, help: string): OptionDef {
  return { flag, fields: [field], unit: "ms", defaults: [value], placeholder: "MS", help };
}

function range(flag: string, field: string, min: number, max: number, help: string): OptionDef {
  return {
    flag, fields: [`${field}Min`, `${field}Max`], unit: "ms-range", defaults: [min, max],
    placeholder: "MIN..MAX", help,
  };
}

function probability(flag: string, field: string, value: number, help: string): OptionDef {
  return {
    flag, fields: [field], unit: "number", defaults: [value], min: 0, max: 1, placeholder: "P",
    help,
  };
}

/**
 * Every run option, in the order --help lists them. The defaults are what `npm start` and a
 * plain `zabsim run` use.
 */
export const OPTION_TABLE: readonly OptionDef[] = [
  count("replicas", "replicas", 3, 1, RUN_LIMITS.replicasMax,
    "voting servers (ZooKeeper participants)"),
  count("observers", "observers", 0, 0, RUN_LIMITS.observersMax,
    "non-voting servers (observers)"),
  count("clients", "clients", 3, 0, RUN_LIMITS.clientsMax,
    "workload clients issuing reads and writes"),
  {
    flag: "workload", fields: ["workload"], unit: "choice", defaults: ["sessions"],
    choices: RUN_WORKLOADS, placeholder: RUN_WORKLOADS.join("|"),
    help: "the clients: sessions (watches, ephemerals, moves, expiries), basic, or a recipe " +
      "(docs/recipes.md)",
  },
  count("duration-ms", "durationMs", 10_000, 1, RUN_LIMITS.durationMsMax,
    "simulated length of the safety phase (faults on)"),
  // The liveness phase is also its bound: a write must be acknowledged within it, so 0 would
  // judge liveness on no time at all (issue 22: a pointless option is refused).
  count("liveness-ms", "livenessMs", 20_000, 1, RUN_LIMITS.durationMsMax,
    "simulated length of the healed phase; a write must commit within it"),
  {
    flag: "faults", fields: ["faults"], unit: "choice", defaults: ["standard"],
    choices: RUN_FAULT_MIXES, placeholder: RUN_FAULT_MIXES.join("|"),
    help: "the safety phase's fault mix (corruption: standard + bit flips of synced records; " +
      "adversary: standard + an attacker on the wire between servers)",
  },
  {
    flag: "bug", fields: ["bug"], unit: "bug", defaults: [null],
    choices: runBugNames(), placeholder: "NAME",
    help: "plant a known protocol or key-service bug (--bug list prints the names)",
  },
  // Off by default; the adversary mix turns it on unless the run says off (docs/security.md).
  {
    flag: "secure-quorum", fields: ["secureQuorum"], unit: "on-off", defaults: [false],
    choices: ["off", "on"], placeholder: "off|on",
    help: "authenticated, encrypted server-to-server traffic, like ZooKeeper's sslQuorum; " +
      "--faults adversary turns it on unless given off",
    implied: (options) => [options["faults"] === "adversary"],
  },
  // Issue 15: the key service's tasks on the client API, beside the run's workload.
  {
    flag: "encrypt", fields: ["encrypt"], unit: "switch", defaults: [false], placeholder: "",
    help: "add the key service's clients: sealed values, key rotation, rewrap, destroy, " +
      "grants, a hostile client, and their checkers (docs/keys.md)",
  },
  // Swarm worlds (issue 19, docs/reach.md): each seed draws the world knobs no flag sets.
  {
    flag: "swarm", fields: ["swarm"], unit: "on-off", defaults: [true],
    choices: ["off", "on"], placeholder: "off|on",
    help: "on: each seed draws the world's knobs that no flag sets (latencies, loss, fsync " +
      "stalls, clocks, fault rate, power losses, ...); off: the fixed world of the defaults",
  },
  {
    flag: "schedule", fields: ["schedule"], unit: "schedule", defaults: [[]], placeholder: "FILE",
    help: "explicit faults to add: a JSON list of {atMicros, fault}, or a run file",
  },
  range("latency-ms", "network.latencyMicros", SIM.network.latencyMicrosMin,
    SIM.network.latencyMicrosMax, "one-way message latency, uniform"),
  probability("spikes", "network.spikeProbability", SIM.network.spikeProbability,
    "chance a message gets an extra delay spike (until the heal)"),
  millis("spike-ms", "network.spikeMicrosMax", SIM.network.spikeMicrosMax, "largest delay spike"),
  probability("loss", "network.lossProbability", SIM.network.lossProbability,
    "chance a message is lost (until the heal)"),
  probability("duplicate", "network.duplicateProbability", SIM.network.duplicateProbability,
    "chance a message is delivered twice (until the heal)"),
  {
    flag: "reorder", fields: ["network.reorder"], unit: "on-off", defaults: [SIM.network.reorder],
    choices: ["off", "on"], placeholder: "off|on",
    help: "on: messages on a link may overtake each other (off: FIFO, like TCP)",
  },
  // The servers' disks: an fsync takes 1 to 20 ms, like a spinning disk's (ZooKeeper's
  // recommended dedicated log device), rather than the kernel's sub-millisecond default. The
  // window between a write and its durability is what the fsync-before-ack rule protects; a
  // realistic window is what lets a power loss catch a server that acknowledges too early.
  range("fsync-ms", "disk.fsyncMicros", 1_000, 20_000, "time an fsync takes, uniform"),
  probability("fsync-stalls", "disk.fsyncStallProbability", SIM.disk.fsyncStallProbability,
    "chance an fsync stalls (a stalled disk; until the heal); later fsyncs wait behind it"),
  millis("fsync-stall-ms", "disk.fsyncStallMicrosMax", SIM.disk.fsyncStallMicrosMax,
    "longest fsync stall"),
  probability("torn-writes", "disk.tornWriteProbability", SIM.disk.tornWriteProbability,
    "chance a crash leaves the last unsynced append torn"),
  millis("skew-ms", "clock.skewMicrosMax", SIM.clock.skewMicrosMax,
    "each clock starts off by up to this"),
  {
    flag: "drift-ppm", fields: ["clock.driftPpmMax"], unit: "count",
    defaults: [SIM.clock.driftPpmMax], min: 0, max: DRIFT_PPM_MAX, placeholder: "PPM",
    help: `each clock runs fast or slow by up to this (at most ${DRIFT_PPM_MAX})`,
  },
  {
    flag: "fault-rate", fields: ["nemesis.faultsPerSecond"], unit: "number",
    defaults: [SIM.nemesis.faultsPerSecond], min: 0, max: FAULT_RATE_MAX, placeholder: "N",
    help: "mean drawn faults per simulated second",
  },
  {
    flag: "crash-max", fields: ["nemesis.crashMax"], unit: "count-or-minority",
    defaults: [SIM.nemesis.crashMax], min: 0, max: RUN_LIMITS.replicasMax + RUN_LIMITS.observersMax,
    placeholder: "N", help: "most servers the mix crashes at once (at most a minority of voters)",
  },
  // Whole-ensemble power losses (run/power.ts): auto is the fixed world's one loss in half the
  // runs; the swarm draws 0 to several, which acknowledge-before-persist mistakes need.
  {
    flag: "power-losses", fields: ["powerLosses"], unit: "count-or-auto", defaults: [null],
    min: 0, max: POWER_LOSSES_MAX, placeholder: "N|auto",
    help: "whole-ensemble power losses in the safety phase (auto: one in half the runs)",
  },
  range("restart-ms", "nemesis.restartDelayMicros", SIM.nemesis.restartDelayMicrosMin,
    SIM.nemesis.restartDelayMicrosMax, "a crashed server restarts after a delay, uniform"),
  // A test knob (ZooKeeper always starts at 0): near 2^32 - 1 every leader exhausts its counter
  // within a few proposals, so Leader.propose's forced re-election runs (ZOOKEEPER-1277).
  // The largest start leaves room for one proposal per epoch (the next one rolls over).
  count("zxid-counter-start", "zxidCounterStart", 0, 0, ZXID_COUNTER_MAX - 2,
    "each new leader's zxid counter starts here (near 4294967295: forced re-elections)"),
];

/** The top-level fields and, for each world section, the fields it holds (derived). */
export function sectionsOfTable(): { top: string[]; sections: Map<string, string[]> } {
  const top: string[] = [];
  const sections = new Map<string, string[]>();
  for (const def of OPTION_TABLE) {
    for (const field of def.fields) {
      const [head, tail] = field.split(".");
      if (head === undefined) continue;
      if (!top.includes(head)) top.push(head);
      if (tail !== undefined) sections.set(head, [...(sections.get(head) ?? []), tail]);
    }
  }
  return { top, sections };
}

/** The value at a dotted field of an options record (undefined when absent). */
export function fieldValue(options: object, field: string): unknown {
  let value: unknown = options;
  for (const key of field.split(".")) {
    if (typeof value !== "object" || value === null) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

/** A row's defaults in force given the other options (`implied`, else `defaults`). */
export function defaultsIn(def: OptionDef, options: object): readonly OptionValue[] {
  return def.implied?.(options as Record<string, unknown>) ?? def.defaults;
}

/** The options record holding every field at its default, built from the table. */
export function tableDefaults(): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const def of OPTION_TABLE) {
    def.fields.forEach((field, i) => {
      const [head, tail] = field.split(".");
      if (head === undefined) return;
      const value = def.defaults[i];
      if (tail === undefined) {
        out[head] = value;
      } else {
        const section = (out[head] ?? {}) as Record<string, unknown>;
        section[tail] = value;
        out[head] = section;
      }
    });
  }
  return out;
}
