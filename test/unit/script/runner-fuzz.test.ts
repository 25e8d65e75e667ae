/**
 * Robustness of the runner against arbitrary (but well-formed) scenarios: random steps over a
 * few colliding paths, odd path strings, every create mode, random versions and ttls, fills
 * around the request limit, multis, session churn and sleeps. Whatever ZooKeeper would answer,
 * the runner must answer with one result per step, each with an `err`, never throw (an
 * assertion would be a bug in zabsim, not a bad request), and give the same lines twice.
 */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { runScriptText } from "../../../src/run/script.js";
import { CREATE_MODES } from "../../../src/script/index.js";

const path = fc.constantFrom(
  "/a", "/a/b", "/a/b/c", "/c", "/", "", "a", "/a/", "//a", "/a/.", "/zookeeper",
  "/zookeeper/quota", "/a\u0000", "/\ud800", "/\u00e9",
);
const data = fc.oneof(
  fc.constant(null), fc.string({ maxLength: 5 }),
  fc.record({ fill: fc.constant("x"), length: fc.integer({ min: 1048400, max: 1048700 }) }),
);
const int32 = fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 });
const version = fc.oneof(fc.constantFrom(-1, 0, 1, 2), int32);
const ttl = fc.option(fc.integer({ min: -2, max: 2000 }), { nil: undefined });
const mode = fc.constantFrom(...CREATE_MODES);
const create = fc.record(
  { op: fc.constant("create"), path, data, mode, ttl },
  { requiredKeys: ["op", "path", "mode"] },
);
const op = fc.oneof(
  create,
  fc.record({ op: fc.constant("delete"), path, version }),
  fc.record({ op: fc.constant("setData"), path, data, version }),
  fc.record({ op: fc.constant("check"), path, version }),
);
const slot = fc.integer({ min: 0, max: 2 });
const bound = fc.oneof(
  create,
  fc.record({ op: fc.constant("delete"), path, version }),
  fc.record({ op: fc.constant("setData"), path, data, version }),
  fc.record({ op: fc.constantFrom("getData", "exists", "getChildren"), path, watch: fc.boolean() }),
  fc.record({ op: fc.constant("sync"), path }),
  fc.record({ op: fc.constant("multi"), ops: fc.array(op, { maxLength: 4 }) }),
  fc.record({ op: fc.constant("session") }),
);
const step = fc.oneof(
  { weight: 9, arbitrary: fc.tuple(bound, slot).map(([s, n]) => ({ ...s, s: n })) },
  {
    weight: 1,
    arbitrary: fc.record({ op: fc.constant("sleep"), ms: fc.integer({ min: 0, max: 300 }) }),
  },
);

/** Turns "session" placeholders into closeSession/openSession, keeping the slot rules. */
function legal(steps: Array<Record<string, unknown>>): Array<Record<string, unknown>> {
  const live = [true, true, true];
  return steps.map((s) => {
    if (s["op"] === "sleep") return s;
    const n = s["s"] as number;
    if (s["op"] === "session") {
      live[n] = !live[n];
      return { op: live[n] ? "openSession" : "closeSession", s: n };
    }
    if (live[n] === true) return s;
    // A step on a closed slot would be refused by the parser: reopen the slot instead.
    live[n] = true;
    return { op: "openSession", s: n };
  });
}

describe("runScriptText on random scenarios", () => {
  it("answers every step, never throws, and is deterministic", () => {
    fc.assert(fc.property(fc.array(step, { maxLength: 25 }), (raw) => {
      const scenario = { sessions: 3, server: { containerCheckIntervalMs: 50 }, steps: legal(raw) };
      const text = JSON.stringify(scenario);
      const first = runScriptText(text);
      if (!first.ok) throw new Error(first.error);
      expect(first.lines).toHaveLength(scenario.steps.length);
      for (const line of first.lines) expect(JSON.parse(line)).toHaveProperty("err");
      expect(runScriptText(text)).toEqual(first);
    }), { numRuns: 300 });
  });
});
