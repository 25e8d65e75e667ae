/**
 * A 32-byte symmetric key that cannot leak by accident. The bytes sit in an ES private field,
 * so JSON.stringify, structured logging, util.inspect and template strings print
 * `[secret key <label>]` instead of the material; only the crypto module reads them (through
 * `exposeKeyBytes`, which the module's index does not export). Tests scan error messages and
 * renderings for key bytes.
 */
import { CryptoError } from "./errors.js";
import { forgetParentKey } from "./kdf.js";
import type { RandomSource } from "./random.js";

/** secretbox (XSalsa20-Poly1305) key length, also the root key and the HKDF output length. */
export const KEY_BYTES = 32;

const INSPECT = Symbol.for("nodejs.util.inspect.custom");

/** Reads a key's private bytes; set by the class's static block, used by exposeKeyBytes. */
let readBytes: (key: SecretKey) => Uint8Array = () => {
  throw new CryptoError("BAD_ARGUMENT", "SecretKey is not initialised");
};

/** A symmetric key: a label for humans and 32 hidden bytes. */
export class SecretKey {
  readonly #bytes: Uint8Array;
  /** What the key is, for messages ("root gen 1", "payments v3"); never secret. */
  readonly label: string;

  private constructor(bytes: Uint8Array, label: string) {
    this.#bytes = bytes;
    this.label = label;
  }

  /** A key from exactly 32 bytes (copied, so the caller may wipe its buffer). */
  static fromBytes(bytes: Uint8Array, label: string): SecretKey {
    if (!(bytes instanceof Uint8Array) || bytes.length !== KEY_BYTES) {
      throw new CryptoError("BAD_ARGUMENT", `a key is ${KEY_BYTES} bytes`);
    }
    return new SecretKey(Uint8Array.from(bytes), label);
  }

  /** A fresh key from the given random source. */
  static generate(random: RandomSource, label: string): SecretKey {
    return new SecretKey(random.bytes(KEY_BYTES), label);
  }

  /** Zeroes the material (best effort: JavaScript may have copied it). */
  wipe(): void {
    forgetParentKey(this.#bytes);
    this.#bytes.fill(0);
  }

  static {
    readBytes = (key) => key.#bytes;
  }

  toString(): string {
    return `[secret key ${this.label}]`;
  }

  toJSON(): string {
    return this.toString();
  }

  [INSPECT](): string {
    return this.toString();
  }
}

/** The key's bytes, for the crypto module's own files only. */
export function exposeKeyBytes(key: SecretKey): Uint8Array {
  return readBytes(key);
}
