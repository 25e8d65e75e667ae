/**
 * Shamir splitting (src/crypto/shamir.ts) against the audited shamir-secret-sharing package,
 * both ways: shares from zabsim's seeded split combine with the package's `combine` (through
 * combineShares, and directly), and shares from the package's `split` combine with
 * combineShares; any t of n shares recover the secret, fewer give something else; the seeded
 * split is a function of its seed; malformed shares are typed errors. Plus the root key's
 * unseal check: a wrong share is NOT_AUTHENTIC, never a wrong root key.
 */
import fc from "fast-check";
import { combine, split } from "shamir-secret-sharing";
import { describe, expect, it } from "vitest";
import {
  combineShares, generateRootKey, rootCheck, rootKeyFromShares, seededSplit, splitRootKey,
} from "../../../src/crypto/index.js";
import { exposeKeyBytes } from "../../../src/crypto/secret-key.js";
import { systemSplit } from "../../../src/crypto/system-random.js";
import { random } from "./helpers.js";

const params = fc.integer({ min: 2, max: 8 }).chain((n) =>
  fc.record({ n: fc.constant(n), t: fc.integer({ min: 2, max: n }),
    secret: fc.uint8Array({ minLength: 1, maxLength: 48 }), seed: fc.nat(),
    pick: fc.array(fc.nat(), { minLength: n, maxLength: n }) }));

/** `t` distinct shares chosen by `pick`. */
function choose<T>(shares: readonly T[], t: number, pick: readonly number[]): T[] {
  const pool = shares.slice();
  const out: T[] = [];
  for (let i = 0; i < t; i++) out.push(...pool.splice((pick[i] ?? 0) % pool.length, 1));
  return out;
}

const codeOf = async (p: Promise<unknown>) =>
  p.then(() => "resolved", (e: unknown) => (e as { code?: string }).code ?? `untyped ${e}`);

describe("seeded split against the audited package", () => {
  it("any t of zabsim's shares combine to the secret with the package", async () => {
    await fc.assert(fc.asyncProperty(params, async ({ n, t, secret, seed, pick }) => {
      const shares = await seededSplit(random(seed))(secret, n, t);
      expect(shares).toHaveLength(n);
      const chosen = choose(shares, t, pick);
      expect(await combine(chosen)).toEqual(secret);
      expect(await combineShares(chosen)).toEqual(secret);
    }), { numRuns: 200 });
  });

  it("any t of the package's shares combine to the secret with combineShares", async () => {
    await fc.assert(fc.asyncProperty(params, async ({ n, t, secret, pick }) => {
      const shares = await split(secret, n, t);
      expect(await combineShares(choose(shares, t, pick))).toEqual(secret);
      expect(await combineShares(choose(await systemSplit(secret, n, t), t, pick)))
        .toEqual(secret);
    }), { numRuns: 100 });
  });

  it("t - 1 shares do not recover a random secret", async () => {
    await fc.assert(fc.asyncProperty(params.filter((p) => p.t >= 3), async (p) => {
      const secret = random(p.seed, "secret").bytes(32);
      const shares = await seededSplit(random(p.seed))(secret, p.n, p.t);
      expect(await combineShares(choose(shares, p.t - 1, p.pick))).not.toEqual(secret);
    }), { numRuns: 100 });
  });

  it("is a function of the seed, and distinct seeds give distinct shares", async () => {
    const secret = random(5, "s").bytes(32);
    const a = await seededSplit(random(9))(secret, 5, 3);
    expect(await seededSplit(random(9))(secret, 5, 3)).toEqual(a);
    expect(await seededSplit(random(10))(secret, 5, 3)).not.toEqual(a);
    expect(new Set(a.map((s) => s[32])).size).toBe(5); // distinct x coordinates
  });
});

describe("malformed shares and arguments", () => {
  it("are typed errors", async () => {
    const shares = await seededSplit(random(1))(new Uint8Array(32).fill(1), 3, 2);
    const [a, b] = shares as [Uint8Array, Uint8Array];
    expect(await codeOf(combineShares([a]))).toBe("BAD_ARGUMENT");
    expect(await codeOf(combineShares([a, b.subarray(1)]))).toBe("MALFORMED");
    expect(await codeOf(combineShares([a, a]))).toBe("MALFORMED");
    const zeroX = Uint8Array.from(b);
    zeroX[32] = 0;
    expect(await codeOf(combineShares([a, zeroX]))).toBe("MALFORMED");
    expect(await codeOf(combineShares([a, "share" as unknown as Uint8Array]))).toBe("BAD_ARGUMENT");
    for (const [n, t] of [[1, 1], [3, 4], [256, 2], [3, 1.5]] as const) {
      expect(await codeOf(seededSplit(random(1))(new Uint8Array(4), n, t))).toBe("BAD_ARGUMENT");
    }
    expect(await codeOf(seededSplit(random(1))(new Uint8Array(0), 3, 2))).toBe("BAD_ARGUMENT");
  });
});

describe("root key unseal", () => {
  it("t shares recover the root key; a wrong share is NOT_AUTHENTIC", async () => {
    const root = generateRootKey(random(3), 4);
    const shares = await splitRootKey(root, 5, 3, seededSplit(random(4)));
    const check = rootCheck(root);
    const back = await rootKeyFromShares([shares[4], shares[0], shares[2]] as Uint8Array[], 4,
      check);
    expect(exposeKeyBytes(back.key)).toEqual(exposeKeyBytes(root.key));
    const bad = Uint8Array.from(shares[1] ?? []);
    bad[0] = (bad[0] ?? 0) ^ 1;
    expect(await codeOf(rootKeyFromShares([shares[0], bad, shares[2]] as Uint8Array[], 4,
      check))).toBe("NOT_AUTHENTIC");
    expect(await codeOf(rootKeyFromShares(shares.slice(0, 2), 4, check))).toBe("NOT_AUTHENTIC");
    expect(await codeOf(rootKeyFromShares(shares.slice(0, 3), 5, check))).toBe("NOT_AUTHENTIC");
    expect(rootCheck(root)).not.toContain(Buffer.from(exposeKeyBytes(root.key)).toString("hex"));
  });
});
