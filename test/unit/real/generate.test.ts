/**
 * The seeded scenario generator (src/script/generate.ts): the same seed gives the same scenario,
 * every scenario is a valid file for the parser (so zk-diff never feeds a server a malformed
 * step), lengths stay in the promised range, and over a few hundred seeds the corners it exists
 * for all show up: every create mode and step op, invalid paths, requests on both sides of the
 * 1 MiB limit, and timed scenarios whose sleeps never end on a container-check instant.
 */
import { describe, expect, it } from "vitest";
import { generateScenario } from "../../../src/script/generate.js";
import { CREATE_MODES, STEP_OPS, parseScenarioFile } from "../../../src/script/index.js";

const SEEDS = Array.from({ length: 300 }, (_, index) => index + 1);

describe("generateScenario", () => {
  it("gives the same scenario for the same seed and different ones for different seeds", () => {
    expect(JSON.stringify(generateScenario(17))).toBe(JSON.stringify(generateScenario(17)));
    expect(JSON.stringify(generateScenario(17))).not.toBe(JSON.stringify(generateScenario(18)));
  });

  it("always produces a file the parser accepts, with 20..60 steps besides safety sleeps", () => {
    for (const seed of SEEDS) {
      const scenario = generateScenario(seed);
      const parsed = parseScenarioFile(JSON.stringify(scenario));
      expect(parsed.ok ? "ok" : `seed ${seed}: ${parsed.error}`).toBe("ok");
      const busy = scenario.steps.filter((step) => step.op !== "sleep").length;
      expect(scenario.steps.length).toBeGreaterThanOrEqual(20);
      expect(busy).toBeLessThanOrEqual(60);
    }
  });

  it("reaches every create mode, every step op, bad paths and the request size limit", () => {
    const modes = new Set<unknown>();
    const ops = new Set<unknown>();
    const paths = new Set<unknown>();
    const lengths: number[] = [];
    for (const seed of SEEDS) {
      for (const step of generateScenario(seed).steps) {
        ops.add(step["op"]);
        const inner = Array.isArray(step["ops"]) ? (step["ops"] as Record<string, unknown>[]) : [];
        for (const op of [step, ...inner]) {
          if (op["mode"] !== undefined) modes.add(op["mode"]);
          paths.add(op["path"]);
          const data = op["data"] as { length?: number } | undefined;
          if (typeof data === "object" && data !== null && data.length !== undefined) {
            lengths.push(data.length);
          }
        }
      }
    }
    expect([...modes].sort()).toEqual([...CREATE_MODES].sort());
    expect([...ops].sort()).toEqual([...STEP_OPS].sort());
    for (const bad of ["", "/a/", "//a", "/zookeeper"]) expect(paths.has(bad)).toBe(true);
    expect(lengths.some((length) => length > 1048500)).toBe(true);
  });

  it("keeps timed scenarios' sleeps off the container manager's check instants", () => {
    let timed = 0;
    for (const seed of SEEDS) {
      const scenario = generateScenario(seed);
      const interval = scenario.server?.containerCheckIntervalMs;
      if (interval === undefined) continue;
      timed++;
      let now = 0;
      for (const step of scenario.steps) {
        if (step.op !== "sleep") continue;
        now += step["ms"] as number;
        expect(now % interval).not.toBe(0);
      }
    }
    expect(timed).toBeGreaterThan(30);
  });
});
