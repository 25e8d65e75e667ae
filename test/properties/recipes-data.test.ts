/**
 * The data recipes under the standard fault mix, as swarm runs. Each planted recipe bug is
 * caught by its recipe's checker within seeds 1..200 (the sweep stops at the first seed that
 * catches it, as `zabsim sweep --seeds 1..200 --workload W --bug B` does), and the correct
 * recipe passes its checker and the run's checkers on that seed and a handful of others.
 */
import { describe, expect, test } from "vitest";
import type { RecipeDataBug } from "../../src/recipes/index.js";
import { runDataWorkload } from "../helpers/recipes-data.js";
import type { DataWorkloadName } from "../helpers/recipes-data.js";

const PLANTED: ReadonlyArray<[RecipeDataBug, DataWorkloadName, string]> = [
  ["queue-delete-before-process", "queue", "recipe-queue"],
  ["cache-ignores-rewatch", "cache", "recipe-cache"],
];

describe("planted recipe bugs are caught within seeds 1..200", () => {
  test.each(PLANTED)("%s (workload %s) is caught by %s", async (bug, workload, checker) => {
    let caught: number | undefined;
    for (let seed = 1; seed <= 200 && caught === undefined; seed++) {
      const run = await runDataWorkload(workload, seed, bug);
      if (run.violations.some((v) => v.checker === checker)) caught = seed;
    }
    expect(caught).toBeDefined();
    // The same seed without the bug passes: the checker judges the recipe, not the seed.
    const clean = await runDataWorkload(workload, caught ?? 1);
    expect(clean.violations).toEqual([]);
    expect(clean.tasks.filter((t) => t.status === "failed")).toEqual([]);
  }, 300_000);
});

describe("the correct recipes pass on seeds 1..6", () => {
  test.each(["config", "cache", "queue", "barrier"] as const)("%s", async (workload) => {
    for (let seed = 1; seed <= 6; seed++) {
      const run = await runDataWorkload(workload, seed);
      expect({ seed, violations: [...run.violations, ...run.runViolations] })
        .toEqual({ seed, violations: [] });
      expect(run.tasks.filter((t) => t.status === "failed")).toEqual([]);
    }
  }, 300_000);
});
