/**
 * Subkey derivation (HKDF-SHA256, RFC 5869, from @noble/hashes). Why a per-value subkey at all:
 * tweetnacl's secretbox (XSalsa20-Poly1305) has no associated data, so it cannot authenticate the
 * cleartext header or the znode path next to the ciphertext. Deriving the box key from the
 * version key *and* the header and context makes them authenticated anyway: change one byte of
 * the header (key name, key version, context kind, value id) or open at another path, and the
 * reader derives another subkey, so Poly1305 rejects the box. The same construction wraps key
 * material under the root key, with its own label so the two uses can never be confused.
 */
import { expand, extract } from "@noble/hashes/hkdf.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { concat, lengthPrefixed, utf8 } from "./bytes.js";

/** Subkey length: a secretbox key. */
const SUBKEY_BYTES = 32;

/** Domain labels: one per use, so a subkey for one use is never a subkey for another. */
export const LABEL_SEALED_VALUE = utf8("zabsim/sealed-value/v1");
export const LABEL_WRAPPED_KEY = utf8("zabsim/wrapped-key/v1");

/**
 * HKDF-Extract of each parent key, computed once per key object: it depends only on the key, so
 * caching it halves the per-value cost (bench/crypto.bench.ts) and changes no output. A WeakMap
 * keyed by the key's own byte array, so it goes when the key does; wiping a key forgets it.
 */
const pseudoRandomKeys = new WeakMap<Uint8Array, Uint8Array>();

/** Drops the cached extract of a key that is being wiped. */
export function forgetParentKey(parentKey: Uint8Array): void {
  pseudoRandomKeys.get(parentKey)?.fill(0);
  pseudoRandomKeys.delete(parentKey);
}

/**
 * The box key for one use: HKDF-SHA256 (RFC 5869) with the parent key as input keying
 * material, no salt (the parent is already uniformly random), and as info the label and every
 * context field, each length-prefixed so no two field lists share an encoding.
 */
export function deriveSubkey(parentKey: Uint8Array, label: Uint8Array,
  fields: readonly Uint8Array[]): Uint8Array {
  let prk = pseudoRandomKeys.get(parentKey);
  if (prk === undefined) {
    prk = extract(sha256, parentKey);
    pseudoRandomKeys.set(parentKey, prk);
  }
  const info = concat([lengthPrefixed(label), ...fields.map(lengthPrefixed)]);
  return expand(sha256, prk, info, SUBKEY_BYTES);
}

/** The ZooKeeper digest password of a principal (HKDF over its secret and id). */
export const LABEL_ZK_DIGEST = utf8("zabsim/zk-digest/v1");
/** The check value that lets unseal tell a right root key from a wrong one. */
export const LABEL_ROOT_CHECK = utf8("zabsim/root-check/v1");
