/**
 * PrepRequestProcessor.pRequest2Txn for everything but create: delete, deleteContainer, setData,
 * setACL, check, createSession and closeSession, each in ZooKeeper's check order, each adding
 * its change records only after every check passed.
 */
import { Perms, fixupACL } from "./acl.js";
import { mark } from "../util/index.js";
import { ChangeRecord } from "./change-record.js";
import { ephemeralTypeOf } from "./create-mode.js";
import { KeeperFailure } from "./errors.js";
import { cloneCapacity, hashSetOrderAfter } from "./java-hash.js";
import type { SetOp } from "./java-hash.js";
import { checkAndIncVersion, checkSession, getParentPathAndValidate } from "./prep-context.js";
import { getRecordForPath, requirePermission, validatePath } from "./prep-context.js";
import type { PrepContext } from "./prep-context.js";
import type { CheckVersionRequest, DeleteContainerRequest, DeleteRequest } from "./request.js";
import type { RequestMeta, SetACLRequest, SetDataRequest } from "./request.js";
import type { CheckVersionTxn, CloseSessionTxn, CreateSessionTxn, DeleteTxn } from "./txn.js";
import type { SetACLTxn, SetDataTxn } from "./txn.js";

/** The parent loses a child: childCount - 1, pzxid = zxid (stored cversion unchanged). */
function addDeleteRecords(ctx: PrepContext, parentPath: string, path: string, zxid: number):
  void {
  const parent = getRecordForPath(ctx, parentPath).duplicate(zxid);
  parent.childCount--;
  if (parent.stat !== null) parent.stat.pzxid = zxid;
  ctx.changes.add(parent);
  ctx.changes.add(new ChangeRecord(zxid, path, null, -1, [], null));
}

/** delete: session, parent path (BADARGUMENTS), parent NONODE, DELETE on parent, node, version. */
export function prepDelete(ctx: PrepContext, meta: RequestMeta, request: DeleteRequest,
  zxid: number): DeleteTxn {
  checkSession(ctx, meta);
  const path = request.path;
  const parentPath = getParentPathAndValidate(path);
  const parentRecord = getRecordForPath(ctx, parentPath);
  requirePermission(parentRecord, Perms.DELETE, meta.authInfo);
  const nodeRecord = getRecordForPath(ctx, path);
  checkAndIncVersion(nodeRecord.stat.version, request.version);
  if (nodeRecord.childCount > 0) throw new KeeperFailure("NOTEMPTY");
  addDeleteRecords(ctx, parentPath, path, zxid);
  return { type: "delete", path };
}

/**
 * deleteContainer (the server's own request; no session check): parent path, node NONODE,
 * NOTEMPTY, and BADVERSION if the node is a plain ephemeral.
 */
export function prepDeleteContainer(ctx: PrepContext, request: DeleteContainerRequest,
  zxid: number): DeleteTxn {
  const path = request.path;
  const parentPath = getParentPathAndValidate(path);
  const nodeRecord = getRecordForPath(ctx, path);
  if (nodeRecord.childCount > 0) throw new KeeperFailure("NOTEMPTY");
  if (ephemeralTypeOf(nodeRecord.stat.ephemeralOwner) === "NORMAL") {
    throw new KeeperFailure("BADVERSION");
  }
  addDeleteRecords(ctx, parentPath, path, zxid);
  return { type: "deleteContainer", path };
}

/** setData: session, validatePath, NONODE, WRITE on the node, version. */
export function prepSetData(ctx: PrepContext, meta: RequestMeta, request: SetDataRequest,
  zxid: number, timeMs: number): SetDataTxn {
  checkSession(ctx, meta);
  validatePath(request.path);
  const nodeRecord = getRecordForPath(ctx, request.path);
  requirePermission(nodeRecord, Perms.WRITE, meta.authInfo);
  const newVersion = checkAndIncVersion(nodeRecord.stat.version, request.version);
  const record = nodeRecord.duplicate(zxid);
  if (record.stat !== null) {
    record.stat.version = newVersion;
    record.stat.mtime = timeMs;
    record.stat.mzxid = zxid;
  }
  record.data = request.data;
  ctx.changes.add(record);
  return { type: "setData", path: request.path, data: request.data, version: newVersion };
}

/**
 * setACL: session, validatePath, fixupACL (INVALIDACL before NONODE), NONODE, ADMIN, aversion.
 * As in ZooKeeper, the pending record keeps the old ACL (only the aversion changes).
 */
export function prepSetACL(ctx: PrepContext, meta: RequestMeta, request: SetACLRequest,
  zxid: number): SetACLTxn {
  checkSession(ctx, meta);
  validatePath(request.path);
  const acl = fixupACL(meta.authInfo, request.acl);
  if (acl === "INVALIDACL") throw new KeeperFailure("INVALIDACL");
  const nodeRecord = getRecordForPath(ctx, request.path);
  requirePermission(nodeRecord, Perms.ADMIN, meta.authInfo);
  const newVersion = checkAndIncVersion(nodeRecord.stat.aversion, request.version);
  const record = nodeRecord.duplicate(zxid);
  if (record.stat !== null) record.stat.aversion = newVersion;
  ctx.changes.add(record);
  return { type: "setACL", path: request.path, acl, version: newVersion };
}

/** check: session, validatePath, NONODE, READ on the node, version. Adds no record. */
export function prepCheck(ctx: PrepContext, meta: RequestMeta, request: CheckVersionRequest):
  CheckVersionTxn {
  checkSession(ctx, meta);
  validatePath(request.path);
  const nodeRecord = getRecordForPath(ctx, request.path);
  requirePermission(nodeRecord, Perms.READ, meta.authInfo);
  const version = checkAndIncVersion(nodeRecord.stat.version, request.version);
  return { type: "check", path: request.path, version };
}

/** createSession: tracks the session (id allocated by the tracker) and claims its owner. */
export function prepCreateSession(ctx: PrepContext, meta: RequestMeta, timeoutMs: number,
  timeMs: number): CreateSessionTxn {
  ctx.sessions.trackSession(meta.sessionId, timeoutMs, timeMs);
  if (meta.owner !== undefined) {
    const code = ctx.sessions.setOwner(meta.sessionId, meta.owner);
    if (code !== "OK") throw new KeeperFailure(code);
  }
  return { type: "createSession", timeoutMs };
}

/**
 * The paths closeSession deletes, in the order ZooKeeper iterates them: the clone of the
 * session's ephemeral HashSet (getEphemerals), minus pending deletes, plus pending ephemeral
 * creates of the session, walked in outstanding-change order.
 */
function closeSessionPaths(ctx: PrepContext, sessionId: number): string[] {
  const czxidOf = (path: string): number => ctx.tree.getNode(path)?.czxid ?? 0;
  const committed = ctx.tree.getEphemerals(sessionId).sort((a, b) => czxidOf(a) - czxidOf(b));
  const source = hashSetOrderAfter(committed.map((key) => ({ add: true, key })), 16);
  const ops: SetOp[] = source.map((key) => ({ add: true, key }));
  for (const record of ctx.changes.records()) {
    if (record.stat === null) ops.push({ add: false, key: record.path });
    else if (record.stat.ephemeralOwner === sessionId) {
      mark("tree: closeSession sees a pending ephemeral");
      ops.push({ add: true, key: record.path });
    }
  }
  return hashSetOrderAfter(ops, cloneCapacity(committed.length));
}

/**
 * closeSession: the session's ephemerals as they will be once every outstanding change applies
 * (pending deletes removed, pending ephemeral creates of this session added), each with delete
 * records for it and its parent's pzxid; then the session is marked closing. No session check:
 * the expirer sends this for sessions it does not own.
 */
export function prepCloseSession(ctx: PrepContext, meta: RequestMeta, zxid: number):
  CloseSessionTxn {
  const paths2Delete = closeSessionPaths(ctx, meta.sessionId);
  for (const path of paths2Delete) {
    const parentPath = getParentPathAndValidate(path);
    const parent = getRecordForPath(ctx, parentPath).duplicate(zxid);
    if (parent.stat !== null) parent.stat.pzxid = zxid;
    ctx.changes.add(parent);
    ctx.changes.add(new ChangeRecord(zxid, path, null, 0, [], null));
  }
  ctx.sessions.setSessionClosing(meta.sessionId);
  return { type: "closeSession", paths2Delete };
}
