/**
 * Durability of acknowledged writes: once a client has the reply to a write, its txn is committed
 * and stays committed (ZooKeeper's "reliability" guarantee; the NJU specs' monotonicRead,
 * leaderLogCompleteness and committedLogDurability, which exposed ZOOKEEPER-3911, 4394, 4643,
 * 4646 and 4712). Concretely, for a write acknowledged at zxid z with txn t:
 * - every node that delivers z delivers t there (not another txn reusing the zxid);
 * - no node steps over z: a delivery whose predecessor lies below z must not lie above it;
 * - every leader established for an epoch above z's has z in its initial history;
 * - no TRUNC cuts z out of a node that held it.
 * Restarts are allowed to lose a node's own unsynced tail (a follower may apply a committed txn
 * before its own fsync); the txn survives on the quorum, and the checks above catch its loss.
 *
 * The order that counts is the protocol's (epochs and zxids), not the trace's: a leader of epoch
 * 2 may become established after epoch 3 committed writes, by counting NEWLEADER ACKs a clog
 * delayed (Leader.waitForNewLeaderAck takes an ACK that arrives within initLimit ticks, and
 * never asks whether its sender has moved on). Such a leader owes nothing to epoch 3; it owes
 * every write committed in epochs 0 and 1, whenever the client heard of it: the commit came
 * first in the protocol's order (its quorum of ACKs meets the epoch-2 leader's ACKEPOCH quorum),
 * and only the reply travelled slowly. docs/checkers.md has the reasoning.
 */
import { deliverySteps, showZxid } from "./history.js";
import type { DeliveryStep } from "./history.js";
import { ViolationList } from "./limits.js";
import { violationAt } from "./types.js";
import type { ObservationRecord, Violation } from "./types.js";

/** One write a client got a reply for. */
interface Acknowledged {
  readonly zxid: number;
  readonly txn: string;
  readonly client: number;
  readonly op: number;
  readonly record: ObservationRecord;
}

/**
 * Checks every acknowledged write against later deliveries, leaders and truncations.
 * `steps` are deliverySteps(records), for a caller that has them already (checkRun).
 */
export function checkDurability(
  records: readonly ObservationRecord[],
  steps: readonly DeliveryStep[] = deliverySteps(records),
): Violation[] {
  const found = new ViolationList<Violation>();
  const acks = acknowledgedWrites(records);
  const ackAt = new Map<number, Acknowledged>();
  for (const ack of acks) if (!ackAt.has(ack.zxid)) ackAt.set(ack.zxid, ack);
  const ackZxids = [...ackAt.keys()].sort((a, b) => a - b);
  for (const step of steps) {
    const ack = ackAt.get(step.zxid);
    if (ack !== undefined && ack.txn !== step.txn) {
      found.add(violationAt("durability", step.record,
        `node ${step.node} delivered txn ${step.txn} at ${showZxid(step.zxid)}, where client ` +
        `${ack.client} was told its write ${ack.op} (txn ${ack.txn}) committed`));
    }
    const stepped = firstAbove(ackZxids, step.predecessor);
    if (stepped !== undefined && stepped < step.zxid) {
      const over = ackAt.get(stepped);
      found.add(violationAt("durability", step.record,
        `node ${step.node} delivered ${showZxid(step.zxid)} right after ` +
        `${showZxid(step.predecessor)}, skipping the acknowledged write at ` +
        `${showZxid(stepped)} (client ${over?.client}, op ${over?.op})`));
    }
  }
  checkLeadersAndTruncations(records, ackZxids, ackAt, found);
  return found.items;
}

/** Writes with a reply carrying a txn, in trace order. */
function acknowledgedWrites(records: readonly ObservationRecord[]): Acknowledged[] {
  const out: Acknowledged[] = [];
  for (const record of records) {
    const o = record.observation;
    if (o.kind !== "complete" || o.txn === null || o.zxid <= 0) continue;
    out.push({ zxid: o.zxid, txn: o.txn, client: o.client, op: o.op, record });
  }
  return out;
}

/** The index of the first element of a sorted array strictly greater than `value`. */
function indexAbove(sorted: readonly number[], value: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((sorted[middle] ?? 0) <= value) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** The smallest element of a sorted array strictly greater than `value`. */
function firstAbove(sorted: readonly number[], value: number): number | undefined {
  return sorted[indexAbove(sorted, value)];
}

/** The largest element of a sorted array of integers strictly below `value`. */
function lastBelow(sorted: readonly number[], value: number): number | undefined {
  return sorted[indexAbove(sorted, value - 1) - 1];
}

/**
 * Leaders and TRUNCs against every acknowledged write, in the protocol's order: a leader of epoch
 * e answers for the writes of epochs below e, a TRUNC for the writes between its point and what
 * the node held. `ackZxids` is sorted.
 */
function checkLeadersAndTruncations(
  records: readonly ObservationRecord[],
  ackZxids: readonly number[],
  ackAt: ReadonlyMap<number, Acknowledged>,
  found: ViolationList<Violation>,
): void {
  const positions = new Map<number, number>();
  for (const record of records) {
    const o = record.observation;
    if (o.kind === "established") {
      // The highest acknowledged write of an earlier epoch: below the epoch's first zxid.
      const owed = lastBelow(ackZxids, o.epoch * 2 ** 32);
      const ack = owed === undefined ? undefined : ackAt.get(owed);
      if (ack !== undefined && o.lastZxid < ack.zxid) {
        found.add(violationAt("durability", record,
          `node ${o.node} was established as leader of epoch ${o.epoch} with history up to ` +
          `${showZxid(o.lastZxid)}, without the acknowledged write at ` +
          `${showZxid(ack.zxid)} (client ${ack.client}, op ${ack.op})`));
      }
    } else if (o.kind === "deliver") {
      positions.set(o.node, Math.max(positions.get(o.node) ?? 0, o.zxid));
    } else if (o.kind === "restore") {
      positions.set(o.node, o.zxid);
    } else if (o.kind === "truncate") {
      const position = positions.get(o.node) ?? 0;
      const cut = firstAbove(ackZxids, o.zxid);
      if (cut !== undefined && cut <= position) {
        found.add(violationAt("durability", record,
          `node ${o.node} truncated to ${showZxid(o.zxid)}, cutting out the acknowledged write ` +
          `at ${showZxid(cut)}`));
      }
      positions.set(o.node, Math.min(position, o.zxid));
    }
  }
}
