/**
 * Zab's properties about primaries (Junqueira, Reed, Serafini, DSN 2011, section III; Zab.tla's
 * Integrity, LocalPrimaryOrder and PrimaryIntegrity):
 * - integrity: a delivered txn was broadcast by some primary (a `propose` with the same zxid and
 *   txn came earlier in the trace);
 * - local primary order: if a primary broadcasts a before b, a process that delivers b delivers a
 *   before b. The primary's proposals of one epoch must rise, and b's predecessor on any node must
 *   not lie below a;
 * - primary integrity: if the primary of epoch e broadcasts a and some process delivers b of an
 *   epoch before e, the primary delivered b before broadcasting a. The primary's history at that
 *   point is its initial history (the `established` observation's lastZxid), so b must not lie
 *   above it, and the first txn of epoch e must follow that history directly. A primary must also
 *   be established before it broadcasts.
 */
import { deliverySteps, showZxid } from "./history.js";
import type { DeliveryStep } from "./history.js";
import { ViolationList } from "./limits.js";
import { violationAt } from "./types.js";
import type { ObservationRecord, Violation } from "./types.js";

const epochOf = (zxid: number): number => Math.floor(zxid / 2 ** 32);

/** What the checker knows of one epoch's primary. */
interface EpochRecord {
  /** Node and initial-history end of the first `established` of this epoch. */
  established: { node: number; lastZxid: number } | undefined;
  /** Proposals in trace order: zxid -> the proposal before it in this epoch (0 if first). */
  readonly previousProposal: Map<number, number>;
  lastProposed: number;
  proposed: boolean;
}

/**
 * Checks integrity, local primary order and primary integrity.
 * `steps` are deliverySteps(records), for a caller that has them already (checkRun).
 */
export function checkZabPrimary(
  records: readonly ObservationRecord[],
  steps: readonly DeliveryStep[] = deliverySteps(records),
): Violation[] {
  const found = new ViolationList<Violation>();
  const epochs = new Map<number, EpochRecord>();
  const proposedTxn = new Map<number, Set<string>>();
  const epochRecord = (epoch: number): EpochRecord => {
    let entry = epochs.get(epoch);
    if (entry === undefined) {
      entry = {
        established: undefined, previousProposal: new Map(), lastProposed: 0, proposed: false,
      };
      epochs.set(epoch, entry);
    }
    return entry;
  };
  for (const record of records) {
    const o = record.observation;
    if (o.kind === "established") {
      const entry = epochRecord(o.epoch);
      if (entry.established === undefined) {
        entry.established = { node: o.node, lastZxid: o.lastZxid };
      }
    } else if (o.kind === "propose") {
      const entry = epochRecord(o.epoch);
      const complaint = judgeProposal(entry, o.node, o.epoch, o.zxid);
      if (complaint !== undefined) found.add(violationAt(complaint[0], record, complaint[1]));
      entry.previousProposal.set(o.zxid, entry.proposed ? entry.lastProposed : 0);
      entry.lastProposed = Math.max(entry.lastProposed, o.zxid);
      entry.proposed = true;
      const txns = proposedTxn.get(o.zxid) ?? new Set<string>();
      txns.add(o.txn);
      proposedTxn.set(o.zxid, txns);
    } else if (o.kind === "deliver") {
      if (proposedTxn.get(o.zxid)?.has(o.txn) !== true) {
        found.add(violationAt("zab-integrity", record,
          `node ${o.node} delivered txn ${o.txn} at ${showZxid(o.zxid)}, which no primary ` +
          `broadcast`));
      }
    }
  }
  for (const step of steps) {
    for (const violation of judgeDelivery(step, epochs)) found.add(violation);
  }
  return found.items;
}

type Complaint = [Violation["checker"], string];

/**
 * A proposal must come from the established primary of its epoch (established before it on that
 * node: a primary's own order), in rising zxid order.
 */
function judgeProposal(
  entry: EpochRecord, node: number, epoch: number, zxid: number,
): Complaint | undefined {
  if (entry.established === undefined) {
    return ["zab-primary-integrity",
      `node ${node} broadcast ${showZxid(zxid)} in epoch ${epoch} before any leader was ` +
      `established for it`];
  }
  if (entry.established.node !== node) {
    return ["zab-primary-integrity",
      `node ${node} broadcast ${showZxid(zxid)} in epoch ${epoch}, which node ` +
      `${entry.established.node} was established to lead`];
  }
  if (epochOf(zxid) !== epoch) {
    return ["zab-local-primary-order",
      `node ${node} broadcast ${showZxid(zxid)} as a proposal of epoch ${epoch}`];
  }
  if (entry.proposed && zxid <= entry.lastProposed) {
    return ["zab-local-primary-order",
      `node ${node} broadcast ${showZxid(zxid)} after ${showZxid(entry.lastProposed)} ` +
      `in epoch ${epoch}`];
  }
  return undefined;
}

/** Local primary order and primary integrity for one delivery. */
function judgeDelivery(step: DeliveryStep, epochs: ReadonlyMap<number, EpochRecord>): Violation[] {
  const out: Violation[] = [];
  const epoch = epochOf(step.zxid);
  const own = epochs.get(epoch);
  const previous = own?.previousProposal.get(step.zxid);
  if (previous !== undefined && previous !== 0 && step.predecessor < previous) {
    out.push(violationAt("zab-local-primary-order", step.record,
      `node ${step.node} delivered ${showZxid(step.zxid)} right after ` +
      `${showZxid(step.predecessor)}, without ${showZxid(previous)} that the primary of ` +
      `epoch ${epoch} broadcast before it`));
  }
  const initial = own?.established;
  if (previous === 0 && initial !== undefined && step.predecessor !== initial.lastZxid) {
    out.push(violationAt("zab-primary-integrity", step.record,
      `node ${step.node} delivered ${showZxid(step.zxid)}, the first txn of epoch ${epoch}, ` +
      `after ${showZxid(step.predecessor)}, but the primary's initial history ends at ` +
      `${showZxid(initial.lastZxid)}`));
  }
  for (const [later, entry] of epochs) {
    const start = entry.established;
    if (later <= epoch || !entry.proposed || start === undefined) continue;
    if (step.zxid > start.lastZxid) {
      out.push(violationAt("zab-primary-integrity", step.record,
        `node ${step.node} delivered ${showZxid(step.zxid)} of epoch ${epoch}, which the ` +
        `primary of epoch ${later} (node ${start.node}, history up to ` +
        `${showZxid(start.lastZxid)}) did not deliver before broadcasting`));
    }
  }
  return out;
}
