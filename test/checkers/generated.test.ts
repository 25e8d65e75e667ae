/**
 * The checkers against generated histories (fast-check), beyond the one hand-built run: a model
 * of a correct Zab run produces the observations, and every checker must accept all of them;
 * planting one mistake in a generated history must be caught.
 *
 * The model (model.ts): epochs in order, each with a leader established from the history so far,
 * three nodes delivering the committed history at their own pace, restarts losing unsynced tails.
 */
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { checkRun } from "../../src/check/index.js";
import type { Observation } from "../../src/observe/index.js";
import { toRecords } from "./fixture.js";
import { correctRun, planArbitrary } from "./model.js";

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
