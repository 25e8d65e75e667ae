/**
 * A model of a correct Zab run, for the checkers' generated tests (generated.test.ts,
 * protocol-order.test.ts).
 *
 * The model: epochs in order, each with a leader established from the history so far (its
 * lastZxid is the last txn of earlier epochs) and 0..5 proposals. Committed history H is the
 * concatenation. Three nodes each deliver H in order at their own pace, interleaved at random;
 * a node may restart, restoring to any point of H at or below what it delivered (losing an
 * unsynced tail) and delivering onward from there. A client is told each txn committed once
 * some node delivered it. Digests are a function of the zxid, as in a deterministic tree.
 */
import fc from "fast-check";
import type { Observation } from "../../src/observe/index.js";
import { digestAt, z } from "./fixture.js";

export interface Plan {
  readonly epochs: readonly { leader: number; proposals: number }[];
  /** Each step picks a node (0..2) and whether it restarts (and how far back). */
  readonly steps: readonly { node: number; restart: boolean; back: number }[];
}

export const planArbitrary: fc.Arbitrary<Plan> = fc.record({
  epochs: fc.array(fc.record({
    leader: fc.integer({ min: 1, max: 3 }), proposals: fc.integer({ min: 0, max: 5 }),
  }), { minLength: 1, maxLength: 4 }),
  steps: fc.array(fc.record({
    node: fc.integer({ min: 0, max: 2 }), restart: fc.boolean(), back: fc.nat(4),
  }), { minLength: 5, maxLength: 80 }),
});

export const txnOf = (zxid: number): string => `t${zxid.toString(16)}`;

/** The observations of a correct run following `plan`. */
export function correctRun(plan: Plan): Observation[] {
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
      out.push({
        kind: "complete", client: 0, op: acked, err: "OK", zxid, txn: txnOf(zxid),
        read: null, write: null,
      });
    }
  }
  return out;
}
