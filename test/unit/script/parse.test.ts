/**
 * The scenario parser: every malformed-file case the spec lists is rejected with one line that
 * names the scenario and the step, and well-formed files parse into the typed steps (absent
 * optional fields become their documented defaults; unnamed fields are ignored).
 */
import { describe, expect, it } from "vitest";
import { parseScenarioFile } from "../../../src/script/index.js";

function errorOf(json: unknown): string {
  const outcome = parseScenarioFile(typeof json === "string" ? json : JSON.stringify(json));
  if (outcome.ok) throw new Error("expected a parse error");
  return outcome.error;
}

function single(steps: unknown[], sessions = 2): unknown {
  return { sessions, steps };
}

describe("parseScenarioFile rejects malformed files", () => {
  it("rejects text that is not JSON", () => {
    expect(errorOf("{ nope")).toMatch(/^not JSON/);
  });

  it("rejects a file that is not an object", () => {
    expect(errorOf("[1]")).toMatch(/must hold an object/);
  });

  it("names the step of an unknown op", () => {
    const error = errorOf(single([{ op: "sleep", ms: 1 }, { op: "crate", s: 0, path: "/a" }]));
    expect(error).toMatch(/^step 1: unknown op "crate"/);
  });

  it("names the step of an unknown mode", () => {
    const error = errorOf(single([{ op: "create", s: 0, path: "/a", mode: "EPHEMERAL_TTL" }]));
    expect(error).toMatch(/^step 0: unknown mode "EPHEMERAL_TTL"/);
  });

  it("rejects a missing required field", () => {
    expect(errorOf(single([{ op: "delete", s: 0, path: "/a" }]))).toMatch(
      /^step 0: missing required field "version"/,
    );
    expect(errorOf({ steps: [] })).toMatch(/missing required field "sessions"/);
    expect(errorOf({ sessions: 1 })).toMatch(/missing required field "steps"/);
  });

  it("rejects a field of the wrong JSON type", () => {
    expect(errorOf(single([{ op: "getData", s: 0, path: "/a", watch: "yes" }]))).toMatch(
      /^step 0: field "watch" must be true or false, got a string/,
    );
    expect(errorOf(single([{ op: "setData", s: 0, path: 5, version: 0 }]))).toMatch(
      /field "path" must be a string, got an integer/,
    );
    expect(errorOf(single([{ op: "setData", s: 0, path: "/a", data: 5, version: 0 }]))).toMatch(
      /field "data"/,
    );
    expect(errorOf(single([{ op: "setData", s: 0, path: "/a", version: 1.5 }]))).toMatch(
      /field "version" must be an integer/,
    );
    expect(errorOf(single([{ op: "setData", s: 0, path: "/a", version: 2 ** 31 }]))).toMatch(
      /field "version" must be an integer from -2147483648 to 2147483647/,
    );
    expect(errorOf(single([{ op: "create", s: 0, path: "/a", mode: "PERSISTENT", ttl: "1" }])))
      .toMatch(/field "ttl" must be an integer/);
  });

  it("rejects a slot outside 0..sessions-1", () => {
    expect(errorOf(single([{ op: "exists", s: 2, path: "/" }]))).toMatch(
      /^step 0: slot 2 is outside the session slots \(0\.\.1\)/,
    );
    expect(errorOf(single([{ op: "exists", s: -1, path: "/" }]))).toMatch(/slot -1 is outside/);
  });

  it("rejects a step on a closed slot and openSession on a live one", () => {
    const closed = [{ op: "closeSession", s: 1 }, { op: "exists", s: 1, path: "/" }];
    expect(errorOf(single(closed))).toMatch(/^step 1: exists on slot 1, whose session is closed/);
    expect(errorOf(single([{ op: "openSession", s: 0 }]))).toMatch(
      /^step 0: openSession on slot 0, whose session is live/,
    );
    const twice = [{ op: "closeSession", s: 0 }, { op: "closeSession", s: 0 }];
    expect(errorOf(single(twice))).toMatch(/^step 1: closeSession on slot 0/);
  });

  it("names the multi op that is malformed", () => {
    const ops = [{ op: "check", path: "/a", version: 0 }, { op: "getData", path: "/a" }];
    expect(errorOf(single([{ op: "multi", s: 0, ops }]))).toMatch(/^step 0: ops\[1\]: unknown op/);
  });

  it("names the scenario of a multi-scenario file by index and id", () => {
    const file = {
      scenarios: [
        { id: "good", sessions: 1, steps: [] },
        { id: "bad", sessions: 1, steps: [{ op: "sleep" }] },
      ],
    };
    expect(errorOf(file)).toBe('scenario 1 ("bad"), step 0: missing required field "ms"');
    expect(errorOf({ scenarios: [{ sessions: 1, steps: [] }] })).toMatch(
      /^scenario 0: missing required field "id"/,
    );
  });

  it("rejects a fill that is not one ASCII character", () => {
    const data = { fill: "xy", length: 3 };
    const step = { op: "create", s: 0, path: "/a", mode: "PERSISTENT", data };
    expect(errorOf(single([step]))).toMatch(/field "fill" must be one ASCII character/);
  });
});

describe("parseScenarioFile accepts well-formed files", () => {
  it("parses steps with defaults and ignores unnamed fields", () => {
    const outcome = parseScenarioFile(JSON.stringify({
      sessions: 2,
      comment: "ignored",
      steps: [
        { op: "create", s: 0, path: "/a", mode: "PERSISTENT", note: "ignored" },
        { op: "getData", s: 1, path: "/a" },
        { op: "closeSession", s: 1 },
        { op: "openSession", s: 1 },
        { op: "sleep", ms: 10 },
      ],
    }));
    expect(outcome.ok).toBe(true);
    if (!outcome.ok || outcome.file.kind !== "single") return;
    const scenario = outcome.file.scenario;
    expect(scenario.server.containerCheckIntervalMs).toBe(60000);
    expect(scenario.steps[0]).toEqual({
      op: "create", s: 0, path: "/a", data: null, mode: "PERSISTENT", ttl: undefined,
    });
    expect(scenario.steps[1]).toEqual({ op: "getData", s: 1, path: "/a", watch: false });
    expect(scenario.steps[4]).toEqual({ op: "sleep", ms: 10 });
  });

  it("reads null as absent for the optional ttl, watch and server", () => {
    const outcome = parseScenarioFile(JSON.stringify({ sessions: 1, server: null, steps: [
      { op: "create", s: 0, path: "/a", mode: "PERSISTENT", ttl: null },
      { op: "exists", s: 0, path: "/a", watch: null },
    ] }));
    expect(outcome.ok).toBe(true);
    if (!outcome.ok || outcome.file.kind !== "single") return;
    expect(outcome.file.scenario.steps[0]).toMatchObject({ ttl: undefined });
    expect(outcome.file.scenario.steps[1]).toMatchObject({ watch: false });
  });

  it("ignores a leading byte-order mark", () => {
    expect(parseScenarioFile(`\uFEFF${JSON.stringify(single([]))}`).ok).toBe(true);
  });

  it("parses a multi-scenario file with server options", () => {
    const outcome = parseScenarioFile(JSON.stringify({
      scenarios: [{ id: "x", sessions: 0, server: { containerCheckIntervalMs: 200 }, steps: [] }],
    }));
    expect(outcome.ok).toBe(true);
    if (!outcome.ok || outcome.file.kind !== "multi") return;
    expect(outcome.file.scenarios[0]?.server.containerCheckIntervalMs).toBe(200);
    expect(outcome.file.scenarios[0]?.id).toBe("x");
  });

  it("accepts paths, versions and ttls ZooKeeper will refuse: the server judges them", () => {
    const outcome = parseScenarioFile(JSON.stringify(single([
      { op: "create", s: 0, path: "no-slash", mode: "PERSISTENT_WITH_TTL", ttl: -5 },
      { op: "delete", s: 0, path: "/zookeeper", version: -7 },
    ])));
    expect(outcome.ok).toBe(true);
  });
});
