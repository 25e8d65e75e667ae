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
  /** The bound: recovery must happen by healAtMicros + boundMicros. */
  readonly boundMicros: number;
  /** The run's last trace position and time: where a violation with no event of its own sits. */
  readonly endEvent: number;
  readonly endMicros: number;
  /**
   * True when clients issue writes: recovery is then the first acknowledged write after the
   * heal. Without clients it is the first moment a leader is present.
   */
  readonly writesExpected: boolean;
}

/** What the liveness check measured. */
export interface LivenessReport {
  /** Microseconds from the heal to recovery (see LivenessWindow), or null if none. */
  readonly recoveryMicros: number | null;
  /** Whether some node led at the heal or was established as leader after it. */
  readonly leaderAfterHeal: boolean;
  readonly violations: Violation[];
}

/** First times after the heal: a leader present, a write acknowledged. */
function firstAfterHeal(
  records: readonly ObservationRecord[], healAtMicros: number,
): { leaderMicros: number | null; writeMicros: number | null } {
  const leading = new Set<number>();
  let leaderMicros: number | null = null;
  let writeMicros: number | null = null;
  for (const record of records) {
    const o = record.observation;
    if (o.kind === "state") {
      if (o.state === "LEADING") leading.add(o.node);
      else leading.delete(o.node);
    }
    if (record.timeMicros < healAtMicros) continue;
    if (leaderMicros === null && (o.kind === "established" || leading.size > 0)) {
      leaderMicros = record.timeMicros;
    }
    // A write answered with a txn was committed, even when the txn is an error (NODEEXISTS...).
    if (o.kind === "complete" && o.txn !== null) {
      writeMicros = record.timeMicros;
      break;
    }
  }
  if (leaderMicros === null && leading.size > 0) leaderMicros = healAtMicros;
  return { leaderMicros, writeMicros };
}

/** Measures recovery after the heal and flags a run that did not recover within the bound. */
export function checkLiveness(
  records: readonly ObservationRecord[], window: LivenessWindow,
): LivenessReport {
  const { leaderMicros, writeMicros } = firstAfterHeal(records, window.healAtMicros);
  const leaderAfterHeal = leaderMicros !== null || writeMicros !== null;
  const at = window.writesExpected ? writeMicros : leaderMicros;
  const recoveryMicros = at === null ? null : at - window.healAtMicros;
  const violations: Violation[] = [];
  if (recoveryMicros === null || recoveryMicros > window.boundMicros) {
    const deadline = window.healAtMicros + window.boundMicros;
    const end = { index: window.endEvent, timeMicros: Math.min(deadline, window.endMicros) };
    const thing = window.writesExpected ? "write was acknowledged" : "leader was present";
    const what = recoveryMicros === null
      ? `no ${thing}`
      : `the first ${thing} only after ${recoveryMicros / 1000} ms`;
    violations.push(violationAt("liveness", end,
      `${what} after the faults were healed at ${window.healAtMicros / 1000} ms ` +
      `(bound ${window.boundMicros / 1000} ms; ` +
      `${leaderAfterHeal ? "a leader was present" : "no leader was established"})`));
  }
  return { recoveryMicros, leaderAfterHeal, violations };
}
