/**
 * ZooKeeper's guarantee on client observations (src/check/linear/zookeeper.ts), on hand-made
 * records: a read after a sync must see a write acknowledged before the sync, a plain read may
 * be stale but not older than its own session's write, a stale read after a sync that a deposed
 * leader answered is allowed and counted; and the run's history written as Jepsen EDN reads back
 * and checks with `zabsim check --model znode`'s path.
 */
import { describe, expect, test } from "vitest";
import { checkGuarantee, checkJepsen, clientOps, jepsenEventsOf }
  from "../../../src/check/linear/index.js";
import type { ObservationRecord } from "../../../src/check/index.js";
import { readJepsenHistory, writeJepsenHistory } from "../../../src/cli/edn-history.js";
import type { Observation } from "../../../src/observe/index.js";
import { OPEN_ACL_UNSAFE } from "../../../src/tree/index.js";
import type { Request, Stat } from "../../../src/tree/index.js";

const bytes = (text: string) => new TextEncoder().encode(text);
let opCounter = 0;

function at(timeMicros: number, observation: Observation): ObservationRecord {
  return { index: timeMicros, timeMicros, observation };
}

const statOf = (version: number): Stat => ({
  czxid: 1, mzxid: 1, ctime: 0, mtime: 0, version, cversion: 0, aversion: 0,
  ephemeralOwner: 0, dataLength: 0, numChildren: 0, pzxid: 1,
});

/** A request as the workload sends it. */
function request(type: string, path: string, data?: string): Request {
  const payload = data === undefined ? null : bytes(data);
  switch (type) {
    case "create":
      return { type: "create", path, data: payload, acl: OPEN_ACL_UNSAFE, flags: 0 };
    case "setData":
      return { type: "setData", path, data: payload, version: -1 };
    case "getData":
      return { type: "getData", path, watch: false };
    default:
      return { type: "sync", path };
  }
}

/** One operation as its two records. */
function op(client: number, node: number, call: number, ret: number, sent: Request,
  answer: { zxid: number; data?: string; version?: number }): ObservationRecord[] {
  const id = opCounter++;
  const read = sent.type === "getData" || sent.type === "exists";
  const stat = answer.version === undefined ? undefined : statOf(answer.version);
  const data = answer.data === undefined ? null : bytes(answer.data);
  return [
    at(call, { kind: "invoke", client, op: id, node, request: sent }),
    at(ret, {
      kind: "complete", client, op: id, err: "OK", zxid: answer.zxid, txn: null,
      read: read ? { err: "OK", data, ...(stat === undefined ? {} : { stat }) } : null,
      write: read ? null : (stat === undefined ? {} : { stat }),
    }),
  ];
}

const setup = [
  ...op(1, 1, 0, 10, request("create", "/a", "0"), { zxid: 0x100000001 }),
  ...op(1, 1, 20, 30, request("setData", "/a", "1"),
    { zxid: 0x100000002, version: 1 }),
];
const staleRead = (call: number) => op(2, 2, call, call + 5, request("getData", "/a"),
  { zxid: 0x100000001, data: "0", version: 0 });
const sync = (call: number) => op(2, 2, call, call + 5, request("sync", "/a"),
  { zxid: 0x100000001 });
const sorted = (records: ObservationRecord[]) =>
  [...records].sort((a, b) => a.timeMicros - b.timeMicros);

describe("ZooKeeper's guarantee", () => {
  test("a plain read may be stale (sequential consistency)", () => {
    const result = checkGuarantee(sorted([...setup, ...staleRead(40)]));
    expect(result.linearizability).toBe("valid");
  });

  test("a read after a sync must see a write acknowledged before the sync", () => {
    const result = checkGuarantee(sorted([...setup, ...sync(40), ...staleRead(50)]));
    expect(result.linearizability).toBe("invalid");
    expect(result.explanation?.text).toContain("getData /a");
    expect(result.staleSyncReads).toBe(0);
  });

  test("a stale read after a sync a deposed leader answered is allowed and counted", () => {
    const deposed = [
      // Node 2 follows node 1's epoch 1 (its acceptedEpoch was 0 before discovery).
      at(0, { kind: "state", node: 2, state: "FOLLOWING", epoch: 0 }),
      at(1, { kind: "established", node: 1, epoch: 1, lastZxid: 0 }),
      at(35, { kind: "established", node: 3, epoch: 2, lastZxid: 0x100000002 }),
    ];
    const result = checkGuarantee(sorted([...deposed, ...setup, ...sync(40), ...staleRead(50)]));
    expect(result.linearizability).toBe("valid");
    expect(result.staleSyncReads).toBe(1);
  });

  test("a session never reads a state older than its own last write's invocation", () => {
    // Read-your-writes itself is enforced on zxids by the client-order checker: the search only
    // knows that the read takes effect after the write was invoked.
    const own = [
      ...op(1, 1, 40, 50, request("setData", "/a", "2"),
        { zxid: 0x100000003, version: 2 }),
      ...op(1, 2, 60, 65, request("getData", "/a"),
        { zxid: 0x100000001, data: "0", version: 0 }),
    ];
    expect(checkGuarantee(sorted([...setup, ...own])).linearizability).toBe("invalid");
    const plain = op(2, 2, 60, 65, request("getData", "/a"),
      { zxid: 0x100000001, data: "0", version: 0 });
    expect(checkGuarantee(sorted([...setup, ...plain])).linearizability).toBe("valid");
  });

  test("an unanswered write may take effect or not", () => {
    const lost = [at(40, { kind: "invoke", client: 3, op: 999, node: 1,
      request: request("setData", "/a", "2") })];
    const read2 = op(2, 2, 50, 55, request("getData", "/a"),
      { zxid: 0x100000003, data: "2", version: 2 });
    expect(checkGuarantee(sorted([...setup, ...lost, ...read2])).linearizability).toBe("valid");
    expect(checkGuarantee(sorted([...setup, ...read2])).linearizability).toBe("invalid");
  });
});

describe("the run's history as Jepsen EDN", () => {
  test("writes, reads read back with the same verdict under --model znode", () => {
    const records = sorted([...setup, ...staleRead(40)]);
    const text = writeJepsenHistory(jepsenEventsOf(clientOps(records)));
    expect(text.split("\n")[0]).toBe(
      '{:process 1 :type :invoke :f :create :value ["/a" "0"] :time 0}');
    const events = readJepsenHistory(text);
    expect(events).toHaveLength(6);
    // As a plain linearizable history the stale read is a violation: ZooKeeper allows it, the
    // znode model alone does not know sessions.
    expect(checkJepsen(events, "znode", 1000).valid).toBe(false);
    const fresh = sorted([...setup, ...op(2, 2, 40, 45, request("getData", "/a"),
      { zxid: 0x100000002, data: "1", version: 1 })]);
    const again = readJepsenHistory(writeJepsenHistory(jepsenEventsOf(clientOps(fresh))));
    expect(checkJepsen(again, "znode", 1000).valid).toBe(true);
  });
});
