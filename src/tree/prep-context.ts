/**
 * What prep reads: the committed tree, the leader's outstanding changes and session tracker, and
 * the record lookups of PrepRequestProcessor (getRecordForPath, checkSession, checkACL) expressed
 * as helpers that throw KeeperFailure, so the per-op code reads in ZooKeeper's check order.
 */
import { checkACL } from "./acl.js";
import type { Id } from "./acl.js";
import { ChangeRecord } from "./change-record.js";
import type { OutstandingChanges, PendingStat } from "./change-record.js";
import type { DataTree } from "./data-tree.js";
import { KeeperFailure } from "./errors.js";
import { isSpecialPath, isValidPath } from "./path.js";
import type { SessionTracker } from "./sessions.js";
import type { RequestMeta } from "./request.js";

/** Everything prep needs. One per leader (or standalone server). */
export interface PrepContext {
  readonly tree: DataTree;
  /** Cleared when this server becomes leader; drained by applyTxn. */
  readonly changes: OutstandingChanges;
  readonly sessions: SessionTracker;
  /** zookeeper.extendedTypesEnabled (TTL nodes); default true, as zabsim's servers run. */
  readonly extendedTypesEnabled?: boolean;
}

/** A record of a node that exists (in the pending view). */
export type LiveRecord = ChangeRecord & { readonly stat: PendingStat };

/** PrepRequestProcessor.getRecordForPath: the pending view, or NONODE. */
export function getRecordForPath(ctx: PrepContext, path: string): LiveRecord {
  const record = findRecord(ctx, path);
  if (record === undefined || record.stat === null) throw new KeeperFailure("NONODE");
  return record as LiveRecord;
}

/** The latest outstanding record for a path, else one built from the committed node. */
export function findRecord(ctx: PrepContext, path: string): ChangeRecord | undefined {
  const outstanding = ctx.changes.get(path);
  if (outstanding !== undefined) return outstanding;
  const node = ctx.tree.getNode(path);
  if (node === undefined) return undefined;
  const stat = {
    czxid: node.czxid,
    mzxid: node.mzxid,
    pzxid: node.pzxid,
    ctime: node.ctime,
    mtime: node.mtime,
    version: node.version,
    cversion: node.cversion,
    aversion: node.aversion,
    ephemeralOwner: node.ephemeralOwner,
  };
  return new ChangeRecord(-1, path, stat, node.numChildren, node.acl, node.data);
}

/** SessionTracker.checkSession, throwing its error. */
export function checkSession(ctx: PrepContext, meta: RequestMeta): void {
  const code = ctx.sessions.checkSession(meta.sessionId, meta.owner);
  if (code !== "OK") throw new KeeperFailure(code);
}

/** SessionTracker.checkGlobalSession (ephemeral creates), throwing its error. */
export function checkGlobalSession(ctx: PrepContext, meta: RequestMeta): void {
  const code = ctx.sessions.checkGlobalSession(meta.sessionId, meta.owner);
  if (code !== "OK") throw new KeeperFailure(code);
}

/** ZooKeeperServer.checkACL, throwing NOAUTH. */
export function requirePermission(record: ChangeRecord, perm: number, authInfo: readonly Id[]):
  void {
  if (!checkACL(record.acl, perm, authInfo)) throw new KeeperFailure("NOAUTH");
}

/** PrepRequestProcessor.checkAndIncVersion: BADVERSION unless -1 or equal; returns +1 (int). */
export function checkAndIncVersion(currentVersion: number, expectedVersion: number): number {
  if (expectedVersion !== -1 && expectedVersion !== currentVersion) {
    throw new KeeperFailure("BADVERSION");
  }
  return (currentVersion + 1) | 0;
}

/** PrepRequestProcessor.getParentPathAndValidate: no '/', a NUL, or a special path fail. */
export function getParentPathAndValidate(path: string): string {
  const lastSlash = path.lastIndexOf("/");
  if (lastSlash === -1 || path.includes("\u0000") || isSpecialPath(path)) {
    throw new KeeperFailure("BADARGUMENTS");
  }
  return path.substring(0, lastSlash);
}

/** PrepRequestProcessor.validatePath: PathUtils.validatePath, as BADARGUMENTS. */
export function validatePath(path: string): void {
  if (!isValidPath(path)) throw new KeeperFailure("BADARGUMENTS");
}
