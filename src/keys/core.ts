/**
 * The key service's core: its wiring, the sealed/unsealed state, and the one pattern every
 * change follows (`attempt` -> `commit`): read, decide, then ONE multi holding the change, a
 * `check` of the acting principal's policy node (the policy must allow the operation), and the
 * signed audit record with the chain head's version check (audit-log.ts); retried a bounded
 * number of times when another writer got there first. Also the keyring cache and the reader
 * acknowledgements two-phase rotation waits for. The operations are in service.ts.
 */
import { Keyring, latestVersion, seededSplit, stateOf } from "../crypto/index.js";
import type {
  KeyringMeta, Principal, RandomSource, RootKey, SecretKey, ShareSplitter,
} from "../crypto/index.js";
import { auditOps } from "./audit-log.js";
import type { AuditEntry } from "./audit-log.js";
import type { KeyBug } from "./bugs.js";
import { KeyServiceError } from "./errors.js";
import { checkReaderId, policyPath, readerPath } from "./layout.js";
import { allows, decodePolicy } from "./policy.js";
import type { PolicyOp } from "./policy.js";
import { metaPlan, readAcks, readMeta, readVersionKey } from "./store.js";
import type { MetaChange, MetaRead, Plan } from "./store.js";
import { OPEN_ACL, keeperCodeOf } from "./zk.js";
import type { Acl, Op, OpResult, ZooKeeperApi } from "./zk.js";

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
  /**
   * How the root key is split: seededSplit(random) for a seeded source; real use (a system
   * source) must pass systemSplit, the audited package's split.
   */
  readonly splitter?: ShareSplitter;
  /** Planted bugs (bugs.ts); none by default. */
  readonly bugs?: ReadonlySet<KeyBug>;
  /** When set, this instance is a reader that `promote` waits for. */
  readonly readerId?: string;
  /**
   * ACL of the service's znodes: world-open by default; a deployment names its administrators'
   * digest ids. Grant and policy nodes add READ for their principal (principals.ts).
   */
  readonly acl?: readonly Acl[];
  /** Bound on retries when another writer changes the same key concurrently. Default 8. */
  readonly retriesMax?: number;
}

const RETRIES_DEFAULT = 8;
const encoder = new TextEncoder();

export class KeyServiceCore {
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
    if (options.splitter === undefined && options.random.kind !== "seeded") {
      // Real use splits the root key with the audited package (systemSplit), never with the
      // simulation's hand-written routine.
      throw new KeyServiceError("BAD_ARGUMENT", "a system random source needs a splitter");
    }
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

  /** Forgets and wipes the root key: the service is sealed again. */
  reseal(): void {
    this.#root?.key.wipe();
    this.#root = undefined;
    this.#keyrings.clear();
  }

  /** Adopts a root key (unseal, root rotation); the previous one is wiped. */
  adoptRoot(root: RootKey): void {
    if (this.#root !== undefined && this.#root.key !== root.key) this.#root.key.wipe();
    this.#root = root;
    this.#keyrings.clear();
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

  /**
   * Runs a change of `name` and then drops its cached keyring, whatever the outcome: a lost
   * reply (CONNECTIONLOSS) may hide a change that was applied.
   */
  protected async changing<T>(name: string, change: () => Promise<T>): Promise<T> {
    try {
      return await change();
    } finally {
      this.#keyrings.delete(name);
    }
  }

  /** A multi that must not be retried on NODEEXISTS (a create): retries only on BADVERSION. */
  async attemptOnce(ops: readonly Op[], entry: AuditEntry,
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

  /** The cached keyring of `name`, if any. */
  protected cached(name: string): Keyring | undefined {
    return this.#keyrings.get(name);
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
}
