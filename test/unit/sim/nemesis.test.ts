/**
 * The nemesis plan over seeds and cluster sizes: it is a pure function of the seed; the standard
 * mix never has more than a minority of voters (nor more than crashMax servers) down at once,
 * every crash is followed by a restart, faults other than restarts and partition heals start
 * inside [startMicros, untilMicros), clogs name a non-empty set on each side, and corruption
 * appears only when opted in.
 */
import { describe, expect } from "vitest";
import { fc, test } from "@fast-check/vitest";
import { Prng } from "../../../src/util/prng.js";
import { planFaults } from "../../../src/sim/nemesis.js";
import { defaultSimOptions, minorityOf } from "../../../src/sim/options.js";
import type { NemesisOptions } from "../../../src/sim/options.js";
import type { Topology } from "../../../src/sim/validate.js";

const seedArb = fc.integer({ min: 0, max: 2 ** 40 });
const shapeArb = fc.record({
  voters: fc.integer({ min: 1, max: 7 }),
  observers: fc.integer({ min: 0, max: 2 }),
});
const crashMaxArb = fc.option(fc.integer({ min: 0, max: 3 }), { nil: null });

function topology(voters: number, observers: number): Topology {
  const v = Array.from({ length: voters }, (_, i) => i + 1);
  const o = Array.from({ length: observers }, (_, i) => voters + i + 1);
  return { voters: v, servers: [...v, ...o], nodes: [...v, ...o, 100] };
}

function options(overrides: Partial<NemesisOptions>): NemesisOptions {
  return { ...defaultSimOptions().nemesis, mix: "standard", faultsPerSecond: 20, ...overrides };
}

describe("nemesis plan", () => {
  test.prop([seedArb, shapeArb])("is a pure function of the seed", (seed, shape) => {
    const t = topology(shape.voters, shape.observers);
    const a = planFaults(options({}), t, new Prng(seed, "nemesis"));
    const b = planFaults(options({}), t, new Prng(seed, "nemesis"));
    expect(b).toEqual(a);
  });

  test.prop([seedArb, shapeArb, crashMaxArb, fc.boolean()])(
    "keeps a majority of voters up and every crash ends in a restart",
    (seed, shape, crashMax, corruptSynced) => {
      const t = topology(shape.voters, shape.observers);
      const limit = minorityOf(shape.voters);
      // crashMax may exceed a minority here (validation would refuse it): the planner must still
      // keep a majority of voters up.
      const cap = crashMax === null ? limit : crashMax;
      const o = options({ crashMax, corruptSynced });
      const plan = planFaults(o, t, new Prng(seed, "nemesis"));
      const down = new Set<number>();
      for (const { atMicros, fault } of plan) {
        if (fault.kind === "crash") {
          expect(down.has(fault.node)).toBe(false);
          down.add(fault.node);
          const votersDown = [...down].filter((n) => t.voters.includes(n)).length;
          expect(votersDown).toBeLessThanOrEqual(limit);
          expect(down.size).toBeLessThanOrEqual(cap);
          expect(atMicros).toBeGreaterThanOrEqual(o.startMicros);
          expect(atMicros).toBeLessThan(o.untilMicros);
        } else if (fault.kind === "restart") {
          expect(down.delete(fault.node)).toBe(true);
        } else if (fault.kind === "corrupt") {
          expect(corruptSynced).toBe(true);
        }
        if (fault.kind !== "restart" && fault.kind !== "heal-partitions") {
          expect(atMicros >= o.startMicros && atMicros < o.untilMicros).toBe(true);
        }
        if (fault.kind === "clog" || fault.kind === "partition") {
          expect(fault.from.length > 0 && fault.to.length > 0).toBe(true);
        }
      }
      expect(down.size).toBe(0);
      for (let i = 1; i < plan.length; i++) {
        expect((plan[i]?.atMicros ?? 0) >= (plan[i - 1]?.atMicros ?? 0)).toBe(true);
      }
    },
  );

  test.prop([seedArb])("draws nothing for the mix none but keeps the schedule and heal", (seed) => {
    const schedule = [{ atMicros: 5, fault: { kind: "unclog" } as const }];
    const plan = planFaults(
      options({ mix: "none", schedule, healAtMicros: 10 }), topology(3, 0), new Prng(seed, "n"),
    );
    expect(plan).toEqual([schedule[0], { atMicros: 10, fault: { kind: "heal" } }]);
  });
});
