/**
 * Apply: a committed txn mutates the tree (DataTree.processTxn plus ZooKeeperServer.processTxn's
 * session bookkeeping and outstanding-change cleanup). Apply never fails and never reads a clock:
 * times come from the txn header. An error inside (NONODE, NODEEXISTS) is reported in the result,
 * as ZooKeeper's ProcessTxnResult does; it happens only when replaying txns over a fuzzy
 * snapshot. The watch events the txn fires are returned, in firing order, so a server can send
 * them before its reply.
 */
import { assert, assertNever, mark } from "../util/index.js";
import type { OutstandingChanges } from "./change-record.js";
import { CONTAINER_OWNER, ttlOwner } from "./create-mode.js";
import type { DataTree } from "./data-tree.js";
import type { ErrorCode } from "./errors.js";
import type { SessionTracker } from "./sessions.js";
import type { Stat } from "./stat.js";
import type { SubTxn, Txn, TxnBody, TxnHeader, TxnType } from "./txn.js";
import type { WatchEvent } from "./watches.js";

/** The result of one op of a multi (the OpResult the reply will carry). */
export interface SubTxnResult {
  /** The op's txn type, or "error" for every op of a failed multi. */
  readonly type: SubTxn["type"];
  readonly err: ErrorCode;
  readonly path?: string;
  readonly stat?: Stat;
}

/** DataTree.ProcessTxnResult plus the watch events the txn fired. */
export interface ProcessTxnResult {
  readonly sessionId: number;
  readonly cxid: number;
  readonly zxid: number;
  readonly type: TxnType;
  /** OK, the error txn's code, or for a multi the first non-OK op code. */
  readonly err: ErrorCode;
  /** The path created/deleted/changed (create: the final, sequential name). */
  readonly path?: string;
  /** create2/createTTL/createContainer/setData/setACL: the node's stat after the change. */
  readonly stat?: Stat;
  readonly multiResult?: readonly SubTxnResult[];
  /** Watch notifications fired, in order. */
  readonly events: readonly WatchEvent[];
}

/** Server-side state apply keeps in step with the tree (the leader's or standalone's). */
export interface ApplyHooks {
  /** Outstanding changes to drain up to the applied zxid (leader/standalone only). */
  readonly changes?: OutstandingChanges;
  /** Session tracker to drop closed sessions from (leader/standalone only). */
  readonly sessions?: SessionTracker;
}

interface MutableResult {
  err: ErrorCode;
  path?: string;
  stat?: Stat;
}

/** The mutation of one non-multi txn record; `sessionId` owns any ephemeral it creates. */
function applyBody(tree: DataTree, header: TxnHeader, body: Exclude<TxnBody, { type: "multi" }>,
  events: WatchEvent[]): MutableResult {
  const { zxid, timeMs } = header;
  switch (body.type) {
    case "create":
    case "create2":
    case "createTTL":
    case "createContainer": {
      const owner = body.type === "createContainer" ? CONTAINER_OWNER
        : body.type === "createTTL" ? ttlOwner(body.ttl)
          : body.ephemeral ? header.sessionId : 0;
      const err = tree.createNode(body.path, body.data, body.acl, owner, body.parentCVersion,
        zxid, timeMs, events);
      const node = body.type !== "create" && err === "OK" ? tree.getNode(body.path) : undefined;
      return node === undefined ? { err, path: body.path } : { err, path: body.path,
        stat: node.copyStat() };
    }
    case "delete":
    case "deleteContainer":
      return { err: tree.deleteNode(body.path, zxid, events), path: body.path };
    case "setData": {
      const node = tree.setData(body.path, body.data, body.version, zxid, timeMs, events);
      return node === undefined ? { err: "NONODE", path: body.path }
        : { err: "OK", path: body.path, stat: node.copyStat() };
    }
    case "setACL": {
      const node = tree.setACL(body.path, body.acl, body.version);
      return node === undefined ? { err: "NONODE", path: body.path }
        : { err: "OK", path: body.path, stat: node.copyStat() };
    }
    case "closeSession":
      if (body.paths2Delete.length > 0) mark("tree: closeSession deletes ephemerals");
      tree.killSession(header.sessionId, zxid, body.paths2Delete, events);
      tree.removeWatcher(header.sessionId);
      return { err: "OK" };
    case "error":
      return { err: body.err };
    case "check":
      return { err: "OK", path: body.path };
    case "createSession":
      return { err: "OK" };
    default:
      return assertNever(body, "txn body");
  }
}

/** DataTree.processTxn's fuzzy-replay fix: a create that finds its node still raises cversion. */
function fixupExistingCreate(tree: DataTree, header: TxnHeader, body: TxnBody,
  result: MutableResult): void {
  if (header.type !== "create" || body.type !== "create" || result.err !== "NODEEXISTS") return;
  mark("tree: replayed create finds its node");
  const parentPath = body.path.substring(0, body.path.lastIndexOf("/"));
  const outcome = tree.setCversionPzxid(parentPath, body.parentCVersion, header.zxid);
  if (outcome !== "OK") result.err = outcome;
}

/** DataTree.processTxn's multi case: all sub-txns, or (any error txn) none, with results. */
function applyMulti(tree: DataTree, header: TxnHeader, txns: readonly SubTxn[],
  events: WatchEvent[]): { err: ErrorCode; multiResult: SubTxnResult[] } {
  const failed = txns.some((sub) => sub.type === "error");
  let postFailed = false;
  let err: ErrorCode = "OK";
  const multiResult: SubTxnResult[] = [];
  for (const original of txns) {
    let sub: SubTxn = original;
    if (sub.type === "error") postFailed = true;
    else if (failed) sub = { type: "error", err: postFailed ? "RUNTIMEINCONSISTENCY" : "OK" };
    assert(!failed || sub.type === "error", "a failed multi applies nothing");
    const subHeader: TxnHeader = { ...header, type: sub.type };
    const result = applyBody(tree, subHeader, sub, events);
    fixupExistingCreate(tree, subHeader, sub, result);
    if (!failed && result.err === "OK" && sub.type !== "error" && sub.type !== "check") {
      assert(result.path !== undefined, "an applied op reports its path");
    }
    multiResult.push({ type: sub.type, ...result });
    if (result.err !== "OK" && err === "OK") err = result.err;
  }
  return { err, multiResult };
}

/**
 * Applies a committed txn. Call in zxid order on every replica; the leader (or standalone
 * server) passes its hooks so outstanding changes and tracked sessions follow.
 */
export function applyTxn(tree: DataTree, txn: Txn, hooks?: ApplyHooks): ProcessTxnResult {
  const { header, body } = txn;
  assert(header.type === body.type, "header type must match the txn record");
  assert(header.zxid > 0, "bad zxid", { zxid: header.zxid });
  const events: WatchEvent[] = [];
  if (body.type === "createSession") {
    tree.sessionsWithTimeouts.set(header.sessionId, body.timeoutMs);
  }
  if (body.type === "closeSession") {
    tree.sessionsWithTimeouts.delete(header.sessionId);
    hooks?.sessions?.removeSession(header.sessionId);
  }
  let outcome: MutableResult;
  let multiResult: SubTxnResult[] | undefined;
  if (body.type === "multi") {
    const multi = applyMulti(tree, header, body.txns, events);
    outcome = { err: multi.err };
    multiResult = multi.multiResult;
  } else {
    outcome = applyBody(tree, header, body, events);
    fixupExistingCreate(tree, header, body, outcome);
    if (outcome.err === "OK" && body.type === "delete") {
      assert(tree.getNode(body.path) === undefined, "a deleted node is gone");
    }
  }
  const result: ProcessTxnResult = {
    sessionId: header.sessionId, cxid: header.cxid, zxid: header.zxid, type: header.type,
    err: outcome.err, path: outcome.path, stat: outcome.stat, multiResult, events,
  };
  if (header.zxid > tree.lastProcessedZxid) tree.lastProcessedZxid = header.zxid;
  hooks?.changes?.onApplied(header.zxid);
  return result;
}
