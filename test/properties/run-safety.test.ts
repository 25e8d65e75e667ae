/**
 * Seeded swarm runs of a correct ensemble (shared/style.md rule 20c): a safety phase under the
 * standard fault mix, a heal, a liveness phase, then every checker. A correct ensemble must pass
 * all of them on every seed, in several shapes (3, 5 and 7 voters, with and without observers),
 * and commit writes in each. A long sweep belongs to `zabsim sweep`; this keeps a few seeds, and
 * run-wide.test.ts sweeps the full run length at 5 and 7 voters.
 */
import { describe, expect, test } from "vitest";
import { runSimulation } from "../../src/run/index.js";
import type { RunOptions } from "../../src/run/index.js";

const SHORT = { durationMs: 6_000, livenessMs: 10_000 };
const SHAPES: [string, Partial<RunOptions>][] = [
  ["3 voters (defaults)", {}],
  ["5 voters", { replicas: 5, ...SHORT }],
  ["3 voters and an observer", { observers: 1, ...SHORT }],
  ["5 voters and 2 observers", { replicas: 5, observers: 2, ...SHORT }],
  ["7 voters and an observer", { replicas: 7, observers: 1, ...SHORT }],
];

describe("a correct ensemble passes every checker", () => {
  test.each(SHAPES)("%s, seeds 1..4", (_, options) => {
    for (let seed = 1; seed <= 4; seed++) {
      const report = runSimulation(seed, options);
      expect(report.violations, `seed ${seed}`).toEqual([]);
      expect(report.outcome).toBe("reached");
      expect(report.committed).toBeGreaterThan(50);
      expect(report.leaderChanges).toBeGreaterThanOrEqual(1);
      expect(report.recoveryMs).not.toBeNull();
    }
  });

  test("without faults only the final heal is injected, and one leader is elected", () => {
    const report = runSimulation(3, { faults: "none", durationMs: 3_000, livenessMs: 2_000 });
    expect(report.faults.map((f) => f.fault.kind)).toEqual(["heal"]);
    expect(report.violations).toEqual([]);
    expect(report.leaderChanges).toBe(1);
  });
});
