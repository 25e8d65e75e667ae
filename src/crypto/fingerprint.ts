/**
 * Public facts about byte strings, for observations and checkers: a SHA-256 fingerprint (what
 * the `--encrypt` run's trace carries instead of a plaintext), and the headers of wrapped keys
 * and sealed values read without any key. Nothing here touches key material.
 */
import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex } from "@noble/hashes/utils.js";
import { ByteReader } from "./bytes.js";
import { CryptoError } from "./errors.js";
import { parseSealed, readKeyName, readKeyVersion, readMagic } from "./sealed.js";
import { WRAPPED_FORMAT, WRAPPED_MAGIC } from "./wrapped.js";
import type { WrappedHeader } from "./wrapped.js";

/** SHA-256 of `bytes`, in hex. */
export function fingerprint(bytes: Uint8Array): string {
  return bytesToHex(sha256(bytes));
}

/** The public header of a wrapped key; a CryptoError when the bytes are not one. */
export function wrappedHeaderOf(wrapped: Uint8Array): WrappedHeader {
  const reader = new ByteReader(wrapped, "wrapped key");
  readMagic(reader, WRAPPED_MAGIC, "wrapped key", wrapped);
  const format = reader.byte();
  if (format !== WRAPPED_FORMAT) {
    throw new CryptoError("UNSUPPORTED_FORMAT", `wrapped key format ${format}`);
  }
  const rootGeneration = reader.uint32();
  return { rootGeneration, keyName: readKeyName(reader), keyVersion: readKeyVersion(reader) };
}

/** A sealed value's public facts (key, version, nonce in hex, fingerprint), or undefined. */
export function sealedFactsOf(sealed: Uint8Array):
  { key: string; version: number; nonce: string; ciphertext: string } | undefined {
  try {
    const { header, nonce } = parseSealed(sealed);
    return { key: header.keyName, version: header.keyVersion, nonce: bytesToHex(nonce),
      ciphertext: fingerprint(sealed) };
  } catch (error) {
    if (error instanceof CryptoError) return undefined;
    throw error;
  }
}

/**
 * The first offset at which a `length`-byte window of `blob` has a SHA-256 in `wanted` (hex
 * fingerprints), or -1. A checker's scan for plaintexts it knows only by fingerprint; the first
 * four bytes of each digest are compared before any hex is built.
 */
export function findFingerprint(blob: Uint8Array, length: number,
  wanted: ReadonlySet<string>): number {
  const prefixes = new Set<number>();
  for (const hex of wanted) prefixes.add(parseInt(hex.slice(0, 8), 16));
  for (let i = 0; i + length <= blob.length; i++) {
    const digest = sha256(blob.subarray(i, i + length));
    const prefix = (((digest[0] ?? 0) << 24) | ((digest[1] ?? 0) << 16) |
      ((digest[2] ?? 0) << 8) | (digest[3] ?? 0)) >>> 0;
    if (prefixes.has(prefix) && wanted.has(bytesToHex(digest))) return i;
  }
  return -1;
}
