/**
 * The replicated state machine as a replica sees it: the znode tree of src/tree, plus (on an
 * established leader only) the prep context with the outstanding changes and the session
 * tracker, as ZooKeeper's LeaderZooKeeperServer keeps them. Everything here is deterministic;
 * times come from the txn header the leader stamps at prep.
 */
import { assert, hexOf } from "../util/index.js";
import type {
  DataTree, Id, ProcessTxnResult, ReadRequest, ReadResult, RequestMeta, Request as TreeRequest,
  Txn, WriteRequest,
} from "../tree/index.js";
import {
  DataTree as Tree, OutstandingChanges, SessionTracker, applyTxn, containerCandidates,
  decodeSnapshot, encodeSnapshot,
  isWriteRequest, prepRequest, processRead, restoreSnapshot, takeSnapshot, txnFingerprint,
} from "../tree/index.js";
import type { ClientId, ServerId, Zxid } from "./ids.js";

export type { Txn } from "../tree/index.js";

/**
 * What a client may send a server: any tree request, plus `ping`, the client's heartbeat that
 * keeps its session alive (ZooKeeper's OpCode.ping).
 */
export type Request = TreeRequest | { readonly type: "ping" };

/** Who asked for a transaction, so the server holding the client connection can answer. */
export interface Origin {
  readonly server: ServerId;
  readonly client: ClientId;
  readonly requestId: number;
}

/** A transaction with its zxid, as logged and as carried in PROPOSAL / INFORM. */
export interface LogEntry {
  readonly zxid: Zxid;
  readonly txn: Txn;
  /** The client connection to answer; undefined for server-made txns (session expiry). */
  readonly origin: Origin | undefined;
}

/** A serialized tree (tree/snapshot.ts, as text) at a zxid. */
export interface Snapshot {
  readonly zxid: Zxid;
  readonly data: string;
}

/**
 * The answer to a client. `err` is "OK" or a ZooKeeper error code name (CONNECTIONLOSS when the
 * server cannot serve). `zxid` is the txn's zxid for a write, the server's last processed zxid
 * otherwise (ZooKeeper's ReplyHeader.zxid).
 */
export interface ClientResult {
  readonly err: string;
  readonly zxid: number;
  /** createSession: the new session's id. */
  readonly sessionId?: number;
  /** A write's txn fingerprint (as in the trace's propose/deliver observations). */
  readonly txn?: string;
  /** A write's outcome (path, stat, multi results, watch events fired on this server). */
  readonly write?: ProcessTxnResult;
  /** A read's outcome. */
  readonly read?: ReadResult;
}

/** True when the request becomes a txn through the leader (createSession/closeSession too). */
export function isWrite(request: Request): request is WriteRequest {
  return request.type !== "ping" && isWriteRequest(request);
}

/** True for sync(), which goes to the leader but creates no txn. */
export function isSync(request: Request): boolean {
  return request.type === "sync";
}

/** A short content fingerprint of a txn for the trace. */
export function fingerprint(txn: Txn): string {
  return txnFingerprint(txn);
}

/** The leader's prep state: outstanding changes and the global session tracker. */
interface Prep {
  readonly changes: OutstandingChanges;
  readonly sessions: SessionTracker;
}

export class StateMachine {
  private tree: DataTree;
  private prepState: Prep | undefined;

  constructor(tree: DataTree = new Tree()) {
    this.tree = tree;
  }

  get lastProcessedZxid(): Zxid {
    return this.tree.lastProcessedZxid as Zxid;
  }

  /** An established leader starts prepping: sessions tracked from the committed table. */
  startLeading(serverId: ServerId, tickTimeMs: number, nowMs: number): void {
    this.prepState = {
      changes: new OutstandingChanges(),
      sessions: new SessionTracker({
        tickTimeMs, serverId, nowMs, sessions: this.tree.sessionsWithTimeouts,
      }),
    };
  }

  /** Leadership ended: the outstanding changes and the tracker go with it. */
  stopLeading(): void {
    this.prepState = undefined;
  }

  /** The leader's session tracker (undefined unless leading). */
  get sessions(): SessionTracker | undefined {
    return this.prepState?.sessions;
  }

  /** PrepRequestProcessor: a write becomes a txn at `zxid`, stamped with the leader's clock. */
  prep(meta: RequestMeta, request: WriteRequest, zxid: Zxid, timeMs: number): Txn {
    const prep = this.prepState;
    assert(prep !== undefined, "only an established leader preps");
    const ctx = { tree: this.tree, changes: prep.changes, sessions: prep.sessions };
    const txn = prepRequest(ctx, meta, request, zxid, timeMs);
    assert(txn.header.zxid === zxid, "prep stamps the zxid it was given");
    return txn;
  }

  /** Applies a committed txn in zxid order; returns the answer for its client. */
  apply(entry: LogEntry): ClientResult {
    assert(entry.zxid > this.tree.lastProcessedZxid, "apply out of order");
    assert(entry.txn.header.zxid === entry.zxid, "log entry and txn header disagree");
    const hooks = this.prepState === undefined ? undefined : this.prepState;
    const result = applyTxn(this.tree, entry.txn, hooks);
    assert(this.tree.lastProcessedZxid === entry.zxid, "apply must advance to the txn's zxid");
    const isCreate = entry.txn.body.type === "createSession";
    const created = isCreate ? { sessionId: entry.txn.header.sessionId } : {};
    const txn = fingerprint(entry.txn);
    return { err: result.err, zxid: entry.zxid, txn, write: result, ...created };
  }

  /** Serves a read locally (FinalRequestProcessor). */
  read(meta: RequestMeta, request: ReadRequest): ClientResult {
    const read = processRead(this.tree, meta, request);
    return { err: read.err, zxid: this.tree.lastProcessedZxid, read };
  }

  /** The tree digest (convergence checks compare these at equal zxids). */
  digest(): string {
    return hexOf(this.tree.digest());
  }

  /** The committed session table (for learners' touch bookkeeping). */
  hasSession(sessionId: number): boolean {
    return this.tree.sessionsWithTimeouts.has(sessionId);
  }

  /**
   * DataTree.removeCnxn: the session's connection to this server ended, so its watches here go
   * (the client re-registers them on its next connection with setWatches).
   */
  removeWatches(sessionId: number): void {
    this.tree.dataWatches.removeWatcher(sessionId);
    this.tree.childWatches.removeWatcher(sessionId);
  }

  /** ContainerManager.getCandidates at wall time `nowMs`, in ZooKeeper's order. */
  containerCandidates(nowMs: number): string[] {
    return containerCandidates(this.tree, nowMs);
  }

  /** The paths `sessionId` owns as ephemerals in this tree, sorted. */
  ephemeralsOf(sessionId: number): string[] {
    return this.tree.getEphemerals(sessionId);
  }

  sessionTimeoutMs(sessionId: number): number | undefined {
    return this.tree.sessionsWithTimeouts.get(sessionId);
  }

  snapshot(): Snapshot {
    return { zxid: this.lastProcessedZxid, data: encodeSnapshot(takeSnapshot(this.tree)) };
  }

  static restore(snapshot: Snapshot): StateMachine {
    const tree = restoreSnapshot(decodeSnapshot(snapshot.data));
    assert(tree.lastProcessedZxid === snapshot.zxid, "snapshot zxid and tree disagree");
    return new StateMachine(tree);
  }
}

/** The empty tree's snapshot at zxid 0. */
export function emptySnapshot(): Snapshot {
  return new StateMachine().snapshot();
}

/** Meta of a server-made request (session expiry): no client, no auth. */
export function serverMeta(sessionId: number): RequestMeta {
  return { sessionId, cxid: 0, authInfo: [] as readonly Id[] };
}
