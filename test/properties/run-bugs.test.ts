/**
 * Every planted bug is caught (shared/spec/cli.md: a plain `zabsim sweep --seeds 1..200 --bug
 * NAME` with default options must catch each). For each bug in the replicas' list, the test
 * sweeps seeds from 1 with the default options and stops at the first seed whose run breaks a
 * safety checker; it fails when none does within SEEDS_MAX. The same seed without the bug must
 * pass every safety checker, so the catch is the bug's doing and not a checker's false alarm.
 *
 * Speed: the liveness phase is cut to 1 s. The world is deterministic, so everything up to the
 * heal is the same run as with the default 20 s liveness phase, and safety violations are judged
 * on the same observations; liveness verdicts are ignored here (they have their own test).
 */
import { describe, expect, test } from "vitest";
import { bugNames } from "../../src/consensus/bugs.js";
import { runSimulation } from "../../src/run/index.js";
import type { RunReport } from "../../src/run/index.js";

const SEEDS_MAX = 200;

function safetyViolations(report: RunReport) {
  return report.violations.filter((v) => v.checker !== "liveness");
}

describe("planted bugs are caught within a bounded number of seeds", () => {
  test.each(bugNames())("%s", (bug) => {
    let caught: RunReport | undefined;
    for (let seed = 1; seed <= SEEDS_MAX && caught === undefined; seed++) {
      const report = runSimulation(seed, { bug, livenessMs: 1_000 });
      if (safetyViolations(report).length > 0) caught = report;
    }
    expect(caught, `no seed in 1..${SEEDS_MAX} catches ${bug}`).toBeDefined();
    if (caught === undefined) return;
    const control = runSimulation(caught.seed, { livenessMs: 1_000 });
    expect(safetyViolations(control)).toEqual([]);
  });
});
