/**
 * The root key's life in the tree, as Vault's seal works: `initialize` creates the service's
 * subtree and splits a fresh root key t-of-n (only the check value and t, n go to the tree);
 * `unseal` takes shares one at a time, in any order, and once t have come, combines them (with
 * the audited package) and checks the result; `rotateRoot` makes a new root key generation,
 * rewraps every surviving key version under it in ONE multi, and returns new shares (the old
 * ones, and the old key, are then useless: that is what makes destroy final, shred.ts).
 */
import {
  CryptoError, GENESIS, SHARES_MAX, encodeAuditHead, encodePublicPrincipal, generateRootKey,
  latestVersion, rootCheck, rootKeyFromShares, splitRootKey, stateOf, unwrapKey, wrapKey,
} from "../crypto/index.js";
import type { RootKey } from "../crypto/index.js";
import { byString } from "../util/index.js";
import { appendRecord } from "./audit-log.js";
import { KeyServiceError } from "./errors.js";
import {
  AUDIT_RECORD_PREFIX, AUDIT_ROOT, KEYS_ROOT, POLICIES_ROOT, PRINCIPALS_ROOT, ROOT_META_PATH,
  SERVICE_ROOT, keyPath, policyPath, principalPath, versionPath,
} from "./layout.js";
import { encodePolicy } from "./policy.js";
import type { KeyServiceCore as KeyService } from "./core.js";
import { shredAfterRootRotation } from "./shred-record.js";
import { readMeta } from "./store.js";
import { fromUtf8 } from "./text.js";
import { isAmbiguous, keeperCodeOf } from "./zk.js";
import type { Op } from "./zk.js";

/** What the tree holds about the root key: never the key, only how to recognise it. */
export interface RootMeta {
  readonly generation: number;
  readonly shares: number;
  readonly threshold: number;
  readonly check: string;
}

function encodeRootMeta(meta: RootMeta): Uint8Array {
  return new TextEncoder().encode(JSON.stringify({ format: 1, ...meta }));
}

/** Reads the root metadata; NOT_INITIALIZED when missing, MALFORMED when corrupt. */
export async function readRootMeta(service: KeyService): Promise<{ meta: RootMeta;
  version: number }> {
  let read;
  try {
    read = await service.zk.getData(ROOT_META_PATH);
  } catch (error) {
    if (keeperCodeOf(error) !== "NONODE") throw error;
    throw new KeyServiceError("NOT_INITIALIZED", "the key service has not been initialized");
  }
  try {
    const v = JSON.parse(fromUtf8(read.data) ?? "") as Record<string, unknown>;
    const int = (x: unknown) => typeof x === "number" && Number.isInteger(x) && x >= 1;
    if (v.format === 1 && int(v.generation) && int(v.shares) && int(v.threshold) &&
      typeof v.check === "string" && /^[0-9a-f]{64}$/.test(v.check)) {
      return { meta: v as unknown as RootMeta, version: read.stat.version };
    }
  } catch {
    // fall through
  }
  throw new CryptoError("MALFORMED", "the root key metadata is invalid");
}

/**
 * Creates the service's subtree in one multi: root metadata, the principals, policies and audit
 * nodes, the actor registered with a policy allowing everything (the first administrator, as
 * Vault's initial root token), and the chain's first record. Returns the root key's shares.
 * ALREADY_INITIALIZED if it exists.
 */
export async function initialize(service: KeyService, shares = 3, threshold = 2):
  Promise<Uint8Array[]> {
  const root = service.sealed ? generateRootKey(service.random, 1) : service.requireRoot();
  const parts = await splitRootKey(root, shares, threshold, service.splitter);
  const meta: RootMeta = { generation: root.generation, shares, threshold, check: rootCheck(root) };
  const { actor, acl } = service;
  const { record, next } = appendRecord({ seq: 0, hash: GENESIS }, actor,
    { op: "init", detail: `root gen ${root.generation}, ${threshold} of ${shares}` },
    service.bugs);
  const create = (path: string, data: Uint8Array | null): Op =>
    ({ type: "create", path, data, acl, mode: "PERSISTENT", ttl: -1 });
  const everything = encodePolicy({ rules: [{ key: "*", ops: ["encrypt", "decrypt", "rotate",
    "grant", "destroy", "admin"] }] });
  try {
    await service.zk.multi([create(SERVICE_ROOT, null), create(KEYS_ROOT, null),
      create(ROOT_META_PATH, encodeRootMeta(meta)), create(PRINCIPALS_ROOT, null),
      create(POLICIES_ROOT, null), create(AUDIT_ROOT, encodeAuditHead(next)),
      { type: "create", path: AUDIT_RECORD_PREFIX, data: record, acl,
        mode: "PERSISTENT_SEQUENTIAL", ttl: -1 },
      create(principalPath(actor.id), encodePublicPrincipal(actor.publicPart())),
      create(policyPath(actor.id), everything)]);
  } catch (error) {
    if (keeperCodeOf(error) !== "NODEEXISTS") throw error;
    throw new KeyServiceError("ALREADY_INITIALIZED", "the key service's subtree exists");
  }
  if (service.sealed) service.adoptRoot(root);
  return parts;
}

/** Initializes unless the root metadata exists (an auto-unsealed service's first use). */
export async function ensureInitialized(service: KeyService): Promise<void> {
  try {
    await service.zk.getData(ROOT_META_PATH);
    return;
  } catch (error) {
    if (keeperCodeOf(error) !== "NONODE") throw error;
  }
  try {
    (await initialize(service)).forEach((share) => share.fill(0));
  } catch (error) {
    if (!(error instanceof KeyServiceError && error.code === "ALREADY_INITIALIZED")) throw error;
  }
}

/** Unseal progress, as Vault's /sys/unseal reports it. */
export interface UnsealStatus {
  readonly sealed: boolean;
  readonly threshold: number;
  readonly progress: number;
}

/**
 * Submits one share. Once t distinct shares are in, they are combined and checked against the
 * stored check value: NOT_AUTHENTIC (and progress reset, as Vault does) when they do not
 * recover the current root key. A malformed share is refused (BAD_ARGUMENT) and not counted.
 */
export async function unseal(service: KeyService, share: Uint8Array): Promise<UnsealStatus> {
  const { meta } = await readRootMeta(service);
  if (!service.sealed) return { sealed: false, threshold: meta.threshold, progress: 0 };
  const pending = service.unsealShares;
  if (!(share instanceof Uint8Array) || share.length !== 33 || share[32] === 0) {
    throw new KeyServiceError("BAD_ARGUMENT", "a root key share is 33 bytes with x in 1..255");
  }
  if (pending.some((have) => have[32] === share[32])) {
    throw new KeyServiceError("BAD_ARGUMENT", "that share (its x) was already submitted");
  }
  pending.push(Uint8Array.from(share));
  if (pending.length < meta.threshold) {
    return { sealed: true, threshold: meta.threshold, progress: pending.length };
  }
  const shares = pending.splice(0);
  try {
    service.adoptRoot(await rootKeyFromShares(shares, meta.generation, meta.check));
  } finally {
    shares.forEach((s) => s.fill(0));
  }
  try {
    await service.attempt(async () => ({ ops: [], entry: { op: "unseal",
      detail: `root gen ${meta.generation}` }, permission: undefined }), "the audit chain");
  } catch (error) {
    service.reseal(); // fail closed: an unseal that is not on record does not happen
    throw error;
  }
  return { sealed: false, threshold: meta.threshold, progress: 0 };
}

/** Every enabled version of every key re-wrapped from `old` to `next`, guarded by versions. */
async function rewrapAllOps(service: KeyService, old: RootKey, next: RootKey): Promise<Op[]> {
  const { zk } = service;
  const ops: Op[] = [];
  for (const name of (await zk.getChildren(KEYS_ROOT)).sort(byString)) {
    const { meta, stat } = await readMeta(zk, name);
    ops.push({ type: "check", path: keyPath(name), version: stat.version });
    for (let v = 1; v <= latestVersion(meta); v++) {
      if (stateOf(meta, v) !== "enabled") continue;
      const read = await zk.getData(versionPath(name, v));
      const key = unwrapKey(old, name, v, read.data ?? new Uint8Array());
      ops.push({ type: "setData", path: versionPath(name, v), version: read.stat.version,
        data: wrapKey(next, name, v, key, service.random) });
      key.wipe();
    }
  }
  return ops;
}

/**
 * A new root key generation: every surviving version re-wrapped under it and the root metadata
 * replaced, in one multi (with a check of every key's metadata version, so a version added
 * meanwhile is not left under the old root). Returns the new shares; the old root key is wiped.
 * A multi is one request, so this bounds the versions to about 5,000 (jute.maxbuffer, 1 MiB).
 */
export async function rotateRoot(service: KeyService, shares?: number, threshold?: number):
  Promise<Uint8Array[]> {
  const old = service.requireRoot();
  const { meta } = await readRootMeta(service);
  const n = shares ?? meta.shares;
  const t = threshold ?? meta.threshold;
  if (!Number.isInteger(n) || !Number.isInteger(t) || t < 2 || t > n || n > SHARES_MAX) {
    throw new KeyServiceError("BAD_ARGUMENT", `needs 2 <= threshold <= shares <= 255`);
  }
  const next = generateRootKey(service.random, old.generation + 1);
  const parts = await splitRootKey(next, n, t, service.splitter);
  const nextMeta: RootMeta = { generation: next.generation, shares: n, threshold: t,
    check: rootCheck(next) };
  try {
    await service.attempt(async () => {
      const current = await readRootMeta(service);
      if (current.meta.generation !== old.generation) {
        throw new KeyServiceError("CONFLICT", "another service rotated the root key");
      }
      const ops = await rewrapAllOps(service, old, next);
      ops.push({ type: "setData", path: ROOT_META_PATH, data: encodeRootMeta(nextMeta),
        version: current.version }, ...await shredAfterRootRotation(service, next.generation));
      return { ops, entry: { op: "root-rotation", detail: `root gen ${next.generation}` },
        permission: { op: "admin", key: "*" } };
    }, "the root key");
  } catch (error) {
    const committed = isAmbiguous(keeperCodeOf(error)) &&
      (await readRootMeta(service)).meta.check === nextMeta.check;
    if (!committed) {
      next.key.wipe();
      parts.forEach((p) => p.fill(0));
      throw error;
    }
  }
  service.adoptRoot(next);
  return parts;
}
