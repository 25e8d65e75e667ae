/**
 * A named key's versions and their lifecycle, as pure values (the key service stores them in the
 * tree; this file decides what is allowed). Versions count from 1 and are never reused. Each is
 * `enabled` (may decrypt when at or above the minimum) or `destroyed` (its material is gone). One
 * enabled version is the primary, the only one that seals new values. The rules follow Vault's
 * transit engine (min_decryption_version, trim only below it) and Tink's keysets (add a version,
 * then promote it once every reader has it):
 * Invariant: 1 <= minDecryption <= primary <= latest, and the primary is enabled.
 * Invariant: every destroyed version is below minDecryption.
 */
import { fromUtf8, utf8 } from "./bytes.js";
import { CryptoError } from "./errors.js";
import { checkKeyName, keyNameProblem } from "./names.js";
import type { DecryptionKeys, VersionedKey } from "./sealed.js";
import { KEY_VERSION_MAX } from "./sealed.js";
import type { SecretKey } from "./secret-key.js";

export type VersionState = "enabled" | "destroyed";

/** A key's public metadata (no material). */
export interface KeyringMeta {
  readonly name: string;
  readonly primary: number;
  readonly minDecryption: number;
  /** The state of versions 1..latest: versions[v - 1]. */
  readonly versions: readonly VersionState[];
}

export const KEYRING_FORMAT = 1;

/** The newest version number. */
export function latestVersion(meta: KeyringMeta): number {
  return meta.versions.length;
}

/** The state of `version`, or undefined when there is no such version. */
export function stateOf(meta: KeyringMeta, version: number): VersionState | undefined {
  return Number.isInteger(version) && version >= 1 ? meta.versions[version - 1] : undefined;
}

/** Why `meta` breaks an invariant, or undefined when it holds them all. */
export function keyringProblem(meta: KeyringMeta): string | undefined {
  const latest = meta.versions.length;
  if (keyNameProblem(meta.name) !== undefined) return "bad key name";
  if (latest < 1 || latest > KEY_VERSION_MAX) return "no versions";
  if (!meta.versions.every((s) => s === "enabled" || s === "destroyed")) return "bad state";
  const { primary, minDecryption } = meta;
  if (!Number.isInteger(primary) || !Number.isInteger(minDecryption)) return "bad numbers";
  if (!(minDecryption >= 1 && minDecryption <= primary && primary <= latest)) {
    return "needs 1 <= minDecryption <= primary <= latest";
  }
  if (stateOf(meta, primary) !== "enabled") return "the primary is destroyed";
  for (let v = minDecryption; v <= latest; v++) {
    if (stateOf(meta, v) !== "enabled") return `version ${v} destroyed at or above the minimum`;
  }
  return undefined;
}

/** A new key: version 1, enabled and primary. */
export function newKeyring(name: string): KeyringMeta {
  checkKeyName(name);
  return { name, primary: 1, minDecryption: 1, versions: ["enabled"] };
}

/** Phase one of a rotation: a new enabled version that is not primary yet. */
export function addVersion(meta: KeyringMeta): KeyringMeta {
  if (latestVersion(meta) >= KEY_VERSION_MAX) {
    throw new CryptoError("NOT_ALLOWED", `key "${meta.name}" has no version numbers left`);
  }
  return { ...meta, versions: [...meta.versions, "enabled"] };
}

function requireVersion(meta: KeyringMeta, version: number): VersionState {
  const state = stateOf(meta, version);
  if (state === undefined) {
    throw new CryptoError("UNKNOWN_VERSION", `key "${meta.name}" has no version ${version}`);
  }
  return state;
}

/** Phase two: `version` seals new values (the caller has checked every reader has it). */
export function promote(meta: KeyringMeta, version: number): KeyringMeta {
  const state = requireVersion(meta, version);
  if (state === "destroyed") {
    throw new CryptoError("VERSION_DESTROYED", `"${meta.name}" v${version} is destroyed`);
  }
  if (version < meta.minDecryption) {
    throw new CryptoError("NOT_ALLOWED",
      `"${meta.name}" v${version} is below the minimum decryption version ${meta.minDecryption}`);
  }
  return { ...meta, primary: version };
}

/** Values sealed under versions below `minimum` stop opening (reversible while not destroyed). */
export function setMinDecryption(meta: KeyringMeta, minimum: number): KeyringMeta {
  requireVersion(meta, minimum);
  if (minimum > meta.primary) {
    throw new CryptoError("NOT_ALLOWED",
      `minimum ${minimum} is above the primary v${meta.primary} of "${meta.name}"`);
  }
  for (let v = minimum; v < meta.minDecryption; v++) {
    if (stateOf(meta, v) === "destroyed") {
      throw new CryptoError("VERSION_DESTROYED",
        `cannot lower the minimum to ${minimum}: "${meta.name}" v${v} is destroyed`);
    }
  }
  return { ...meta, minDecryption: minimum };
}

/** Marks `version` destroyed; allowed only below the minimum decryption version. */
export function destroyVersion(meta: KeyringMeta, version: number): KeyringMeta {
  const state = requireVersion(meta, version);
  if (state === "destroyed") return meta;
  if (version >= meta.minDecryption) {
    throw new CryptoError("NOT_ALLOWED", `"${meta.name}" v${version} is at or above the ` +
      `minimum decryption version ${meta.minDecryption}; raise the minimum first`);
  }
  const versions = meta.versions.slice();
  versions[version - 1] = "destroyed";
  return { ...meta, versions };
}

/** The stored form: JSON with a format number (public metadata only). */
export function encodeKeyringMeta(meta: KeyringMeta): Uint8Array {
  const { name, primary, minDecryption, versions } = meta;
  return utf8(JSON.stringify({ format: KEYRING_FORMAT, name, primary, minDecryption, versions }));
}

/** Parses stored metadata; MALFORMED for anything that is not a valid keyring of `name`. */
export function decodeKeyringMeta(name: string, bytes: Uint8Array | null): KeyringMeta {
  const bad = (why: string) => new CryptoError("MALFORMED", `keyring "${name}": ${why}`);
  const text = bytes === null ? undefined : fromUtf8(bytes);
  if (text === undefined) throw bad("not UTF-8 text");
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw bad("not JSON");
  }
  if (typeof value !== "object" || value === null) throw bad("not an object");
  const record = value as Record<string, unknown>;
  if (record.format !== KEYRING_FORMAT) throw bad("unknown format");
  if (record.name !== name) throw bad("stored under another name");
  if (!Array.isArray(record.versions)) throw bad("no versions");
  const meta: KeyringMeta = {
    name, primary: Number(record.primary), minDecryption: Number(record.minDecryption),
    versions: record.versions as VersionState[],
  };
  const problem = keyringProblem(meta);
  if (problem !== undefined) throw bad(problem);
  return meta;
}

/** A keyring with the material of its enabled versions: what seals and opens values. */
export class Keyring implements DecryptionKeys {
  readonly meta: KeyringMeta;
  readonly #material: ReadonlyMap<number, SecretKey>;

  /** Invariant: `material` holds exactly the enabled versions of `meta`. */
  constructor(meta: KeyringMeta, material: ReadonlyMap<number, SecretKey>) {
    for (let v = 1; v <= latestVersion(meta); v++) {
      if ((stateOf(meta, v) === "enabled") !== material.has(v)) {
        throw new CryptoError("MALFORMED", `keyring "${meta.name}" v${v}: material mismatch`);
      }
    }
    this.meta = meta;
    this.#material = material;
  }

  get name(): string {
    return this.meta.name;
  }

  /** The primary version, for sealing. */
  primaryKey(): VersionedKey {
    return this.versionKey(this.meta.primary);
  }

  /** One enabled version (rewrap seals under its recorded target). */
  versionKey(version: number): VersionedKey {
    return { name: this.name, version, key: this.decryptionKey(version) };
  }

  decryptionKey(version: number): SecretKey {
    const state = requireVersion(this.meta, version);
    if (state === "destroyed") {
      throw new CryptoError("VERSION_DESTROYED", `"${this.name}" v${version} is destroyed`);
    }
    if (version < this.meta.minDecryption) {
      throw new CryptoError("VERSION_BELOW_MINIMUM", `"${this.name}" v${version} is below ` +
        `the minimum decryption version ${this.meta.minDecryption}`);
    }
    const key = this.#material.get(version);
    if (key === undefined) throw new CryptoError("UNKNOWN_VERSION", `no material for v${version}`);
    return key;
  }

  toJSON(): KeyringMeta {
    return this.meta;
  }
}
