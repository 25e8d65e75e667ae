/**
 * Recovery from durable records (recovery.ts, records.ts): the record codec round-trips and
 * refuses anything it did not write; recovery rebuilds the epochs, the newest snapshot and the
 * log after it, honours truncations and leader snapshots, ignores a torn last record, and refuses
 * to start on corruption inside the data dir or on inconsistent epoch files (QuorumPeer's checks).
 */
import { describe, expect, it } from "vitest";
import { makeZxid } from "../../../src/util/index.js";
import type { Epoch, PersistRecord, RecoveredRecord, Zxid } from "../../../src/consensus/index.js";
import { decodeRecord, encodeRecord } from "../../../src/consensus/index.js";
import { recover } from "../../../src/consensus/recovery.js";
import { StateMachine } from "../../../src/consensus/state-machine.js";
import type { Txn } from "../../../src/tree/index.js";

function txn(zxid: Zxid): PersistRecord {
  const body: Txn = {
    header: { sessionId: 7, cxid: 1, zxid, timeMs: 5, type: "setData" },
    body: { type: "setData", path: "/", data: new Uint8Array([1, 2, 3]), version: 1 },
  };
  const origin = { server: 1, client: 101, requestId: 3 } as never;
  return { type: "txn", entry: { zxid, txn: body, origin } };
}
const epoch = (type: "acceptedEpoch" | "currentEpoch", e: number): PersistRecord =>
  ({ type, epoch: e as Epoch });
const z = (e: number, c: number): Zxid => makeZxid(e, c);

describe("record codec", () => {
  it("round-trips every record kind, znode data included", () => {
    const snapshot = new StateMachine().snapshot();
    const records: PersistRecord[] = [
      txn(z(1, 1)), epoch("acceptedEpoch", 3), epoch("currentEpoch", 2),
      { type: "snapshot", snapshot, fromLeader: true, named: z(2, 0) },
      { type: "truncate", zxid: z(1, 1) },
    ];
    for (const record of records) expect(decodeRecord(encodeRecord(record))).toEqual(record);
  });
  it("refuses text it did not write", () => {
    const junk = [
      "", "{", "[]", '{"type":"txn"}', '{"type":"acceptedEpoch","epoch":-1}', '{"type":"x"}',
    ];
    for (const text of junk) {
      expect(decodeRecord(text)).toBeUndefined();
    }
  });
});

describe("recover", () => {
  it("starts empty on an empty disk", () => {
    const r = recover([]);
    expect(r).toMatchObject({ acceptedEpoch: 0, currentEpoch: 0, entries: [], halted: undefined });
  });
  it("rebuilds epochs and the log, honouring a truncation", () => {
    const r = recover([
      epoch("acceptedEpoch", 2), epoch("currentEpoch", 1), txn(z(1, 1)), txn(z(1, 2)),
      txn(z(1, 3)), { type: "truncate", zxid: z(1, 1) }, epoch("currentEpoch", 2), txn(z(2, 1)),
    ]);
    expect(r.entries.map((e) => e.zxid)).toEqual([z(1, 1), z(2, 1)]);
    expect(r).toMatchObject({ acceptedEpoch: 2, currentEpoch: 2, halted: undefined });
  });
  it("a snapshot from the leader replaces the log before it", () => {
    const snapshot = { zxid: z(1, 5), data: new StateMachine().snapshot().data };
    const r = recover([epoch("acceptedEpoch", 1), epoch("currentEpoch", 1), txn(z(1, 1)),
      { type: "snapshot", snapshot, fromLeader: true, named: z(1, 5) }, txn(z(1, 6))]);
    expect(r.snapshot.zxid).toBe(z(1, 5));
    expect(r.entries.map((e) => e.zxid)).toEqual([z(1, 6)]);
    expect(r.treeZxidFloor).toBe(0);
  });
  // A SNAP from an established leader of epoch 2 carried makeZxid(2, 0) (Leader.startZkServer);
  // the learner's snapshot file is named by it, and a restart takes it as the tree's zxid
  // (FileSnap.deserialize) until the log passes it or a TRUNC resets it.
  it("a snapshot named above its last txn gives the restarted tree that zxid", () => {
    const snapshot = { zxid: z(1, 5), data: new StateMachine().snapshot().data };
    const snap = { type: "snapshot", snapshot, fromLeader: true, named: z(2, 0) } as const;
    const base = [epoch("acceptedEpoch", 2), epoch("currentEpoch", 2), snap];
    expect(recover(base).treeZxidFloor).toBe(z(2, 0));
    expect(recover([...base, txn(z(2, 1))]).treeZxidFloor).toBe(0);
    expect(recover([...base, { type: "truncate", zxid: z(1, 5) }]).treeZxidFloor).toBe(0);
  });
  it("missing epoch files default to the last zxid's epoch", () => {
    const r = recover([txn(z(3, 1))]);
    expect(r).toMatchObject({ acceptedEpoch: 3, currentEpoch: 3, halted: undefined });
  });
  it("ignores a torn last record", () => {
    const records: RecoveredRecord[] = [
      epoch("acceptedEpoch", 1), epoch("currentEpoch", 1), txn(z(1, 1)), { type: "damaged" },
    ];
    const r = recover(records);
    expect(r.halted).toBeUndefined();
    expect(r.entries.length).toBe(1);
  });
  it("refuses to start on a damaged record followed by sound ones", () => {
    const r = recover([epoch("acceptedEpoch", 1), { type: "damaged" }, txn(z(1, 1))]);
    expect(r.halted).toContain("checksum");
  });
  it("refuses acceptedEpoch < currentEpoch and a log newer than currentEpoch", () => {
    expect(recover([epoch("acceptedEpoch", 1), epoch("currentEpoch", 2)]).halted)
      .toContain("acceptedEpoch");
    expect(recover([epoch("acceptedEpoch", 2), epoch("currentEpoch", 1), txn(z(2, 1))]).halted)
      .toContain("older than the last zxid");
  });
});
