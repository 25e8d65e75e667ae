/**
 * The linearizability checker on whole simulated runs (docs/linearizability.md): default seeds
 * 1..50 never exhaust the default search budget and satisfy ZooKeeper's guarantee; the planted
 * bug `local-sync` (a follower answers sync() without the round trip to the leader) is caught
 * by a fixed-world sweep, by this checker alone (the Zab checkers see nothing wrong: every txn is
 * still delivered in order everywhere), and the same seed without the bug passes it.
 *
 * Speed: the local-sync sweep cuts the liveness phase to 1 s, as run-bugs.test.ts does; the
 * safety phase is the same run as with the default 20 s.
 */
import { describe, expect, test } from "vitest";
import { runSimulation } from "../../src/run/index.js";
import type { RunReport } from "../../src/run/index.js";

const SEEDS_MAX = 200;

/**
 * The basic workload in the fixed world: swarm worlds caught local-sync in none of seeds 1..200
 * (the fixed world does at seed 128; issue 19 leaves finding why to a later look).
 */
const FIXED_BASIC = { workload: "basic", swarm: false } as const;

describe("ZooKeeper's guarantee on simulated runs", () => {
  test("default seeds 1..50: never unknown, always valid", () => {
    const verdicts = new Map<string, number[]>();
    for (let seed = 1; seed <= 50; seed++) {
      const verdict = runSimulation(seed).linearizability;
      verdicts.set(verdict, [...(verdicts.get(verdict) ?? []), seed]);
    }
    expect([...verdicts.keys()]).toEqual(["valid"]);
  });

  test("local-sync is caught by a default sweep, by the linearizability checker alone", () => {
    let caught: RunReport | undefined;
    for (let seed = 1; seed <= SEEDS_MAX && caught === undefined; seed++) {
      const report = runSimulation(seed, { bug: "local-sync", ...FIXED_BASIC, livenessMs: 1_000 });
      if (report.linearizability === "invalid") caught = report;
    }
    expect(caught, `no seed in 1..${SEEDS_MAX} catches local-sync`).toBeDefined();
    if (caught === undefined) return;
    const safety = caught.violations.filter((v) => v.checker !== "liveness");
    expect(new Set(safety.map((v) => v.checker))).toEqual(new Set(["linearizability"]));
    const control = runSimulation(caught.seed, { ...FIXED_BASIC, livenessMs: 1_000 });
    expect(control.linearizability).toBe("valid");
  });
});
