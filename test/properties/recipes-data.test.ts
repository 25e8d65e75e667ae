/**
 * The data recipes under the standard fault mix. Each planted recipe bug is caught by its
 * recipe's checker within seeds 1..200 of the default options: the seeds are run in order and
 * the search stops at the first that catches it (what a default `zabsim sweep --seeds 1..200
 * --workload W --bug B` would list first), then `zabsim sweep --seeds 1..K` through the CLI
 * confirms that seed fails there, with that checker. The correct recipe passes every checker
 * on that seed and on seeds 1..6.
 */
import { describe, expect, test } from "vitest";
import { zabsim } from "../cli/memory-io.js";
import { runDataWorkload } from "../helpers/recipes-data.js";
import type { DataWorkloadName } from "../helpers/recipes-data.js";

const PLANTED: ReadonlyArray<[string, DataWorkloadName, string]> = [
  ["queue-delete-before-process", "queue", "recipe-queue"],
  ["cache-ignores-rewatch", "cache", "recipe-cache"],
  ["barrier-no-entry-wait", "barrier", "recipe-barrier"],
];

describe("planted recipe bugs are caught within seeds 1..200", () => {
  test.each(PLANTED)("%s (workload %s) is caught by %s", async (bug, workload, checker) => {
    let caught: number | undefined;
    for (let seed = 1; seed <= 200 && caught === undefined; seed++) {
      const run = await runDataWorkload(workload, seed, bug);
      if (run.report.violations.some((v) => v.checker === checker)) caught = seed;
    }
    expect(caught).toBeDefined();
    const sweep = await zabsim(["sweep", "--seeds", `1..${caught}`, "--workload", workload,
      "--bug", bug, "--workers", "1", "--json"]);
    expect(sweep.code).toBe(1);
    const failing = (JSON.parse(sweep.stdout) as {
      failing: { seed: number; violations: { checker: string }[] }[];
    }).failing;
    expect(failing.map((f) => f.seed)).toContain(caught);
    expect(failing.find((f) => f.seed === caught)?.violations.map((v) => v.checker))
      .toContain(checker);
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
