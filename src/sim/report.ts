/**
 * What a world reports about its run: enough to replay it (seed, resolved options, the faults as
 * applied) and what happened (time, events, trace hash, counters, and any failure).
 */
import type { DropReason } from "./envelope.js";
import type { NodeId, ScheduledFault } from "./faults.js";
import type { SimOptions } from "./options.js";

/** A host threw: a failed assertion (kind "assertion") or another error (kind "error"). */
export interface SimFailure {
  readonly kind: "assertion" | "error";
  readonly message: string;
  readonly seed: number;
  readonly timeMicros: number;
  /** The node whose host threw, or null for a world-level failure (queue overflow). */
  readonly node: NodeId | null;
  /** The world event being processed (0-based). */
  readonly eventIndex: number;
}

/** Counters over a run. */
export interface WorldStats {
  delivered: number;
  dropped: Record<DropReason, number>;
  duplicated: number;
  /** Times a message was held by a clogged link. */
  held: number;
  timersFired: number;
  /** Timers that came due after being replaced, cancelled, or voided by a crash. */
  timersStale: number;
  fsyncs: number;
  crashes: number;
  restarts: number;
}

/** Counters at the start of a run. */
export function emptyStats(): WorldStats {
  return {
    delivered: 0,
    dropped: { loss: 0, partition: 0, down: 0, adversary: 0 },
    duplicated: 0,
    held: 0,
    timersFired: 0,
    timersStale: 0,
    fsyncs: 0,
    crashes: 0,
    restarts: 0,
  };
}

/** The run's summary. */
export interface WorldReport {
  readonly seed: number;
  readonly options: SimOptions;
  readonly simTimeMicros: number;
  readonly events: number;
  /** Faults as applied, with their times: a schedule that replays them. */
  readonly faults: readonly ScheduledFault[];
  readonly traceHash: string;
  readonly failure: SimFailure | null;
  readonly stats: WorldStats;
}
