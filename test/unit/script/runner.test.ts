/**
 * The script runner (src/run/script.ts) as `zabsim script` uses it: one line per step for a
 * single scenario, one {"id", "results"} line per scenario for a multi-scenario file, a
 * malformed file refused before anything runs, keys that do not apply left out, an absurd fill
 * answered with CONNECTIONLOSS without building it, and generated scenarios run without
 * crashing and identically twice (determinism), with the wall clock and Math.random poisoned.
 */
import { describe, expect, it } from "vitest";
import { runScriptText } from "../../../src/run/script.js";
import { generateScenario } from "../../../src/script/generate.js";

function run(json: unknown): string[] {
  const outcome = runScriptText(JSON.stringify(json));
  if (!outcome.ok) throw new Error(outcome.error);
  return outcome.lines;
}

describe("runScriptText", () => {
  it("prints one result per step for a single scenario, without empty keys", () => {
    const lines = run({ sessions: 1, steps: [
      { op: "sync", s: 0, path: "/" },
      { op: "sleep", ms: 5 },
      { op: "delete", s: 0, path: "/nope", version: -1 },
    ] });
    expect(lines).toEqual(['{"err":"OK"}', '{"err":"OK"}', '{"err":"NONODE"}']);
  });

  it("prints one line per scenario for a multi-scenario file, each on a fresh server", () => {
    const steps = [{ op: "create", s: 0, path: "/a", mode: "PERSISTENT" }];
    const scenario = { sessions: 1, steps };
    const lines = run({ scenarios: [{ id: "one", ...scenario }, { id: "two", ...scenario }] });
    expect(lines).toHaveLength(2);
    const parsed = lines.map((line) => JSON.parse(line) as { id: string; results: unknown[] });
    expect(parsed.map((line) => line.id)).toEqual(["one", "two"]);
    expect(parsed[0]?.results).toEqual(parsed[1]?.results);
    expect(parsed[0]?.results[0]).toMatchObject({ err: "OK", path: "/a", stat: { czxid: 2 } });
  });

  it("refuses a malformed file with one line and runs nothing", () => {
    const outcome = runScriptText(JSON.stringify({ sessions: 1, steps: [{ op: "nope" }] }));
    expect(outcome).toEqual({ ok: false, error: expect.stringMatching(/^step 0: unknown op/) });
  });

  it("answers a fill far beyond jute.maxbuffer with CONNECTIONLOSS and no zxid", () => {
    const huge = { fill: "x", length: 2 ** 31 - 1 };
    const lines = run({ sessions: 1, steps: [
      { op: "create", s: 0, path: "/h", mode: "PERSISTENT", data: huge },
      { op: "create", s: 0, path: "/h", mode: "PERSISTENT" },
    ] });
    expect(JSON.parse(lines[0] ?? "")).toEqual({ err: "CONNECTIONLOSS", reconnected: true });
    expect(JSON.parse(lines[1] ?? "")).toMatchObject({ stat: { czxid: 2 } });
  });

  it("never reads the wall clock or Math.random (poisoned globals)", () => {
    const saved = { random: Math.random, now: Date.now };
    const poison = (): never => {
      throw new Error("simulated code read a wall clock or OS randomness");
    };
    Math.random = poison;
    Date.now = poison;
    try {
      const text = JSON.stringify(generateScenario(7));
      expect(runScriptText(text).ok).toBe(true);
    } finally {
      Math.random = saved.random;
      Date.now = saved.now;
    }
  });

  it("runs generated scenarios without crashing, identically twice", () => {
    for (let seed = 1; seed <= 30; seed++) {
      const text = JSON.stringify(generateScenario(seed));
      const first = runScriptText(text);
      expect(first.ok).toBe(true);
      expect(runScriptText(text)).toEqual(first);
    }
  });
});
