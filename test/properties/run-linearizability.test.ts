/**
 * The linearizability checker on whole simulated runs (docs/linearizability.md): default seeds
 * 1..50 never exhaust the default search budget and satisfy ZooKeeper's guarantee; the planted
 * bug `local-sync` (a follower answers sync() without the round trip to the leader) is caught
 * by this checker in a fixed-world sweep of the basic workload, whose reads on plain paths it
 * judges (the Zab checkers see nothing wrong: every txn is still delivered in order everywhere;
 * the `sync` checker, which judges reply zxids on any path, may flag the same run), and the
 * same seed without the bug passes it. test/properties/run-bugs.test.ts catches local-sync in
 * a default sweep, by the `sync` checker.
 *
 * Speed: the local-sync sweep cuts the liveness phase to 1 s, as run-bugs.test.ts does; the
 * safety phase is the same run as with the default 20 s.
 */
import { describe, expect, test } from "vitest";
import { runSimulation } from "../../src/run/index.js";
import type { RunReport } from "../../src/run/index.js";

const SEEDS_MAX = 200;

/**
 * The basic workload in the fixed world: its sync-then-read on plain paths is what the znode
 * model follows (the sessions workload's multis take its paths out of this check); this checker
 * first catches local-sync there at seed 128 (docs/linearizability.md says why it is rare).
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

  test("local-sync is caught by a fixed-world basic sweep, by no Zab checker", () => {
    let caught: RunReport | undefined;
    for (let seed = 1; seed <= SEEDS_MAX && caught === undefined; seed++) {
      const report = runSimulation(seed, { bug: "local-sync", ...FIXED_BASIC, livenessMs: 1_000 });
      if (report.linearizability === "invalid") caught = report;
    }
    expect(caught, `no seed in 1..${SEEDS_MAX} catches local-sync`).toBeDefined();
    if (caught === undefined) return;
    const safety = caught.violations.filter((v) => v.checker !== "liveness");
    const checkers = new Set(safety.map((v) => v.checker));
    expect(checkers.has("linearizability")).toBe(true);
    expect([...checkers].filter((c) => c !== "linearizability" && c !== "sync")).toEqual([]);
    const control = runSimulation(caught.seed, { ...FIXED_BASIC, livenessMs: 1_000 });
    expect(control.linearizability).toBe("valid");
  });
});
