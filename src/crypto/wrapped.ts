/**
 * Key material wrapped under the root key, as it is stored in the tree:
 *
 *   "zwk" | format=1 | rootGeneration(u32) | nameLength | keyName | keyVersion(u32)
 *   | nonce(24) | secretbox(tag 16 + key 32)
 *
 * The box key is HKDF(root key; label, header), so a wrapped version copied to another key
 * name or version number, or presented as a sealed value, fails to unwrap (kdf.ts). The root
 * generation lets the root key rotate (keys/unseal.ts): a reader knows which root a blob needs.
 */
import nacl from "tweetnacl";
import { ByteReader, concat, u32, utf8 } from "./bytes.js";
import { CryptoError } from "./errors.js";
import { LABEL_WRAPPED_KEY, deriveSubkey } from "./kdf.js";
import { checkKeyName } from "./names.js";
import type { RandomSource } from "./random.js";
import { KEY_BYTES, SecretKey, exposeKeyBytes } from "./secret-key.js";
import {
  KEY_VERSION_MAX, NONCE_BYTES, TAG_BYTES, readKeyName, readKeyVersion, readMagic,
} from "./sealed.js";

/** "zwk": the first bytes of every wrapped key. */
export const WRAPPED_MAGIC = Uint8Array.of(0x7a, 0x77, 0x6b);
export const WRAPPED_FORMAT = 1;

/** The key the service holds and wraps every key version under; its generation is public. */
export interface RootKey {
  readonly generation: number;
  readonly key: SecretKey;
}

/** A fresh root key of the given generation. */
export function generateRootKey(random: RandomSource, generation = 1): RootKey {
  checkGeneration(generation);
  return { generation, key: SecretKey.generate(random, `root gen ${generation}`) };
}

function checkGeneration(generation: number): void {
  if (!Number.isInteger(generation) || generation < 1 || generation > KEY_VERSION_MAX) {
    throw new CryptoError("BAD_ARGUMENT", `root generation ${generation} is not in 1..2^32-1`);
  }
}

function header(generation: number, name: string, version: number): Uint8Array {
  const nameBytes = utf8(name);
  return concat([WRAPPED_MAGIC, Uint8Array.of(WRAPPED_FORMAT), u32(generation),
    Uint8Array.of(nameBytes.length), nameBytes, u32(version)]);
}

/** Wraps one version's material under the root key. */
export function wrapKey(root: RootKey, name: string, version: number, material: SecretKey,
  random: RandomSource): Uint8Array {
  checkKeyName(name);
  if (!Number.isInteger(version) || version < 1 || version > KEY_VERSION_MAX) {
    throw new CryptoError("BAD_ARGUMENT", `key version ${version} is not in 1..2^32-1`);
  }
  const headerBytes = header(root.generation, name, version);
  const subkey = deriveSubkey(exposeKeyBytes(root.key), LABEL_WRAPPED_KEY, [headerBytes]);
  const nonce = random.bytes(NONCE_BYTES);
  const box = nacl.secretbox(exposeKeyBytes(material), nonce, subkey);
  subkey.fill(0);
  return concat([headerBytes, nonce, box]);
}

/** The public fields of a wrapped key. */
export interface WrappedHeader {
  readonly rootGeneration: number;
  readonly keyName: string;
  readonly keyVersion: number;
}

/**
 * Unwraps the material of `name` version `version`. Typed errors: GARBAGE, TRUNCATED,
 * UNSUPPORTED_FORMAT, MALFORMED, WRONG_KEY (another root generation, name or version than
 * expected), NOT_AUTHENTIC (tampered, or another root key of the same generation).
 */
export function unwrapKey(root: RootKey, name: string, version: number,
  wrapped: Uint8Array): SecretKey {
  if (!(wrapped instanceof Uint8Array)) {
    throw new CryptoError("BAD_ARGUMENT", "a wrapped key is a Uint8Array");
  }
  const reader = new ByteReader(wrapped, "wrapped key");
  readMagic(reader, WRAPPED_MAGIC, "wrapped key", wrapped);
  const format = reader.byte();
  if (format !== WRAPPED_FORMAT) {
    throw new CryptoError("UNSUPPORTED_FORMAT", `wrapped key format ${format}`);
  }
  const found: WrappedHeader = {
    rootGeneration: reader.uint32(), keyName: readKeyName(reader),
    keyVersion: readKeyVersion(reader),
  };
  if (found.rootGeneration !== root.generation || found.keyName !== name ||
    found.keyVersion !== version) {
    throw new CryptoError("WRONG_KEY", `wrapped "${found.keyName}" v${found.keyVersion} under ` +
      `root gen ${found.rootGeneration}, expected "${name}" v${version} under gen ` +
      `${root.generation}`);
  }
  const headerBytes = wrapped.subarray(0, reader.position);
  const nonce = reader.take(NONCE_BYTES);
  const box = reader.rest();
  if (box.length !== TAG_BYTES + KEY_BYTES) {
    throw new CryptoError(box.length < TAG_BYTES + KEY_BYTES ? "TRUNCATED" : "MALFORMED",
      "a wrapped key's box holds exactly one key");
  }
  const subkey = deriveSubkey(exposeKeyBytes(root.key), LABEL_WRAPPED_KEY, [headerBytes]);
  const material = nacl.secretbox.open(box, nonce, subkey);
  subkey.fill(0);
  if (material === null) {
    throw new CryptoError("NOT_AUTHENTIC", `wrapped "${name}" v${version} does not authenticate`);
  }
  const key = SecretKey.fromBytes(material, `${name} v${version}`);
  material.fill(0);
  return key;
}
