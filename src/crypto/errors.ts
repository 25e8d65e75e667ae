/**
 * The crypto layer's typed errors. Opening a sealed value or a wrapped key never crashes and never
 * returns wrong plaintext: every failure is one of these codes. Messages name what is public
 * anyway (key name, key version, path) and never hold key material, plaintext or ciphertext bytes;
 * test/unit/crypto checks that.
 */

/**
 * Why a crypto operation failed.
 * - `GARBAGE`: not a sealed value or wrapped key at all (wrong magic bytes).
 * - `UNSUPPORTED_FORMAT`: the magic is right but the format version is not one this code reads.
 * - `TRUNCATED`: the header or the box ends early.
 * - `MALFORMED`: a header field holds an impossible value (a version of 0, an unknown context
 *   kind, a bad key name inside the header).
 * - `BAD_KEY_NAME`, `BAD_PATH`, `BAD_ARGUMENT`: the caller passed an invalid name, path or value.
 * - `WRONG_KEY`: the value names another key than the keyring offered (or another root key
 *   generation for a wrapped key).
 * - `UNKNOWN_VERSION`: the keyring has no such version.
 * - `VERSION_DESTROYED`, `VERSION_BELOW_MINIMUM`: the version may no longer decrypt.
 * - `NOT_ALLOWED`: the keyring's rules forbid the change (promote a destroyed version, destroy
 *   one at or above the minimum decryption version, a minimum above the primary).
 * - `CONTEXT_MISMATCH`: the path cannot be the one the value was sealed for (a sequential value
 *   at a name without a sequence suffix, or shorter than its sealed prefix).
 * - `NOT_AUTHENTIC`: the authenticator failed. The value was tampered with, relabelled (its
 *   header's key name or version changed), copied to another path, or sealed under other
 *   material; one code for all, because an authenticator cannot tell them apart (and a decoder
 *   that tried to would be an oracle).
 */
export type CryptoErrorCode =
  | "GARBAGE"
  | "UNSUPPORTED_FORMAT"
  | "TRUNCATED"
  | "MALFORMED"
  | "BAD_KEY_NAME"
  | "BAD_PATH"
  | "BAD_ARGUMENT"
  | "WRONG_KEY"
  | "UNKNOWN_VERSION"
  | "VERSION_DESTROYED"
  | "VERSION_BELOW_MINIMUM"
  | "NOT_ALLOWED"
  | "CONTEXT_MISMATCH"
  | "NOT_AUTHENTIC";

/** A failed seal, open, wrap or unwrap. Invariant: `message` holds no secret bytes. */
export class CryptoError extends Error {
  readonly code: CryptoErrorCode;

  constructor(code: CryptoErrorCode, message: string) {
    super(`${code}: ${message}`);
    this.name = "CryptoError";
    this.code = code;
  }
}

/** True for a CryptoError (any code, or the given one). */
export function isCryptoError(error: unknown, code?: CryptoErrorCode): error is CryptoError {
  return error instanceof CryptoError && (code === undefined || error.code === code);
}
