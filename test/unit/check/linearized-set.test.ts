/**
 * The memo key of the linearizability search (src/check/linear/linearized-set.ts) is exact: on
 * random add/delete sequences that respect the search's discipline (a completed operation is
 * only removed in reverse order of addition, as backtracking does), two sets get equal keys iff
 * they hold the same operations, compared with a naive sorted-list key.
 */
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { LinearizedSet } from "../../../src/check/linear/linearized-set.js";

describe("LinearizedSet", () => {
  test("equal keys iff equal sets", () => {
    fc.assert(fc.property(
      fc.array(fc.boolean(), { minLength: 1, maxLength: 24 }),
      fc.array(fc.nat(), { maxLength: 60 }),
      (unknownFlags, moves) => {
        const unknown = new Uint8Array(unknownFlags.map((flag) => (flag ? 1 : 0)));
        const set = new LinearizedSet(unknown);
        const stack: number[] = [];
        const keys = new Map<string, string>();
        for (const move of moves) {
          const absent = [...unknown.keys()].filter((id) => !set.has(id));
          if (move % 3 === 0 && stack.length > 0) {
            set.delete(stack.pop() ?? 0);
          } else if (absent.length > 0) {
            const id = absent[move % absent.length] ?? 0;
            set.add(id);
            stack.push(id);
          }
          const naive = [...unknown.keys()].filter((id) => set.has(id)).join(",");
          const key = set.key();
          const seen = keys.get(key);
          if (seen !== undefined) expect(seen).toBe(naive);
          keys.set(key, naive);
        }
        const byNaive = new Map([...keys].map(([key, naive]) => [naive, key]));
        expect(byNaive.size).toBe(keys.size);
      }), { numRuns: 1500 });
  });
});
