/**
 * Zab's ordering properties over deliveries (Junqueira, Reed, Serafini, DSN 2011, section III;
 * also Zab.tla's TotalOrder, Agreement and GlobalPrimaryOrder):
 * - total order: if some process delivers a before b, any process that delivers b delivers a
 *   before b. Seen here as: on one node deliveries strictly increase, and every node that
 *   delivers b reports the same predecessor of b (a different one means it skipped a txn);
 * - agreement: if f delivers a and f' delivers b, then f' delivers a or f delivers b. Seen here
 *   as: one txn per zxid, and one successor per delivered position (two successors means the
 *   nodes' histories forked);
 * - global primary order: a txn of epoch e is never delivered after one of a later epoch.
 * Delivery is irrevocable in Zab: a TRUNC that cuts below a txn the node delivered undoes it,
 * and the node then delivers the new history without it while it delivered it before (total
 * order). A restart may lose a node's unsynced tail, so a restore lowers what counts as
 * delivered; what a restore brings back from the log is not delivered (it may be uncommitted).
 */
import { deliverySteps, showZxid } from "./history.js";
import type { DeliveryStep } from "./history.js";
import { ViolationList } from "./limits.js";
import { violationAt } from "./types.js";
import type { ObservationRecord, Violation } from "./types.js";

const epochOf = (zxid: number): number => Math.floor(zxid / 2 ** 32);

/**
 * Checks total order, agreement and global primary order; returns the violations found.
 * `steps` are deliverySteps(records), for a caller that has them already (checkRun).
 */
export function checkZabOrder(
  records: readonly ObservationRecord[],
  steps: readonly DeliveryStep[] = deliverySteps(records),
): Violation[] {
  const found = new ViolationList<Violation>();
  const predecessorOf = new Map<number, DeliveryStep>();
  const successorOf = new Map<number, DeliveryStep>();
  const txnAt = new Map<number, DeliveryStep>();
  for (const step of steps) {
    if (step.zxid <= step.predecessor) {
      found.add(outOfOrder(step));
      continue;
    }
    const sameZxid = txnAt.get(step.zxid);
    if (sameZxid === undefined) txnAt.set(step.zxid, step);
    else if (sameZxid.txn !== step.txn) {
      found.add(violationAt("zab-agreement", step.record,
        `node ${step.node} delivered txn ${step.txn} at ${showZxid(step.zxid)}, ` +
        `but node ${sameZxid.node} delivered txn ${sameZxid.txn} there`));
    }
    const before = predecessorOf.get(step.zxid);
    if (before === undefined) predecessorOf.set(step.zxid, step);
    else if (before.predecessor !== step.predecessor) found.add(skipped(step, before));
    const after = successorOf.get(step.predecessor);
    if (after === undefined) successorOf.set(step.predecessor, step);
    else if (after.zxid !== step.zxid) found.add(forked(step, after));
  }
  for (const violation of undoneDeliveries(records)) found.add(violation);
  return found.items;
}

/** TRUNCs below a txn the node delivered since its last restore. */
function undoneDeliveries(records: readonly ObservationRecord[]): Violation[] {
  const out: Violation[] = [];
  const delivered = new Map<number, number>();
  for (const record of records) {
    const o = record.observation;
    if (o.kind === "deliver") {
      delivered.set(o.node, Math.max(delivered.get(o.node) ?? 0, o.zxid));
    } else if (o.kind === "restore") {
      const before = delivered.get(o.node) ?? 0;
      delivered.set(o.node, o.cause === "snap" ? o.zxid : Math.min(before, o.zxid));
    } else if (o.kind === "truncate") {
      const before = delivered.get(o.node) ?? 0;
      if (before > o.zxid) {
        out.push(violationAt("zab-total-order", record,
          `node ${o.node} truncated to ${showZxid(o.zxid)}, undoing txns it had delivered ` +
          `(up to ${showZxid(before)})`));
      }
      delivered.set(o.node, Math.min(before, o.zxid));
    }
  }
  return out;
}

function outOfOrder(step: DeliveryStep): Violation {
  const crossEpoch = epochOf(step.zxid) < epochOf(step.predecessor);
  return violationAt(crossEpoch ? "zab-global-primary-order" : "zab-total-order", step.record,
    `node ${step.node} delivered ${showZxid(step.zxid)} after ${showZxid(step.predecessor)}`);
}

/** Two nodes delivered the same zxid after different predecessors: one skipped a txn. */
function skipped(step: DeliveryStep, other: DeliveryStep): Violation {
  const [early, late] = step.predecessor < other.predecessor ? [step, other] : [other, step];
  return violationAt("zab-total-order", step.record,
    `node ${early.node} delivered ${showZxid(step.zxid)} right after ` +
    `${showZxid(early.predecessor)}, without ${showZxid(late.predecessor)} ` +
    `that node ${late.node} delivered before it`);
}

/** Two nodes delivered different txns right after the same position: their histories fork. */
function forked(step: DeliveryStep, other: DeliveryStep): Violation {
  return violationAt("zab-agreement", step.record,
    `after ${showZxid(step.predecessor)} node ${step.node} delivered ${showZxid(step.zxid)} ` +
    `but node ${other.node} delivered ${showZxid(other.zxid)}`);
}
