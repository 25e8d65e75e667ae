/**
 * Shamir's secret sharing over GF(2^8), for splitting the root key t-of-n among operators, as
 * Vault's unseal does. The share format is the audited `shamir-secret-sharing` package's (itself
 * modelled on Vault's shamir package): the share's y bytes, one per secret byte, then its x
 * coordinate in 1..255 as the last byte.
 *
 * Combining always uses the audited package. Splitting has two paths:
 * - real use: the package's `split` (system-random.ts), which draws its coefficients from the
 *   platform CSPRNG;
 * - the simulation: `seededSplit` below, which draws them from the run's seeded stream, because
 *   the package takes no random source and a simulated run must be a function of its seed.
 *
 * `seededSplit` is the ONE documented exception to "never a hand-written primitive" (docs/keys.md).
 * It is kept small, uses the same field (x^8 + x^4 + x^3 + x + 1) as the package, and is
 * property-tested to combine with the package both ways (test/unit/crypto/shamir.test.ts). Its
 * table lookups are not constant-time; it never handles a real secret (real use splits with the
 * package), so that is acceptable here.
 */
import { combine } from "shamir-secret-sharing";
import { CryptoError } from "./errors.js";
import type { RandomSource } from "./random.js";

/** Shares and thresholds the package accepts: 2..255. */
export const SHARES_MAX = 255;

/** Splits a secret into n shares, t of which recover it (any fewer reveal nothing). */
export type ShareSplitter = (secret: Uint8Array, shares: number, threshold: number) =>
  Promise<Uint8Array[]>;

/** Checks n and t: a typed error for anything the package would refuse. */
export function checkSplit(secretBytes: number, shares: number, threshold: number): void {
  const ok = (v: number) => Number.isInteger(v) && v >= 2 && v <= SHARES_MAX;
  if (!ok(shares) || !ok(threshold) || threshold > shares) {
    throw new CryptoError("BAD_ARGUMENT",
      `needs 2 <= threshold <= shares <= ${SHARES_MAX}, got ${threshold} of ${shares}`);
  }
  if (!Number.isInteger(secretBytes) || secretBytes < 1) {
    throw new CryptoError("BAD_ARGUMENT", "an empty secret cannot be split");
  }
}

/** exp and log tables of GF(2^8) with generator 3 (0x03 generates the multiplicative group). */
const EXP = new Uint8Array(510);
const LOG = new Uint8Array(256);
{
  let x = 1;
  for (let i = 0; i < 255; i++) {
    EXP[i] = x;
    LOG[x] = i;
    x ^= (x << 1) ^ ((x & 0x80) !== 0 ? 0x11b : 0); // x * 3 reduced modulo the field polynomial
    x &= 0xff;
  }
  for (let i = 255; i < 510; i++) EXP[i] = EXP[i - 255] ?? 0;
}

function mul(a: number, b: number): number {
  if (a === 0 || b === 0) return 0;
  return EXP[(LOG[a] ?? 0) + (LOG[b] ?? 0)] ?? 0;
}

/** The polynomial with coefficients `c` (c[0] the secret byte) at x, by Horner's rule. */
function evaluate(c: Uint8Array, x: number): number {
  let y = 0;
  for (let i = c.length - 1; i >= 0; i--) y = mul(y, x) ^ (c[i] ?? 0);
  return y;
}

/** Distinct x coordinates in 1..255, drawn from `random` (a partial Fisher-Yates shuffle). */
function coordinates(count: number, random: RandomSource): number[] {
  const pool = Array.from({ length: SHARES_MAX }, (_, i) => i + 1);
  const draws = random.bytes(count * 2);
  for (let i = 0; i < count; i++) {
    const r = ((draws[2 * i] ?? 0) << 8) | (draws[2 * i + 1] ?? 0);
    const j = i + (r % (SHARES_MAX - i)); // modulo bias is harmless: x need not be secret
    [pool[i], pool[j]] = [pool[j] ?? 0, pool[i] ?? 0];
  }
  return pool.slice(0, count);
}

/** The simulation's split: coefficients and coordinates from the seeded source. */
export function seededSplit(random: RandomSource): ShareSplitter {
  return async (secret, shares, threshold) => {
    checkSplit(secret.length, shares, threshold);
    const xs = coordinates(shares, random);
    const out = xs.map((x) => {
      const share = new Uint8Array(secret.length + 1);
      share[secret.length] = x;
      return share;
    });
    const coefficients = new Uint8Array(threshold);
    for (let i = 0; i < secret.length; i++) {
      coefficients[0] = secret[i] ?? 0;
      coefficients.set(random.bytes(threshold - 1), 1);
      for (let s = 0; s < shares; s++) {
        const share = out[s];
        if (share !== undefined) share[i] = evaluate(coefficients, xs[s] ?? 1);
      }
    }
    coefficients.fill(0);
    return out;
  };
}

/**
 * Recovers the secret from shares with the audited package. Typed errors, never the package's
 * untyped throws: BAD_ARGUMENT for fewer than two shares or not byte arrays, MALFORMED for
 * shares of different lengths, an x of 0 or a repeated x. Shares below the threshold, or a wrong
 * share, combine to a wrong secret: the caller must verify the result (unseal checks it against
 * the root key's check value).
 */
export async function combineShares(shares: readonly Uint8Array[]): Promise<Uint8Array> {
  if (!Array.isArray(shares) || shares.length < 2 || shares.length > SHARES_MAX) {
    throw new CryptoError("BAD_ARGUMENT", `combine needs 2..${SHARES_MAX} shares`);
  }
  const length = shares[0]?.length ?? 0;
  const seen = new Set<number>();
  for (const share of shares) {
    if (!(share instanceof Uint8Array)) {
      throw new CryptoError("BAD_ARGUMENT", "a share is a Uint8Array");
    }
    if (share.length < 2 || share.length !== length) {
      throw new CryptoError("MALFORMED", "shares must all have the same length (at least 2)");
    }
    const x = share[share.length - 1] ?? 0;
    if (x === 0 || seen.has(x)) throw new CryptoError("MALFORMED", "a share's x is 0 or repeated");
    seen.add(x);
  }
  return combine(shares.map((s) => Uint8Array.from(s)));
}
