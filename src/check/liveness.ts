/**
 * Liveness after healing (TigerBeetle VOPR's liveness mode): once faults stop and a quorum can
 * talk, the ensemble must elect a leader and commit a new write within a bound. The checker finds
 * the first write a client got a reply for after the heal; the run reports how long it took.
 */
import { violationAt } from "./types.js";
import type { ObservationRecord, Violation } from "./types.js";

/** When the faults stopped and how long the ensemble may take to recover. */
export interface LivenessWindow {
  /** Simulated time at which the last fault was healed, in microseconds. */
  readonly healAtMicros: number;
  /** The bound: a write must be acknowledged by healAtMicros + boundMicros. */
  readonly boundMicros: number;
  /** The run's last trace position and time: where a violation with no event of its own sits. */
  readonly endEvent: number;
  readonly endMicros: number;
}

/** What the liveness check measured. */
export interface LivenessReport {
  /** Microseconds from the heal to the first acknowledged write after it, or null if none. */
  readonly recoveryMicros: number | null;
  /** Whether some node was established as leader after the heal or still led at the heal. */
  readonly leaderAfterHeal: boolean;
  readonly violations: Violation[];
}

/** Measures recovery after the heal and flags a run that did not recover within the bound. */
export function checkLiveness(
  records: readonly ObservationRecord[], window: LivenessWindow,
): LivenessReport {
  const leading = new Set<number>();
  let leaderAfterHeal = false;
  let recoveryMicros: number | null = null;
  for (const record of records) {
    const o = record.observation;
    if (o.kind === "state") {
      if (o.state === "LEADING") leading.add(o.node);
      else leading.delete(o.node);
    }
    if (record.timeMicros < window.healAtMicros) continue;
    if (o.kind === "established" || leading.size > 0) leaderAfterHeal = true;
    if (o.kind === "complete" && o.txn !== null && o.err === "OK") {
      recoveryMicros = record.timeMicros - window.healAtMicros;
      break;
    }
  }
  const deadline = window.healAtMicros + window.boundMicros;
  const violations: Violation[] = [];
  if (recoveryMicros === null || recoveryMicros > window.boundMicros) {
    const end = { index: window.endEvent, timeMicros: Math.min(deadline, window.endMicros) };
    const what = recoveryMicros === null
      ? "no write was acknowledged"
      : `the first write was acknowledged only after ${recoveryMicros / 1000} ms`;
    violations.push(violationAt("liveness", end,
      `${what} after the faults were healed at ${window.healAtMicros / 1000} ms ` +
      `(bound ${window.boundMicros / 1000} ms; ` +
      `${leaderAfterHeal ? "a leader was present" : "no leader was established"})`));
  }
  return { recoveryMicros, leaderAfterHeal, violations };
}
