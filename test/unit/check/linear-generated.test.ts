/**
 * The linearizability search against histories made by construction (test/helpers/histories.ts):
 * a random concurrent execution of a register, each operation taking effect inside its interval,
 * is linearizable; the same history with one mutation that no order can explain (a read of a
 * value never written, a cas that succeeded on a value never held, a stale read after a newer
 * write completed) is not. On small random histories (any outputs, some unknown), the search
 * agrees with a naive exhaustive checker that tries every order the real-time order allows.
 */
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { casRegisterModel, checkLinearizable, registerModel }
  from "../../../src/check/linear/index.js";
import type { RegisterInput, RegisterOutput, RegisterValue }
  from "../../../src/check/linear/index.js";
import { constructHistory, mutate } from "../../helpers/histories.js";
import type { Mutation, RegisterOp } from "../../helpers/histories.js";

const shapes = fc.record({
  seed: fc.integer({ min: 0, max: 2 ** 31 }),
  processes: fc.integer({ min: 1, max: 6 }),
  ops: fc.integer({ min: 1, max: 40 }),
  cas: fc.boolean(),
  crash: fc.constantFrom(0, 0.05, 0.2),
});

const modelFor = (cas: boolean) => (cas ? casRegisterModel() : registerModel());

describe("histories made by construction", () => {
  test("a concurrent execution against the sequential register is linearizable", () => {
    fc.assert(fc.property(shapes, (shape) => {
      const ops = constructHistory(shape.seed, shape);
      expect(checkLinearizable(modelFor(shape.cas), ops).valid).toBe(true);
    }), { numRuns: 1500 });
  });

  const mutations: Mutation[] = ["fresh-read", "wrong-cas", "stale-read"];
  test.each(mutations)("one %s mutation makes it not linearizable", (mutation) => {
    let mutated = 0;
    fc.assert(fc.property(shapes, fc.nat(), (shape, pick) => {
      const ops = mutate(constructHistory(shape.seed, { ...shape, cas: true }), mutation, pick);
      fc.pre(ops !== null);
      mutated += 1;
      const result = checkLinearizable(casRegisterModel(), ops ?? []);
      expect(result.valid).toBe(false);
      expect(result.explanation?.text).toContain("not linearizable");
    }), { numRuns: 700 });
    expect(mutated).toBeGreaterThan(300);
  });
});

/** Every order of the completed ops (unknown ones optional) that respects real time. */
function naiveLinearizable(ops: readonly RegisterOp[], cas: boolean): boolean {
  const model = modelFor(cas);
  const done = new Array<boolean>(ops.length).fill(false);
  const search = (state: RegisterValue, left: number): boolean => {
    if (left === 0) return true;
    for (let i = 0; i < ops.length; i += 1) {
      const op = ops[i];
      if (op === undefined || done[i] === true) continue;
      const blocked = ops.some((other, j) => done[j] !== true && other.output !== undefined &&
        other.ret < op.call);
      if (blocked) continue;
      const next = model.step(state, op.input, op.output);
      if (next === undefined) continue;
      done[i] = true;
      const found = search(next, left - (op.output === undefined ? 0 : 1));
      done[i] = false;
      if (found) return true;
    }
    return false;
  };
  return search(model.init(), ops.filter((op) => op.output !== undefined).length);
}

const value = fc.constantFrom<RegisterValue>(null, "0", "1", "2");
const smallOp = fc.record({
  process: fc.integer({ min: 0, max: 3 }),
  call: fc.integer({ min: 0, max: 12 }),
  length: fc.integer({ min: 0, max: 6 }),
  f: fc.constantFrom("read", "write", "cas"),
  a: value, b: value, ok: fc.boolean(), unknown: fc.boolean(),
}).map((spec): RegisterOp => {
  const input: RegisterInput = spec.f === "read" ? { f: "read" }
    : spec.f === "write" ? { f: "write", value: spec.a } : { f: "cas", from: spec.a, to: spec.b };
  const output: RegisterOutput = input.f === "read" ? { f: "read", value: spec.b }
    : input.f === "write" ? { f: "write" } : { f: "cas", ok: spec.ok };
  return {
    process: spec.process, input, call: spec.call, ret: spec.call + spec.length,
    output: spec.unknown && spec.length > 3 ? undefined : output,
  };
});

describe("against a naive exhaustive checker", () => {
  test("small random histories get the same verdict", () => {
    let invalid = 0;
    fc.assert(fc.property(fc.array(smallOp, { maxLength: 7 }), fc.boolean(), (ops, cas) => {
      const expected = naiveLinearizable(ops, cas);
      if (!expected) invalid += 1;
      expect(checkLinearizable(modelFor(cas), ops).valid).toBe(expected);
    }), { numRuns: 2000 });
    expect(invalid).toBeGreaterThan(200);
  });
});
