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
import type { ObservedFact, ObservedRecord } from "../../../src/check/linear/index.js";
import { readJepsenHistory, writeJepsenHistory } from "../../../src/cli/edn-history.js";

const bytes = (text: string) => new TextEncoder().encode(text);
let opCounter = 0;

function at(timeMicros: number, observation: ObservedFact): ObservedRecord {
  return { timeMicros, observation };
}

/** One operation as its two records. */
function op(client: number, node: number, call: number, ret: number,
  request: { type: string; path: string; data?: Uint8Array; version?: number },
  answer: { err?: string; zxid: number; data?: string; version?: number }): ObservedRecord[] {
  const id = opCounter++;
  const read = request.type === "getData" || request.type === "exists";
  const stat = answer.version === undefined ? undefined : { version: answer.version };
  return [
    at(call, { kind: "invoke", client, op: id, node, request }),
    at(ret, {
      kind: "complete", client, op: id, err: answer.err ?? "OK", zxid: answer.zxid,
      read: read ? { data: answer.data === undefined ? null : bytes(answer.data), stat } : null,
      write: read ? null : { stat },
    }),
  ];
}

const setup = [
  ...op(1, 1, 0, 10, { type: "create", path: "/a", data: bytes("0") }, { zxid: 0x100000001 }),
  ...op(1, 1, 20, 30, { type: "setData", path: "/a", data: bytes("1"), version: -1 },
    { zxid: 0x100000002, version: 1 }),
];
const staleRead = (call: number) => op(2, 2, call, call + 5, { type: "getData", path: "/a" },
  { zxid: 0x100000001, data: "0", version: 0 });
const sync = (call: number) => op(2, 2, call, call + 5, { type: "sync", path: "/a" },
  { zxid: 0x100000001 });
const sorted = (records: ObservedRecord[]) =>
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
      at(1, { kind: "state", node: 2, epoch: 1 }),
      at(35, { kind: "established", epoch: 2 }),
    ];
    const result = checkGuarantee(sorted([...deposed, ...setup, ...sync(40), ...staleRead(50)]));
    expect(result.linearizability).toBe("valid");
    expect(result.staleSyncReads).toBe(1);
  });

  test("a session never reads a state older than its own last write's invocation", () => {
    // Read-your-writes itself is enforced on zxids by the client-order checker: the search only
    // knows that the read takes effect after the write was invoked.
    const own = [
      ...op(1, 1, 40, 50, { type: "setData", path: "/a", data: bytes("2"), version: -1 },
        { zxid: 0x100000003, version: 2 }),
      ...op(1, 2, 60, 65, { type: "getData", path: "/a" },
        { zxid: 0x100000001, data: "0", version: 0 }),
    ];
    expect(checkGuarantee(sorted([...setup, ...own])).linearizability).toBe("invalid");
    const plain = op(2, 2, 60, 65, { type: "getData", path: "/a" },
      { zxid: 0x100000001, data: "0", version: 0 });
    expect(checkGuarantee(sorted([...setup, ...plain])).linearizability).toBe("valid");
  });

  test("an unanswered write may take effect or not", () => {
    const lost = [at(40, { kind: "invoke", client: 3, op: 999, node: 1,
      request: { type: "setData", path: "/a", data: bytes("2"), version: -1 } })];
    const read2 = op(2, 2, 50, 55, { type: "getData", path: "/a" },
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
    const fresh = sorted([...setup, ...op(2, 2, 40, 45, { type: "getData", path: "/a" },
      { zxid: 0x100000002, data: "1", version: 1 })]);
    const again = readJepsenHistory(writeJepsenHistory(jepsenEventsOf(clientOps(fresh))));
    expect(checkJepsen(again, "znode", 1000).valid).toBe(true);
  });
});
