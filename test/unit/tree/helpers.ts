/**
 * Shared builders for the tree tests: a standalone-like server (tree, outstanding changes,
 * session tracker) that preps and applies each write at once, with zxids counting from 1 and a
 * clock the test advances, plus small request constructors.
 */
import {
  CREATE_MODE_FLAGS, DataTree, OPEN_ACL_UNSAFE, OutstandingChanges, SessionTracker, applyTxn,
  prepRequest, processRead, utf8Bytes,
} from "../../../src/tree/index.js";
import type {
  Acl, CreateMode, Id, PrepContext, ProcessTxnResult, ReadRequest, ReadResult, Txn, WriteRequest,
} from "../../../src/tree/index.js";

/** A one-server harness: prep then apply, like a standalone ZooKeeper with no pipelining. */
export class Harness {
  readonly tree = new DataTree();
  readonly changes = new OutstandingChanges();
  readonly sessions: SessionTracker;
  readonly ctx: PrepContext;
  nextZxid = 1;
  nowMs = 1_000_000;
  cxid = 0;

  constructor() {
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

/** A create2 request with OPEN_ACL_UNSAFE. */
export function create(path: string, mode: CreateMode = "PERSISTENT", data: string | null = "",
  acl: readonly Acl[] = OPEN_ACL_UNSAFE): WriteRequest {
  return { type: "create2", path, data: data === null ? null : utf8Bytes(data), acl,
    flags: CREATE_MODE_FLAGS[mode] };
}

export function setData(path: string, data: string, version = -1): WriteRequest {
  return { type: "setData", path, data: utf8Bytes(data), version };
}

export function del(path: string, version = -1): WriteRequest {
  return { type: "delete", path, version };
}

export function text(data: Uint8Array | null | undefined): string | null | undefined {
  if (data === undefined || data === null) return data;
  return new TextDecoder().decode(data);
}
