/**
 * Both random sources of src/crypto: the seeded one is a pure function of the run's seed and
 * stream name (so a simulated run that seals values replays byte for byte), the system one is the
 * platform CSPRNG (draws differ from each other and from any seeded stream). Bad draw sizes are
 * typed errors for both.
 */
import { describe, expect, it } from "vitest";
import { RANDOM_DRAW_BYTES_MAX, sealValue, seededRandom } from "../../../src/crypto/index.js";
import { utf8 } from "../../../src/crypto/bytes.js";
import { systemRandom } from "../../../src/crypto/system-random.js";
import { Prng } from "../../../src/util/index.js";
import { codeOf, keyring } from "./helpers.js";

describe("seeded random source", () => {
  it("same seed and stream: same bytes; another seed or stream: other bytes", () => {
    const draw = (seed: number, name: string) => seededRandom(new Prng(seed, name)).bytes(64);
    expect(draw(5, "crypto")).toEqual(draw(5, "crypto"));
    expect(draw(5, "crypto")).not.toEqual(draw(6, "crypto"));
    expect(draw(5, "crypto")).not.toEqual(draw(5, "crypto/other"));
    expect(seededRandom(new Prng(1, "x")).kind).toBe("seeded");
  });

  it("makes a seeded run's sealed values reproducible", () => {
    const seal = (seed: number) => sealValue(keyring().primaryKey(), { kind: "path", path: "/a" },
      utf8("hello"), seededRandom(new Prng(seed, "seal")));
    expect(seal(9)).toEqual(seal(9));
    expect(seal(9)).not.toEqual(seal(10));
  });
});

describe("system random source (the CSPRNG entry point)", () => {
  it("differs between draws and from the seeded stream", () => {
    const system = systemRandom();
    expect(system.kind).toBe("system");
    const a = system.bytes(32);
    const b = system.bytes(32);
    expect(a).toHaveLength(32);
    expect(a).not.toEqual(b);
    expect(a).not.toEqual(seededRandom(new Prng(0, "x")).bytes(32));
  });

  it("fills draws larger than one getRandomValues call", () => {
    const big = systemRandom().bytes(RANDOM_DRAW_BYTES_MAX);
    // A zero tail would mean a chunk was skipped: 4096 zero bytes at random has chance 2^-32768.
    expect(big.subarray(big.length - 4096).some((byte) => byte !== 0)).toBe(true);
  });

  it("bad sizes are typed errors for both sources", () => {
    for (const source of [systemRandom(), seededRandom(new Prng(1, "x"))]) {
      expect(codeOf(() => source.bytes(-1))).toBe("BAD_ARGUMENT");
      expect(codeOf(() => source.bytes(1.5))).toBe("BAD_ARGUMENT");
      expect(codeOf(() => source.bytes(RANDOM_DRAW_BYTES_MAX + 1))).toBe("BAD_ARGUMENT");
      expect(source.bytes(0)).toHaveLength(0);
    }
  });
});
