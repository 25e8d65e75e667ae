/**
 * The root key's unseal, as Vault does it: the root key is split t-of-n among operators
 * (shamir.ts), is never written to the tree, and is assembled in memory from t shares. A check
 * value stored in the tree (SHA-256 of an HKDF subkey of the root key, which reveals nothing of
 * the key) tells a correct reconstruction from one made with a wrong or corrupted share, which
 * Shamir itself cannot tell (the package combines any shares to *some* secret).
 */
import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex } from "@noble/hashes/utils.js";
import { u32 } from "./bytes.js";
import { CryptoError } from "./errors.js";
import { LABEL_ROOT_CHECK, deriveSubkey } from "./kdf.js";
import { SecretKey, exposeKeyBytes } from "./secret-key.js";
import { combineShares } from "./shamir.js";
import type { ShareSplitter } from "./shamir.js";
import type { RootKey } from "./wrapped.js";

/** The public check value of a root key (hex). */
export function rootCheck(root: RootKey): string {
  const subkey = deriveSubkey(exposeKeyBytes(root.key), LABEL_ROOT_CHECK, [u32(root.generation)]);
  const check = bytesToHex(sha256(subkey));
  subkey.fill(0);
  return check;
}

/** The root key split into `shares` shares, `threshold` of which recover it. */
export function splitRootKey(root: RootKey, shares: number, threshold: number,
  splitter: ShareSplitter): Promise<Uint8Array[]> {
  return splitter(exposeKeyBytes(root.key), shares, threshold);
}

/**
 * The root key of `generation` recovered from shares and verified against `check`:
 * NOT_AUTHENTIC when they combine to another key (a wrong, stale or corrupted share, or fewer
 * than the threshold), typed errors from combineShares for malformed shares.
 */
export async function rootKeyFromShares(shares: readonly Uint8Array[], generation: number,
  check: string): Promise<RootKey> {
  const secret = await combineShares(shares);
  if (secret.length !== 32) {
    secret.fill(0);
    throw new CryptoError("MALFORMED", "the shares do not hold a 32-byte root key");
  }
  const root: RootKey = { generation, key: SecretKey.fromBytes(secret, `root gen ${generation}`) };
  secret.fill(0);
  if (rootCheck(root) !== check) {
    root.key.wipe();
    throw new CryptoError("NOT_AUTHENTIC",
      `the shares do not recover root key generation ${generation}`);
  }
  return root;
}
