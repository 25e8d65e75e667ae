/**
 * Where random bytes come from. Every key, nonce and value id the crypto layer makes is drawn from
 * a `RandomSource` passed in by the caller; nothing here reaches for a global generator, and
 * tweetnacl's process-wide generator setter is never called (it would change every other user
 * of tweetnacl in the process; the tidy test bans it). The two sources:
 * - `seededRandom(prng)`: the run's seeded stream (util/prng), so a simulated run that seals
 *   values is still a pure function of its seed. Its bytes are predictable to anyone who knows
 *   the seed: it is for the simulation only, never for real secrets.
 * - `systemRandom()` (system-random.ts, the crypto entry point the tidy test allows to read the
 *   platform CSPRNG; only the CLI and code outside src/ import it): for real use.
 */
import type { Prng } from "../util/index.js";
import { CryptoError } from "./errors.js";

/** The largest single draw: more than any key, nonce or id needs, far below memory limits. */
export const RANDOM_DRAW_BYTES_MAX = 1 << 16;

/** A source of random bytes for keys, nonces and value ids. */
export interface RandomSource {
  /** "seeded": reproducible from a run's seed (simulation only); "system": the OS CSPRNG. */
  readonly kind: "seeded" | "system";
  /** `count` fresh random bytes, 0 <= count <= RANDOM_DRAW_BYTES_MAX. */
  bytes(count: number): Uint8Array;
}

/** Checks a draw size for both sources: a typed error, not a crash, for a bad count. */
export function checkDrawSize(count: number): void {
  if (!Number.isSafeInteger(count) || count < 0 || count > RANDOM_DRAW_BYTES_MAX) {
    throw new CryptoError("BAD_ARGUMENT", `random draw of ${count} bytes`);
  }
}

/** The simulation's source: bytes from the run's seeded stream (same seed, same bytes). */
export function seededRandom(prng: Prng): RandomSource {
  return {
    kind: "seeded",
    bytes(count: number): Uint8Array {
      checkDrawSize(count);
      return prng.bytes(count);
    },
  };
}
