/**
 * The secure channel's planted bugs (CHANNEL_BUG_NAMES in consensus/bugs.ts) are caught: for
 * each, the test sweeps `--faults adversary` (secure quorum on) from seed 1 and stops at the
 * first run that breaks a safety checker, failing when none does within 200 seeds, as `zabsim
 * sweep --seeds 1..200 --faults adversary --bug NAME` would. The same seed without the bug must
 * pass every safety checker, so the catch is the bug's doing.
 *
 * Speed: the liveness phase is cut to 1 s; everything up to the heal is the same run.
 */
import { describe, expect, test } from "vitest";
import { channelBugNames } from "../../src/consensus/bugs.js";
import { runSimulation } from "../../src/run/index.js";
import type { RunReport } from "../../src/run/index.js";

const SEEDS_MAX = 200;

function safetyViolations(report: RunReport) {
  return report.violations.filter((v) => v.checker !== "liveness");
}

describe("secure channel bugs are caught by the adversary mix", () => {
  test.each(channelBugNames())("%s", (bug) => {
    let caught: RunReport | undefined;
    for (let seed = 1; seed <= SEEDS_MAX && caught === undefined; seed++) {
      const report = runSimulation(seed, { faults: "adversary", bug, livenessMs: 1_000 });
      if (safetyViolations(report).length > 0) caught = report;
    }
    expect(caught, `no seed in 1..${SEEDS_MAX} catches ${bug}`).toBeDefined();
    if (caught === undefined) return;
    expect(caught.options.secureQuorum).toBe(true);
    const control = runSimulation(caught.seed, { faults: "adversary", livenessMs: 1_000 });
    expect(safetyViolations(control)).toEqual([]);
  });
});
