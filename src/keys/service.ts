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
  CryptoError, Keyring, SecretKey, addVersion, encodeKeyringMeta, isCryptoError,
  latestVersion, newKeyring, openValue, promote, sealValue, sealedHeaderOf, sequentialContext,
  setMinDecryption, stateOf, wrapKey,
} from "../crypto/index.js";
import type {
  AuditVerdict, KeyringMeta, Principal, PublicPrincipal, RandomSource, RootKey, SealContext,
  ShareSplitter,
} from "../crypto/index.js";
import { seededSplit } from "../crypto/index.js";
import { auditOps, verifyStoredChain } from "./audit-log.js";
import type { AuditEntry } from "./audit-log.js";
import type { KeyBug } from "./bugs.js";
import { KeyServiceError } from "./errors.js";
import {
  checkReaderId, grantsPath, keyPath, policyPath, readerPath, readersPath, versionPath,
} from "./layout.js";
import { allows, decodePolicy } from "./policy.js";
import type { Policy, PolicyOp } from "./policy.js";
import { grant, regrantOps, registerPrincipal, revoke, setPolicy } from "./principals.js";
import { rewrap } from "./rewrap.js";
import type { RewrapOptions, RewrapReport } from "./rewrap.js";
import { destroyVersion, rotatePrincipal, shredStatus } from "./shred.js";
import type { DestroyReport, ShredState } from "./shred.js";
import { metaPlan, readAcks, readMeta, readVersionKey } from "./store.js";
import type { MetaChange, MetaRead, Plan } from "./store.js";
import { ensureInitialized, initialize, rotateRoot, unseal } from "./unseal.js";
import type { UnsealStatus } from "./unseal.js";
import { OPEN_ACL, keeperCodeOf } from "./zk.js";
import type { Acl, CreateMode, Op, OpResult, Stat, ZooKeeperApi } from "./zk.js";

/** How the service is wired. */
export interface KeyServiceOptions {
  readonly zk: ZooKeeperApi;
  /**
   * Auto-unseal: the root key, handed over by something trusted (Vault's KMS auto-unseal).
   * Without it the service starts sealed and can do nothing until `unseal` gets t shares.
   */
  readonly root?: RootKey;
  /** The principal this service acts as: its policy is checked, it signs the audit records. */
  readonly actor: Principal;
  /** Keys and nonces: the run's seeded stream in the simulation, the CSPRNG for real use. */
  readonly random: RandomSource;
  /** How the root key is split: seededSplit(random) by default; systemSplit for real use. */
  readonly splitter?: ShareSplitter;
  /** Planted bugs (bugs.ts); none by default. */
  readonly bugs?: ReadonlySet<KeyBug>;
  /** When set, this instance is a reader that `promote` waits for. */
  readonly readerId?: string;
  /** ACL of the key znodes (the next layer restricts them to key administrators). */
  readonly acl?: readonly Acl[];
  /** Bound on retries when another writer changes the same key concurrently. Default 8. */
  readonly retriesMax?: number;
}

const RETRIES_DEFAULT = 8;
const encoder = new TextEncoder();

export class KeyService {
  readonly zk: ZooKeeperApi;
  readonly random: RandomSource;
  readonly retriesMax: number;
  readonly actor: Principal;
  readonly splitter: ShareSplitter;
  readonly bugs: ReadonlySet<KeyBug>;
  #root: RootKey | undefined;
  /** Shares submitted to `unseal` so far (unseal.ts). */
  readonly unsealShares: Uint8Array[] = [];
  readonly #readerId: string | undefined;
  /** ACL of the key znodes and the rewrap cursor. */
  readonly acl: readonly Acl[];
  readonly #keyrings = new Map<string, Keyring>();

  constructor(options: KeyServiceOptions) {
    if (options.readerId !== undefined) checkReaderId(options.readerId);
    const retriesMax = options.retriesMax ?? RETRIES_DEFAULT;
    if (!Number.isSafeInteger(retriesMax) || retriesMax < 0 || retriesMax > 1000) {
      throw new KeyServiceError("BAD_ARGUMENT", `retriesMax ${retriesMax} not in 0..1000`);
    }
    this.zk = options.zk;
    this.random = options.random;
    this.retriesMax = retriesMax;
    this.#root = options.root;
    this.actor = options.actor;
    this.splitter = options.splitter ?? seededSplit(options.random);
    this.bugs = options.bugs ?? new Set();
    this.#readerId = options.readerId;
    this.acl = options.acl ?? OPEN_ACL;
  }

  /** True until the root key is known (unsealed, or auto-unsealed). */
  get sealed(): boolean {
    return this.#root === undefined;
  }

  /** The root key; SEALED while the service has not been unsealed. */
  requireRoot(): RootKey {
    if (this.#root === undefined) {
      throw new KeyServiceError("SEALED", "the key service is sealed: unseal it with t shares");
    }
    return this.#root;
  }

  /** Adopts a root key (unseal, root rotation); the previous one is wiped. */
  adoptRoot(root: RootKey): void {
    if (this.#root !== undefined && this.#root.key !== root.key) this.#root.key.wipe();
    this.#root = root;
    this.#keyrings.clear();
  }

  /** Creates the service's subtree, root key metadata and audit chain if missing. */
  async ensureRoot(): Promise<void> {
    this.requireRoot();
    await ensureInitialized(this);
  }

  /** The check op of the actor's policy node, when its policy allows `op` on `key`. */
  async authorize(op: PolicyOp, key: string): Promise<Op> {
    const path = policyPath(this.actor.id);
    let read;
    try {
      read = await this.zk.getData(path);
    } catch (error) {
      if (keeperCodeOf(error) !== "NONODE") throw error;
    }
    const policy = read === undefined ? undefined : decodePolicy(read.data);
    if (read === undefined || policy === undefined || !allows(policy, op, key)) {
      throw new KeyServiceError("NOT_PERMITTED", `${this.actor.id} may not ${op} "${key}"`);
    }
    return { type: "check", path, version: read.stat.version };
  }

  /** One audited multi: the ops, the policy check of the actor, the audit record. */
  async commit(ops: readonly Op[], entry: AuditEntry, permission: Plan["permission"]):
    Promise<OpResult[]> {
    const guard = permission === undefined ? [] : [
      await this.authorize(permission.op, permission.key)];
    const audit = await auditOps(this.zk, this.actor, entry, this.bugs, this.acl);
    return this.zk.multi([...ops, ...guard, ...audit]);
  }

  /**
   * Plans and commits a change, again (bounded) when another writer got there first: BADVERSION
   * (metadata, policy, a grant or the audit head moved) or NODEEXISTS. `build` returns undefined
   * when there is nothing to do. Returns whether a multi was committed.
   */
  async attempt(build: () => Promise<Plan | undefined>, what: string): Promise<boolean> {
    this.requireRoot();
    for (let attempt = 0; attempt <= this.retriesMax; attempt++) {
      const plan = await build();
      if (plan === undefined) return false;
      try {
        await this.commit(plan.ops, plan.entry, plan.permission);
        return true;
      } catch (error) {
        const code = keeperCodeOf(error);
        if (code !== "BADVERSION" && code !== "NODEEXISTS") throw error;
      }
    }
    throw new KeyServiceError("CONFLICT", `${what} kept changing; try again`);
  }

  /** A new key with version 1 primary: metadata, material and readers node in one multi. */
  async createKey(name: string): Promise<KeyringMeta> {
    const meta = newKeyring(name);
    await this.ensureRoot();
    const material = SecretKey.generate(this.random, `${name} v1`);
    const ops: Op[] = [
      { type: "create", path: keyPath(name), data: encodeKeyringMeta(meta), acl: this.acl,
        mode: "PERSISTENT" },
      { type: "create", path: versionPath(name, 1), acl: this.acl, mode: "PERSISTENT",
        data: wrapKey(this.requireRoot(), name, 1, material, this.random) },
      { type: "create", path: readersPath(name), data: null, acl: this.acl, mode: "PERSISTENT" },
      { type: "create", path: grantsPath(name), data: null, acl: this.acl, mode: "PERSISTENT" },
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

  /**
   * Runs a change of `name` and then drops its cached keyring, whatever the outcome: a lost
   * reply (CONNECTIONLOSS) may hide a change that was applied.
   */
  private async changing<T>(name: string, change: () => Promise<T>): Promise<T> {
    try {
      return await change();
    } finally {
      this.#keyrings.delete(name);
    }
  }

  /** A multi that must not be retried on NODEEXISTS (a create): retries only on BADVERSION. */
  private async attemptOnce(ops: readonly Op[], entry: AuditEntry,
    permission: Plan["permission"]): Promise<void> {
    this.requireRoot();
    for (let attempt = 0; attempt <= this.retriesMax; attempt++) {
      try {
        await this.commit(ops, entry, permission);
        return;
      } catch (error) {
        if (keeperCodeOf(error) !== "BADVERSION") throw error;
      }
    }
    throw new KeyServiceError("CONFLICT", `the audit chain kept changing; try again`);
  }

  /** One metadata change (store.ts's metaPlan), with the cache dropped afterwards. */
  change(name: string, decide: (read: MetaRead) => Promise<MetaChange | undefined>):
    Promise<KeyringMeta> {
    return this.changing(name, async () => {
      let next: KeyringMeta | undefined;
      await this.attempt(async () => {
        const planned = await metaPlan(this.zk, name, decide);
        next = planned.next;
        return planned.plan;
      }, `key "${name}"`);
      return next ?? (await readMeta(this.zk, name)).meta;
    });
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
        mode: "PERSISTENT",
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
      const acks = await readAcks(this.zk, name);
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

  /** The keyring of `name` from the cache, loading it (and acknowledging it) on a miss. */
  async keyring(name: string): Promise<Keyring> {
    this.requireRoot();
    return this.#keyrings.get(name) ?? this.refresh(name);
  }

  /** Forgets the cached keyring of `name` (a watch on its metadata calls this). */
  invalidate(name: string): void {
    this.#keyrings.delete(name);
  }

  /**
   * Loads the keyring of `name`: metadata, then each enabled version's material. A version
   * node that vanished meanwhile (destroyed concurrently) makes it start over, boundedly.
   */
  async refresh(name: string): Promise<Keyring> {
    const root = this.requireRoot();
    for (let attempt = 0; attempt <= this.retriesMax; attempt++) {
      const { meta } = await readMeta(this.zk, name);
      const material = new Map<number, SecretKey>();
      try {
        for (let v = 1; v <= latestVersion(meta); v++) {
          if (stateOf(meta, v) !== "enabled") continue;
          material.set(v, await readVersionKey(this.zk, root, name, v));
        }
      } catch (error) {
        for (const key of material.values()) key.wipe();
        if (keeperCodeOf(error) === "NONODE") continue;
        throw error;
      }
      const keyring = new Keyring(meta, material);
      this.#keyrings.set(name, keyring);
      if (this.#readerId !== undefined) await this.acknowledge(name, latestVersion(meta));
      return keyring;
    }
    throw new KeyServiceError("CONFLICT", `key "${name}" kept changing while loading`);
  }

  /** Records that this reader has loaded `name` up to `version` (acks only move forward). */
  private async acknowledge(name: string, version: number): Promise<void> {
    const path = readerPath(name, this.#readerId ?? "");
    const data = encoder.encode(String(version));
    for (let attempt = 0; attempt <= this.retriesMax; attempt++) {
      try {
        const acks = await readAcks(this.zk, name);
        const mine = acks.find((ack) => ack.id === this.#readerId);
        if (mine === undefined) {
          await this.zk.create(path, data, this.acl, "PERSISTENT");
        } else if (mine.acked < version) {
          await this.zk.setData(path, data, mine.version);
        }
        return;
      } catch (error) {
        const code = keeperCodeOf(error);
        if (code !== "NODEEXISTS" && code !== "BADVERSION" && code !== "NONODE") throw error;
      }
    }
    throw new KeyServiceError("CONFLICT", `acknowledgement of "${name}" kept changing`);
  }

  /** Removes this reader's acknowledgement: promote stops waiting for it. */
  async retireReader(name: string): Promise<void> {
    try {
      await this.zk.delete(readerPath(name, this.#readerId ?? ""), -1);
    } catch (error) {
      if (keeperCodeOf(error) !== "NONODE") throw error;
    }
  }

  /** Seals `plaintext` for `context` under the primary version of `name`. */
  async seal(name: string, context: SealContext, plaintext: Uint8Array): Promise<Uint8Array> {
    const keyring = await this.keyring(name);
    return sealValue(keyring.primaryKey(), context, plaintext, this.random);
  }

  /** Opens the sealed value stored at `path`, reloading the keyring once for a newer version. */
  async open(path: string, sealed: Uint8Array | null): Promise<Uint8Array> {
    if (sealed === null) throw new CryptoError("GARBAGE", `${path} holds no data`);
    const { keyName } = sealedHeaderOf(sealed);
    const cached = this.#keyrings.get(keyName);
    try {
      return openValue(await this.keyring(keyName), path, sealed);
    } catch (error) {
      if (cached === undefined || !isCryptoError(error, "UNKNOWN_VERSION")) throw error;
      return openValue(await this.refresh(keyName), path, sealed);
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
