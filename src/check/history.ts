/**
 * Per-node delivery history, rebuilt from observations. Every checker of order and durability
 * asks the same question of a delivery: what came right before it on that node? The answer is
 * the node's history position: its last delivered zxid, or the zxid a restore (restart or SNAP)
 * put it at, or the point a TRUNC cut it back to. With positions, each node's deliveries become
 * segments of one chain of committed zxids, and a correct run has a single chain (Zab paper,
 * total order and agreement).
 */
import type { ObservationRecord } from "./types.js";

/** One delivery together with the node's history position just before it. */
export interface DeliveryStep {
  readonly record: ObservationRecord;
  readonly node: number;
  readonly zxid: number;
  readonly txn: string;
  readonly digest: string;
  /**
   * The zxid right before this delivery in the node's history: its previous delivery, or the
   * zxid of its last restore, or its last truncation point, whichever came last (0 at first).
   */
  readonly predecessor: number;
}

/**
 * The deliveries of a run in trace order, each with its predecessor. Positions move: a delivery
 * sets the position to its zxid (never backwards, so one out-of-order delivery is reported once
 * rather than cascading); a restore sets it to the restored zxid; a truncation lowers it to the
 * truncation point when the node was past it (a TRUNC below the tree's position undoes txns).
 */
export function deliverySteps(records: readonly ObservationRecord[]): DeliveryStep[] {
  const positions = new Map<number, number>();
  const steps: DeliveryStep[] = [];
  for (const record of records) {
    const o = record.observation;
    if (o.kind === "deliver") {
      const predecessor = positions.get(o.node) ?? 0;
      steps.push({
        record, node: o.node, zxid: o.zxid, txn: o.txn, digest: o.digest, predecessor,
      });
      positions.set(o.node, Math.max(predecessor, o.zxid));
    } else if (o.kind === "restore") {
      positions.set(o.node, o.zxid);
    } else if (o.kind === "truncate") {
      positions.set(o.node, Math.min(positions.get(o.node) ?? 0, o.zxid));
    }
  }
  return steps;
}

/** Renders a zxid the way ZooKeeper logs it, with the epoch and counter spelled out. */
export function showZxid(zxid: number): string {
  const epoch = Math.floor(zxid / 2 ** 32);
  const counter = zxid % 2 ** 32;
  return `0x${zxid.toString(16)} (${epoch}:${counter})`;
}
