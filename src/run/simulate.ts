/**
 * runSimulation: one seeded run from start to verdict, the way TigerBeetle's VOPR runs a seed.
 * 1. Build the world: with swarm on, the seed draws every world knob the input leaves out
 *    (swarm.ts); the ensemble's servers and clients, and the nemesis plan for the safety phase
 *    (the fault mix plus any explicit schedule), ending in a `heal` at durationMs. The
 *    standard mix also draws whole-ensemble power losses (power.ts: one in half the runs in
 *    the fixed world, the drawn count in a swarm world).
 * 2. Safety phase: run with faults until durationMs.
 * 3. Liveness phase: every fault is healed; run livenessMs more. A write must be acknowledged
 *    within it.
 * 4. Judge the observations with every checker (src/check) and add the world's own failure, if
 *    a replica found its state impossible (an AssertionError is a violation "assertion").
 * Nothing here reads a clock or draws randomness outside the world's seeded streams.
 */
import { byPosition, checkRun } from "../check/index.js";
import type { ObservationRecord, Violation } from "../check/index.js";
import { World } from "../sim/index.js";
import type {
  Adversary, Envelope, Host, RunOutcome, ScheduledFault, SimFailure, TraceSink, WorldStats,
} from "../sim/index.js";
import { ChannelIdentity, seededRandom } from "../crypto/index.js";
import { ATTACK_PROBABILITY, Attacker, OUTSIDER_SID } from "../ensemble/index.js";
import type { AdversaryReport, ReplicaHost } from "../ensemble/index.js";
import { Prng } from "../util/index.js";
import { buildEnsemble } from "./ensemble.js";
import type { ZabWire } from "../ensemble/index.js";
import type { Observation } from "../observe/index.js";
import type { Ensemble } from "./ensemble.js";
import type { RunOptions, RunOptionsInput } from "./options.js";
import {
  resolveRunOptions, serverIds, validateRunOptions, worldOptionsOf,
} from "./options.js";
import { drawPowerLoss } from "./power.js";
import { swarmInput } from "./swarm.js";

/**
 * Where a violation stands against ZAB's fault model. ZAB assumes crash-recovery servers whose
 * disks return what they synced; a run that flipped bits of synced records broke that promise,
 * so what goes wrong after it is outside the model (reported, never hidden: ZooKeeper itself can
 * lose a committed write to one corrupted, acknowledged record, Alagappan et al., FAST 2018).
 */
export type FaultModel = "inside" | "outside";

/** A checker's violation; `faultModel: "outside"` in a run that corrupted synced records. */
export type RunViolation = Violation & { readonly faultModel?: "outside" };

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
  readonly violations: readonly RunViolation[];
  /** "outside" when the run corrupted synced records (its violations may be the disk's doing). */
  readonly faultModel: FaultModel;
  /** Distinct transactions delivered by some server. */
  readonly committed: number;
  /** Leaders established over the run. */
  readonly leaderChanges: number;
  /** Milliseconds from the heal to the first acknowledged write after it (null: none). */
  readonly recoveryMs: number | null;
  /**
   * ZooKeeper's guarantee on the client history (docs/linearizability.md). "unknown": the
   * search's budget ran out; reported, and alone it does not fail the run.
   */
  readonly linearizability: "valid" | "invalid" | "unknown";
  /** What ZooKeeper allows and the run saw: stale reads after a sync a deposed leader answered. */
  readonly allowed: { readonly staleSyncReads: number };
  /** Why the world stopped: "reached" (ran to the end), "idle", "event-limit" or "failed". */
  readonly outcome: RunOutcome;
  /** Which servers ran: "zab", the replicas of src/consensus. */
  readonly servers: "zab";
  /** Counters of what the world did. */
  readonly stats: WorldStats;
  /** What the on-wire attacker tried and the servers refused (`--faults adversary` only). */
  readonly adversary?: AdversaryReport;
}

/** Optional outputs of a run: none of them changes what happens in it. */
export interface RunHooks {
  /** Receives the trace as JSON lines (`--trace FILE`). */
  readonly traceSink?: TraceSink;
  /** Receives every observation once the run ended (`--history FILE` takes the clients'). */
  readonly observationSink?: (records: readonly ObservationRecord[]) => void;
  /**
   * Sees each message just before its delivery (the world's adversary hook, passing it on
   * unchanged): the replay page reads send times and txn contents this way.
   */
  readonly deliveryTap?: (envelope: Envelope<unknown>) => void;
}

/** An adversary that only looks: every envelope goes on as it came. */
function tapOf<M>(
  tap: (envelope: Envelope<unknown>) => void,
): (envelope: Envelope<M>) => Envelope<M> {
  return (envelope) => {
    tap(envelope);
    return envelope;
  };
}

/** A run that cannot start: options that fail validation (the CLI exits 2 with the message). */
export class RunOptionsInvalid extends Error {
  constructor(message: string) {
    super(message);
    this.name = "RunOptionsInvalid";
  }
}

const MICROS_PER_MS = 1000;

/** A world built for a run, with the times its phases end. */
export interface PreparedRun {
  readonly seed: number;
  readonly options: RunOptions;
  readonly world: World<ZabWire, Observation>;
  readonly ensemble: Ensemble<ZabWire>;
  readonly healAtMicros: number;
  readonly endMicros: number;
  readonly hooks: RunHooks;
  /** The on-wire attacker (`--faults adversary` only). */
  readonly attacker?: Attacker;
}

/**
 * Builds the world of seed `seed` with `options` (missing fields take defaults): its servers
 * and clients, plus `extraHosts` (an API-driven run's client nodes), and the nemesis plan.
 */
export function prepareRun(seed: number, input: RunOptionsInput = {}, hooks: RunHooks = {},
  extraHosts: readonly Host<ZabWire, Observation>[] = []): PreparedRun {
  if (!Number.isSafeInteger(seed) || seed < 0) {
    throw new RunOptionsInvalid(`seed must be a whole number from 0 to 2^53-1, got ${seed}`);
  }
  // With swarm on, the knobs the input leaves out are the seed's own draw (swarm.ts).
  const options = resolveRunOptions(swarmInput(seed, input));
  const problem = validateRunOptions(options);
  if (problem !== undefined) throw new RunOptionsInvalid(problem);
  const healAtMicros = options.durationMs * MICROS_PER_MS;
  const endMicros = healAtMicros + options.livenessMs * MICROS_PER_MS;
  const ensemble = buildEnsemble(options, seed);
  const startMicros = Math.min(1_000_000, Math.floor(healAtMicros / 5));
  const { voters, observers } = serverIds(options);
  const power = options.faults !== "none"
    ? drawPowerLoss(seed, [...voters, ...observers], startMicros, healAtMicros,
      options.powerLosses) : [];
  const sim = worldOptionsOf(options);
  const attacker = options.faults === "adversary"
    ? makeAttacker(seed, options, ensemble.replicas, startMicros, healAtMicros) : undefined;
  const world = new World({
    seed,
    hosts: [...ensemble.hosts, ...extraHosts],
    describeMessage: ensemble.describeMessage,
    hashObservation: ensemble.hashObservation,
    ...(hooks.traceSink === undefined ? {} : { traceSink: hooks.traceSink }),
    ...adversaryOf(attacker, hooks.deliveryTap),
    options: {
      ...sim,
      nemesis: {
        ...sim.nemesis,
        startMicros,
        untilMicros: healAtMicros,
        healAtMicros,
        schedule: [...power, ...options.schedule],
      },
    },
  });
  return {
    seed, options, world, ensemble, healAtMicros, endMicros, hooks,
    ...(attacker === undefined ? {} : { attacker }),
  };
}

/** Runs seed `seed` with `options` (missing fields take defaults) and judges it. */
export function runSimulation(
  seed: number, input: RunOptionsInput = {}, hooks: RunHooks = {},
): RunReport {
  const run = prepareRun(seed, input, hooks);
  const { world } = run;
  world.runUntil(run.healAtMicros);
  const outcome = world.failure === null ? world.runUntil(run.endMicros) : "failed";
  return judgeRun(run, outcome);
}

/** Checkers a kind of run adds (the `--encrypt` run's), over the same observations. */
export type ExtraCheck = (records: readonly ObservationRecord[]) => Violation[];

/**
 * Judges a finished run: every checker over its observations (and `extra`'s, when given), and
 * the world's own failure.
 */
export function judgeRun(run: PreparedRun, outcome: RunOutcome, extra?: ExtraCheck): RunReport {
  const { world, options, healAtMicros, endMicros, seed } = run;
  const report = world.report();
  run.hooks.observationSink?.(world.observations);
  const verdict = checkRun(world.observations, world.failure !== null ? undefined : {
    healAtMicros, boundMicros: endMicros - healAtMicros, endEvent: report.events,
    endMicros: report.simTimeMicros, writesExpected: options.clients > 0,
  });
  const found = [...verdict.violations, ...(extra?.(world.observations) ?? [])];
  found.sort(byPosition);
  if (report.failure !== null) found.push(failureViolation(report.failure));
  const { violations, faultModel } = againstFaultModel(found, report.faults, options);
  return {
    seed,
    options,
    traceHash: report.traceHash,
    events: report.events,
    simTimeMs: report.simTimeMicros / MICROS_PER_MS,
    faults: report.faults,
    violations,
    faultModel,
    committed: verdict.committed,
    leaderChanges: verdict.leaderChanges,
    recoveryMs: verdict.liveness?.recoveryMicros == null
      ? null : verdict.liveness.recoveryMicros / MICROS_PER_MS,
    linearizability: verdict.linearizability.verdict,
    allowed: { staleSyncReads: verdict.linearizability.staleSyncReads },
    outcome,
    servers: run.ensemble.servers,
    stats: report.stats,
    ...(run.attacker === undefined
      ? {} : { adversary: run.attacker.report(rejectedBy(run.ensemble.replicas)) }),
  };
}

/** The attacker of the adversary mix, on its own stream, with its own key pair. */
function makeAttacker(
  seed: number, options: RunOptions, replicas: readonly ReplicaHost[],
  startMicros: number, healAtMicros: number,
): Attacker {
  const prng = new Prng(seed, "adversary");
  const outsider = ChannelIdentity.generate(OUTSIDER_SID, seededRandom(prng.fork("identity")));
  const publicKeys = replicas[0]?.config.secureQuorum?.peers;
  const { voters, observers } = serverIds(options);
  return new Attacker({
    prng, servers: [...voters, ...observers], startMicros, healAtMicros,
    attackProbability: ATTACK_PROBABILITY, outsider,
    ...(options.secureQuorum && publicKeys !== undefined ? { publicKeys } : {}),
  });
}

/** The world's adversary hook: the attacker, then the tap (which sees what is delivered). */
function adversaryOf(
  attacker: Attacker | undefined, tap: ((envelope: Envelope<unknown>) => void) | undefined,
): { adversary?: Adversary<ZabWire> } {
  if (attacker === undefined) return tap === undefined ? {} : { adversary: tapOf<ZabWire>(tap) };
  if (tap === undefined) return { adversary: (e, now) => attacker.intercept(e, now) };
  return {
    adversary: (e, now) => {
      const out = attacker.intercept(e, now);
      if (out === undefined) return undefined;
      const list: readonly Envelope<ZabWire>[] = "kind" in out ? [out] : out;
      for (const delivered of list) tap(delivered);
      return out;
    },
  };
}

/** Frames, handshakes and messages the servers refused (secure quorum's counters). */
function rejectedBy(replicas: readonly ReplicaHost[]): number {
  let rejected = 0;
  for (const host of replicas) rejected += host.current?.channel?.counters.rejected ?? 0;
  return rejected;
}

/**
 * Marks every violation of a run that corrupted synced records as outside the fault model.
 * Not only those noticed after the corruption: a checker may place a violation at an earlier
 * event (a delivery that a later primary's history turns out to lack), and once a disk has
 * lied, nothing in the run can be pinned on the protocol alone. A corrupt fault that found
 * nothing durable changes nothing, but counting it keeps the rule simple and errs towards
 * "outside". A run without corruption never marks anything.
 */
function againstFaultModel(
  found: readonly Violation[], faults: readonly ScheduledFault[], options: RunOptions,
): { violations: RunViolation[]; faultModel: FaultModel } {
  const attacked = options.faults === "adversary" && !options.secureQuorum;
  if (!attacked && !faults.some((entry) => entry.fault.kind === "corrupt")) {
    return { violations: [...found], faultModel: "inside" };
  }
  const violations = found.map((v): RunViolation => ({ ...v, faultModel: "outside" }));
  return { violations, faultModel: "outside" };
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
