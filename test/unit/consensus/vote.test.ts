/**
 * FLE vote order (totalOrderPredicate) and vote equality, checked against naive versions with
 * fast-check: the predicate is lexicographic over (peerEpoch, zxid, sid), a strict total order
 * on voters, and never lets a non-voter win; Vote.equals compares all fields when either side is
 * LOOKING and only (leader, peerEpoch) between settled servers.
 */
import { describe, expect } from "vitest";
import { fc, test } from "@fast-check/vitest";
import type { Candidate, StatedVote } from "../../../src/consensus/vote.js";
import { totalOrderPredicate, voteEquals } from "../../../src/consensus/vote.js";
import type { Epoch, ServerId, Zxid } from "../../../src/consensus/ids.js";
import type { PeerState } from "../../../src/observe/index.js";

const candidate = fc.record({
  leader: fc.integer({ min: 1, max: 9 }).map((n) => n as ServerId),
  zxid: fc.integer({ min: 0, max: 2 ** 40 }).map((n) => n as Zxid),
  peerEpoch: fc.integer({ min: 0, max: 8 }).map((n) => n as Epoch),
});

/** Naive: compare the tuples as arrays, first difference wins. */
function naiveBeats(next: Candidate, current: Candidate): boolean {
  const a = [next.peerEpoch, next.zxid, next.leader];
  const b = [current.peerEpoch, current.zxid, current.leader];
  for (let i = 0; i < a.length; i++) {
    if ((a[i] as number) !== (b[i] as number)) return (a[i] as number) > (b[i] as number);
  }
  return false;
}

describe("totalOrderPredicate", () => {
  test.prop([candidate, candidate])("agrees with the naive lexicographic order", (a, b) => {
    expect(totalOrderPredicate(a, b, true)).toBe(naiveBeats(a, b));
  });
  test.prop([candidate, candidate])("a non-voter never wins", (a, b) => {
    expect(totalOrderPredicate(a, b, false)).toBe(false);
  });
  test.prop([candidate, candidate])("is antisymmetric and total on distinct voters", (a, b) => {
    const same = a.leader === b.leader && a.zxid === b.zxid && a.peerEpoch === b.peerEpoch;
    const ab = totalOrderPredicate(a, b, true);
    const ba = totalOrderPredicate(b, a, true);
    expect(ab && ba).toBe(false);
    if (!same) expect(ab || ba).toBe(true);
  });
  test.prop([candidate, candidate, candidate])("is transitive", (a, b, c) => {
    if (totalOrderPredicate(a, b, true) && totalOrderPredicate(b, c, true)) {
      expect(totalOrderPredicate(a, c, true)).toBe(true);
    }
  });
  test.prop([candidate, candidate])("peerEpoch outranks zxid (ZOOKEEPER-1419)", (a, b) => {
    const older = { ...a, peerEpoch: 1 as Epoch, zxid: (2 ** 40) as Zxid };
    const newer = { ...b, peerEpoch: 2 as Epoch, zxid: 0 as Zxid };
    expect(totalOrderPredicate(newer, older, true)).toBe(true);
  });
});

const state = fc.constantFrom<PeerState>("LOOKING", "FOLLOWING", "LEADING", "OBSERVING");
const statedVote = fc.record({
  leader: fc.integer({ min: 1, max: 3 }).map((n) => n as ServerId),
  zxid: fc.integer({ min: 0, max: 3 }).map((n) => n as Zxid),
  electionEpoch: fc.integer({ min: 0, max: 2 }),
  peerEpoch: fc.integer({ min: 0, max: 2 }).map((n) => n as Epoch),
  state,
});

function naiveEquals(a: StatedVote, b: StatedVote): boolean {
  const fields: (keyof StatedVote)[] =
    a.state === "LOOKING" || b.state === "LOOKING"
      ? ["leader", "zxid", "electionEpoch", "peerEpoch"]
      : ["leader", "peerEpoch"];
  return fields.every((f) => a[f] === b[f]);
}

describe("voteEquals", () => {
  test.prop([statedVote, statedVote])("agrees with the naive field comparison", (a, b) => {
    expect(voteEquals(a, b)).toBe(naiveEquals(a, b));
  });
  test.prop([statedVote, statedVote])("is symmetric", (a, b) => {
    expect(voteEquals(a, b)).toBe(voteEquals(b, a));
  });
});
