/**
 * PrepRequestProcessor.pRequest2TxnCreate: create, create2, createContainer and createTTL, in
 * ZooKeeper's check order. Note the order: the parent is looked up (NONODE) and its CREATE
 * permission checked before the final path (with its sequential suffix) is validated, so a bad
 * sequential name under a missing parent gives NONODE.
 */
import { Perms, fixupACL } from "./acl.js";
import { ChangeRecord } from "./change-record.js";
import { CONTAINER_OWNER, createModeFromFlag, ephemeralTypeOf } from "./create-mode.js";
import { isContainer, isEphemeral, isSequential, isTTL } from "./create-mode.js";
import { isValidTtlForMode, ttlOwner } from "./create-mode.js";
import type { CreateMode } from "./create-mode.js";
import { KeeperFailure } from "./errors.js";
import { checkGlobalSession, checkSession, findRecord, getRecordForPath } from "./prep-context.js";
import { requirePermission, validatePath } from "./prep-context.js";
import type { PrepContext } from "./prep-context.js";
import type { CreateRequest, CreateTTLRequest, RequestMeta } from "./request.js";
import { isInt32, sequenceSuffix } from "./stat.js";
import { assert, mark } from "../util/index.js";
import type { CreateContainerTxn, CreateTTLTxn, CreateTxn } from "./txn.js";

/** PrepRequestProcessor.validateCreateRequest: extended types, ttl range, then the session. */
function validateCreateRequest(
  ctx: PrepContext, meta: RequestMeta, mode: CreateMode, ttl: number): void {
  if (isTTL(mode) && ctx.extendedTypesEnabled === false) throw new KeeperFailure("UNIMPLEMENTED");
  if (!isValidTtlForMode(mode, ttl)) throw new KeeperFailure("BADARGUMENTS");
  if (isEphemeral(mode)) checkGlobalSession(ctx, meta);
  else checkSession(ctx, meta);
}

/** PrepRequestProcessor.validatePathForCreate: needs a '/', no NUL; returns the parent path. */
function validatePathForCreate(path: string): string {
  const lastSlash = path.lastIndexOf("/");
  if (lastSlash === -1 || path.includes("\u0000")) throw new KeeperFailure("BADARGUMENTS");
  return path.substring(0, lastSlash);
}

/** The stored owner the change record gets (from the mode, as ZooKeeper's prep computes it). */
function ownerForMode(mode: CreateMode, ttl: number, sessionId: number): number {
  if (isContainer(mode)) return CONTAINER_OWNER;
  if (isTTL(mode)) return ttlOwner(ttl);
  if (isEphemeral(mode)) return sessionId;
  return 0;
}

/** Preps one create-family request; adds the parent and node change records. */
export function prepCreate(
  ctx: PrepContext,
  meta: RequestMeta,
  request: CreateRequest | CreateTTLRequest,
  zxid: number,
  timeMs: number,
): CreateTxn | CreateContainerTxn | CreateTTLTxn {
  const ttl = request.type === "createTTL" ? request.ttl : -1;
  const mode = createModeFromFlag(request.flags);
  if (mode === undefined) throw new KeeperFailure("BADARGUMENTS");
  validateCreateRequest(ctx, meta, mode, ttl);
  // ZooKeeper lets a createTTL with a non-TTL mode and a negative ttl through prep, then throws
  // IllegalArgumentException while applying it; zabsim answers BADARGUMENTS instead.
  if (request.type === "createTTL" && !isTTL(mode)) throw new KeeperFailure("BADARGUMENTS");
  const parentPath = validatePathForCreate(request.path);
  const acl = fixupACL(meta.authInfo, request.acl);
  if (acl === "INVALIDACL") throw new KeeperFailure("INVALIDACL");
  const parentRecord = getRecordForPath(ctx, parentPath);
  requirePermission(parentRecord, Perms.CREATE, meta.authInfo);
  const parentStat = parentRecord.stat;
  const parentCVersion = parentStat.cversion;
  if (parentCVersion < 0) mark("tree: sequential name from a wrapped cversion");
  const path = isSequential(mode) ? request.path + sequenceSuffix(parentCVersion) : request.path;
  validatePath(path);
  const existing = findRecord(ctx, path);
  if (existing !== undefined && existing.stat !== null) throw new KeeperFailure("NODEEXISTS");
  if (ephemeralTypeOf(parentStat.ephemeralOwner) === "NORMAL") {
    throw new KeeperFailure("NOCHILDRENFOREPHEMERALS");
  }
  const newCversion = (parentCVersion + 1) | 0;
  assert(isInt32(newCversion), "cversion is a Java int");
  const txn = createTxnFor(request, path, acl, mode, newCversion, ttl);
  const parent = parentRecord.duplicate(zxid);
  parent.childCount++;
  const pending = parent.stat;
  if (pending !== null) {
    pending.cversion = newCversion;
    pending.pzxid = zxid;
  }
  ctx.changes.add(parent);
  const owner = ownerForMode(mode, ttl, meta.sessionId);
  const stat = {
    czxid: zxid, mzxid: zxid, pzxid: zxid, ctime: timeMs, mtime: timeMs,
    version: 0, cversion: 0, aversion: 0, ephemeralOwner: owner,
  };
  ctx.changes.add(new ChangeRecord(zxid, path, stat, 0, acl, request.data));
  return txn;
}

function createTxnFor(
  request: CreateRequest | CreateTTLRequest,
  path: string,
  acl: CreateTxn["acl"],
  mode: CreateMode,
  parentCVersion: number,
  ttl: number,
): CreateTxn | CreateContainerTxn | CreateTTLTxn {
  const data = request.data;
  if (request.type === "createContainer") {
    return { type: "createContainer", path, data, acl, parentCVersion };
  }
  if (request.type === "createTTL") {
    return { type: "createTTL", path, data, acl, parentCVersion, ttl };
  }
  return { type: request.type, path, data, acl, ephemeral: isEphemeral(mode), parentCVersion };
}
