/**
 * The linearizability checker's own znode model (src/check/linear/models/znode.ts) against the
 * tree it judges (src/tree, prep then apply, as a standalone server would): on random sequences
 * of create, delete, setData, getData and exists over a few nested paths, both give the same
 * error code, and on success the same data and versions. The model is written separately, so a
 * bug in either shows up here rather than being hidden by sharing code (shared/style.md rule 1).
 */
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { applyZnode, checkLinearizable, znodeModel } from "../../../src/check/linear/index.js";
import type { ZnodeInput, ZnodeOutput, ZnodeState } from "../../../src/check/linear/index.js";
import { utf8Bytes } from "../../../src/tree/index.js";
import { create, Harness } from "../tree/helpers.js";

const PATHS = ["/a", "/a/b", "/a/b/c", "/c"];

const input: fc.Arbitrary<ZnodeInput> = fc.oneof(
  fc.record({ f: fc.constant("create" as const), path: fc.constantFrom(...PATHS),
    data: fc.constantFrom("", "x", "y") }),
  fc.record({ f: fc.constant("delete" as const), path: fc.constantFrom(...PATHS),
    version: fc.integer({ min: -1, max: 2 }) }),
  fc.record({ f: fc.constant("setData" as const), path: fc.constantFrom(...PATHS),
    data: fc.constantFrom("x", "y"), version: fc.integer({ min: -1, max: 2 }) }),
  fc.record({ f: fc.constant("getData" as const), path: fc.constantFrom(...PATHS) }),
  fc.record({ f: fc.constant("exists" as const), path: fc.constantFrom(...PATHS) }),
);

/** What src/tree answers, in the model's output shape. */
function treeAnswer(h: Harness, session: number, op: ZnodeInput): ZnodeOutput {
  const failed = (err: string): ZnodeOutput => ({ error: err as "NONODE" });
  switch (op.f) {
    case "create": {
      const result = h.writeAs(session, create(op.path, "PERSISTENT", op.data));
      return result.err === "OK" ? { error: null, data: null, version: 0 } : failed(result.err);
    }
    case "delete": {
      const result = h.writeAs(session, { type: "delete", path: op.path, version: op.version });
      return result.err === "OK" ? { error: null, data: null, version: null } : failed(result.err);
    }
    case "setData": {
      const request = { type: "setData" as const, path: op.path, data: utf8Bytes(op.data),
        version: op.version };
      const result = h.writeAs(session, request);
      return result.err === "OK"
        ? { error: null, data: null, version: result.stat?.version ?? -1 } : failed(result.err);
    }
    case "getData":
    case "exists": {
      const result = h.read(session, { type: op.f, path: op.path, watch: false });
      if (result.err !== "OK") return failed(result.err);
      const data = op.f === "getData" ? new TextDecoder().decode(result.data ?? new Uint8Array())
        : null;
      return { error: null, data, version: result.stat?.version ?? -1 };
    }
  }
}

describe("the znode model agrees with src/tree", () => {
  test("same answers on random sequences over nested paths", () => {
    fc.assert(fc.property(fc.array(input, { maxLength: 40 }), (ops) => {
      const h = new Harness();
      const session = h.openSession();
      let state: ZnodeState = new Map();
      const known = new Set(PATHS);
      for (const op of ops) {
        const expected = treeAnswer(h, session, op);
        const outcome = applyZnode(state, known, op);
        expect(outcome.output).toEqual(expected);
        state = outcome.state;
      }
    }), { numRuns: 800 });
  });
});

describe("the znode model in the search", () => {
  const op = (input: ZnodeInput, output: ZnodeOutput | undefined, call: number, ret: number) =>
    ({ process: call, input, output, call, ret });
  const ok = (version: number | null, data: string | null = null): ZnodeOutput =>
    ({ error: null, data, version });

  test("an error answer constrains the state: NODEEXISTS after a completed delete is wrong", () => {
    const history = [
      op({ f: "create", path: "/a", data: "x" }, ok(null), 0, 1),
      op({ f: "delete", path: "/a", version: -1 }, ok(null), 2, 3),
    ];
    const model = znodeModel(["/a"]);
    expect(checkLinearizable(model, history).valid).toBe(true);
    const late = op({ f: "create", path: "/a", data: "y" }, { error: "NODEEXISTS" }, 4, 5);
    expect(checkLinearizable(model, [...history, late]).valid).toBe(false);
    const concurrent = op({ f: "create", path: "/a", data: "y" }, { error: "NODEEXISTS" }, 1, 5);
    expect(checkLinearizable(model, [...history, concurrent]).valid).toBe(true);
  });

  test("paths are partitions, except a parent and its child", () => {
    const model = znodeModel(["/a", "/a/b", "/c"]);
    const inputs: ZnodeInput[] = [
      { f: "create", path: "/a", data: "" }, { f: "create", path: "/c", data: "" },
      { f: "create", path: "/a/b", data: "" },
    ];
    const groups = model.partition?.(inputs).map((group) => group.members);
    expect(groups).toEqual([[0, 2], [1]]);
  });

  test("a versioned setData that succeeded twice from the same version is not linearizable", () => {
    const model = znodeModel(["/a"]);
    const history = [
      op({ f: "create", path: "/a", data: "" }, ok(null), 0, 1),
      op({ f: "setData", path: "/a", data: "x", version: 0 }, ok(1), 2, 6),
      op({ f: "setData", path: "/a", data: "y", version: 0 }, ok(1), 3, 7),
    ];
    expect(checkLinearizable(model, history).valid).toBe(false);
    expect(checkLinearizable(model, history.slice(0, 2)).valid).toBe(true);
  });
});
