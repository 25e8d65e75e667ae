/**
 * Reach (issue 19): a sweep with each option set reaches every mark registered for it
 * (src/run/marks.ts) within 200 seeds, stopping as soon as all are reached. A rare branch that
 * no seed reaches fails here instead of hiding behind a clean sweep. The default set (swarm
 * worlds: each seed draws its own, run/swarm.ts) must reach every mark registered for it,
 * those of the sets the swarm draws (torn writes, the zxid rollover) included; each further
 * option set (a fault mix, observers, a planted bug) must reach the marks that name it. The
 * sweeps pass the options as given, never resolved: a resolved record gives every field, and a
 * given field is never drawn.
 */
import { describe, expect, it } from "vitest";
import type { MarkOptionSet, RunOptionsInput } from "../src/run/index.js";
import {
  CoverageCount, MARKS, markOptionSets, marksFor, resolveRunOptions, runSimulation,
} from "../src/run/index.js";
import { mark, marksReached } from "../src/util/index.js";

const SEEDS_MAX = 200;

/** Sweeps seeds 1.. until `wanted` are all reached; the marks still unreached past SEEDS_MAX. */
function sweepUntilReached(options: RunOptionsInput, wanted: readonly string[]): {
  unreached: string[]; seeds: number;
} {
  const coverage = new CoverageCount(options);
  let seed = 1;
  const missing = (): string[] => wanted.filter((name) => coverage.counts()[name] === 0);
  for (; seed <= SEEDS_MAX && missing().length > 0; seed++) {
    coverage.record(() => runSimulation(seed, options));
  }
  return { unreached: missing(), seeds: seed - 1 };
}

/** The marks whose reach is exactly this option set. */
const marksOfSet = (set: MarkOptionSet): string[] => MARKS.filter((def) =>
  def.reach.by === "options" && def.reach.set.flags.join(" ") === set.flags.join(" "))
  .map((def) => def.name);

describe("a sweep reaches every mark registered for its options", () => {
  it("the default options: every default mark within 200 seeds", () => {
    const wanted = marksFor({});
    expect(wanted.length).toBeGreaterThan(30);
    // The swarm draws torn writes and the rollover knob for some seeds: their marks are wanted.
    expect(wanted).toContain("leader: zxid counter rolled over");
    expect(wanted).toContain("recovery: torn last record ignored");
    expect(marksFor({ swarm: false })).not.toContain("leader: zxid counter rolled over");
    expect(sweepUntilReached({}, wanted).unreached).toEqual([]);
  }, 120_000);

  for (const set of markOptionSets()) {
    it(`${set.flags.join(" ")}: the marks it reaches within 200 seeds`, () => {
      const wanted = marksOfSet(set);
      expect(wanted.length).toBeGreaterThan(0);
      expect(marksFor(set.input)).toEqual(expect.arrayContaining(wanted));
      expect(sweepUntilReached(set.input, wanted).unreached).toEqual([]);
    }, 120_000);
  }
});

describe("coverage counting", () => {
  it("counts each run on its own: a mark reached outside a run is not counted", () => {
    const options = resolveRunOptions({ durationMs: 500, livenessMs: 2_000 });
    const coverage = new CoverageCount(options);
    const name = "election: finalized after finalizeWait";
    mark(name); // outside any recording: counted nowhere
    coverage.record(() => runSimulation(1, options));
    coverage.record(() => runSimulation(1, options));
    expect(coverage.counts()[name]).toBe(2);
    coverage.record(() => undefined);
    expect(coverage.counts()[name]).toBe(2);
  });

  it("a nested recording also reports to the enclosing one", () => {
    const outer = marksReached(() => marksReached(() => mark("x: inner")).reached);
    expect(outer.value.has("x: inner")).toBe(true);
    expect(outer.reached.has("x: inner")).toBe(true);
    expect(marksReached(() => undefined).reached.size).toBe(0);
  });

  it("registers nothing for a run without faults, and unreached marks show as 0", () => {
    expect(marksFor(resolveRunOptions({ faults: "none" }))).toEqual([]);
    const options = resolveRunOptions({ durationMs: 200, livenessMs: 1_000 });
    const coverage = new CoverageCount(options);
    coverage.record(() => runSimulation(1, options));
    expect(coverage.unreached()).toContain("leader: session expired");
    expect(coverage.counts()["leader: session expired"]).toBe(0);
  });
});
