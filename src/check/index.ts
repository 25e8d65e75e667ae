/**
 * The checkers' public surface: judge a run from its observations and return the verdict. Each
 * checker reads only the observation records (src/observe), never replica internals,
 * so a checker can be tested on a hand-written list and a replica cannot "help" its checker.
 */
import { checkClientOrder } from "./client-order.js";
import { checkConvergence } from "./convergence.js";
import { checkDurability } from "./durability.js";
import { checkLeadership } from "./leadership.js";
import { checkLiveness } from "./liveness.js";
import type { LivenessReport, LivenessWindow } from "./liveness.js";
import { checkEphemerals, checkExpiry, checkWatches } from "./sessions.js";
import { checkRecipeTasks } from "./recipe-task.js";
import { checkFencing, checkHerd, checkLockExclusion } from "./recipe-locks.js";
import { checkClientLeaders, checkMembership } from "./recipe-groups.js";
import { checkRecipesData } from "./recipes-data.js";
import { checkSync } from "./sync.js";
import { checkZabOrder } from "./zab-order.js";
import { checkZabPrimary } from "./zab-primary.js";
import { deliverySteps } from "./history.js";
import { checkGuarantee } from "./linear/index.js";
import type { Explanation, GuaranteeResult } from "./linear/index.js";
import { CHECKER_NAMES, violationAt } from "./types.js";
import type { ObservationRecord, Violation } from "./types.js";

export type { CheckerName, ObservationRecord, Violation, TracePoint } from "./types.js";
export { CHECKER_NAMES, violationAt } from "./types.js";
export type { LivenessReport, LivenessWindow } from "./liveness.js";
export { checkZabOrder } from "./zab-order.js";
export { checkZabPrimary } from "./zab-primary.js";
export { checkDurability } from "./durability.js";
export { checkConvergence } from "./convergence.js";
export { checkClientOrder } from "./client-order.js";
export { checkSync } from "./sync.js";
export { checkLeadership } from "./leadership.js";
export { checkLiveness } from "./liveness.js";
export { checkRecipeTasks } from "./recipe-task.js";
export { checkFencing, checkHerd, checkLockExclusion } from "./recipe-locks.js";
export { checkClientLeaders, checkMembership } from "./recipe-groups.js";
export { checkEphemerals, checkExpiry, checkWatches } from "./sessions.js";
export { deliverySteps, showZxid } from "./history.js";
export type { KeyCustody, KeyEvent } from "./keys.js";
export { checkKeyService, keyEvents } from "./keys.js";
export type { DeliveryStep } from "./history.js";
export {
  checkBarrierRecipe, checkCacheRecipe, checkConfigRecipe, checkQueueRecipe, checkRecipesData,
} from "./recipes-data.js";

/**
 * ZooKeeper's guarantee on the run's client history (docs/linearizability.md): "unknown" when
 * the search ran out of budget, which is reported and does not fail the run.
 */
export interface LinearizabilityReport {
  readonly verdict: "valid" | "invalid" | "unknown";
  /** Stale reads after a sync that a deposed leader answered: ZooKeeper allows them. */
  readonly staleSyncReads: number;
  /** Null unless the verdict is "invalid". */
  readonly explanation: Explanation | null;
}

/** The checkers' judgement of one run, with the figures they measured along the way. */
export interface Verdict {
  /** Every violation, sorted by trace position, then by checker name. */
  readonly violations: Violation[];
  /** Distinct zxids delivered by at least one node. */
  readonly committed: number;
  /** How many times a leader was established (one per epoch in a correct run). */
  readonly leaderChanges: number;
  /** Null when the run had no liveness phase. */
  readonly liveness: LivenessReport | null;
  readonly linearizability: LinearizabilityReport;
}

/**
 * Runs every checker. `window` is the liveness phase (omit it for a run that never heals, such
 * as a hand-written observation list).
 */
export function checkRun(
  records: readonly ObservationRecord[], window?: LivenessWindow,
): Verdict {
  const liveness = window === undefined ? null : checkLiveness(records, window);
  const steps = deliverySteps(records); // Shared: three checkers walk the same deliveries.
  const guarantee = checkGuarantee(records);
  const violations = [
    ...linearizabilityViolations(guarantee, records),
    ...checkZabPrimary(records, steps),
    ...checkZabOrder(records, steps),
    ...checkDurability(records, steps),
    ...checkClientOrder(records),
    ...checkSync(records),
    ...checkWatches(records),
    ...checkEphemerals(records),
    ...checkExpiry(records),
    ...checkConvergence(records),
    ...checkLeadership(records),
    ...checkRecipeTasks(records),
    ...checkLockExclusion(records),
    ...checkFencing(records),
    ...checkHerd(records),
    ...checkClientLeaders(records),
    ...checkMembership(records),
    ...checkRecipesData(records),
    ...(liveness?.violations ?? []),
  ];
  violations.sort(byPosition);
  const linearizability: LinearizabilityReport = {
    verdict: guarantee.linearizability, staleSyncReads: guarantee.staleSyncReads,
    explanation: guarantee.explanation,
  };
  return {
    violations, committed: countCommitted(records), leaderChanges: countLeaders(records), liveness,
    linearizability,
  };
}

/** The guarantee's violation, at the answer no order explains (its first line as message). */
function linearizabilityViolations(
  guarantee: GuaranteeResult, records: readonly ObservationRecord[],
): Violation[] {
  if (guarantee.linearizability !== "invalid") return [];
  const last = records[records.length - 1];
  const where = guarantee.blockedAt ??
    { index: last?.index ?? 0, timeMicros: last?.timeMicros ?? 0 };
  const message = (guarantee.explanation?.text ?? "not linearizable").split("\n")[0] ?? "";
  return [violationAt("linearizability", where, message)];
}

/** Orders violations by trace position, ties by the checker order in CHECKER_NAMES. */
export function byPosition(a: Violation, b: Violation): number {
  if (a.event !== b.event) return a.event - b.event;
  return CHECKER_NAMES.indexOf(a.checker) - CHECKER_NAMES.indexOf(b.checker);
}

function countCommitted(records: readonly ObservationRecord[]): number {
  const zxids = new Set<number>();
  for (const r of records) if (r.observation.kind === "deliver") zxids.add(r.observation.zxid);
  return zxids.size;
}

function countLeaders(records: readonly ObservationRecord[]): number {
  let count = 0;
  for (const r of records) if (r.observation.kind === "established") count++;
  return count;
}
