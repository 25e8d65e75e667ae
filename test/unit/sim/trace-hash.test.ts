/**
 * TraceHash.envelope is a fast path for the six folds every message event starts with. It must
 * leave the hash exactly where word(code), number(time), word(from), word(to), number(id),
 * word(copy) would, for every number the world can pass and for the odd ones it should not
 * (negative, fractional, beyond 2^53), or traces would silently change meaning.
 */
import { describe, expect } from "vitest";
import { test, fc } from "@fast-check/vitest";
import { TraceHash } from "../../../src/sim/trace-hash.js";

const anyNumber = fc.oneof(
  fc.nat(),
  fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }),
  fc.integer({ min: -1_000_000, max: 1_000_000 }),
  fc.double({ noNaN: true }),
);

describe("TraceHash.envelope", () => {
  test.prop([fc.nat(255), anyNumber, fc.nat(1000), fc.nat(1000), anyNumber, fc.nat(3)])(
    "folds the same words as the six separate calls",
    (code, time, from, to, id, copy) => {
      const fast = new TraceHash();
      fast.envelope(code, time, from, to, id, copy);
      const slow = new TraceHash();
      slow.word(code);
      slow.number(time);
      slow.word(from);
      slow.word(to);
      slow.number(id);
      slow.word(copy);
      expect(fast.hex()).toBe(slow.hex());
    },
  );

  test.prop([fc.nat(255), fc.nat(1e9), fc.nat(1e9)])("a duplicate hashes apart", (a, t, id) => {
    const one = new TraceHash();
    one.envelope(a, t, 1, 2, id, 0);
    const other = new TraceHash();
    other.envelope(a, t, 1, 2, id, 1);
    expect(one.hex()).not.toBe(other.hex());
  });
});
