/**
 * SimOptions: every knob of the simulated world, as plain JSON-able records with documented
 * defaults. A run is fully described by (seed, SimOptions, hosts): the CLI prints the resolved
 * options so that a run can be replayed. Times are integer microseconds, probabilities are in
 * [0, 1]. validate.ts checks a record and names the bad field.
 */
import type { NodeId, ScheduledFault } from "./faults.js";

/** A per-link latency override (directed: messages from `from` to `to`). */
export interface LinkLatency {
  readonly from: number;
  readonly to: number;
  readonly latencyMicrosMin: number;
  readonly latencyMicrosMax: number;
}

/** The network between nodes. */
export interface NetworkOptions {
  /** One-way latency of a message, drawn uniformly in [min, max]. Default 200..2000. */
  readonly latencyMicrosMin: number;
  readonly latencyMicrosMax: number;
  /** Chance that a message gets an extra delay spike, uniform in [0, spikeMicrosMax]. */
  readonly spikeProbability: number;
  readonly spikeMicrosMax: number;
  /** Chance that a message is lost on the wire. Default 0. */
  readonly lossProbability: number;
  /** Chance that a message is delivered twice (the copy draws its own latency). Default 0. */
  readonly duplicateProbability: number;
  /**
   * false (default): each directed link is FIFO, as ZooKeeper's TCP channels are. true: each
   * message keeps its own drawn latency, so later messages may overtake earlier ones.
   */
  readonly reorder: boolean;
  /** Per-link latency overrides; the first matching entry wins. */
  readonly links: readonly LinkLatency[];
}

/** Each node's disk. */
export interface DiskOptions {
  /** Time an fsync barrier takes to complete, uniform in [min, max]. Default 500..5000. */
  readonly fsyncMicrosMin: number;
  readonly fsyncMicrosMax: number;
  /**
   * Chance that an fsync stalls (a stalled disk: a dying device, a saturated controller, a
   * journal commit behind a flood of writes) and takes an extra delay, uniform in
   * [0, fsyncStallMicrosMax], until the heal. Barriers complete in issue order, so every fsync
   * issued behind a stalled one waits too. Default 0.
   */
  readonly fsyncStallProbability: number;
  readonly fsyncStallMicrosMax: number;
  /**
   * Chance, at each crash, that the last unsynced append survives torn (a garbled prefix) at
   * the end of its file instead of vanishing. Default 0.
   */
  readonly tornWriteProbability: number;
}

/** A node's clock given explicitly. */
export interface NodeClockSetting {
  readonly node: number;
  /** Added to true time. */
  readonly offsetMicros: number;
  /** Rate error in parts per million: +100 runs 100 µs fast per true second. */
  readonly driftPpm: number;
}

/** Node clocks. */
export interface ClockOptions {
  /** Each node's initial offset is drawn uniformly in [-skewMicrosMax, skewMicrosMax]. */
  readonly skewMicrosMax: number;
  /** Each node's drift is drawn uniformly in [-driftPpmMax, driftPpmMax] (at most 100000). */
  readonly driftPpmMax: number;
  /** Explicit clocks; they override the drawn ones for these nodes. */
  readonly nodes: readonly NodeClockSetting[];
}

/** The named fault mixes. */
export type FaultMix = "none" | "standard";

/** The fault plan. */
export interface NemesisOptions {
  /** "none": no drawn faults. "standard": crashes, partitions, clogs, bursts, clock jumps. */
  readonly mix: FaultMix;
  /** Mean drawn faults per simulated second. Default 1. */
  readonly faultsPerSecond: number;
  /** Drawn faults start no earlier than this (a quiet start lets the ensemble form). */
  readonly startMicros: number;
  /** Drawn faults end before this; it bounds the plan. Default 30 s. */
  readonly untilMicros: number;
  /** When set, a `heal` is scheduled at this time. */
  readonly healAtMicros: number | null;
  /**
   * Most servers down at once. null means the largest minority of voters, so a majority of
   * voting servers stays up (what ZAB needs for progress).
   */
  readonly crashMax: number | null;
  /** The mix promises a majority of voters stays up; crashMax beyond a minority is an error. */
  readonly keepMajority: boolean;
  /** A crashed server restarts after a delay drawn in [min, max]. */
  readonly restartDelayMicrosMin: number;
  readonly restartDelayMicrosMax: number;
  /** Let the mix flip bits in synced records (off by default: ZAB assumes a sound disk). */
  readonly corruptSynced: boolean;
  /** Explicit faults, applied in addition to the drawn ones (sorted by time). */
  readonly schedule: readonly ScheduledFault[];
  /**
   * Mean process pauses per simulated second, drawn on their own stream (so turning them on
   * shifts no other draw) among `pauseNodes`, while the mix draws. Default 0.
   */
  readonly pausesPerSecond: number;
  /** The nodes a drawn pause may stop (clients and servers). */
  readonly pauseNodes: readonly NodeId[];
}

/** Bounds on one run. */
export interface LimitOptions {
  /** The world stops with status "event-limit" after this many events. Default 50 million. */
  readonly eventsMax: number;
  /** Pending events beyond this are a failure (a runaway host). Default 1 million. */
  readonly queueMax: number;
}

/** What the trace keeps besides its hash and the observations. */
export interface TraceOptions {
  /** Keep every trace event in memory (for tests and small runs). Default false. */
  readonly keepEvents: boolean;
}

/** Every option of the simulated world. */
export interface SimOptions {
  readonly network: NetworkOptions;
  readonly disk: DiskOptions;
  readonly clock: ClockOptions;
  readonly nemesis: NemesisOptions;
  readonly limits: LimitOptions;
  readonly trace: TraceOptions;
}

/** The defaults: a fault-free, FIFO, low-latency world. */
export function defaultSimOptions(): SimOptions {
  return {
    network: {
      latencyMicrosMin: 200,
      latencyMicrosMax: 2_000,
      spikeProbability: 0,
      spikeMicrosMax: 100_000,
      lossProbability: 0,
      duplicateProbability: 0,
      reorder: false,
      links: [],
    },
    disk: {
      fsyncMicrosMin: 500, fsyncMicrosMax: 5_000, fsyncStallProbability: 0,
      fsyncStallMicrosMax: 5_000_000, tornWriteProbability: 0,
    },
    clock: { skewMicrosMax: 0, driftPpmMax: 0, nodes: [] },
    nemesis: {
      mix: "none",
      faultsPerSecond: 1,
      startMicros: 1_000_000,
      untilMicros: 30_000_000,
      healAtMicros: null,
      crashMax: null,
      keepMajority: true,
      restartDelayMicrosMin: 100_000,
      restartDelayMicrosMax: 3_000_000,
      corruptSynced: false,
      schedule: [],
      pausesPerSecond: 0,
      pauseNodes: [],
    },
    limits: { eventsMax: 50_000_000, queueMax: 1_000_000 },
    trace: { keepEvents: false },
  };
}

/** A partial SimOptions: any subset of the sections and their fields. */
export type SimOptionsInput = {
  readonly [S in keyof SimOptions]?: Partial<SimOptions[S]>;
};

/** Fills every missing (or undefined) field from the defaults. Does not validate. */
export function resolveSimOptions(input: SimOptionsInput = {}): SimOptions {
  const base = defaultSimOptions();
  return {
    network: { ...base.network, ...present(input.network) },
    disk: { ...base.disk, ...present(input.disk) },
    clock: { ...base.clock, ...present(input.clock) },
    nemesis: { ...base.nemesis, ...present(input.nemesis) },
    limits: { ...base.limits, ...present(input.limits) },
    trace: { ...base.trace, ...present(input.trace) },
  };
}

/** The fields of `section` whose value is not undefined (so they do not hide a default). */
function present<T extends object>(section: T | undefined): Partial<T> {
  if (section === undefined) return {};
  const out: Partial<T> = {};
  for (const key of Object.keys(section) as (keyof T)[]) {
    if (section[key] !== undefined) out[key] = section[key];
  }
  return out;
}

/** The largest number of voters that may be down while a majority of `voters` stays up. */
export function minorityOf(voters: number): number {
  return Math.max(0, Math.floor((voters - 1) / 2));
}
