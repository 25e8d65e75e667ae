/**
 * What the checkers read and what they return. A checker sees a run only through the
 * observations the hosts put in the trace (src/observe), each stamped with the
 * simulated time and its position in the trace, so a violation can point at the exact event a
 * reader should open with `zabsim show`.
 */
import type { Observation } from "../observe/index.js";

/**
 * One observation as it sits in the trace. Structurally a subset of the world's own record
 * (ObservationRecord<Observation> of src/sim/trace.ts), so the run hands the trace's list over
 * unchanged.
 */
export interface ObservationRecord {
  /** The world event it was made in (0-based); equal for observations of one event. */
  readonly index: number;
  /** Simulated time of the event, in microseconds. */
  readonly timeMicros: number;
  readonly observation: Observation;
}

/**
 * The names a violation can carry: one per property. "assertion" is not a checker: it is an
 * AssertionError a replica threw inside the world, reported through the same channel.
 */
export type CheckerName =
  | "zab-integrity"
  | "zab-total-order"
  | "zab-agreement"
  | "zab-local-primary-order"
  | "zab-global-primary-order"
  | "zab-primary-integrity"
  | "durability"
  | "client-order"
  | "linearizability"
  | "sync"
  | "watches"
  | "ephemerals"
  | "expiry"
  | "convergence"
  | "leadership"
  | "liveness"
  | "secrets-at-rest"
  | "sealed-values"
  | "forgery"
  | "nonce-reuse"
  | "shredding"
  | "key-access"
  | "rotation"
  | "audit-chain"
  | "recipe-task"
  | "lock-exclusion"
  | "fencing"
  | "herd"
  | "client-leader"
  | "membership"
  | "recipe-config"
  | "recipe-cache"
  | "recipe-queue"
  | "recipe-barrier"
  | "assertion";

/** Every checker name, in the order a verdict lists them. */
export const CHECKER_NAMES: readonly CheckerName[] = [
  "zab-integrity",
  "zab-total-order",
  "zab-agreement",
  "zab-local-primary-order",
  "zab-global-primary-order",
  "zab-primary-integrity",
  "durability",
  "client-order",
  "linearizability",
  "sync",
  "watches",
  "ephemerals",
  "expiry",
  "convergence",
  "leadership",
  "liveness",
  "secrets-at-rest",
  "sealed-values",
  "forgery",
  "nonce-reuse",
  "shredding",
  "key-access",
  "rotation",
  "audit-chain",
  "recipe-task",
  "lock-exclusion",
  "fencing",
  "herd",
  "client-leader",
  "membership",
  "recipe-config",
  "recipe-cache",
  "recipe-queue",
  "recipe-barrier",
  "assertion",
];

/** One broken property, pointing at the trace event where the checker noticed it. */
export interface Violation {
  readonly checker: CheckerName;
  /** One sentence naming nodes, zxids (hex) and txns, enough to start reading the trace. */
  readonly message: string;
  /** Simulated time of the event, in milliseconds (fractions carry the microseconds). */
  readonly simTimeMs: number;
  /** The world event it was noticed in (ObservationRecord.index). */
  readonly event: number;
}

/** Where in the trace something happened: an observation's record, or just a position. */
export type TracePoint = Pick<ObservationRecord, "index" | "timeMicros">;

/** Builds a violation located at `where`. */
export function violationAt(checker: CheckerName, where: TracePoint, message: string): Violation {
  return { checker, message, simTimeMs: where.timeMicros / 1000, event: where.index };
}
