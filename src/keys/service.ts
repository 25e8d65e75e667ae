/**
 * The key service: named, versioned keys kept in the tree (layout.ts), their material wrapped
 * under a root key the service holds (the next layer gives the root key its Shamir unseal), and
 * values sealed and opened with them on the client, so the ensemble only ever stores
 * ciphertext. Every change that touches several znodes is one multi guarded by the metadata's
 * version (store.ts), so a crash never leaves half a rotation.
 *
 * Rotation has two phases, as Tink prescribes (there is never a global atomic switch to a new
 * key): `addVersion` adds an enabled, non-primary version; `promote` makes it primary only once
 * every registered reader has acknowledged loading it, and only if the service can unwrap it.
 * A reader registers by having a `readerId`: loading a keyring writes its acknowledgement.
 */
import {
  CryptoError, Keyring, SecretKey, addVersion, destroyVersion, encodeKeyringMeta, isCryptoError,
  latestVersion, newKeyring, openValue, promote, sealValue, sealedHeaderOf, sequentialContext,
  setMinDecryption, stateOf, wrapKey,
} from "../crypto/index.js";
import type { KeyringMeta, RandomSource, RootKey, SealContext } from "../crypto/index.js";
import { KeyServiceError } from "./errors.js";
import {
  KEYS_ROOT, SERVICE_ROOT, checkReaderId, keyPath, readerPath, readersPath, versionPath,
} from "./layout.js";
import { rewrap } from "./rewrap.js";
import type { RewrapOptions, RewrapReport } from "./rewrap.js";
import { changeMeta, readAcks, readMeta, readVersionKey } from "./store.js";
import type { MetaChange, MetaRead } from "./store.js";
import { OPEN_ACL, keeperCodeOf } from "./zk.js";
import type { Acl, CreateMode, Op, Stat, ZooKeeperApi } from "./zk.js";

/** How the service is wired. */
export interface KeyServiceOptions {
  readonly zk: ZooKeeperApi;
  /** The key every version's material is wrapped under; never written to the tree. */
  readonly root: RootKey;
  /** Keys and nonces: the run's seeded stream in the simulation, the CSPRNG for real use. */
  readonly random: RandomSource;
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
  readonly #root: RootKey;
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
    this.#readerId = options.readerId;
    this.acl = options.acl ?? OPEN_ACL;
  }

  /** Creates the reserved subtree if it is missing (idempotent). */
  async ensureRoot(): Promise<void> {
    for (const path of [SERVICE_ROOT, KEYS_ROOT]) {
      try {
        await this.zk.create(path, null, this.acl, "PERSISTENT");
      } catch (error) {
        if (keeperCodeOf(error) !== "NODEEXISTS") throw error;
      }
    }
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
        data: wrapKey(this.#root, name, 1, material, this.random) },
      { type: "create", path: readersPath(name), data: null, acl: this.acl, mode: "PERSISTENT" },
    ];
    material.wipe();
    try {
      await this.changing(name, () => this.zk.multi(ops));
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

  /** One metadata change (store.ts's changeMeta), with the cache dropped afterwards. */
  private change(name: string, decide: (read: MetaRead) => Promise<MetaChange | undefined>):
    Promise<KeyringMeta> {
    return this.changing(name, () => changeMeta(this.zk, name, this.retriesMax, decide));
  }

  /** The key's public metadata, read fresh. */
  async describe(name: string): Promise<KeyringMeta> {
    return (await readMeta(this.zk, name)).meta;
  }

  /** Rotation phase one: a new enabled version, not yet primary. Returns its number. */
  async addVersion(name: string): Promise<number> {
    const meta = await this.change(name, async ({ meta: current }) => {
      const next = addVersion(current);
      const version = latestVersion(next);
      const material = SecretKey.generate(this.random, `${name} v${version}`);
      const data = wrapKey(this.#root, name, version, material, this.random);
      material.wipe();
      const create: Op = {
        type: "create", path: versionPath(name, version), data, acl: this.acl,
        mode: "PERSISTENT",
      };
      return { next, ops: [create] };
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
      (await readVersionKey(this.zk, this.#root, name, version)).wipe();
      const acks = await readAcks(this.zk, name);
      const lacking = acks.filter((ack) => ack.acked < version).map((ack) => ack.id);
      if (lacking.length > 0) {
        throw new KeyServiceError("NOT_YET_READABLE",
          `readers ${lacking.join(", ")} have not loaded "${name}" v${version}`);
      }
      const checks: Op[] = acks.map((ack) =>
        ({ type: "check", path: readerPath(name, ack.id), version: ack.version }));
      return { next, ops: checks };
    });
  }

  /** Values sealed below `minimum` stop opening (reversible until a version is destroyed). */
  async setMinDecryptionVersion(name: string, minimum: number): Promise<void> {
    await this.change(name, async ({ meta }) => {
      const next = setMinDecryption(meta, minimum);
      return next.minDecryption === meta.minDecryption ? undefined : { next, ops: [] };
    });
  }

  /**
   * Destroys a version below the minimum: its material node is deleted in the same multi that
   * marks it destroyed. Old transaction logs and snapshots still hold the wrapped material
   * (docs/keys.md): only rotating the root key (the next layer) makes it unrecoverable.
   */
  async destroyVersion(name: string, version: number): Promise<void> {
    await this.change(name, async ({ meta }) => {
      const next = destroyVersion(meta, version);
      if (next === meta) return undefined;
      return { next, ops: [{ type: "delete", path: versionPath(name, version), version: -1 }] };
    });
  }

  /** Re-seals the values of `name` under `subtree` to the primary version (rewrap.ts). */
  rewrap(name: string, subtree: string, options: RewrapOptions = {}): Promise<RewrapReport> {
    return rewrap(this, name, subtree, options);
  }

  /** The keyring of `name` from the cache, loading it (and acknowledging it) on a miss. */
  async keyring(name: string): Promise<Keyring> {
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
    for (let attempt = 0; attempt <= this.retriesMax; attempt++) {
      const { meta } = await readMeta(this.zk, name);
      const material = new Map<number, SecretKey>();
      try {
        for (let v = 1; v <= latestVersion(meta); v++) {
          if (stateOf(meta, v) !== "enabled") continue;
          material.set(v, await readVersionKey(this.zk, this.#root, name, v));
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
