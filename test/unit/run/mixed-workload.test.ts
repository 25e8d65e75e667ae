/**
 * `--workload mixed` (src/run/tasks.ts) deals its clients over every recipe, coordination and
 * data alike. With nine clients one run meets all nine recipes: each leaves its own kind of
 * recipe event (a lock's and a semaphore's acquisitions, a rwlock's, a leader, a member, a
 * configuration adoption, a cache's contents, an enqueued item, a barrier step), and every
 * checker passes. With three clients the deal turns with the seed, so nine consecutive seeds
 * between them run every recipe too.
 */
import { describe, expect, test } from "vitest";
import type { ObservationRecord } from "../../../src/check/index.js";
import { runSeed } from "../../../src/run/index.js";

/** The default run (10 s of the standard faults, 20 s healed), as a default sweep runs it. */
const MIXED = { workload: "mixed" } as const;

/** The recipes a run's recipe events show at work. */
function recipesSeen(records: readonly ObservationRecord[]): Set<string> {
  const seen = new Set<string>();
  for (const { observation: o } of records) {
    if (o.kind !== "recipe") continue;
    const e = o.event;
    // A semaphore's internal lock (/recipes/semaphore/locks) counts as the semaphore.
    if (e.type === "acquired") seen.add(e.lock.split("/")[2] ?? e.lock);
    else if (e.type === "leader") seen.add("election");
    else if (e.type === "joined") seen.add("membership");
    else if (e.type === "config-adopt" || e.type === "config-final") seen.add("config");
    else if (e.type === "cache-content" || e.type === "cache-final") seen.add("cache");
    else if (e.type === "queue-enqueued" || e.type === "queue-processed") seen.add("queue");
    else if (e.type === "barrier") seen.add("barrier");
  }
  return seen;
}

const EVERY = ["barrier", "cache", "config", "election", "lock", "membership", "queue", "rwlock",
  "semaphore"];

describe("the mixed workload", () => {
  test("nine clients run every recipe in one run, and every checker passes", async () => {
    let records: readonly ObservationRecord[] = [];
    const report = await runSeed(1, { ...MIXED, clients: 9 },
      { observationSink: (r) => { records = r; } });
    expect(report.violations).toEqual([]);
    expect([...recipesSeen(records)].sort()).toEqual(EVERY);
  }, 120_000);

  test("with three clients the deal turns with the seed: seeds 1..9 cover every recipe",
    async () => {
      const seen = new Set<string>();
      for (let seed = 1; seed <= 9; seed++) {
        let records: readonly ObservationRecord[] = [];
        const report = await runSeed(seed, { ...MIXED, clients: 3 },
          { observationSink: (r) => { records = r; } });
        expect(report.violations).toEqual([]);
        const here = recipesSeen(records);
        expect(here.size).toBeLessThanOrEqual(3);
        for (const name of here) seen.add(name);
      }
      expect([...seen].sort()).toEqual(EVERY);
    }, 300_000);
});
