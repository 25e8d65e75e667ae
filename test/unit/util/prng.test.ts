/**
 * Seeded streams: the same (seed, name) gives the same sequence; different names and seeds give
 * different ones; intBetween stays in range.
 */
import { describe, expect } from "vitest";
import { test, fc } from "@fast-check/vitest";
import { Prng, SEED_MAX } from "../../../src/util/prng.js";

const draw = (prng: Prng, n: number): number[] => Array.from({ length: n }, () => prng.nextUint32());

describe("Prng", () => {
  test.prop([fc.integer({ min: 0, max: SEED_MAX }), fc.string()])(
    "is a pure function of (seed, name)",
    (seed, name) => {
      expect(draw(new Prng(seed, name), 8)).toEqual(draw(new Prng(seed, name), 8));
    },
  );

  test.prop([fc.integer({ min: 0, max: SEED_MAX - 1 })])("neighbouring seeds differ", (seed) => {
    expect(draw(new Prng(seed, "net"), 4)).not.toEqual(draw(new Prng(seed + 1, "net"), 4));
    expect(draw(new Prng(seed, "net"), 4)).not.toEqual(draw(new Prng(seed, "disk"), 4));
  });

  test.prop([fc.integer({ min: 0, max: SEED_MAX }), fc.integer({ min: -1e6, max: 1e6 }), fc.nat(1e6)])(
    "intBetween stays inside its bounds",
    (seed, min, width) => {
      const prng = new Prng(seed, "range");
      for (let i = 0; i < 20; i++) {
        const value = prng.intBetween(min, min + width);
        expect(value).toBeGreaterThanOrEqual(min);
        expect(value).toBeLessThanOrEqual(min + width);
        expect(Number.isInteger(value)).toBe(true);
      }
    },
  );
});
