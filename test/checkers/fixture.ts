/**
 * A hand-built observation list of a correct run, for the checkers' planted-bug self-tests. It
 * walks through what ZooKeeper does in a small ensemble so that every checker has something to
 * judge: node 1 leads epoch 1 and commits three writes (node 3 lags and catches up), proposes a
 * fourth that only node 3 logs, then crashes; node 3 restarts with the uncommitted txn in its
 * log; node 2 leads epoch 2 from history 1:3 and TRUNCs node 3 back to 1:3; node 1 restarts
 * having lost its unsynced 1:3 (allowed: the quorum has it) and catches up.
 *
 * Tests doctor a copy of `cleanRun()` (drop, change, swap or add one observation) and expect the
 * matching checker to fire, while the clean run passes every checker.
 */
import type { ObservationRecord } from "../../src/check/index.js";
import type { Observation } from "../../src/observe/index.js";
import type { Request } from "../../src/tree/index.js";
import { OPEN_ACL_UNSAFE } from "../../src/tree/index.js";

/** zxid of (epoch, counter), as ZooKeeper packs it. */
export const z = (epoch: number, counter: number): number => epoch * 2 ** 32 + counter;

/** The digest a correct tree has after applying the history up to `zxid`. */
export const digestAt = (zxid: number): string => `d${zxid.toString(16)}`;

/** A workload request from its one-line form, e.g. "setData /a". */
export function req(text: string): Request {
  const [type, path = "/"] = text.split(" ");
  const data = new Uint8Array([1]);
  switch (type) {
    case "create":
      return { type, path, data, acl: OPEN_ACL_UNSAFE, flags: 0 };
    case "setData":
      return { type, path, data, version: -1 };
    case "delete":
      return { type, path, version: -1 };
    case "getData":
    case "exists":
      return { type, path, watch: false };
    default:
      throw new Error(`no workload request ${text}`);
  }
}

const deliver = (node: number, zxid: number, txn: string): Observation =>
  ({ kind: "deliver", node, zxid, txn, digest: digestAt(zxid) });

/** The observations of the correct run, in trace order. */
export function cleanObservations(): Observation[] {
  return [
    { kind: "state", node: 1, state: "LEADING", epoch: 1 },
    { kind: "state", node: 2, state: "FOLLOWING", epoch: 1 },
    { kind: "state", node: 3, state: "FOLLOWING", epoch: 1 },
    { kind: "established", node: 1, epoch: 1, lastZxid: 0 },
    { kind: "invoke", client: 0, op: 0, node: 2, request: req("create /a") },
    { kind: "propose", node: 1, epoch: 1, zxid: z(1, 1), txn: "t1" },
    deliver(1, z(1, 1), "t1"), deliver(2, z(1, 1), "t1"), deliver(3, z(1, 1), "t1"),
    { kind: "complete", client: 0, op: 0, err: "OK", zxid: z(1, 1), txn: "t1", read: null, write: null },
    { kind: "invoke", client: 0, op: 1, node: 2, request: req("setData /a") },
    { kind: "propose", node: 1, epoch: 1, zxid: z(1, 2), txn: "t2" },
    deliver(1, z(1, 2), "t2"), deliver(2, z(1, 2), "t2"),
    { kind: "complete", client: 0, op: 1, err: "OK", zxid: z(1, 2), txn: "t2", read: null, write: null },
    { kind: "invoke", client: 0, op: 2, node: 2, request: req("create /b") },
    { kind: "propose", node: 1, epoch: 1, zxid: z(1, 3), txn: "t3" },
    deliver(1, z(1, 3), "t3"), deliver(2, z(1, 3), "t3"),
    { kind: "complete", client: 0, op: 2, err: "OK", zxid: z(1, 3), txn: "t3", read: null, write: null },
    deliver(3, z(1, 2), "t2"), deliver(3, z(1, 3), "t3"),
    { kind: "invoke", client: 1, op: 0, node: 3, request: req("getData /a") },
    { kind: "complete", client: 1, op: 0, err: "OK", zxid: z(1, 3), txn: null, read: null, write: null },
    { kind: "propose", node: 1, epoch: 1, zxid: z(1, 4), txn: "t4" },
    { kind: "state", node: 2, state: "LOOKING", epoch: 1 },
    { kind: "state", node: 3, state: "LOOKING", epoch: 1 },
    { kind: "restore", node: 3, cause: "restart", zxid: z(1, 4), digest: digestAt(z(1, 4)) },
    { kind: "state", node: 2, state: "LEADING", epoch: 2 },
    { kind: "state", node: 3, state: "FOLLOWING", epoch: 2 },
    { kind: "established", node: 2, epoch: 2, lastZxid: z(1, 3) },
    { kind: "truncate", node: 3, zxid: z(1, 3) },
    { kind: "invoke", client: 1, op: 1, node: 3, request: req("delete /b") },
    { kind: "propose", node: 2, epoch: 2, zxid: z(2, 1), txn: "t5" },
    deliver(2, z(2, 1), "t5"), deliver(3, z(2, 1), "t5"),
    { kind: "complete", client: 1, op: 1, err: "OK", zxid: z(2, 1), txn: "t5", read: null, write: null },
    { kind: "restore", node: 1, cause: "restart", zxid: z(1, 2), digest: digestAt(z(1, 2)) },
    { kind: "state", node: 1, state: "FOLLOWING", epoch: 2 },
    deliver(1, z(1, 3), "t3"), deliver(1, z(2, 1), "t5"),
    { kind: "invoke", client: 0, op: 3, node: 1, request: req("setData /a") },
    { kind: "propose", node: 2, epoch: 2, zxid: z(2, 2), txn: "t6" },
    deliver(2, z(2, 2), "t6"), deliver(1, z(2, 2), "t6"), deliver(3, z(2, 2), "t6"),
    { kind: "complete", client: 0, op: 3, err: "OK", zxid: z(2, 2), txn: "t6", read: null, write: null },
  ];
}

/** Stamps observations with trace positions and times (one event per millisecond). */
export function toRecords(observations: readonly Observation[]): ObservationRecord[] {
  return observations.map((observation, index) => ({
    index, timeMicros: index * 1000, observation,
  }));
}

/** The correct run as records. */
export function cleanRun(): ObservationRecord[] {
  return toRecords(cleanObservations());
}

/** Index of the first observation matching `test`; throws when there is none. */
export function indexOf(list: readonly Observation[], test: (o: Observation) => boolean): number {
  const index = list.findIndex(test);
  if (index < 0) throw new Error("fixture: no such observation");
  return index;
}

/** Index of node's delivery of zxid. */
export function deliveryIndex(list: readonly Observation[], node: number, zxid: number): number {
  return indexOf(list, (o) => o.kind === "deliver" && o.node === node && o.zxid === zxid);
}

/** Index of node's last delivery of zxid (node 1 delivers 1:3 twice: before and after restart). */
export function lastDeliveryIndex(
  list: readonly Observation[], node: number, zxid: number,
): number {
  for (let index = list.length - 1; index >= 0; index--) {
    const o = list[index];
    if (o?.kind === "deliver" && o.node === node && o.zxid === zxid) return index;
  }
  throw new Error("fixture: no such delivery");
}
