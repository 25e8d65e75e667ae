/**
 * Shrinking (src/run/shrink.ts). Delta debugging is checked against its definition with
 * fast-check: when a run fails exactly if its fault list contains a hidden set of culprits,
 * ddmin returns exactly the culprits (the only 1-minimal failing subset). Then shrinkFaults is
 * run on a real failing run (a planted bug's first failing seed): the result fails the same
 * checker with no more faults than before, and replaying its options gives the same trace hash.
 */
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { deltaDebug, runSimulation, shrinkFaults } from "../../src/run/index.js";
import type { RunReport } from "../../src/run/index.js";
import { bugNames } from "../../src/consensus/bugs.js";

describe("deltaDebug", () => {
  test("finds exactly the culprits of a monotone failure", async () => {
    await fc.assert(fc.asyncProperty(
      fc.integer({ min: 1, max: 40 }).chain((n) => fc.tuple(
        fc.constant(n), fc.uniqueArray(fc.integer({ min: 0, max: n - 1 }), {
          minLength: 1, maxLength: Math.min(n, 4),
        }))),
      async ([n, culprits]) => {
        const items = Array.from({ length: n }, (_, i) => i);
        let calls = 0;
        const fails = (subset: readonly number[]) => {
          calls++;
          return culprits.every((c) => subset.includes(c));
        };
        const result = await deltaDebug(items, fails);
        expect([...result].sort((a, b) => a - b)).toEqual([...culprits].sort((a, b) => a - b));
        expect(calls).toBeLessThanOrEqual(4 * n * n + 10);
      }));
  });
  test("keeps a single failing item and the empty case", async () => {
    expect(await deltaDebug([7], () => true)).toEqual([7]);
    expect(await deltaDebug([], () => true)).toEqual([]);
  });
});

describe("shrinkFaults on a failing run", () => {
  test("shrinks a planted bug's failure to a replayable smaller fault plan", async () => {
    // The first planted bug (commit-on-minority first: it fails fast) caught within 50 seeds.
    const bugs = [...bugNames()].sort((a, b) =>
      Number(b === "commit-on-minority") - Number(a === "commit-on-minority"));
    let failing: RunReport | undefined;
    for (const bug of bugs) {
      for (let seed = 1; seed <= 50 && failing === undefined; seed++) {
        const report = runSimulation(seed, { bug, livenessMs: 1_000 });
        if (report.violations.some((v) => v.checker !== "liveness")) failing = report;
      }
      if (failing !== undefined) break;
    }
    if (failing === undefined) throw new Error("no planted bug caught in seeds 1..50");
    const target = failing.violations[0]?.checker;
    const result = await shrinkFaults(failing.seed, failing.options, 80);
    expect(result.original.traceHash).toBe(failing.traceHash);
    const shrunk = result.shrunk;
    if (shrunk === null) throw new Error("the failure did not reproduce from its fault schedule");
    expect(shrunk.options.faults).toBe("none");
    expect(shrunk.options.schedule.length).toBeLessThanOrEqual(result.faultsBefore.length);
    expect(shrunk.options.durationMs).toBeLessThanOrEqual(failing.options.durationMs);
    expect(shrunk.violations.some((v) => v.checker === target)).toBe(true);
    expect(runSimulation(failing.seed, shrunk.options).traceHash).toBe(shrunk.traceHash);
    expect(result.runs).toBeLessThanOrEqual(80);
  });
});
