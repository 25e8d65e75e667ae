/**
 * Principals, their policies, and grants: tree operations, each one audited multi, so they are
 * ordered with the data they protect. A grant is a key version sealed to the principal's box
 * public key (crypto/grant.ts) at /_zabsim/keys/<name>/grants/<id>@v<N>, readable (ZooKeeper
 * ACL) by the grantee. Granting needs the actor's `grant` permission on the key AND the
 * grantee's own policy to allow `decrypt` on it; both policy nodes' versions are
 * checked in the multi. The grants node remembers every principal ever granted each version,
 * because a revoked grant still sits in old logs: destroy must rotate those principals' box keys
 * too (shred.ts). A new version (addVersion) is granted at once to every current grantee whose
 * policy still allows it; a revoked principal gets no new version, so the next rotation makes
 * its copy useless for new values.
 */
import {
  decodePublicPrincipal, encodePublicPrincipal, latestVersion, sealGrant, stateOf,
} from "../crypto/index.js";
import type { PublicPrincipal, SecretKey } from "../crypto/index.js";
import { byNumber, byString } from "../util/index.js";
import { KeyServiceError } from "./errors.js";
import {
  grantName, grantPath, grantsPath, keyPath, parseGrantName, policyPath, principalPath,
} from "./layout.js";
import { allows, decodePolicy, encodePolicy, policyProblem } from "./policy.js";
import type { Policy } from "./policy.js";
import type { KeyServiceCore as KeyService } from "./core.js";
import { readMeta } from "./store.js";
import { fromUtf8 } from "./text.js";
import { keeperCodeOf } from "./zk.js";
import type { Acl, Op, ZooKeeperApi } from "./zk.js";

/** A registered principal and its node's version. */
export async function readPrincipal(zk: ZooKeeperApi, id: string):
  Promise<{ principal: PublicPrincipal; version: number }> {
  try {
    const { data, stat } = await zk.getData(principalPath(id));
    return { principal: decodePublicPrincipal(id, data), version: stat.version };
  } catch (error) {
    if (keeperCodeOf(error) !== "NONODE") throw error;
    throw new KeyServiceError("NO_SUCH_PRINCIPAL", `no principal ${JSON.stringify(id)}`);
  }
}

/** Registers a principal's public keys and, optionally, its policy. */
export async function registerPrincipal(service: KeyService, principal: PublicPrincipal,
  policy?: Policy): Promise<void> {
  if (policy !== undefined && policyProblem(policy) !== undefined) {
    throw new KeyServiceError("BAD_ARGUMENT", `bad policy: ${policyProblem(policy)}`);
  }
  encodePublicPrincipal(principal); // typed errors before anything is written
  const acl = [...service.acl, readBy(principal)];
  const ops: Op[] = [{ type: "create", path: principalPath(principal.id), acl,
    data: encodePublicPrincipal(principal), mode: "PERSISTENT", ttl: -1 }];
  if (policy !== undefined) {
    ops.push({ type: "create", path: policyPath(principal.id), data: encodePolicy(policy), acl,
      mode: "PERSISTENT", ttl: -1 });
  }
  try {
    await service.attemptOnce(ops, { op: "register", subject: principal.id },
      { op: "admin", key: "*" });
  } catch (error) {
    if (keeperCodeOf(error) !== "NODEEXISTS") throw error;
    throw new KeyServiceError("BAD_ARGUMENT", `principal ${principal.id} exists`);
  }
}

/** The ACL entry that lets `principal` read a node (ZooKeeper's digest scheme). */
export function readBy(principal: PublicPrincipal): Acl {
  return { perms: 1, id: { scheme: "digest", id: principal.zkDigest } };
}

/** Writes (creates or replaces) a principal's policy. */
export async function setPolicy(service: KeyService, id: string, policy: Policy): Promise<void> {
  const problem = policyProblem(policy);
  if (problem !== undefined) throw new KeyServiceError("BAD_ARGUMENT", `bad policy: ${problem}`);
  await service.attempt(async () => {
    const { principal, version } = await readPrincipal(service.zk, id);
    const data = encodePolicy(policy);
    const check: Op = { type: "check", path: principalPath(id), version };
    let write: Op;
    try {
      const { stat } = await service.zk.getData(policyPath(id));
      write = { type: "setData", path: policyPath(id), data, version: stat.version };
    } catch (error) {
      if (keeperCodeOf(error) !== "NONODE") throw error;
      write = { type: "create", path: policyPath(id), data, mode: "PERSISTENT", ttl: -1,
        acl: [...service.acl, readBy(principal)] };
    }
    return { ops: [check, write], entry: { op: "policy", subject: id },
      permission: { op: "admin", key: "*" } };
  }, `the policy of ${id}`);
}

/** Versions -> every principal ever granted them, kept in the grants node. */
export interface Granted {
  readonly byVersion: Map<number, Set<string>>;
  readonly nodeVersion: number;
}

export async function readGranted(zk: ZooKeeperApi, name: string): Promise<Granted> {
  const { data, stat } = await zk.getData(grantsPath(name));
  const byVersion = new Map<number, Set<string>>();
  try {
    const value = JSON.parse(fromUtf8(data) ?? "{}") as { granted?: Record<string, string[]> };
    for (const [v, ids] of Object.entries(value.granted ?? {}).sort(([a], [b]) => byString(a, b))) {
      if (Array.isArray(ids)) byVersion.set(Number(v), new Set(ids.map(String)));
    }
  } catch {
    // A corrupt list is treated as empty here; destroy reads grant nodes as well.
  }
  return { byVersion, nodeVersion: stat.version };
}

/** The setData of the grants node with `more` (version -> ids) added. */
export function grantedOp(name: string, granted: Granted, more: ReadonlyMap<number, string[]>):
  Op {
  const merged: Record<string, string[]> = {};
  const versions = new Set([...granted.byVersion.keys(), ...more.keys()]);
  for (const v of [...versions].sort(byNumber)) {
    const ids = new Set([...(granted.byVersion.get(v) ?? []), ...(more.get(v) ?? [])]);
    merged[String(v)] = [...ids].sort(byString);
  }
  return { type: "setData", path: grantsPath(name), version: granted.nodeVersion,
    data: new TextEncoder().encode(JSON.stringify({ format: 1, granted: merged })) };
}

/**
 * The grantee's policy allows holding the key (`decrypt`: a grant is the symmetric key, so
 * whoever holds one can decrypt, whatever else its policy says); its check op (fail closed).
 */
async function granteeCheck(service: KeyService, id: string, name: string): Promise<Op[]> {
  if (service.bugs.has("grant-skips-policy")) return [];
  try {
    const { data, stat } = await service.zk.getData(policyPath(id));
    const policy = decodePolicy(data);
    if (policy !== undefined && allows(policy, "decrypt", name)) {
      return [{ type: "check", path: policyPath(id), version: stat.version }];
    }
  } catch (error) {
    if (keeperCodeOf(error) !== "NONODE") throw error;
  }
  throw new KeyServiceError("NOT_PERMITTED", `${id}'s policy does not allow holding "${name}"`);
}

/** The grant nodes of `name` now in the tree: child name -> node version. */
async function grantNodes(zk: ZooKeeperApi, name: string): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (const child of (await zk.getChildren(grantsPath(name))).sort(byString)) {
    try {
      out.set(child, (await zk.getData(`${grantsPath(name)}/${child}`)).stat.version);
    } catch (error) {
      if (keeperCodeOf(error) !== "NONODE") throw error;
    }
  }
  return out;
}

/** Create-or-replace op of one grant node. */
function grantWrite(service: KeyService, name: string, grantee: PublicPrincipal, version: number,
  material: SecretKey, existing: ReadonlyMap<string, number>): Op {
  const path = grantPath(name, grantee.id, version);
  const data = sealGrant(grantee, name, version, material, service.random);
  const nodeVersion = existing.get(grantName(grantee.id, version));
  return nodeVersion === undefined
    ? { type: "create", path, data, acl: [...service.acl, readBy(grantee)], mode: "PERSISTENT",
      ttl: -1 }
    : { type: "setData", path, data, version: nodeVersion };
}

/**
 * Grants `name` to principal `id`: the given versions, or every version that may decrypt now.
 * NOT_PERMITTED unless the actor may grant the key and the grantee's policy allows holding it.
 */
export async function grant(service: KeyService, name: string, id: string,
  versions?: readonly number[]): Promise<void> {
  await service.attempt(async () => {
    const { zk } = service;
    const { meta, stat } = await readMeta(zk, name);
    const wanted = versions ?? Array.from({ length: latestVersion(meta) }, (_, i) => i + 1)
      .filter((v) => v >= meta.minDecryption && stateOf(meta, v) === "enabled");
    const { principal, version } = await readPrincipal(zk, id);
    const checks: Op[] = [{ type: "check", path: keyPath(name), version: stat.version },
      { type: "check", path: principalPath(id), version },
      ...await granteeCheck(service, id, name)];
    const keyring = await service.refresh(name);
    const existing = await grantNodes(zk, name);
    const writes = wanted.map((v) =>
      grantWrite(service, name, principal, v, keyring.decryptionKey(v), existing));
    const granted = grantedOp(name, await readGranted(zk, name),
      new Map(wanted.map((v) => [v, [id]])));
    return { ops: [...checks, ...writes, granted],
      entry: { op: "grant", key: name, subject: id, detail: `v${wanted.join(",v")}` },
      permission: service.bugs.has("grant-skips-policy") ? undefined
        : { op: "grant", key: name } };
  }, `the grants of "${name}"`);
}

/** Removes every grant of `name` to `id` (the copies it already opened are not recalled). */
export async function revoke(service: KeyService, name: string, id: string): Promise<void> {
  await service.attempt(async () => {
    const ops: Op[] = [];
    for (const [child, version] of await grantNodes(service.zk, name)) {
      if (parseGrantName(child)?.principalId !== id) continue;
      ops.push({ type: "delete", path: `${grantsPath(name)}/${child}`, version });
    }
    return { ops, entry: { op: "revoke", key: name, subject: id },
      permission: { op: "grant", key: name } };
  }, `the grants of "${name}"`);
}

/** Grants of a new version to every current grantee whose policy still allows it. */
export async function regrantOps(service: KeyService, name: string, version: number,
  material: SecretKey): Promise<Op[]> {
  const existing = await grantNodes(service.zk, name);
  const ids = [...new Set([...existing.keys()].map((c) => parseGrantName(c)?.principalId ?? ""))]
    .filter((id) => id !== "").sort(byString);
  const ops: Op[] = [];
  const added: string[] = [];
  for (const id of ids) {
    let checks: Op[];
    try {
      checks = await granteeCheck(service, id, name);
    } catch (error) {
      if (error instanceof KeyServiceError && error.code === "NOT_PERMITTED") continue;
      throw error;
    }
    const { principal, version: nodeVersion } = await readPrincipal(service.zk, id);
    ops.push(...checks, { type: "check", path: principalPath(id), version: nodeVersion },
      grantWrite(service, name, principal, version, material, existing));
    added.push(id);
  }
  if (added.length === 0) return ops;
  const granted = await readGranted(service.zk, name);
  return [...ops, grantedOp(name, granted, new Map([[version, added]]))];
}
