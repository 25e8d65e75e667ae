/**
 * The `sync` checker's self-tests (src/check/sync.ts): a read after a sync on the same session
 * sees every write acknowledged before the sync was invoked. Each planted footprint is what a
 * follower that answers sync from its own tree leaves (the planted bug `local-sync`); the
 * controls are what ZooKeeper allows (a sync answered under a deposed leader, a new session).
 */
import { describe, expect, test } from "vitest";
import { checkRun, checkSync } from "../../src/check/index.js";
import type { Observation } from "../../src/observe/index.js";
import { req, toRecords, z } from "./fixture.js";

const SESSION = 77;

/** Node 1 leads epoch 1 (every node started from acceptedEpoch 0); client 10 wrote 1:1. */
function opening(): Observation[] {
  return [
    { kind: "state", node: 1, state: "LEADING", epoch: 0 },
    { kind: "state", node: 2, state: "FOLLOWING", epoch: 0 },
    { kind: "state", node: 3, state: "FOLLOWING", epoch: 0 },
    { kind: "established", node: 1, epoch: 1, lastZxid: 0 },
    { kind: "session", client: 11, node: 2, session: SESSION, event: "connected", timeoutMs: 2000 },
    { kind: "invoke", client: 10, op: 0, node: 3, request: req("setData /a") },
    { kind: "complete", client: 10, op: 0, err: "OK", zxid: z(1, 1), txn: "t1", read: null,
      write: null },
  ];
}

/** Client 11 syncs on node 2 (answered at `syncZxid`), then reads (answered at `readZxid`). */
function syncThenRead(syncZxid: number, readZxid: number): Observation[] {
  return [
    { kind: "invoke", client: 11, op: 0, node: 2, request: { type: "sync", path: "/a" } },
    { kind: "complete", client: 11, op: 0, err: "OK", zxid: syncZxid, txn: null, read: null,
      write: null },
    { kind: "invoke", client: 11, op: 1, node: 2, request: req("getData /b") },
    { kind: "complete", client: 11, op: 1, err: "OK", zxid: readZxid, txn: null, read: null,
      write: null },
  ];
}

describe("sync: a read after a sync sees every write acknowledged before it", () => {
  test("a sync and a read that answer at or above the acknowledged write pass", () => {
    const records = toRecords([...opening(), ...syncThenRead(z(1, 1), z(1, 1))]);
    expect(checkSync(records)).toEqual([]);
    expect(checkRun(records).violations.filter((v) => v.checker === "sync")).toEqual([]);
  });

  test("flags a sync answered below a write acknowledged before it was invoked", () => {
    const found = checkSync(toRecords([...opening(), ...syncThenRead(z(1, 0), z(1, 1))]));
    expect(found.map((v) => v.checker)).toEqual(["sync"]);
    expect(found[0]?.message).toContain("sync op 0");
  });

  test("flags a read on another path after the sync that misses the write", () => {
    const found = checkSync(toRecords([...opening(), ...syncThenRead(z(1, 1), z(1, 0))]));
    expect(found.map((v) => v.checker)).toEqual(["sync"]);
    expect(found[0]?.message).toContain("read op 1");
  });

  test("a write acknowledged only after the sync was invoked binds nothing", () => {
    const list = opening();
    const write = list.splice(5, 2);
    const [syncCall, ...rest] = syncThenRead(z(1, 0), z(1, 0));
    if (syncCall === undefined) throw new Error("no sync");
    expect(checkSync(toRecords([...list, syncCall, ...write, ...rest]))).toEqual([]);
  });

  test("a sync answered while a newer epoch was established is allowed to be stale", () => {
    const deposed: Observation[] = [
      { kind: "state", node: 3, state: "LEADING", epoch: 1 },
      { kind: "established", node: 3, epoch: 2, lastZxid: z(1, 1) },
    ];
    const records = toRecords([...opening(), ...deposed, ...syncThenRead(z(1, 0), z(1, 0))]);
    expect(checkSync(records)).toEqual([]);
  });

  test("a new session drops what an earlier one's sync promised", () => {
    const [call, done, ...read] = syncThenRead(z(1, 1), z(1, 0));
    if (call === undefined || done === undefined) throw new Error("no sync");
    const reopened: Observation = { kind: "session", client: 11, node: 2, session: SESSION + 1,
      event: "connected", timeoutMs: 2000 };
    expect(checkSync(toRecords([...opening(), call, done, reopened, ...read]))).toEqual([]);
  });
});
