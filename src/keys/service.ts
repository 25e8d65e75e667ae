/**
 * The key service: named, versioned keys kept in the tree (layout.ts), their material wrapped
 * under a root key the service holds only once unsealed (unseal.ts: t-of-n Shamir shares, or
 * an auto-unseal root passed in), and values sealed and opened with them on the client, so the
 * ensemble only ever stores ciphertext. Every change is one multi (`commit`) that also checks
 * the acting principal's policy node and appends a signed audit record guarded by the chain
 * head's version (audit-log.ts), so a crash never leaves half a rotation and nothing happens
 * unaudited. Principals, grants and policies are in principals.ts; destruction in shred.ts.
 *
 * Rotation has two phases, as Tink prescribes (there is never a global atomic switch to a new
 * key): `addVersion` adds an enabled, non-primary version; `promote` makes it primary only once
 * every registered reader has acknowledged loading it, and only if the service can unwrap it.
 * A reader registers by having a `readerId`: loading a keyring writes its acknowledgement.
 */
import {
  CryptoError, SecretKey, addVersion, encodeKeyringMeta, isCryptoError, latestVersion,
  looksSealed, newKeyring, openValue, promote, sealValue, sealedHeaderOf, sequentialContext,
  setMinDecryption, wrapKey,
} from "../crypto/index.js";
import type {
  AuditVerdict, KeyringMeta, Principal, PublicPrincipal, RandomSource, SealContext,
} from "../crypto/index.js";
import { verifyStoredChain } from "./audit-log.js";
import type { AuditEntry } from "./audit-log.js";
import { KeyServiceCore } from "./core.js";
import { KeyServiceError } from "./errors.js";
import { grantsPath, keyPath, readerPath, readersPath, versionPath } from "./layout.js";
import type { Policy } from "./policy.js";
import { grant, regrantOps, registerPrincipal, revoke, setPolicy } from "./principals.js";
import { rewrap } from "./rewrap.js";
import type { RewrapOptions, RewrapReport } from "./rewrap.js";
import { destroyVersion, rotatePrincipal, shredStatus } from "./shred.js";
import type { DestroyReport, ShredState } from "./shred.js";
import { readAcks, readMeta, readVersionKey } from "./store.js";
import { ensureInitialized, initialize, rotateRoot, unseal } from "./unseal.js";
import type { UnsealStatus } from "./unseal.js";
import { keeperCodeOf } from "./zk.js";
import type { Acl, CreateMode, Op, Stat } from "./zk.js";

export type { KeyServiceOptions } from "./core.js";

/** Planted bug no-context-binding: every value is sealed for this one context. */
const UNBOUND = { kind: "path", path: "/" } as const;

/** Planted bug nonce-reuse: a "random" source stuck at zero (every nonce the same). */
const STUCK_RANDOM: RandomSource = { kind: "seeded", bytes: (count) => new Uint8Array(count) };

/** The key service: key lifecycle, principals, unseal and sealed values. */
export class KeyService extends KeyServiceCore {
  /** Creates the service's subtree, root key metadata and audit chain if missing. */
  async ensureRoot(): Promise<void> {
    this.requireRoot();
    await ensureInitialized(this);
  }

  /** A new key with version 1 primary: metadata, material and readers node in one multi. */
  async createKey(name: string): Promise<KeyringMeta> {
    const meta = newKeyring(name);
    await this.ensureRoot();
    const material = SecretKey.generate(this.random, `${name} v1`);
    const ops: Op[] = [
      { type: "create", path: keyPath(name), data: encodeKeyringMeta(meta), acl: this.acl,
        mode: "PERSISTENT", ttl: -1 },
      { type: "create", path: versionPath(name, 1), acl: this.acl, mode: "PERSISTENT", ttl: -1,
        data: wrapKey(this.requireRoot(), name, 1, material, this.random) },
      { type: "create", path: readersPath(name), data: null, acl: this.acl, mode: "PERSISTENT",
        ttl: -1 },
      { type: "create", path: grantsPath(name), data: null, acl: this.acl, mode: "PERSISTENT",
        ttl: -1 },
    ];
    material.wipe();
    const entry: AuditEntry = { op: "create", key: name, version: 1 };
    try {
      await this.changing(name, () => this.attemptOnce(ops, entry, { op: "admin", key: name }));
    } catch (error) {
      if (keeperCodeOf(error) === "NODEEXISTS") {
        throw new KeyServiceError("KEY_EXISTS", `key "${name}" exists`);
      }
      throw error;
    }
    return meta;
  }

  /** The key's public metadata, read fresh. */
  async describe(name: string): Promise<KeyringMeta> {
    this.requireRoot();
    return (await readMeta(this.zk, name)).meta;
  }

  /** Rotation phase one: a new enabled version, not yet primary. Returns its number. */
  async addVersion(name: string): Promise<number> {
    const meta = await this.change(name, async ({ meta: current }) => {
      const next = addVersion(current);
      const version = latestVersion(next);
      const material = SecretKey.generate(this.random, `${name} v${version}`);
      const data = wrapKey(this.requireRoot(), name, version, material, this.random);
      const regrants = await regrantOps(this, name, version, material);
      material.wipe();
      const create: Op = {
        type: "create", path: versionPath(name, version), data, acl: this.acl,
        mode: "PERSISTENT", ttl: -1,
      };
      return { next, ops: [create, ...regrants], entry: { op: "add-version", key: name, version },
        permission: { op: "rotate", key: name } };
    });
    return latestVersion(meta);
  }

  /**
   * Rotation phase two: `version` becomes primary once it is readable, by the service (its
   * material unwraps) and by every registered reader (each acknowledged it); NOT_YET_READABLE
   * otherwise. The multi checks each acknowledgement's node version, so the set of readers it
   * judged is the set at the commit.
   */
  async promote(name: string, version: number): Promise<void> {
    await this.change(name, async ({ meta }) => {
      const next = promote(meta, version);
      if (next.primary === meta.primary) return undefined;
      (await readVersionKey(this.zk, this.requireRoot(), name, version)).wipe();
      // Planted bug promote-before-readable: no reader is waited for.
      const acks = this.bugs.has("promote-before-readable") ? [] : await readAcks(this.zk, name);
      const lacking = acks.filter((ack) => ack.acked < version).map((ack) => ack.id);
      if (lacking.length > 0) {
        throw new KeyServiceError("NOT_YET_READABLE",
          `readers ${lacking.join(", ")} have not loaded "${name}" v${version}`);
      }
      const checks: Op[] = acks.map((ack) =>
        ({ type: "check", path: readerPath(name, ack.id), version: ack.version }));
      return { next, ops: checks, entry: { op: "promote", key: name, version },
        permission: { op: "rotate", key: name } };
    });
  }

  /** Values sealed below `minimum` stop opening (reversible until a version is destroyed). */
  async setMinDecryptionVersion(name: string, minimum: number): Promise<void> {
    await this.change(name, async ({ meta }) => {
      const next = setMinDecryption(meta, minimum);
      if (next.minDecryption === meta.minDecryption) return undefined;
      return { next, ops: [], entry: { op: "min-decryption", key: name, version: minimum },
        permission: { op: "rotate", key: name } };
    });
  }

  /**
   * Destroys a version below the minimum, and completes the destruction (shred.ts): the root
   * key is rotated (new shares are returned: the old ones are useless) and so are the box keys
   * of every principal ever granted the version, among `holders` (the rest stay pending).
   */
  destroyVersion(name: string, version: number, holders: readonly Principal[] = []):
    Promise<DestroyReport> {
    return destroyVersion(this, name, version, holders);
  }

  /** Creates the service's subtree and returns the root key's shares (unseal.ts). */
  initialize(shares = 3, threshold = 2): Promise<Uint8Array[]> {
    return initialize(this, shares, threshold);
  }

  /** Submits one root key share (unseal.ts). */
  unseal(share: Uint8Array): Promise<UnsealStatus> {
    return unseal(this, share);
  }

  /** A new root key generation; returns its shares (unseal.ts). */
  rotateRoot(shares?: number, threshold?: number): Promise<Uint8Array[]> {
    return rotateRoot(this, shares, threshold);
  }

  async registerPrincipal(principal: PublicPrincipal, policy?: Policy): Promise<void> {
    this.requireRoot();
    return registerPrincipal(this, principal, policy);
  }

  setPolicy(id: string, policy: Policy): Promise<void> {
    return setPolicy(this, id, policy);
  }

  /** Grants `name` (the given versions, or every readable one) to principal `id`. */
  grant(name: string, id: string, versions?: readonly number[]): Promise<void> {
    return grant(this, name, id, versions);
  }

  revoke(name: string, id: string): Promise<void> {
    return revoke(this, name, id);
  }

  /** Rotates a principal's box key pair and re-seals its grants (shred.ts). */
  rotatePrincipal(principal: Principal): Promise<void> {
    return rotatePrincipal(this, principal);
  }

  /** What destroys still need (undefined when every destroy is complete). */
  async shredStatus(): Promise<ShredState | undefined> {
    this.requireRoot();
    return shredStatus(this);
  }

  /** Reads and verifies the audit chain in the tree. */
  async verifyAudit(): Promise<AuditVerdict> {
    this.requireRoot();
    return verifyStoredChain(this.zk);
  }

  /** Re-seals the values of `name` under `subtree` to the primary version (rewrap.ts). */
  rewrap(name: string, subtree: string, options: RewrapOptions = {}): Promise<RewrapReport> {
    return rewrap(this, name, subtree, options);
  }

  /** Seals `plaintext` for `context` under the primary version of `name`. */
  async seal(name: string, context: SealContext, plaintext: Uint8Array): Promise<Uint8Array> {
    const keyring = await this.keyring(name);
    if (this.bugs.has("plaintext-at-rest")) return plaintext.slice();
    const bound = this.bugs.has("no-context-binding") ? UNBOUND : context;
    const random = this.bugs.has("nonce-reuse") ? STUCK_RANDOM : this.random;
    return sealValue(keyring.primaryKey(), bound, plaintext, random);
  }

  /** Opens the sealed value stored at `path`, reloading the keyring once for a newer version. */
  async open(path: string, sealed: Uint8Array | null): Promise<Uint8Array> {
    if (sealed === null) throw new CryptoError("GARBAGE", `${path} holds no data`);
    if (this.bugs.has("plaintext-at-rest") && !looksSealed(sealed)) return sealed.slice();
    const at = this.bugs.has("no-context-binding") ? UNBOUND.path : path;
    const { keyName } = sealedHeaderOf(sealed);
    const cached = this.cached(keyName);
    try {
      return openValue(await this.keyring(keyName), at, sealed);
    } catch (error) {
      if (cached === undefined || !isCryptoError(error, "UNKNOWN_VERSION")) throw error;
      return openValue(await this.refresh(keyName), at, sealed);
    }
  }

  /** ZooKeeper create of a sealed value; sequential modes bind the parent and name prefix. */
  async createSealed(name: string, path: string, plaintext: Uint8Array,
    mode: CreateMode = "PERSISTENT", acl: readonly Acl[] = this.acl): Promise<string> {
    const context: SealContext = mode.includes("SEQUENTIAL")
      ? sequentialContext(path) : { kind: "path", path };
    return this.zk.create(path, await this.seal(name, context, plaintext), acl, mode);
  }

  /** ZooKeeper setData of a sealed value (version -1 matches any). */
  async setSealed(name: string, path: string, plaintext: Uint8Array, version = -1):
    Promise<Stat> {
    const sealed = await this.seal(name, { kind: "path", path }, plaintext);
    return this.zk.setData(path, sealed, version);
  }

  /** ZooKeeper getData of a sealed value, opened. */
  async getSealed(path: string): Promise<{ plaintext: Uint8Array; stat: Stat }> {
    const { data, stat } = await this.zk.getData(path);
    return { plaintext: await this.open(path, data), stat };
  }
}
