/**
 * zxid arithmetic: makeZxid/epochOf/counterOf round-trip over the whole range a run can reach,
 * checked against a BigInt version of ZooKeeper's ZxidUtils (which uses 64-bit shifts).
 */
import { describe, expect } from "vitest";
import { test, fc } from "@fast-check/vitest";
import { makeZxid, epochOf, counterOf, EPOCH_MAX, ZXID_COUNTER_MAX, formatZxid } from "../../../src/util/zxid.js";

describe("zxid", () => {
  test.prop([fc.integer({ min: 0, max: EPOCH_MAX }), fc.integer({ min: 0, max: ZXID_COUNTER_MAX })])(
    "matches (epoch << 32) | counter computed with 64-bit integers",
    (epoch, counter) => {
      const zxid = makeZxid(epoch, counter);
      const reference = (BigInt(epoch) << 32n) | BigInt(counter);
      expect(BigInt(zxid)).toBe(reference);
      expect(epochOf(zxid)).toBe(epoch);
      expect(counterOf(zxid)).toBe(counter);
      expect(formatZxid(zxid)).toBe(`0x${reference.toString(16)}`);
    },
  );

  test.prop([
    fc.tuple(fc.integer({ min: 0, max: 1000 }), fc.integer({ min: 0, max: ZXID_COUNTER_MAX })),
    fc.tuple(fc.integer({ min: 0, max: 1000 }), fc.integer({ min: 0, max: ZXID_COUNTER_MAX })),
  ])("orders zxids as (epoch, counter) pairs", ([e1, c1], [e2, c2]) => {
    const byPair = e1 !== e2 ? Math.sign(e1 - e2) : Math.sign(c1 - c2);
    expect(Math.sign(makeZxid(e1, c1) - makeZxid(e2, c2))).toBe(byPair);
  });
});
