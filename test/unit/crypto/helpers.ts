/**
 * Shared builders for the crypto tests: seeded random sources, keyrings with known material, and
 * fast-check arbitraries for valid znode paths and key names.
 */
import fc from "fast-check";
import {
  Keyring, SecretKey, addVersion, newKeyring, seededRandom,
} from "../../../src/crypto/index.js";
import type { KeyringMeta, RandomSource } from "../../../src/crypto/index.js";
import { Prng } from "../../../src/util/index.js";

export function random(seed = 1, name = "test"): RandomSource {
  return seededRandom(new Prng(seed, name));
}

/** A keyring "k" (or `name`) with `versions` enabled versions, primary the newest. */
export function keyring(versions = 1, name = "k", seed = 7): Keyring {
  let meta: KeyringMeta = newKeyring(name);
  for (let v = 2; v <= versions; v++) meta = addVersion(meta);
  meta = { ...meta, primary: versions };
  const rng = random(seed, `material/${name}`);
  const material = new Map<number, SecretKey>();
  for (let v = 1; v <= versions; v++) material.set(v, SecretKey.generate(rng, `${name} v${v}`));
  return new Keyring(meta, material);
}

const componentChar = fc.constantFrom(..."abcxyz019-_.:é世".split(""));

/** A path component PathUtils accepts (no "." or ".."). */
export const component = fc.string({ unit: componentChar, minLength: 1, maxLength: 8 })
  .filter((c) => c !== "." && c !== "..");

/** A valid znode path other than "/". */
export const path = fc.array(component, { minLength: 1, maxLength: 4 })
  .map((parts) => `/${parts.join("/")}`);

/** A valid key name. */
export const keyName = fc.string({
  unit: fc.constantFrom(..."abcXYZ019_.-".split("")), minLength: 1, maxLength: 64,
}).filter((n) => !n.startsWith(".") && !n.startsWith("-"));

/** Hex of bytes, for scanning text for leaked material. */
export function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString("hex");
}

export function base64(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString("base64");
}

/** Runs `f` and returns the CryptoError code it throws, or "returned" if it returns. */
export function codeOf(f: () => unknown): string {
  try {
    f();
    return "returned";
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    return typeof code === "string" ? code : `untyped ${String(error)}`;
  }
}
