/**
 * Rewrap of one value: open it under its version and seal it again under a target version, for
 * the same context (a sequential value keeps its parent, prefix and value id). The plaintext
 * never leaves this function, so a rewrap job sees only ciphertexts, as Vault's transit rewrap
 * promises ("never returns plaintext").
 */
import { CryptoError } from "./errors.js";
import type { RandomSource } from "./random.js";
import type { DecryptionKeys, VersionedKey } from "./sealed.js";
import { contextAt, openValue, parseSealed, sealValue } from "./sealed.js";

/** The value at `path` sealed again under `target`; typed errors as openValue's. */
export function resealValue(keys: DecryptionKeys, target: VersionedKey, path: string,
  sealed: Uint8Array, random: RandomSource): Uint8Array {
  if (target.name !== keys.name) {
    throw new CryptoError("WRONG_KEY", `rewrap from "${keys.name}" to "${target.name}"`);
  }
  const plaintext = openValue(keys, path, sealed);
  const context = contextAt(path, parseSealed(sealed).header);
  try {
    return sealValue(target, context, plaintext, random);
  } finally {
    plaintext.fill(0);
  }
}
