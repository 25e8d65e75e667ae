/**
 * The ensemble scenario generator (src/script/generate-ensemble.ts): the same seed and size
 * give the same scenario; every scenario is a valid ensemble file; and the race rules of
 * generate-ensemble-model.ts hold on every one: `stable` right after a stop that leaves a
 * quorum, starts while no quorum runs stop at exactly a quorum before `stable`, every sleep is
 * either short or long enough for an expiry, and over many seeds the situations the generator
 * exists for all occur (leader and follower deaths, whole-ensemble restarts, quorum loss, moves,
 * expiries, sequential creates).
 */
import { describe, expect, it } from "vitest";
import { generateEnsembleScenario } from "../../../src/script/generate-ensemble.js";
import { parseScenarioFile } from "../../../src/script/index.js";

const SEEDS = Array.from({ length: 150 }, (_, index) => index + 1);
type JsonStep = Readonly<Record<string, unknown>>;

/** Walks a scenario's server steps and returns the first broken race rule, if any. */
function raceRuleBroken(servers: number, steps: readonly JsonStep[]): string | undefined {
  const quorum = Math.floor(servers / 2) + 1;
  const running = new Set<number>();
  let leaderless = true;
  for (let i = 0; i < steps.length; i++) {
    const step = steps[i];
    const next = steps[i + 1];
    if (step?.op === "stop") {
      running.delete(Number(step["server"]));
      if (running.size >= quorum && next?.op !== "stable") return `step ${i}: no stable after stop`;
      if (running.size < quorum) leaderless = true;
    } else if (step?.op === "start") {
      running.add(Number(step["server"]));
      if (leaderless && running.size > quorum) return `step ${i}: start past a quorum in a race`;
    } else if (step?.op === "stable" && running.size >= quorum) {
      leaderless = false;
    } else if (step?.op === "sleep") {
      const ms = Number(step["ms"]);
      if (ms > 1500 && ms < 12000) return `step ${i}: a sleep of ${ms} ms may race an expiry`;
    }
  }
  return undefined;
}

describe("generateEnsembleScenario", () => {
  it("gives the same scenario for the same seed and size, others for other seeds", () => {
    const text = (seed: number, servers: number): string =>
      JSON.stringify(generateEnsembleScenario(seed, servers));
    expect(text(9, 3)).toBe(text(9, 3));
    expect(text(9, 3)).not.toBe(text(10, 3));
    expect(text(9, 3)).not.toBe(text(9, 5));
  });

  it.each([3, 5])("always produces a valid ensemble file of %i servers", (servers) => {
    for (const seed of SEEDS) {
      const scenario = generateEnsembleScenario(seed, servers);
      const parsed = parseScenarioFile(JSON.stringify(scenario));
      expect(parsed.ok ? "ok" : `seed ${seed}: ${parsed.error}`).toBe("ok");
      if (!parsed.ok || parsed.file.kind !== "single") continue;
      expect(parsed.file.scenario.servers).toBe(servers);
      expect(scenario.steps.length).toBeGreaterThanOrEqual(24);
      expect(scenario.steps.length).toBeLessThanOrEqual(70);
    }
  });

  it.each([3, 5])("keeps the race rules at %i servers", (servers) => {
    for (const seed of SEEDS) {
      const broken = raceRuleBroken(servers, generateEnsembleScenario(seed, servers).steps);
      expect(broken === undefined ? "ok" : `seed ${seed}: ${broken}`).toBe("ok");
    }
  });

  it("the race-rule checker itself catches each broken rule", () => {
    const start = (server: number): JsonStep => ({ op: "start", server });
    const stop = (server: number): JsonStep => ({ op: "stop", server });
    expect(raceRuleBroken(3, [start(1), start(2), { op: "stable" }, start(3), { op: "stable" },
      stop(3), { s: 0, op: "getData", path: "/" }])).toMatch(/no stable after stop/);
    expect(raceRuleBroken(3, [start(1), start(2), start(3)])).toMatch(/start past a quorum/);
    expect(raceRuleBroken(3, [{ op: "sleep", ms: 6000 }])).toMatch(/may race an expiry/);
  });

  it("covers the situations it exists for over 150 seeds", () => {
    const seen = new Set<string>();
    for (const seed of SEEDS) {
      for (const servers of [3, 5]) {
        const steps = generateEnsembleScenario(seed, servers).steps;
        let running = 0;
        for (const step of steps) {
          if (step.op === "start") running++;
          if (step.op === "stop") {
            running--;
            seen.add(running === 0 ? "whole-ensemble stop" : "stop");
            if (running < Math.floor(servers / 2) + 1) seen.add("quorum loss");
          }
          if (step.op === "sleep" && Number(step["ms"]) >= 12000) seen.add("expiry sleep");
          if (step.op === "move") seen.add("move");
          if (step.op === "openSession") seen.add("openSession");
          if (step.op === "closeSession") seen.add("closeSession");
          if (String(step["mode"]).endsWith("SEQUENTIAL")) seen.add("sequential");
          if (step["watch"] === true) seen.add("watch");
        }
      }
    }
    expect([...seen].sort()).toEqual([
      "closeSession", "expiry sleep", "move", "openSession", "quorum loss", "sequential", "stop",
      "watch", "whole-ensemble stop",
    ]);
  });
});
