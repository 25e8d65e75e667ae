/**
 * runSimulation: one seeded run from start to verdict, the way TigerBeetle's VOPR runs a seed.
 * 1. Build the world: the ensemble's servers and clients, and the nemesis plan for the safety
 *    phase (the fault mix plus any explicit schedule), ending in a `heal` at durationMs. The
 *    standard mix also draws a whole-ensemble power loss in half the runs (power.ts).
 * 2. Safety phase: run with faults until durationMs.
 * 3. Liveness phase: every fault is healed; run livenessMs more. A write must be acknowledged
 *    within it.
 * 4. Judge the observations with every checker (src/check) and add the world's own failure, if
 *    a replica found its state impossible (an AssertionError is a violation "assertion").
 * Nothing here reads a clock or draws randomness outside the world's seeded streams.
 */
import { checkRun } from "../check/index.js";
import type { Violation } from "../check/index.js";
import { World } from "../sim/index.js";
import type {
  RunOutcome, ScheduledFault, SimFailure, TraceSink, WorldStats,
} from "../sim/index.js";
import { buildEnsemble } from "./ensemble.js";
import type { RunOptions } from "./options.js";
import { resolveRunOptions, serverIds, validateRunOptions } from "./options.js";
import { drawPowerLoss } from "./power.js";

/** Everything a run reports (the CLI adds wallMs). Field names follow shared/spec/cli.md. */
export interface RunReport {
  readonly seed: number;
  /** Every option in force, defaults included: with the seed, enough to replay the run. */
  readonly options: RunOptions;
  /** 16 hex digits; equal traces give equal hashes. */
  readonly traceHash: string;
  /** World events processed. */
  readonly events: number;
  readonly simTimeMs: number;
  /** The faults as injected, with their times (the final heal included). */
  readonly faults: readonly ScheduledFault[];
  /** Empty when every check held. Sorted by trace position. */
  readonly violations: readonly Violation[];
  /** Distinct transactions delivered by some server. */
  readonly committed: number;
  /** Leaders established over the run. */
  readonly leaderChanges: number;
  /** Milliseconds from the heal to the first acknowledged write after it (null: none). */
  readonly recoveryMs: number | null;
  /** Why the world stopped: "reached" (ran to the end), "idle", "event-limit" or "failed". */
  readonly outcome: RunOutcome;
  /** Which servers ran: "zab", the replicas of src/consensus. */
  readonly servers: "zab";
  /** Counters of what the world did. */
  readonly stats: WorldStats;
}

/** Optional outputs of a run: none of them changes what happens in it. */
export interface RunHooks {
  /** Receives the trace as JSON lines (`--trace FILE`). */
  readonly traceSink?: TraceSink;
}

/** A run that cannot start: options that fail validation (the CLI exits 2 with the message). */
export class RunOptionsInvalid extends Error {
  constructor(message: string) {
    super(message);
    this.name = "RunOptionsInvalid";
  }
}

const MICROS_PER_MS = 1000;

/**
 * The servers' disks: an fsync takes 1 to 20 ms, like a spinning disk's (ZooKeeper's
 * recommended dedicated log device), rather than the kernel's sub-millisecond default. The
 * window between a write and its durability is what the fsync-before-ack rule protects; a
 * realistic window is what lets a power loss catch a server that acknowledges too early.
 */
const RUN_DISK = { fsyncMicrosMin: 1_000, fsyncMicrosMax: 20_000 } as const;

/** Runs seed `seed` with `options` (missing fields take defaults) and judges it. */
export function runSimulation(
  seed: number, input: Partial<RunOptions> = {}, hooks: RunHooks = {},
): RunReport {
  const options = resolveRunOptions(input);
  const problem = validateRunOptions(options);
  if (problem !== undefined) throw new RunOptionsInvalid(problem);
  if (!Number.isSafeInteger(seed) || seed < 0) {
    throw new RunOptionsInvalid(`seed must be a whole number from 0 to 2^53-1, got ${seed}`);
  }
  const healAtMicros = options.durationMs * MICROS_PER_MS;
  const endMicros = healAtMicros + options.livenessMs * MICROS_PER_MS;
  const ensemble = buildEnsemble(options);
  const startMicros = Math.min(1_000_000, Math.floor(healAtMicros / 5));
  const { voters, observers } = serverIds(options);
  const power = options.faults === "standard"
    ? drawPowerLoss(seed, [...voters, ...observers], startMicros, healAtMicros) : [];
  const world = new World({
    seed,
    hosts: ensemble.hosts,
    describeMessage: ensemble.describeMessage,
    ...(hooks.traceSink === undefined ? {} : { traceSink: hooks.traceSink }),
    options: {
      nemesis: {
        mix: options.faults,
        startMicros,
        untilMicros: healAtMicros,
        healAtMicros,
        schedule: [...power, ...options.schedule],
      },
      disk: RUN_DISK,
    },
  });
  world.runUntil(healAtMicros);
  const outcome = world.failure === null ? world.runUntil(endMicros) : "failed";
  const report = world.report();
  const verdict = checkRun(world.observations, world.failure !== null ? undefined : {
    healAtMicros, boundMicros: endMicros - healAtMicros, endEvent: report.events,
    endMicros: report.simTimeMicros, writesExpected: options.clients > 0,
  });
  const violations = [...verdict.violations];
  if (report.failure !== null) violations.push(failureViolation(report.failure));
  return {
    seed,
    options,
    traceHash: report.traceHash,
    events: report.events,
    simTimeMs: report.simTimeMicros / MICROS_PER_MS,
    faults: report.faults,
    violations,
    committed: verdict.committed,
    leaderChanges: verdict.leaderChanges,
    recoveryMs: verdict.liveness?.recoveryMicros == null
      ? null : verdict.liveness.recoveryMicros / MICROS_PER_MS,
    outcome,
    servers: ensemble.servers,
    stats: report.stats,
  };
}

/** A host's failed assertion (or any throw) as a violation, located where it happened. */
function failureViolation(failure: SimFailure): Violation {
  const where = failure.node === null ? "the world" : `node ${failure.node}`;
  const what = failure.kind === "assertion" ? "assertion failed" : "host threw";
  return {
    checker: "assertion",
    message: `${what} in ${where}: ${failure.message}`,
    simTimeMs: failure.timeMicros / MICROS_PER_MS,
    event: failure.eventIndex,
  };
}
