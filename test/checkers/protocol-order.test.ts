/**
 * The checkers judge by the protocol's order (epochs and zxids, and each node's own order), not
 * by the order in which a trace happened to record events; only liveness and a client's own
 * replies are about real time. Each history here is legal Zab but adversarial to a checker that
 * reads the trace as the protocol's order: a leader of an old epoch established after a newer
 * epoch committed (seed 262 at five replicas, test/protocol/late-leader.txt), acknowledgements
 * delivered long after the commit they report, and a deposed leader that has not yet noticed.
 * Every checker must stay silent on each, and must still speak when the same history is bent
 * into a real violation (the late leader lacks a write of an earlier epoch, commits alone,
 * serves the past to a client that saw the future...). A generated property then delays every
 * acknowledgement, establishes empty epochs late and lets deposed leaders keep proposing, over
 * the correct histories of model.ts.
 */
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { checkRun } from "../../src/check/index.js";
import type { CheckerName, LivenessWindow, Verdict } from "../../src/check/index.js";
import type { Observation } from "../../src/observe/index.js";
import { digestAt, toRecords, z } from "./fixture.js";
import { correctRun, planArbitrary, txnOf } from "./model.js";

const epochOf = (zxid: number): number => Math.floor(zxid / 2 ** 32);

const propose = (node: number, zxid: number): Observation =>
  ({ kind: "propose", node, epoch: epochOf(zxid), zxid, txn: txnOf(zxid) });
const deliver = (zxid: number, ...nodes: number[]): Observation[] =>
  nodes.map((node) => ({ kind: "deliver", node, zxid, txn: txnOf(zxid), digest: digestAt(zxid) }));
const established = (node: number, epoch: number, lastZxid: number): Observation =>
  ({ kind: "established", node, epoch, lastZxid });
const state = (node: number, peer: "LOOKING" | "LEADING" | "FOLLOWING", epoch: number) =>
  ({ kind: "state", node, state: peer, epoch }) as Observation;
/** A client told its write committed at `zxid`. */
const acked = (client: number, op: number, zxid: number): Observation =>
  ({ kind: "complete", client, op, err: "OK", zxid, txn: txnOf(zxid), read: null, write: null });
/** A client's read answered with the server's last processed zxid. */
const read = (client: number, op: number, zxid: number): Observation =>
  ({ kind: "complete", client, op, err: "OK", zxid, txn: null, read: null, write: null });

/** Every checker on a history; liveness from the event `healAt` (writes expected). */
function verdict(list: readonly Observation[], healAt: number): Verdict {
  const last = list.length - 1;
  const window: LivenessWindow = {
    healAtMicros: healAt * 1000, boundMicros: list.length * 1000, endEvent: last,
    endMicros: last * 1000, writesExpected: true,
  };
  return checkRun(toRecords(list), window);
}

function checkers(v: Verdict): CheckerName[] {
  return [...new Set(v.violations.map((x) => x.checker))].sort();
}

/**
 * Five servers. Node 5 leads epoch 1 and crashes; node 3 is elected for epoch 2, but a clog
 * holds the NEWLEADER ACKs of 1, 2 and 4, who give up on it and establish epoch 3 under node 4,
 * which commits and acknowledges two writes. Then the ACKs reach node 3: it is established for
 * epoch 2, proposes 2:1 to no one, serves a stale read to a client that saw only epoch 1, steps
 * down at its next tick, and is synced by SNAP into epoch 3.
 */
function lateLeader(): Observation[] {
  return [
    state(5, "LEADING", 0), ...[1, 2, 3, 4].map((n) => state(n, "FOLLOWING", 0)),
    established(5, 1, 0),
    propose(5, z(1, 1)), ...deliver(z(1, 1), 5, 1, 2, 3, 4), acked(0, 0, z(1, 1)),
    propose(5, z(1, 2)), ...deliver(z(1, 2), 5, 1, 2, 3, 4), acked(0, 1, z(1, 2)),
    ...[1, 2, 3, 4].map((n) => state(n, "LOOKING", 1)),
    state(3, "LEADING", 1), ...[1, 2, 4].map((n) => state(n, "FOLLOWING", 1)),
    ...[1, 2, 4].map((n) => state(n, "LOOKING", 2)),
    state(4, "LEADING", 2), state(1, "FOLLOWING", 2), state(2, "FOLLOWING", 2),
    established(4, 3, z(1, 2)),
    propose(4, z(3, 1)), ...deliver(z(3, 1), 4, 1, 2), acked(1, 0, z(3, 1)),
    propose(4, z(3, 2)), ...deliver(z(3, 2), 4, 1, 2), acked(1, 1, z(3, 2)),
    established(3, 2, z(1, 2)), // the late establishment: after epoch 3 committed
    propose(3, z(2, 1)), // to no one: every learner handler ended at its FIN
    read(2, 0, z(1, 2)), // client 2 saw only epoch 1: a stale read is allowed
    state(3, "LOOKING", 2), state(3, "FOLLOWING", 3),
    { kind: "restore", node: 3, cause: "snap", zxid: z(3, 2), digest: digestAt(z(3, 2)) },
    {
      kind: "complete", client: 3, op: 0, err: "CONNECTIONLOSS", zxid: z(1, 2), txn: null,
      read: null, write: null,
    },
    propose(4, z(3, 3)), ...deliver(z(3, 3), 4, 1, 2, 3), acked(1, 2, z(3, 3)),
  ];
}

/**
 * Three servers. Node 1 leads epoch 1; 1:2 commits on nodes 1 and 2, but the reply to client 0
 * and node 3's COMMIT are slow. Node 1 crashes after logging 1:3 alone; node 2 leads epoch 2
 * from 1:2, syncs node 3 (which delivers 1:2 only now), commits 2:1 and tells client 1. Only
 * then does client 0 hear that 1:2 committed. Node 1 restarts and catches up.
 */
function delayedAcknowledgements(): Observation[] {
  return [
    state(1, "LEADING", 0), state(2, "FOLLOWING", 0), state(3, "FOLLOWING", 0),
    established(1, 1, 0),
    propose(1, z(1, 1)), ...deliver(z(1, 1), 1, 2, 3), acked(0, 0, z(1, 1)),
    propose(1, z(1, 2)), ...deliver(z(1, 2), 1, 2),
    propose(1, z(1, 3)),
    state(2, "LOOKING", 1), state(3, "LOOKING", 1), state(2, "LEADING", 1),
    state(3, "FOLLOWING", 1),
    established(2, 2, z(1, 2)),
    ...deliver(z(1, 2), 3),
    propose(2, z(2, 1)), ...deliver(z(2, 1), 2, 3), acked(1, 0, z(2, 1)),
    acked(0, 1, z(1, 2)), // the delayed acknowledgement
    { kind: "restore", node: 1, cause: "restart", zxid: z(1, 1), digest: digestAt(z(1, 1)) },
    state(1, "FOLLOWING", 2), { kind: "truncate", node: 1, zxid: z(1, 2) },
    ...deliver(z(1, 2), 1), ...deliver(z(2, 1), 1),
    propose(2, z(2, 2)), ...deliver(z(2, 2), 2, 3, 1), acked(0, 2, z(2, 2)),
  ];
}

/**
 * Three servers. A partition cuts node 1, leader of epoch 1, from 2 and 3, who establish epoch
 * 2 and commit two writes. Node 1 has not noticed: it goes on proposing 1:2 and 1:3 to
 * followers that left and serves its own client a read at 1:1, until it steps down, follows
 * node 2, is TRUNCed back to 1:1 and delivers epoch 2.
 */
function deposedLeader(): Observation[] {
  return [
    state(1, "LEADING", 0), state(2, "FOLLOWING", 0), state(3, "FOLLOWING", 0),
    established(1, 1, 0),
    propose(1, z(1, 1)), ...deliver(z(1, 1), 1, 2, 3), acked(0, 0, z(1, 1)),
    state(2, "LOOKING", 1), state(3, "LOOKING", 1), state(2, "LEADING", 1),
    state(3, "FOLLOWING", 1),
    established(2, 2, z(1, 1)),
    propose(1, z(1, 2)),
    propose(2, z(2, 1)), ...deliver(z(2, 1), 2, 3), acked(1, 0, z(2, 1)),
    read(0, 1, z(1, 1)),
    propose(1, z(1, 3)),
    propose(2, z(2, 2)), ...deliver(z(2, 2), 2, 3), acked(1, 1, z(2, 2)),
    {
      kind: "complete", client: 0, op: 2, err: "CONNECTIONLOSS", zxid: z(1, 1), txn: null,
      read: null, write: null,
    },
    state(1, "LOOKING", 1), state(1, "FOLLOWING", 2),
    { kind: "truncate", node: 1, zxid: z(1, 1) },
    ...deliver(z(2, 1), 1), ...deliver(z(2, 2), 1),
  ];
}

/** Index of the first observation matching `test`. */
function find(list: readonly Observation[], test: (o: Observation) => boolean): number {
  const at = list.findIndex(test);
  if (at < 0) throw new Error("history changed");
  return at;
}

const isEstablished = (epoch: number) => (o: Observation): boolean =>
  o.kind === "established" && o.epoch === epoch;
const isPropose = (zxid: number) => (o: Observation): boolean =>
  o.kind === "propose" && o.zxid === zxid;

describe("a leader of an old epoch established after a newer epoch committed", () => {
  test("no checker speaks, and liveness measures the write that follows", () => {
    const list = lateLeader();
    const result = verdict(list, find(list, isEstablished(2)));
    expect(result.violations).toEqual([]);
    expect(result.leaderChanges).toBe(3);
    expect(result.liveness?.recoveryMicros).toBeGreaterThan(0);
  });
  test("a late leader missing an acknowledged write of an earlier epoch is caught", () => {
    const list = lateLeader();
    list[find(list, isEstablished(2))] = established(3, 2, z(1, 1));
    expect(checkers(verdict(list, 0))).toEqual(["durability", "zab-primary-integrity"]);
  });
  test("a late leader that commits its proposal alone is caught", () => {
    const list = lateLeader();
    list.splice(find(list, isPropose(z(2, 1))) + 1, 0, ...deliver(z(2, 1), 3));
    expect(checkers(verdict(list, 0))).toContain("zab-agreement");
  });
  test("a late leader serving the past to a client that saw epoch 3 is caught", () => {
    const list = lateLeader();
    list.splice(find(list, isPropose(z(2, 1))) + 1, 0, read(1, 9, z(1, 2)));
    expect(checkers(verdict(list, 0))).toEqual(["client-order"]);
  });
  test("a second leader of the late epoch is caught", () => {
    const list = lateLeader();
    list.push(established(5, 2, z(1, 2)));
    expect(checkers(verdict(list, 0))).toEqual(["leadership"]);
  });
});

describe("acknowledgements that arrive long after the commit", () => {
  test("no checker speaks", () => {
    expect(verdict(delayedAcknowledgements(), 0).violations).toEqual([]);
  });
  test("a late reply for a write the next leader lacks is caught, though traced after it", () => {
    // Client 0 is told 1:3 committed; epoch 2 was established from 1:2 before the reply.
    const list = delayedAcknowledgements();
    const at = find(list, (o) => o.kind === "complete" && o.client === 0 && o.op === 1);
    list[at] = acked(0, 1, z(1, 3));
    const result = verdict(list, 0);
    expect(checkers(result)).toEqual(["durability"]);
    const messages = result.violations.map((v) => v.message).join("\n");
    expect(messages).toContain("established as leader of epoch 2 with history up to 0x100000002");
  });
  test("a node whose tree differs after the delayed delivery is caught", () => {
    const list = delayedAcknowledgements();
    const at = find(list, (o) => o.kind === "deliver" && o.node === 3 && o.zxid === z(1, 2));
    list[at] = { kind: "deliver", node: 3, zxid: z(1, 2), txn: txnOf(z(1, 2)), digest: "bad" };
    expect(checkers(verdict(list, 0))).toEqual(["convergence"]);
  });
});

describe("a deposed leader that has not yet noticed", () => {
  test("no checker speaks", () => {
    expect(verdict(deposedLeader(), 0).violations).toEqual([]);
  });
  test("a deposed leader that delivers its own proposal is caught", () => {
    const list = deposedLeader();
    list.splice(find(list, isPropose(z(1, 2))) + 1, 0, ...deliver(z(1, 2), 1));
    expect(checkers(verdict(list, 0))).toEqual(
      ["zab-agreement", "zab-primary-integrity", "zab-total-order"]);
  });
  test("acknowledging the deposed leader's proposal is caught", () => {
    const list = deposedLeader();
    const at = find(list, (o) => o.kind === "complete" && o.err === "CONNECTIONLOSS");
    list[at] = acked(0, 2, z(1, 2));
    expect(checkers(verdict(list, 0))).toEqual(["durability"]);
  });
  test("a deposed leader proposing below its own earlier proposal is caught", () => {
    const list = deposedLeader();
    list[find(list, isPropose(z(1, 3)))] = propose(1, z(1, 2));
    expect(checkers(verdict(list, 0))).toEqual(["zab-local-primary-order"]);
  });
});

/** Moves the element at `from` to `to` (to >= from), shifting the ones between back. */
function moveLater<T>(list: T[], from: number, to: number): void {
  const [item] = list.splice(from, 1);
  if (item !== undefined) list.splice(Math.min(to, list.length), 0, item);
}

/**
 * A correct history of model.ts, made adversarial: each acknowledgement (given a client of its
 * own, as a client waits for one reply at a time) moves later by up to `delays[i]` events; the
 * establishment of each epoch that never proposed moves later by up to `late[i]`; each epoch but
 * the last gets up to two uncommitted proposals from its deposed leader, at random points after
 * the next epoch was established.
 */
function adversarial(
  base: Observation[], delays: readonly number[], late: readonly number[],
  deposed: readonly number[],
): Observation[] {
  const list = base.map((o, i) => (o.kind === "complete" ? { ...o, client: 100 + i } : o));
  let k = 0;
  for (let i = list.length - 1; i >= 0; i--) {
    if (list[i]?.kind === "complete") moveLater(list, i, i + (delays[k++ % delays.length] ?? 0));
  }
  const epochs = list.flatMap((o) => (o.kind === "established" ? [o] : []));
  epochs.forEach((start, e) => {
    const proposed = list.some((o) => o.kind === "propose" && o.epoch === start.epoch);
    const next = epochs[e + 1];
    if (!proposed) {
      const at = list.indexOf(start);
      moveLater(list, at, at + (late[e % late.length] ?? 0));
    } else if (next !== undefined) {
      const counters = list.filter((o) => o.kind === "propose" && o.epoch === start.epoch).length;
      let after = list.indexOf(next);
      for (let n = 1; n <= (deposed[e % deposed.length] ?? 0) % 3; n++) {
        after += 1 + ((deposed[(e + n) % deposed.length] ?? 0) % 4);
        const at = Math.min(after, list.length);
        list.splice(at, 0, propose(start.node, z(start.epoch, counters + n)));
      }
    }
  });
  return list;
}

describe("generated histories made adversarial", () => {
  const shifts = fc.array(fc.nat(60), { minLength: 1, maxLength: 8 });
  test("delayed acknowledgements, late empty epochs and deposed leaders: no checker speaks", () => {
    fc.assert(fc.property(planArbitrary, shifts, shifts, shifts, (plan, delays, late, deposed) => {
      const list = adversarial(correctRun(plan), delays, late, deposed);
      expect(checkRun(toRecords(list)).violations).toEqual([]);
    }), { numRuns: 300 });
  });
  test("a late epoch missing an acknowledged write of an earlier epoch is caught", () => {
    fc.assert(fc.property(planArbitrary, shifts, shifts, (plan, delays, late) => {
      const list = adversarial(correctRun(plan), delays, late, [0]);
      const acks = list.flatMap((o) => (o.kind === "complete" ? [o.zxid] : []));
      const empty = list.flatMap((o) => o.kind === "established" &&
        !list.some((p) => p.kind === "propose" && p.epoch === o.epoch) &&
        acks.some((a) => epochOf(a) < o.epoch) ? [o] : []);
      const victim = empty[0];
      fc.pre(victim !== undefined);
      if (victim?.kind !== "established") return;
      const owed = Math.max(...acks.filter((a) => epochOf(a) < victim.epoch));
      list[list.indexOf(victim)] = { ...victim, lastZxid: owed - 1 };
      const found = checkRun(toRecords(list)).violations.map((v) => v.checker);
      expect(found).toContain("durability");
    }), { numRuns: 300 });
  });
});
