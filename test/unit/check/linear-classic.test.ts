/**
 * Known verdicts: classic histories from the literature written out by hand (concurrent writes
 * with overlapping reads, unknown-outcome writes that take effect late or never, a value that
 * comes back), and Knossos's published cas-register histories (test/fixtures/knossos), which
 * zabsim must judge as Knossos's own tests do, within the default budget. Also what an
 * explanation holds for the smallest of them.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { checkJepsen, checkLinearizable, DEFAULT_BUDGET, registerModel }
  from "../../../src/check/linear/index.js";
import type { RegisterOutput } from "../../../src/check/linear/index.js";
import { readJepsenHistory } from "../../../src/cli/edn-history.js";
import type { RegisterOp } from "../../helpers/histories.js";

const FIXTURES = join(import.meta.dirname, "../../fixtures/knossos/cas-register");

const w = (process: number, value: string, call: number, ret: number | null): RegisterOp => ({
  process, input: { f: "write", value }, call, ret: ret ?? 0,
  output: ret === null ? undefined : { f: "write" },
});
const r = (process: number, value: string, call: number, ret: number): RegisterOp => ({
  process, input: { f: "read" }, call, ret, output: { f: "read", value } as RegisterOutput,
});
const verdict = (ops: RegisterOp[]) => checkLinearizable(registerModel(), ops).valid;

describe("classic histories", () => {
  test("concurrent writes: overlapping reads may see either order, but one order only", () => {
    const writes = [w(0, "1", 0, 10), w(1, "2", 0, 10)];
    expect(verdict([...writes, r(2, "2", 2, 8), r(2, "1", 11, 12)])).toBe(true);
    expect(verdict([...writes, r(2, "1", 2, 8), r(3, "2", 3, 9)])).toBe(true);
    expect(verdict([...writes, r(2, "2", 11, 12), r(2, "1", 13, 14)])).toBe(false);
  });

  test("a read concurrent with a write sees the old or the new value, nothing else", () => {
    const base = [w(0, "0", 0, 1), w(1, "4", 2, 6)];
    expect(verdict([...base, r(2, "0", 3, 5)])).toBe(true);
    expect(verdict([...base, r(2, "4", 3, 5)])).toBe(true);
    expect(verdict([...base, r(2, "3", 3, 5)])).toBe(false);
  });

  test("an unknown-outcome write may take effect late", () => {
    const ops = [w(0, "1", 0, 1), w(1, "2", 2, null), r(2, "1", 10, 11), r(2, "2", 20, 21)];
    expect(verdict(ops)).toBe(true);
    expect(verdict([...ops, r(2, "1", 30, 31)])).toBe(false);
  });

  test("an unknown-outcome write may never take effect", () => {
    expect(verdict([w(0, "1", 0, 1), w(1, "2", 2, null), r(2, "1", 50, 51)])).toBe(true);
  });

  test("an unknown write cannot take effect before it was invoked", () => {
    expect(verdict([w(0, "1", 0, 1), r(2, "2", 2, 3), w(1, "2", 4, null)])).toBe(false);
  });

  test("a value overwritten never comes back (the ABA read)", () => {
    const ops = [w(0, "1", 0, 1), w(0, "2", 2, 3), r(1, "1", 4, 5)];
    expect(verdict(ops)).toBe(false);
  });
});

function knossos(kind: "good" | "bad"): string[] {
  return readdirSync(join(FIXTURES, kind)).filter((name) => name.endsWith(".edn")).sort();
}

describe("Knossos's cas-register histories", () => {
  for (const kind of ["good", "bad"] as const) {
    test.each(knossos(kind))(`${kind}/%s`, (name) => {
      const events = readJepsenHistory(readFileSync(join(FIXTURES, kind, name), "utf8"));
      const result = checkJepsen(events, "cas-register", DEFAULT_BUDGET, "0");
      expect(result.valid).toBe(kind === "good");
    });
  }

  test("the explanation of rethink-fail-minimal names the read of 3 and the states 0 and 4", () => {
    const text = readFileSync(join(FIXTURES, "bad/rethink-fail-minimal.edn"), "utf8");
    const result = checkJepsen(readJepsenHistory(text), "cas-register", DEFAULT_BUDGET, "0");
    const explanation = result.explanation;
    expect(explanation?.prefixOps).toBe(3);
    expect(explanation?.ops[explanation.blocked]?.op).toBe("read 3");
    expect([...(explanation?.states ?? [])].sort()).toEqual(["0", "4"]);
    expect(explanation?.timeline.map((event) => event.kind)).toEqual(
      ["invoke", "complete", "invoke", "invoke", "complete", "complete"]);
    expect(explanation?.text).toContain("<- cannot be linearized");
  });
});
