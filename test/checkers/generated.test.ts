/**
 * The checkers against generated histories (fast-check), beyond the one hand-built run: a model
 * of a correct Zab run produces the observations, and every checker must accept all of them;
 * planting one mistake in a generated history must be caught.
 *
 * The model: epochs in order, each with a leader established from the history so far (its
 * lastZxid is the last txn of earlier epochs) and 0..5 proposals. Committed history H is the
 * concatenation. Three nodes each deliver H in order at their own pace, interleaved at random;
 * a node may restart, restoring to any point of H at or below what it delivered (losing an
 * unsynced tail) and delivering onward from there. A client is told each txn committed once
 * some node delivered it. Digests are a function of the zxid, as in a deterministic tree.
 */
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { checkRun } from "../../src/check/index.js";
import type { Observation } from "../../src/observe/index.js";
import { digestAt, toRecords, z } from "./fixture.js";

interface Plan {
  readonly epochs: readonly { leader: number; proposals: number }[];
  /** Each step picks a node (0..2) and whether it restarts (and how far back). */
  readonly steps: readonly { node: number; restart: boolean; back: number }[];
}

const planArbitrary: fc.Arbitrary<Plan> = fc.record({
  epochs: fc.array(fc.record({
    leader: fc.integer({ min: 1, max: 3 }), proposals: fc.integer({ min: 0, max: 5 }),
  }), { minLength: 1, maxLength: 4 }),
  steps: fc.array(fc.record({
    node: fc.integer({ min: 0, max: 2 }), restart: fc.boolean(), back: fc.nat(4),
  }), { minLength: 5, maxLength: 80 }),
});

const txnOf = (zxid: number): string => `t${zxid.toString(16)}`;

/** The observations of a correct run following `plan`. */
function correctRun(plan: Plan): Observation[] {
  const out: Observation[] = [];
  const history: number[] = [];
  plan.epochs.forEach(({ leader, proposals }, i) => {
    const epoch = i + 1;
    out.push({ kind: "established", node: leader, epoch, lastZxid: history.at(-1) ?? 0 });
    for (let k = 1; k <= proposals; k++) {
      const zxid = z(epoch, k);
      out.push({ kind: "propose", node: leader, epoch, zxid, txn: txnOf(zxid) });
      history.push(zxid);
    }
  });
  const cursor = [0, 0, 0];
  let acked = 0;
  for (const step of plan.steps) {
    const node = step.node + 1;
    const at = cursor[step.node] ?? 0;
    if (step.restart) {
      const to = Math.max(0, at - step.back);
      cursor[step.node] = to;
      const zxid = to === 0 ? 0 : history[to - 1] ?? 0;
      out.push({ kind: "restore", node, cause: "restart", zxid, digest: digestAt(zxid) });
      continue;
    }
    const zxid = history[at];
    if (zxid === undefined) continue;
    out.push({ kind: "deliver", node, zxid, txn: txnOf(zxid), digest: digestAt(zxid) });
    cursor[step.node] = at + 1;
    if (at + 1 > acked) {
      acked = at + 1;
      out.push({ kind: "complete", client: 0, op: acked, err: "OK", zxid, txn: txnOf(zxid), read: null, write: null });
    }
  }
  return out;
}

/** Indexes of deliveries followed, on the same node and before any restore, by another one. */
function middleDeliveries(list: readonly Observation[]): number[] {
  const out: number[] = [];
  list.forEach((o, i) => {
    if (o.kind !== "deliver") return;
    const next = list.slice(i + 1).find((p) =>
      (p.kind === "deliver" || p.kind === "restore") && p.node === o.node);
    if (next?.kind === "deliver") out.push(i);
  });
  return out;
}

describe("checkers on generated correct histories", () => {
  test("accept every correct history", () => {
    fc.assert(fc.property(planArbitrary, (plan) => {
      expect(checkRun(toRecords(correctRun(plan))).violations).toEqual([]);
    }), { numRuns: 300 });
  });

  test("catch a node skipping a txn in the middle of its deliveries", () => {
    fc.assert(fc.property(planArbitrary, fc.nat(), (plan, pick) => {
      const list = correctRun(plan);
      const candidates = middleDeliveries(list);
      fc.pre(candidates.length > 0);
      const at = candidates[pick % candidates.length] ?? 0;
      list.splice(at, 1);
      expect(checkRun(toRecords(list)).violations.length).toBeGreaterThan(0);
    }), { numRuns: 300 });
  });

  test("catch a delivery of a txn no primary proposed at that zxid", () => {
    fc.assert(fc.property(planArbitrary, fc.nat(), (plan, pick) => {
      const list = correctRun(plan);
      const deliveries = list.flatMap((o, i) => (o.kind === "deliver" ? [i] : []));
      fc.pre(deliveries.length > 0);
      const at = deliveries[pick % deliveries.length] ?? 0;
      const o = list[at];
      if (o?.kind !== "deliver") return;
      list[at] = { ...o, txn: `${o.txn}-forged` };
      const checkers = checkRun(toRecords(list)).violations.map((v) => v.checker);
      expect(checkers).toContain("zab-integrity");
    }), { numRuns: 200 });
  });
});
