/**
 * The session-guarantee checkers (src/check/sessions.ts), two ways. Hand-written observation
 * lists: a clean session (a watch set, then fired, then a read of the change) passes, and each
 * doctored list (the read before the notification, a second notification, a closeSession that
 * left an ephemeral, an expiry inside the timeout) is flagged by the checker owning the
 * property. Planted bugs: for each session bug of src/consensus/bugs.ts, a seed of the default
 * options on which a plain run catches it with that checker (found by `zabsim sweep --seeds
 * 1..200 --bug NAME`), and the same seed passes without the bug.
 */
import { describe, expect, test } from "vitest";
import { checkEphemerals, checkExpiry, checkWatches } from "../../src/check/index.js";
import type { ObservationRecord } from "../../src/check/index.js";
import type { Observation } from "../../src/observe/index.js";
import { runSimulation } from "../../src/run/index.js";
import type { ReadResult, Stat } from "../../src/tree/index.js";

const stat = (mzxid: number): Stat => ({
  czxid: 1, mzxid, ctime: 0, mtime: 0, version: 0, cversion: 0, aversion: 0, ephemeralOwner: 0,
  dataLength: 0, numChildren: 0, pzxid: 1,
});
const read = (mzxid: number): ReadResult => ({ err: "OK", stat: stat(mzxid) });

const SESSION: Observation = {
  kind: "session", client: 101, node: 1, session: 7, event: "connected", timeoutMs: 2000,
};
const watchRead = (op: number, mzxid: number): Observation[] => [
  { kind: "invoke", client: 101, op, node: 1, request: { type: "getData", path: "/a", watch: true } },
  { kind: "complete", client: 101, op, err: "OK", zxid: mzxid, txn: null, read: read(mzxid),
    write: null },
];
const NOTIFY: Observation = {
  kind: "notify", client: 101, node: 1, session: 7, type: "NodeDataChanged", path: "/a", zxid: 5,
};

function records(list: readonly Observation[], stepMicros = 1000): ObservationRecord[] {
  return list.map((observation, index) => ({ index, timeMicros: index * stepMicros, observation }));
}

describe("watches", () => {
  test("a watch set, fired once, then the change read: clean", () => {
    expect(checkWatches(records([SESSION, ...watchRead(0, 3), NOTIFY, ...watchRead(1, 5)])))
      .toEqual([]);
  });

  test("flags a read that shows the change before the notification", () => {
    const found = checkWatches(records([SESSION, ...watchRead(0, 3), ...watchRead(1, 5), NOTIFY]));
    expect(found.map((v) => v.checker)).toContain("watches");
    expect(found[0]?.message).toContain("before the data watch set by op 0 fired");
  });

  test("flags a second notification for one registration", () => {
    const found = checkWatches(records([SESSION, ...watchRead(0, 3), NOTIFY, NOTIFY]));
    expect(found).toHaveLength(1);
    expect(found[0]?.message).toContain("no watch set");
  });

  test("an addWatch registration fires any number of times; a one-shot still fires once", () => {
    const addWatch = (op: number, mode: "PERSISTENT" | "PERSISTENT_RECURSIVE"): Observation[] => [
      { kind: "invoke", client: 101, op, node: 1,
        request: { type: "addWatch", path: "/a", mode } },
      { kind: "complete", client: 101, op, err: "OK", zxid: 3, txn: null, read: null,
        write: null },
    ];
    const below: Observation = { ...NOTIFY, path: "/a/b", type: "NodeCreated" };
    expect(checkWatches(records([SESSION, ...addWatch(0, "PERSISTENT_RECURSIVE"), NOTIFY,
      NOTIFY, below, below]))).toEqual([]);
    // A plain persistent watch covers its own path only.
    const plain = checkWatches(records([SESSION, ...addWatch(0, "PERSISTENT"), NOTIFY, below]));
    expect(plain.map((v) => v.message)).toEqual([expect.stringContaining("/a/b")]);
    // A new session starts without the registration.
    const again: Observation = { ...SESSION, session: 8 };
    const lost = checkWatches(records([SESSION, ...addWatch(0, "PERSISTENT"), again, NOTIFY]));
    expect(lost).toHaveLength(1);
  });
});

describe("ephemerals", () => {
  test("flags a closeSession that left ephemerals, and only that", () => {
    const closed = (node: number, ephemerals: number): Observation =>
      ({ kind: "session-closed", node, session: 7, zxid: 9, ephemerals });
    expect(checkEphemerals(records([closed(1, 0), closed(2, 0)]))).toEqual([]);
    const found = checkEphemerals(records([closed(1, 0), closed(2, 1)]));
    expect(found).toHaveLength(1);
    expect(found[0]?.message).toContain("node 2");
  });
});

describe("expiry", () => {
  const established: Observation = { kind: "established", node: 1, epoch: 2, lastZxid: 4 };
  const expire: Observation = { kind: "expire", node: 1, session: 7, epoch: 2 };
  test("an expiry a full timeout after establishment is fine; one sooner is flagged", () => {
    // Records are 100 ms apart: the expiry comes 2.1 s (clean) or 0.2 s after establishment.
    const pad: Observation[] = Array.from({ length: 20 }, () => ({ kind: "truncate", node: 9,
      zxid: 0 }));
    expect(checkExpiry(records([SESSION, established, ...pad, expire], 100_000))).toEqual([]);
    const found = checkExpiry(records([SESSION, established, pad[0] as Observation, expire],
      100_000));
    expect(found.map((v) => v.checker)).toEqual(["expiry"]);
    expect(found[0]?.message).toContain("after it was established");
  });
});

describe("planted session bugs are caught by a plain run of the default options", () => {
  const cases: Array<[string, number, string]> = [
    ["late-watch", 2, "watches"],
    ["skip-close-ephemerals", 1, "ephemerals"],
    ["no-session-restart", 1, "expiry"],
    // Regenerated for swarm worlds (issue 19): the first seed of the default options to catch it.
    ["accept-ahead", 179, "client-order"],
  ];
  for (const [bug, seed, checker] of cases) {
    test(`${bug}: seed ${seed} is caught by ${checker}`, () => {
      const buggy = runSimulation(seed, { bug });
      expect(buggy.violations.map((v) => v.checker)).toContain(checker);
      expect(runSimulation(seed).violations).toEqual([]);
    });
  }
});
