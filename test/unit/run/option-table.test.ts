/**
 * The option table (src/run/option-table.ts) is the one home of every run option. These tests
 * state what "one home" promises: every field of RunOptions belongs to exactly one row; the
 * defaults the table holds are valid; a flag's text reads back to the values it shows (so help
 * defaults and replay lines round-trip); and the table's validation refuses a bad value of every
 * row with a line naming that row's field.
 */
import { describe, expect, test } from "vitest";
import {
  OPTION_TABLE, RUN_DEFAULTS, checkOption, fieldValue, readOption, runOptionsProblem, showOption,
} from "../../../src/run/index.js";

/** Every dotted leaf field of an options record ("network.lossProbability", "replicas"). */
function leaves(record: Record<string, unknown>): string[] {
  return Object.entries(record).flatMap(([key, value]) =>
    typeof value === "object" && value !== null && !Array.isArray(value)
      ? Object.keys(value).map((inner) => `${key}.${inner}`) : [key]);
}

describe("the option table", () => {
  test("every RunOptions field belongs to exactly one row, and every flag is unique", () => {
    const fields = OPTION_TABLE.flatMap((def) => def.fields);
    expect([...fields].sort()).toEqual(leaves(RUN_DEFAULTS as never).sort());
    expect(new Set(fields).size).toBe(fields.length);
    const flags = OPTION_TABLE.map((def) => def.flag);
    expect(new Set(flags).size).toBe(flags.length);
  });

  test("the defaults are valid, row by row and as a whole", () => {
    expect(runOptionsProblem(RUN_DEFAULTS)).toBeUndefined();
    for (const def of OPTION_TABLE) {
      expect(def.fields.map((f) => fieldValue(RUN_DEFAULTS, f))).toEqual(def.defaults);
      expect(checkOption(def, def.defaults)).toBeUndefined();
    }
  });

  test("a default shown as flag text reads back to the same values", () => {
    for (const def of OPTION_TABLE) {
      if (def.unit === "schedule" || def.unit === "bug") continue;
      const read = readOption(def, showOption(def, def.defaults));
      expect(read).toEqual({ ok: true, values: def.defaults });
    }
  });

  test("a bad value of every row is refused with a line naming its field", () => {
    const bad: unknown = "not-a-value";
    for (const def of OPTION_TABLE) {
      const values = def.fields.map(() => bad);
      const message = checkOption(def, values);
      expect(message, def.flag).toBeDefined();
      expect(message?.startsWith(def.fields[0] ?? "?"), message).toBe(true);
    }
  });

  test("a liveness bound of 0 is refused (issue 22: a pointless option)", () => {
    const problem = runOptionsProblem({ ...RUN_DEFAULTS, livenessMs: 0 });
    expect(problem?.message).toContain("livenessMs must be a whole number from 1");
  });
});
