/**
 * The ensemble form of the scenario format (script-format.md, "Ensembles"): a file with
 * `servers` accepts start, stop, stable, openSession on a server and move, with its slots all
 * closed at the start; every malformed case the spec lists is one line naming the step; and a
 * file without `servers` parses exactly as before (the ensemble ops are unknown there).
 */
import { describe, expect, it } from "vitest";
import { parseScenarioFile } from "../../../src/script/index.js";
import type { Scenario } from "../../../src/script/index.js";

function errorOf(json: unknown): string {
  const outcome = parseScenarioFile(JSON.stringify(json));
  if (outcome.ok) throw new Error("expected a parse error");
  return outcome.error;
}

function scenarioOf(json: unknown): Scenario {
  const outcome = parseScenarioFile(JSON.stringify(json));
  if (!outcome.ok) throw new Error(outcome.error);
  if (outcome.file.kind !== "single") throw new Error("expected one scenario");
  return outcome.file.scenario;
}

function ensemble(steps: unknown[], servers = 3, sessions = 2): unknown {
  return { servers, sessions, steps };
}

const UP = [{ op: "start", server: 1 }, { op: "start", server: 2 }, { op: "stable" }];

describe("ensemble files parse into typed steps", () => {
  it("reads the spec's example", () => {
    const scenario = scenarioOf(ensemble([
      ...UP,
      { s: 0, op: "openSession", server: 2 },
      { s: 0, op: "create", path: "/e", mode: "EPHEMERAL" },
      { s: 0, op: "move", server: 1 },
      { op: "stop", server: 2 },
      { op: "stable" },
    ]));
    expect(scenario.servers).toBe(3);
    expect(scenario.steps.map((step) => step.op)).toEqual([
      "start", "start", "stable", "openSession", "create", "move", "stop", "stable",
    ]);
    expect(scenario.steps[3]).toEqual({ op: "openSession", s: 0, server: 2 });
    expect(scenario.steps[5]).toEqual({ op: "move", s: 0, server: 1 });
    expect(scenario.steps[6]).toEqual({ op: "stop", server: 2 });
  });

  it("lets a server start again after a stop, and a slot open again after closeSession", () => {
    const scenario = scenarioOf(ensemble([
      ...UP,
      { op: "stop", server: 1 },
      { op: "start", server: 1 },
      { s: 1, op: "openSession", server: 1 },
      { s: 1, op: "closeSession" },
      { s: 1, op: "openSession", server: 2 },
    ]));
    expect(scenario.steps).toHaveLength(8);
  });

  it("accepts openSession on a slot the file thinks live (the run may have closed it)", () => {
    const scenario = scenarioOf(ensemble([
      ...UP,
      { s: 0, op: "openSession", server: 1 },
      { s: 0, op: "openSession", server: 2 },
    ]));
    expect(scenario.steps[4]).toEqual({ op: "openSession", s: 0, server: 2 });
  });

  it("leaves a file without servers exactly as before: no servers, openSession without one", () => {
    const scenario = scenarioOf({ sessions: 1, steps: [
      { s: 0, op: "closeSession" }, { s: 0, op: "openSession", server: 9 },
    ] });
    expect(scenario.servers).toBeUndefined();
    expect(scenario.steps[1]).toEqual({ op: "openSession", s: 0, server: undefined });
  });
});

describe("malformed ensemble files: one line naming the step", () => {
  it("rejects servers outside 1..7", () => {
    expect(errorOf(ensemble([], 0))).toMatch(/field "servers" must be an integer from 1 to 7/);
    expect(errorOf(ensemble([], 8))).toMatch(/from 1 to 7, got 8/);
    expect(errorOf({ servers: "3", sessions: 1, steps: [] })).toMatch(/"servers" must be an int/);
  });

  it("rejects a server id outside 1..N", () => {
    expect(errorOf(ensemble([{ op: "start", server: 4 }]))).toBe(
      "step 0: server 4 is outside the ensemble's servers (1..3)");
    expect(errorOf(ensemble([...UP, { s: 0, op: "openSession", server: 0 }]))).toBe(
      "step 3: server 0 is outside the ensemble's servers (1..3)");
    expect(errorOf(ensemble([...UP, { s: 0, op: "openSession", server: 1 },
      { s: 0, op: "move", server: 5 }]))).toMatch(/^step 4: server 5 is outside/);
  });

  it("rejects start of a running server and stop of a stopped one", () => {
    expect(errorOf(ensemble([{ op: "start", server: 1 }, { op: "start", server: 1 }]))).toBe(
      "step 1: start of server 1, which is already running");
    expect(errorOf(ensemble([{ op: "stop", server: 2 }]))).toBe(
      "step 0: stop of server 2, which is not running");
    expect(errorOf(ensemble([...UP, { op: "stop", server: 2 }, { op: "stop", server: 2 }])))
      .toBe("step 4: stop of server 2, which is not running");
  });

  it("rejects openSession without a server", () => {
    expect(errorOf(ensemble([...UP, { s: 0, op: "openSession" }]))).toBe(
      'step 3: missing required field "server"');
  });

  it("rejects move on a slot never opened, or closed by the file", () => {
    expect(errorOf(ensemble([...UP, { s: 1, op: "move", server: 1 }]))).toBe(
      "step 3: move on slot 1, which was never opened");
    expect(errorOf(ensemble([...UP, { s: 1, op: "openSession", server: 1 },
      { s: 1, op: "closeSession" }, { s: 1, op: "move", server: 2 }]))).toBe(
      "step 5: move on slot 1, whose session is closed");
  });

  it("starts every slot closed: a request before openSession is rejected", () => {
    expect(errorOf(ensemble([...UP, { s: 0, op: "getData", path: "/" }]))).toBe(
      "step 3: getData on slot 0, whose session is closed");
  });

  it("keeps the ensemble ops out of files without servers", () => {
    expect(errorOf({ sessions: 1, steps: [{ op: "stable" }] })).toMatch(
      /^step 0: unknown op "stable"/);
    expect(errorOf({ sessions: 1, steps: [{ s: 0, op: "move", server: 1 }] })).toMatch(
      /^step 0: unknown op "move"/);
  });

  it("names the scenario in a multi-scenario file", () => {
    const file = { scenarios: [{ id: "x", ...ensemble([{ op: "stop", server: 1 }]) as object }] };
    expect(errorOf(file)).toBe(
      'scenario 0 ("x"), step 0: stop of server 1, which is not running');
  });
});
