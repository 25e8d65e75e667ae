/**
 * The crypto entry point to the outside world: the platform's CSPRNG (WebCrypto
 * getRandomValues, which Node backs with the OS generator). This is the one file of simulated
 * code's modules that the tidy test lets read OS randomness, and only src/cli (and code outside
 * src/: scripts, benches, tests) may import it; crypto/index.ts does not re-export it, so a
 * simulated module cannot reach it by accident.
 */
import { split } from "shamir-secret-sharing";
import { checkDrawSize } from "./random.js";
import type { RandomSource } from "./random.js";
import { checkSplit } from "./shamir.js";
import type { ShareSplitter } from "./shamir.js";

/** getRandomValues fills at most 65,536 bytes per call (the WebCrypto quota). */
const QUOTA_BYTES = 65_536;

/** Real randomness for real keys and nonces. */
export function systemRandom(): RandomSource {
  return {
    kind: "system",
    bytes(count: number): Uint8Array {
      checkDrawSize(count);
      const out = new Uint8Array(count);
      for (let offset = 0; offset < count; offset += QUOTA_BYTES) {
        const part = out.subarray(offset, Math.min(count, offset + QUOTA_BYTES));
        crypto.getRandomValues(part); // wall-clock-ok: the CSPRNG entry point, real use only
      }
      return out;
    },
  };
}

/**
 * Real use splits the root key with the audited package, whose coefficients come from the
 * platform CSPRNG (it takes no random source; the simulation uses shamir.ts's seededSplit).
 */
export const systemSplit: ShareSplitter = async (secret, shares, threshold) => {
  checkSplit(secret.length, shares, threshold);
  return split(secret, shares, threshold);
};
