/**
 * The on-wire attacker of `--faults adversary` (ensemble/attacker.ts) against secure quorum
 * (docs/security.md). With secure quorum on (the mix's default), seeded runs with every kind of
 * attack pass every checker, liveness included, and the servers refuse what the attacker sent;
 * the run stays inside the fault model. With secure quorum off, the same attacker breaks safety
 * within a default sweep: the test sweeps seeds from 1 and stops at the first run that breaks a
 * safety checker, whose violations are all reported as outside the fault model; the same seed
 * with secure quorum on passes, so the break is the plain channel's doing. The attacker draws from
 * the run's seed like every fault: the same seed gives the same trace hash and the same attacks.
 *
 * Speed: the runs that only judge safety cut the liveness phase to 1 s (everything up to the heal
 * is the same run).
 */
import { describe, expect, test } from "vitest";
import { runSimulation } from "../../src/run/index.js";
import type { RunReport } from "../../src/run/index.js";

const SEEDS_MAX = 200;

function safetyViolations(report: RunReport) {
  return report.violations.filter((v) => v.checker !== "liveness");
}

describe("secure quorum under the adversary mix", () => {
  test.each([1, 2, 3])("seed %i passes every checker while the attacker is refused", (seed) => {
    // The fixed world: these seeds were chosen for their attacks (a swarm world draws others).
    const report = runSimulation(seed, { faults: "adversary", swarm: false });
    expect(report.options.secureQuorum).toBe(true);
    expect(report.violations).toEqual([]);
    expect(report.faultModel).toBe("inside");
    const adversary = report.adversary;
    if (adversary === undefined) throw new Error("no adversary report");
    const { tampered, replayed, forged, rejected } = adversary;
    expect(tampered).toBeGreaterThan(0);
    expect(replayed).toBeGreaterThan(0);
    expect(forged + adversary.impersonated).toBeGreaterThan(0);
    expect(rejected).toBeGreaterThan(0);
    expect(report.committed).toBeGreaterThan(0);
  });

  test("with 5 voters and an observer, too", () => {
    const report = runSimulation(4, { faults: "adversary", replicas: 5, observers: 1 });
    expect(report.violations).toEqual([]);
    expect(report.adversary?.rejected ?? 0).toBeGreaterThan(0);
  });
});

describe("plain quorum under the same attacker", () => {
  test("breaks safety within a default sweep, outside the fault model", () => {
    let caught: RunReport | undefined;
    for (let seed = 1; seed <= SEEDS_MAX && caught === undefined; seed++) {
      const report = runSimulation(seed, {
        faults: "adversary", secureQuorum: false, livenessMs: 1_000,
      });
      if (safetyViolations(report).length > 0) caught = report;
    }
    if (caught === undefined) throw new Error(`no seed in 1..${SEEDS_MAX} breaks plain quorum`);
    expect(caught.faultModel).toBe("outside");
    for (const violation of caught.violations) expect(violation.faultModel).toBe("outside");
    const control = runSimulation(caught.seed, { faults: "adversary", livenessMs: 1_000 });
    expect(safetyViolations(control)).toEqual([]);
  });

  test("a run without the attacker stays inside the fault model", () => {
    const report = runSimulation(1, { secureQuorum: false, livenessMs: 1_000 });
    expect(report.faultModel).toBe("inside");
    expect(report.adversary).toBeUndefined();
  });
});

describe("the adversary mix is deterministic", () => {
  test("the same seed gives the same trace hash and the same attacks", () => {
    const a = runSimulation(5, { faults: "adversary", livenessMs: 1_000 });
    const b = runSimulation(5, { faults: "adversary", livenessMs: 1_000 });
    expect(b.traceHash).toBe(a.traceHash);
    expect(b.adversary).toEqual(a.adversary);
    const plain = runSimulation(5, { faults: "adversary", secureQuorum: false, livenessMs: 1_000 });
    expect(plain.traceHash).not.toBe(a.traceHash);
  });
});
