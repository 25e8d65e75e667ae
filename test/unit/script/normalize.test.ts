/**
 * Zxid normalization and result comparison: stat zxids become dense ranks over the scenario
 * (0 kept), so runs that consume zxids differently but agree on order compare equal; a change
 * of order or of any other field is reported at the first differing step. Event order across
 * sessions is ignored, and for closeSession and sleep steps events form a multiset per path.
 */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import {
  compareResults,
  normalizeZxids,
  parseScenarioFile,
  type Scenario,
  type StatResult,
  type StepResult,
} from "../../../src/script/index.js";

function stat(czxid: number, mzxid: number, pzxid: number): StatResult {
  return {
    czxid, mzxid, pzxid, version: 0, cversion: 0, aversion: 0,
    ephemeralOwner: 0, dataLength: 0, numChildren: 0,
  };
}

function scenarioOf(ops: string[]): Scenario {
  const steps = ops.map((op) => (op === "sleep" ? { op, ms: 1 } : { op, s: 0, path: "/" }));
  const outcome = parseScenarioFile(JSON.stringify({ sessions: 1, steps }));
  if (!outcome.ok || outcome.file.kind !== "single") throw new Error("bad fixture");
  return outcome.file.scenario;
}

describe("normalizeZxids", () => {
  it("ranks distinct non-zero zxids densely across step and multi stats, keeping 0", () => {
    const results: StepResult[] = [
      { err: "OK", stat: stat(0, 0, 40) },
      { err: "OK", results: [{ type: "setData", err: "OK", stat: stat(7, 40, 7) }] },
      { err: "OK", stat: stat(7, 90, 7) },
    ];
    const normalized = normalizeZxids(results);
    expect(normalized[0]?.stat).toEqual(stat(0, 0, 2));
    const entry = normalized[1]?.results?.[0];
    expect(entry).toEqual({ type: "setData", err: "OK", stat: stat(1, 2, 1) });
    expect(normalized[2]?.stat).toEqual(stat(1, 3, 1));
  });

  it("is invariant under any order-preserving renumbering of zxids", () => {
    fc.assert(fc.property(
      fc.array(fc.tuple(fc.nat(50), fc.nat(50), fc.nat(50)), { maxLength: 8 }),
      fc.integer({ min: 1, max: 1000 }),
      (triples, gap) => {
        const scale = (z: number): number => (z === 0 ? 0 : z * gap + 4);
        const a = triples.map(([c, m, p]) => ({ err: "OK", stat: stat(c, m, p) }));
        const b = triples.map(([c, m, p]) => ({
          err: "OK", stat: stat(scale(c), scale(m), scale(p)),
        }));
        expect(normalizeZxids(b)).toEqual(normalizeZxids(a));
      },
    ));
  });
});

describe("compareResults", () => {
  it("accepts equal results under different raw zxids and key orders", () => {
    const scenario = scenarioOf(["exists", "exists"]);
    const a: StepResult[] = [{ err: "OK", stat: stat(3, 3, 3) }, { err: "NONODE" }];
    const b: StepResult[] = [{ stat: stat(9, 9, 9), err: "OK" }, { err: "NONODE" }];
    expect(compareResults(scenario, a, b)).toEqual({ equal: true });
  });

  it("reports the first differing step", () => {
    const scenario = scenarioOf(["exists", "exists", "exists"]);
    const a: StepResult[] = [{ err: "OK" }, { err: "NONODE" }, { err: "OK" }];
    const b: StepResult[] = [{ err: "OK" }, { err: "OK" }, { err: "NONODE" }];
    const comparison = compareResults(scenario, a, b);
    expect(comparison.equal).toBe(false);
    if (!comparison.equal) expect(comparison.step).toBe(1);
    expect(compareResults(scenario, a, a.slice(0, 2))).toMatchObject({ equal: false, step: 2 });
  });

  it("ignores event order across sessions but not within one session", () => {
    const scenario = scenarioOf(["exists"]);
    const e0a = { s: 0, type: "NodeDeleted", path: "/a" } as const;
    const e0b = { s: 0, type: "NodeChildrenChanged", path: "/" } as const;
    const e1 = { s: 1, type: "NodeDeleted", path: "/a" } as const;
    const base: StepResult[] = [{ err: "OK", events: [e0a, e0b, e1] }];
    const acrossSessions: StepResult[] = [{ err: "OK", events: [e1, e0a, e0b] }];
    const withinSession: StepResult[] = [{ err: "OK", events: [e0b, e0a, e1] }];
    expect(compareResults(scenario, base, acrossSessions).equal).toBe(true);
    expect(compareResults(scenario, base, withinSession).equal).toBe(false);
  });

  it("treats closeSession and sleep events for different paths as a multiset", () => {
    const x = { s: 0, type: "NodeDeleted", path: "/x" } as const;
    const y = { s: 0, type: "NodeDeleted", path: "/y" } as const;
    const a: StepResult[] = [{ err: "OK", events: [x, y] }];
    const b: StepResult[] = [{ err: "OK", events: [y, x] }];
    expect(compareResults(scenarioOf(["sleep"]), a, b).equal).toBe(true);
    expect(compareResults(scenarioOf(["exists"]), a, b).equal).toBe(false);
  });
});
