/**
 * Destruction that destroys (crypto-shredding). Deleting a version's znode destroys nothing: its
 * wrapped material is still in old transaction logs and snapshots on every replica's disk
 * (ZooKeeper never rewrites them, and autopurge is off by default), and so are the grants that
 * sealed it to principals. Those copies are useless only once every key that could open them is
 * gone. So a destroy completes in three steps:
 * 1. the version is marked destroyed, its material node and grant nodes deleted, and a shred
 *    node records what is still to do (the root generation to retire, and the box generation
 *    of every principal EVER granted the version, revoked or not);
 * 2. the root key is rotated (unseal.ts): new shares, every surviving version rewrapped, the old
 *    root key wiped, and its shares useless;
 * 3. each of those principals' box key pairs is rotated: the new public key registered, the
 *    surviving grants re-sealed to it, the old private key wiped.
 * The shred node goes when all is done; `shredStatus` says what is pending (a principal not at
 * hand stays pending until `rotatePrincipal` is called with it).
 */
import { destroyVersion as markDestroyed, encodePublicPrincipal } from "../crypto/index.js";
import type { Principal } from "../crypto/index.js";
import { byString } from "../util/index.js";
import {
  KEYS_ROOT, grantsPath, parseGrantName, principalPath, versionPath,
} from "./layout.js";
import { readGranted, readPrincipal } from "./principals.js";
import type { KeyServiceCore as KeyService } from "./core.js";
import { readVersionKey } from "./store.js";
import { readShred, shredOp } from "./shred-record.js";
import { rotateRoot } from "./unseal.js";
import { isAmbiguous, keeperCodeOf } from "./zk.js";
import type { Op } from "./zk.js";

export type { ShredState } from "./shred-record.js";
export { shredStatus } from "./shred-record.js";
import { sealGrant } from "../crypto/index.js";

export interface DestroyReport {
  /** The new root key's shares (the old ones are useless); empty if the root did not rotate. */
  readonly shares: Uint8Array[];
  /** Principals whose box keys still must rotate before the destroy is complete. */
  readonly pending: string[];
}

/** Step 1: mark destroyed, delete material and grants, record what must still rotate. */
async function markAndRecord(service: KeyService, name: string, version: number): Promise<void> {
  await service.change(name, async ({ meta }) => {
    const next = markDestroyed(meta, version);
    if (next === meta) return undefined;
    const ops: Op[] = [{ type: "delete", path: versionPath(name, version), version: -1 }];
    const ids = new Set((await readGranted(service.zk, name)).byVersion.get(version) ?? []);
    for (const child of (await service.zk.getChildren(grantsPath(name))).sort(byString)) {
      const parsed = parseGrantName(child);
      if (parsed?.version !== version) continue;
      ids.add(parsed.principalId);
      ops.push({ type: "delete", path: `${grantsPath(name)}/${child}`, version: -1 });
    }
    const read = await readShred(service);
    const principals: Record<string, number> = { ...read?.state.principals };
    for (const id of [...ids].sort(byString)) {
      const generation = (await readPrincipal(service.zk, id)).principal.boxGeneration;
      principals[id] = Math.max(principals[id] ?? 0, generation);
    }
    const rootAtMost = service.requireRoot().generation;
    ops.push(...shredOp({ rootAtMost, principals }, read, service.acl));
    return { next, ops, entry: { op: "destroy", key: name, version },
      permission: { op: "destroy", key: name } };
  });
}

/** Steps 1 to 3 (the module comment). */
export async function destroyVersion(service: KeyService, name: string, version: number,
  holders: readonly Principal[]): Promise<DestroyReport> {
  await markAndRecord(service, name, version);
  let shares: Uint8Array[] = [];
  if (!service.bugs.has("destroy-keeps-root") && ((await readShred(service))?.state.rootAtMost ??
    0) !== 0) {
    shares = await rotateRoot(service);
  }
  for (const holder of holders) {
    const pending = (await readShred(service))?.state.principals[holder.id];
    if (pending !== undefined && holder.boxGeneration <= pending) {
      await rotatePrincipal(service, holder);
    }
  }
  const state = await readShred(service);
  return { shares, pending: Object.keys(state?.state.principals ?? {}).sort(byString) };
}

/** The re-sealed grants of `principal` (every grant node it has), to its prepared key. */
async function regrantAll(service: KeyService, next: ReturnType<Principal["prepareBox"]>):
  Promise<Op[]> {
  const { zk } = service;
  const ops: Op[] = [];
  for (const name of (await zk.getChildren(KEYS_ROOT)).sort(byString)) {
    for (const child of (await zk.getChildren(grantsPath(name))).sort(byString)) {
      const parsed = parseGrantName(child);
      if (parsed?.principalId !== next.id) continue;
      const { stat } = await zk.getData(`${grantsPath(name)}/${child}`);
      const material = await readVersionKey(zk, service.requireRoot(), name, parsed.version);
      ops.push({ type: "setData", path: `${grantsPath(name)}/${child}`, version: stat.version,
        data: sealGrant(next, name, parsed.version, material, service.random) });
      material.wipe();
    }
  }
  return ops;
}

/**
 * Rotates a principal's box key pair: the new public key registered and every grant re-sealed
 * to it in one multi; then the principal switches and wipes its old private key.
 */
export async function rotatePrincipal(service: KeyService, principal: Principal): Promise<void> {
  const next = principal.prepareBox(service.random);
  try {
    await service.attempt(async () => {
      const { version } = await readPrincipal(service.zk, principal.id);
      const ops: Op[] = [{ type: "setData", path: principalPath(principal.id), version,
        data: encodePublicPrincipal(next) }, ...await regrantAll(service, next)];
      const read = await readShred(service);
      if (read !== undefined && read.state.principals[principal.id] !== undefined &&
        (read.state.principals[principal.id] ?? 0) < next.boxGeneration) {
        const principals = { ...read.state.principals };
        delete principals[principal.id];
        ops.push(...shredOp({ ...read.state, principals }, read, service.acl));
      }
      return { ops, entry: { op: "principal-rotation", subject: principal.id,
        detail: `box gen ${next.boxGeneration}` }, permission: { op: "admin", key: "*" } };
    }, `principal ${principal.id}`);
  } catch (error) {
    const applied = isAmbiguous(keeperCodeOf(error)) &&
      (await readPrincipal(service.zk, principal.id)).principal.boxGeneration ===
        next.boxGeneration;
    if (!applied) {
      principal.abortBox();
      throw error;
    }
  }
  principal.commitBox();
}
