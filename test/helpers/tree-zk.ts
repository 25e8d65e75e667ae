/**
 * An honest ZooKeeperApi over the real src/tree: every write goes through prepRequest (the
 * leader's checks, in PrepRequestProcessor's order) and applyTxn, every read through
 * processRead, so versions, NODEEXISTS, BADVERSION, multi atomicity and sequential names are
 * ZooKeeper's own semantics as the tree implements them. A fault hook makes a write fail with
 * CONNECTIONLOSS before it reaches the tree (nothing happened) or after it was applied (the
 * reply was lost), which is how a client sees a crash of its server or of itself mid-call.
 *
 * Several connections (`connect()`) share one TreeServer, each with its own session and its own
 * authInfo (addAuthInfo, as ZooKeeper's auth packet does), so ACLs are enforced as the tree
 * enforces them. The server keeps every txn it ever applied and every snapshot taken, as a
 * replica's disk does when purge is off (ZooKeeper's default): the crypto-shredding tests scan
 * that whole history.
 */
import {
  CREATE_MODE_FLAGS, DataTree, OutstandingChanges, SessionTracker, addAuth, applyTxn,
  prepRequest, processRead, takeSnapshot,
} from "../../src/tree/index.js";
import type {
  Id, MultiOp, PrepContext, ProcessTxnResult, ReadRequest, ReadResult, Snapshot, Txn,
  WriteRequest,
} from "../../src/tree/index.js";
import { KeeperError, OPEN_ACL } from "../../src/keys/index.js";
import type {
  Acl, CreateMode, DataAndStat, KeeperCode, Op, OpResult, Stat, ZooKeeperApi,
} from "../../src/keys/index.js";
import type { Data } from "../../src/client/index.js";

/** Where a write fails: before it is applied, or after (the reply is lost). */
export type FaultPoint = "before" | "after";

/** A write call as the fault hook sees it. */
export interface WriteCall {
  readonly method: "create" | "setData" | "delete" | "multi";
  /** Count of write calls so far, from 0. */
  readonly index: number;
  readonly ops: number;
  /** The paths the call writes, in op order. */
  readonly paths: readonly string[];
}

/** One standalone server: the tree, and the history a replica's disk would keep. */
export class TreeServer {
  readonly tree = new DataTree();
  readonly changes = new OutstandingChanges();
  readonly sessions = new SessionTracker({ tickTimeMs: 2000, serverId: 1, nowMs: 1_000_000 });
  readonly ctx: PrepContext = { tree: this.tree, changes: this.changes, sessions: this.sessions };
  /** Every txn ever applied, in zxid order (the transaction log, never purged). */
  readonly history: Txn[] = [];
  /** Every snapshot taken. */
  readonly snapshots: Snapshot[] = [];
  nextZxid = 1;

  apply(sessionId: number, cxid: number, authInfo: readonly Id[], request: WriteRequest):
    ProcessTxnResult {
    const meta = { sessionId, cxid, authInfo };
    const txn = prepRequest(this.ctx, meta, request, this.nextZxid++, 1_000_000 + this.nextZxid);
    this.history.push(txn);
    return applyTxn(this.tree, txn, { changes: this.changes, sessions: this.sessions });
  }

  /** A fuzzy snapshot of the tree as it is now, kept like a snapshot file. */
  snapshot(): Snapshot {
    const snapshot = takeSnapshot(this.tree);
    this.snapshots.push(snapshot);
    return snapshot;
  }
}

export class TreeZooKeeper implements ZooKeeperApi {
  readonly server: TreeServer;
  readonly sessionId: number;
  /** The connection's authenticated ids (digest ids from addAuthInfo). */
  readonly authInfo: Id[] = [];
  /** Decides whether the next write fails, and where. */
  fault: ((call: WriteCall) => FaultPoint | undefined) | undefined;
  writes = 0;
  reads = 0;
  private cxid = 0;

  constructor(server = new TreeServer()) {
    this.server = server;
    this.sessionId = server.sessions.createSession(30_000, 1_000_000);
    this.apply({ type: "createSession", timeoutMs: 30_000 });
  }

  get tree(): DataTree {
    return this.server.tree;
  }

  /** Another connection (its own session, no auth yet) to the same server. */
  connect(): TreeZooKeeper {
    return new TreeZooKeeper(this.server);
  }

  async addAuth(scheme: string, auth: string): Promise<void> {
    const result = addAuth(scheme, auth);
    if (result.err !== "OK") throw new KeeperError("AUTHFAILED");
    for (const id of result.ids) {
      if (!this.authInfo.some((have) => have.scheme === id.scheme && have.id === id.id)) {
        this.authInfo.push(id);
      }
    }
  }

  private apply(request: WriteRequest): ProcessTxnResult {
    return this.server.apply(this.sessionId, this.cxid++, this.authInfo, request);
  }

  private write(method: WriteCall["method"], request: WriteRequest, path?: string):
    ProcessTxnResult {
    const paths = request.type === "multi" ? request.ops.map((op) => op.path) : [path ?? ""];
    const index = this.writes++;
    const point = this.fault?.({ method, index, ops: paths.length, paths });
    if (point === "before") throw new KeeperError("CONNECTIONLOSS", path);
    const result = this.apply(request);
    if (point === "after") throw new KeeperError("CONNECTIONLOSS", path);
    if (result.err !== "OK") throw new KeeperError(result.err as KeeperCode, path);
    return result;
  }

  private read(request: ReadRequest): ReadResult {
    this.reads++;
    const meta = { sessionId: this.sessionId, cxid: this.cxid++, authInfo: this.authInfo };
    const result = processRead(this.tree, meta, request);
    if (result.err !== "OK") {
      throw new KeeperError(result.err as KeeperCode, "path" in request ? request.path : "");
    }
    return result;
  }

  async create(path: string, data: Data, acl: readonly Acl[] = OPEN_ACL,
    mode: CreateMode = "PERSISTENT"): Promise<string> {
    const result = this.write("create", createOp(path, data, acl, mode), path);
    return result.path ?? path;
  }

  async getData(path: string): Promise<DataAndStat> {
    const result = this.read({ type: "getData", path, watch: false });
    return { data: result.data ?? null, stat: result.stat as Stat };
  }

  async setData(path: string, data: Data, version = -1): Promise<Stat> {
    return this.write("setData", { type: "setData", path, data: bytes(data), version }, path)
      .stat as Stat;
  }

  async delete(path: string, version = -1): Promise<void> {
    this.write("delete", { type: "delete", path, version }, path);
  }

  async getChildren(path: string): Promise<string[]> {
    return [...(this.read({ type: "getChildren", path, watch: false }).children ?? [])];
  }

  async multi(ops: readonly Op[]): Promise<OpResult[]> {
    const result = this.write("multi", { type: "multi", ops: ops.map(toMultiOp) });
    return [...(result.multiResult ?? [])] as OpResult[];
  }
}

function bytes(data: Data): Uint8Array | null {
  return typeof data === "string" ? new TextEncoder().encode(data) : data;
}

function createOp(path: string, data: Data, acl: readonly Acl[], mode: CreateMode): MultiOp {
  return { type: "create2", path, data: bytes(data), acl,
    flags: CREATE_MODE_FLAGS[mode] };
}

function toMultiOp(op: Op): MultiOp {
  switch (op.type) {
    case "create": return createOp(op.path, op.data, op.acl, op.mode);
    case "delete": return { type: "delete", path: op.path, version: op.version };
    case "setData":
      return { type: "setData", path: op.path, data: bytes(op.data), version: op.version };
    case "check": return { type: "check", path: op.path, version: op.version };
  }
}
