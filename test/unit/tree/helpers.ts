/**
 * Shared builders for the tree tests: a standalone-like server (tree, outstanding changes,
 * session tracker) that preps and applies each write at once, with zxids counting from 1 and a
 * clock the test advances, plus small request constructors.
 */
import {
  CREATE_MODE_FLAGS, DataTree, OPEN_ACL_UNSAFE, OutstandingChanges, SessionTracker, applyTxn,
  prepRequest, processRead, restoreSnapshot, takeSnapshot, utf8Bytes,
} from "../../../src/tree/index.js";
import type {
  Acl, CreateMode, CreateRequest, CreateTTLRequest, Id, PrepContext, ProcessTxnResult,
  ReadRequest, ReadResult, SnapshotNode, Txn, WriteRequest,
} from "../../../src/tree/index.js";

/** A one-server harness: prep then apply, like a standalone ZooKeeper with no pipelining. */
export class Harness {
  readonly tree: DataTree;
  readonly changes = new OutstandingChanges();
  readonly sessions: SessionTracker;
  readonly ctx: PrepContext;
  nextZxid = 1;
  nowMs = 1_000_000;
  cxid = 0;

  constructor(tree: DataTree = new DataTree()) {
    this.tree = tree;
    this.nextZxid = tree.lastProcessedZxid + 1;
    this.sessions = new SessionTracker({ tickTimeMs: 2000, serverId: 1, nowMs: this.nowMs });
    this.ctx = { tree: this.tree, changes: this.changes, sessions: this.sessions };
  }

  /** Opens a session through a createSession txn; returns its id. */
  openSession(timeoutMs = 30_000): number {
    const sessionId = this.sessions.createSession(timeoutMs, this.nowMs);
    this.writeAs(sessionId, { type: "createSession", timeoutMs });
    return sessionId;
  }

  /** Preps a write without applying it (pipelining). */
  prep(sessionId: number, request: WriteRequest, authInfo: readonly Id[] = []): Txn {
    const meta = { sessionId, cxid: this.cxid++, authInfo };
    return prepRequest(this.ctx, meta, request, this.nextZxid++, this.nowMs);
  }

  apply(txn: Txn): ProcessTxnResult {
    return applyTxn(this.tree, txn, { changes: this.changes, sessions: this.sessions });
  }

  writeAs(sessionId: number, request: WriteRequest, authInfo: readonly Id[] = []):
    ProcessTxnResult {
    return this.apply(this.prep(sessionId, request, authInfo));
  }

  read(sessionId: number, request: ReadRequest, authInfo: readonly Id[] = []): ReadResult {
    return processRead(this.tree, { sessionId, cxid: this.cxid++, authInfo }, request);
  }
}

/** A harness whose tree is this one's with some stored node fields edited (for wrap cases). */
export function doctored(h: Harness, edit: (node: SnapshotNode) => SnapshotNode): Harness {
  const snap = takeSnapshot(h.tree);
  const tree = restoreSnapshot({ ...snap, nodes: snap.nodes.map(edit) }, { verifyDigest: false });
  return new Harness(tree);
}

function bytes(data: string | null): Uint8Array | null {
  return data === null ? null : utf8Bytes(data);
}

/** A create request (opcode `type`, default create2) with OPEN_ACL_UNSAFE. */
export function create(path: string, mode: CreateMode = "PERSISTENT", data: string | null = "",
  acl: readonly Acl[] = OPEN_ACL_UNSAFE, type: CreateRequest["type"] = "create2"): CreateRequest {
  return { type, path, data: bytes(data), acl, flags: CREATE_MODE_FLAGS[mode] };
}

/** A createTTL request. */
export function createTtl(path: string, mode: CreateMode, ttl: number): CreateTTLRequest {
  return { type: "createTTL", path, data: null, acl: OPEN_ACL_UNSAFE,
    flags: CREATE_MODE_FLAGS[mode], ttl };
}

export function setData(path: string, data: string | null, version = -1): WriteRequest {
  return { type: "setData", path, data: bytes(data), version };
}

export function del(path: string, version = -1): WriteRequest {
  return { type: "delete", path, version };
}

export function check(path: string, version: number): WriteRequest {
  return { type: "check", path, version };
}

export function text(data: Uint8Array | null | undefined): string | null | undefined {
  if (data === undefined || data === null) return data;
  return new TextDecoder().decode(data);
}
