/**
 * The data recipes under the standard fault mix, through the CLI. Each planted recipe bug is
 * caught by its recipe's checker by a default `zabsim sweep --seeds 1..200 --workload W --bug B`
 * (stopping at the first failing seed: --stop-on-failure... the sweep's own early stop), and
 * the correct recipe passes its checker and the run's checkers on that seed and on seeds 1..6.
 */
import { describe, expect, test } from "vitest";
import { runDataWorkload } from "../helpers/recipes-data.js";
import type { DataWorkloadName } from "../helpers/recipes-data.js";

const PLANTED: ReadonlyArray<[string, DataWorkloadName, string]> = [
  ["queue-delete-before-process", "queue", "recipe-queue"],
  ["cache-ignores-rewatch", "cache", "recipe-cache"],
];

describe("planted recipe bugs are caught within seeds 1..200", () => {
  test.each(PLANTED)("%s (workload %s) is caught by %s", async (bug, workload, checker) => {
    let caught: number | undefined;
    for (let seed = 1; seed <= 200 && caught === undefined; seed++) {
      const run = await runDataWorkload(workload, seed, bug);
      if (run.report.violations.some((v) => v.checker === checker)) caught = seed;
    }
    expect(caught).toBeDefined();
    // The same seed without the bug passes: the checker judges the recipe, not the seed.
    const clean = await runDataWorkload(workload, caught ?? 1);
    expect(clean.report.violations).toEqual([]);
  }, 300_000);
});

describe("the correct recipes pass on seeds 1..6", () => {
  test.each(["config", "cache", "queue", "barrier"] as const)("%s", async (workload) => {
    for (let seed = 1; seed <= 6; seed++) {
      const run = await runDataWorkload(workload, seed);
      expect({ seed, violations: run.report.violations }).toEqual({ seed, violations: [] });
    }
  }, 300_000);
});
