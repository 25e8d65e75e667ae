/**
 * A leader's own answer to sync carries the zxid it reports for every request. A new leader
 * reports epoch * 2^32 before its epoch's first txn (Leader.startZkServer); its sync answers used
 * the tree's last applied zxid instead, so a client that had read epoch * 2^32 saw a lower zxid
 * answer its next sync on the same server, which `client-order` reported. These seeds of a
 * default sweep (and of the basic workload) found it; each fails without the fix and must now
 * pass client-order.
 */
import { expect, test } from "vitest";
import { runSimulation } from "../../src/run/index.js";
import type { RunOptionsInput } from "../../src/run/index.js";

const FOUND: readonly [number, RunOptionsInput][] = [
  [75, {}], [191, {}], [88, { workload: "basic" }], [151, { workload: "basic" }],
];

test.each(FOUND)("seed %i: no reply zxid below one the client already saw", (seed, options) => {
  const report = runSimulation(seed, options);
  expect(report.violations.filter((v) => v.checker === "client-order")).toEqual([]);
});
