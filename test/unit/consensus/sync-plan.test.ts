/**
 * The DIFF/TRUNC/SNAP decision (LearnerHandler.syncFollower), checked three ways: against a naive
 * restatement of ZooKeeper's rules over random histories; by replaying the plan on realistic
 * follower histories (a prefix of the leader's, possibly with uncommitted proposals of the
 * leader it last followed) and requiring the leader's history as the result; and on the named
 * cases with their coverage marks.
 */
import { describe, expect, it } from "vitest";
import { fc, test } from "@fast-check/vitest";
import { counterOf, epochOf, makeZxid, markHit } from "../../../src/util/index.js";
import type { Zxid } from "../../../src/consensus/ids.js";
import type { SyncInput, SyncPlan } from "../../../src/consensus/sync-plan.js";
import { planSync } from "../../../src/consensus/sync-plan.js";

const z = (epoch: number, counter: number): Zxid => makeZxid(epoch, counter);

/** Naive: ZooKeeper's cases written out directly, with list filters instead of a walk. */
function naivePlan(input: SyncInput): Pick<SyncPlan, "kind" | "zxid" | "proposals"> {
  const { txnLog, lastProcessedZxid: last, peerLastZxid: peer } = input;
  const window = txnLog.slice(Math.max(0, txnLog.length - input.committedLogMax));
  const min = window[0] ?? last;
  const max = window[window.length - 1] ?? last;
  const snap = { kind: "SNAP" as const, zxid: last, proposals: [] };
  if (peer === last) return { kind: "DIFF", zxid: peer, proposals: [] };
  const newEpoch = counterOf(peer) === 0;
  if (peer > max && !newEpoch) return { kind: "TRUNC", zxid: max, proposals: [] };
  let source: readonly Zxid[];
  if (min <= peer && peer <= max) source = window;
  else if (peer < min && txnLog.length > 0 && (txnLog[0] as Zxid) <= peer) source = txnLog;
  else return snap;
  const after = source.filter((x) => x > peer);
  if (source.includes(peer) || newEpoch) return { kind: "DIFF", zxid: max, proposals: after };
  const next = after[0];
  if (next === undefined) return snap;
  if (epochOf(next) !== epochOf(peer)) return snap;
  const before = source.filter((x) => x < peer);
  return { kind: "TRUNC", zxid: before[before.length - 1] as Zxid, proposals: after };
}

/** A leader history: ascending zxids over a few epochs. */
const history = fc
  .array(fc.tuple(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 6 })),
    { maxLength: 14 })
  .map((pairs) => [...new Set(pairs.map(([e, c]) => z(e, c)))].sort((a, b) => a - b));

const syncCase = history.chain((log) =>
  fc.record({
    txnLog: fc.constant(log),
    committedLogMax: fc.integer({ min: 1, max: 8 }),
    peerLastZxid: fc.oneof(
      fc.constantFrom(...(log.length > 0 ? log : [z(0, 0)])),
      fc.tuple(fc.integer({ min: 0, max: 5 }), fc.integer({ min: 0, max: 7 }))
        .map(([e, c]) => z(e, c)),
    ),
  }).map((r) => ({ ...r, lastProcessedZxid: log[log.length - 1] ?? z(0, 0) })),
);

describe("planSync against the naive rules", () => {
  test.prop([syncCase])("picks the same packet, zxid and proposals", (input) => {
    const plan = planSync(input);
    const got = { kind: plan.kind, zxid: plan.zxid, proposals: plan.proposals };
    expect(got).toEqual(naivePlan(input));
  });
});

/**
 * Realistic follower histories. The leader's history is a run of epochs. A follower holds either
 * a prefix of it, or, if it followed (or led) epoch e after that epoch was established, exactly
 * the leader's history up to epoch e plus proposals of epoch e that were never committed,
 * numbered past anything the leader has of that epoch (commits go in proposal order).
 */
const realistic = fc
  .array(fc.integer({ min: 0, max: 4 }), { minLength: 1, maxLength: 5 })
  .chain((perEpoch) => {
    const leader: Zxid[] = [];
    perEpoch.forEach((count, i) => {
      for (let c = 1; c <= count; c++) leader.push(z(i + 1, c));
    });
    return fc.record({
      leader: fc.constant(leader),
      keep: fc.integer({ min: 0, max: leader.length }),
      extraEpoch: fc.integer({ min: 1, max: perEpoch.length + 1 }),
      extras: fc.integer({ min: 0, max: 3 }),
      committedLogMax: fc.integer({ min: 1, max: 30 }),
    });
  });

interface FollowerCase {
  leader: Zxid[];
  keep: number;
  extraEpoch: number;
  extras: number;
}

function followerOf(c: FollowerCase): Zxid[] {
  if (c.extras === 0) return c.leader.slice(0, c.keep);
  const upTo = c.leader.filter((x) => epochOf(x) <= c.extraEpoch);
  const top = Math.max(0, ...upTo.filter((x) => epochOf(x) === c.extraEpoch).map(counterOf));
  for (let i = 1; i <= c.extras; i++) upTo.push(z(c.extraEpoch, top + i));
  return upTo;
}

function applyPlan(plan: SyncPlan, follower: readonly Zxid[], leader: readonly Zxid[]): Zxid[] {
  let out: Zxid[];
  if (plan.kind === "SNAP") out = leader.filter((x) => x <= plan.zxid);
  else if (plan.kind === "TRUNC") out = follower.filter((x) => x <= plan.zxid);
  else out = [...follower];
  return [...out, ...plan.proposals];
}

describe("planSync brings a realistic follower to the leader's history", () => {
  test.prop([realistic])("prefix, or an epoch's history plus its uncommitted proposals", (c) => {
    const follower = followerOf(c);
    const plan = planSync({
      txnLog: c.leader,
      committedLogMax: c.committedLogMax,
      lastProcessedZxid: c.leader[c.leader.length - 1] ?? z(0, 0),
      peerLastZxid: follower[follower.length - 1] ?? z(0, 0),
    });
    expect(applyPlan(plan, follower, c.leader)).toEqual(c.leader);
  });
});

describe("planSync named cases", () => {
  const log = [z(1, 1), z(1, 2), z(1, 3), z(2, 1), z(2, 2)];
  const base = { txnLog: log, committedLogMax: 10, lastProcessedZxid: z(2, 2) };
  it("a follower in sync gets an empty DIFF", () => {
    expect(planSync({ ...base, peerLastZxid: z(2, 2) }))
      .toMatchObject({ kind: "DIFF", proposals: [] });
  });
  it("a follower that missed commits gets DIFF with them", () => {
    expect(planSync({ ...base, peerLastZxid: z(1, 3) })).toMatchObject({
      kind: "DIFF", zxid: z(2, 2), proposals: [z(2, 1), z(2, 2)],
    });
  });
  it("a follower ahead of the leader gets TRUNC to the leader's last commit", () => {
    const run = markHit("sync: TRUNC follower ahead of leader",
      () => planSync({ ...base, peerLastZxid: z(2, 5) }));
    expect(run.hit).toBe(true);
    expect(run.value).toMatchObject({ kind: "TRUNC", zxid: z(2, 2), proposals: [] });
  });
  it("a follower with an extra txn inside the history gets TRUNC then DIFF", () => {
    const leader = [z(1, 1), z(1, 2), z(1, 5), z(1, 6)];
    const run = markHit("sync: TRUNC follower has extra txns inside history", () =>
      planSync({
        txnLog: leader, committedLogMax: 10, lastProcessedZxid: z(1, 6), peerLastZxid: z(1, 3),
      }));
    expect(run.hit).toBe(true);
    expect(run.value)
      .toMatchObject({ kind: "TRUNC", zxid: z(1, 2), proposals: [z(1, 5), z(1, 6)] });
  });
  it("TRUNC never crosses an epoch: SNAP instead", () => {
    const run = markHit("sync: SNAP instead of TRUNC across an epoch",
      () => planSync({ ...base, peerLastZxid: z(1, 7) }));
    expect(run.hit).toBe(true);
    expect(run.value.kind).toBe("SNAP");
  });
  it("a follower behind the committedLog window but inside the txn log gets DIFF", () => {
    const run = markHit("sync: DIFF from the txn log beyond committedLog", () =>
      planSync({ ...base, committedLogMax: 2, peerLastZxid: z(1, 1) }));
    expect(run.hit).toBe(true);
    expect(run.value.proposals).toEqual([z(1, 2), z(1, 3), z(2, 1), z(2, 2)]);
  });
  it("a follower behind everything the leader logged gets SNAP", () => {
    const run = markHit("sync: SNAP learner too far behind", () =>
      planSync({ ...base, txnLog: log.slice(2), peerLastZxid: z(1, 1) }));
    expect(run.hit).toBe(true);
    expect(run.value).toMatchObject({ kind: "SNAP", zxid: z(2, 2) });
  });
});
