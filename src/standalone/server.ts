/**
 * A standalone ZooKeeper server (ZooKeeperServer with PrepRequestProcessor ->
 * SyncRequestProcessor -> FinalRequestProcessor) on zabsim's znode tree, in simulated time.
 *
 * One request is in flight at a time, so prep and apply run back to back: every write takes the
 * next zxid (hzxid + 1, from 1 on a fresh database), failed ones included; reads take none and
 * answer with the tree's last processed zxid. Watch notifications a txn fires are written to
 * their connections while the txn applies, before the requester's reply, as FinalRequestProcessor
 * does. The container manager runs every containerCheckIntervalMs from server start. Time moves
 * only when the caller advances it; nothing here reads a clock.
 */
import { assert } from "../util/index.js";
import {
  DataTree, OutstandingChanges, SERVER_REQUEST_META, SessionTracker, applyTxn, isWriteRequest,
  prepRequest, processRead,
} from "../tree/index.js";
import type {
  PrepContext, ProcessTxnResult, Request, RequestMeta, WatchEvent, WriteRequest,
} from "../tree/index.js";
import { Connection } from "./connection.js";
import type { Arrival } from "./connection.js";
import { ContainerSchedule } from "./container-schedule.js";
import { JUTE_MAX_BUFFER, exceedsMaxBuffer } from "./jute-size.js";
import { serverMultiRequest } from "./multi-record.js";
import { CONNECTION_LOSS_REPLY, readReply, writeReply } from "./reply.js";
import type { Reply } from "./reply.js";

/** Server settings. */
export interface StandaloneOptions {
  /** znode.container.checkIntervalMs (ZooKeeper's default 60000). */
  readonly containerCheckIntervalMs: number;
  /** The session timeout clients ask for (ms); sessions ping, so it never runs out. */
  readonly sessionTimeoutMs?: number;
}

/** What a client may send: everything but the server's own and the client library's requests. */
export type ClientRequest = Exclude<
  Request,
  { type: "deleteContainer" } | { type: "createSession" } | { type: "setWatches" }
>;

/** tickTime of the session tracker (zoo.cfg's usual 2000 ms). */
const TICK_TIME_MS = 2000;
const DEFAULT_SESSION_TIMEOUT_MS = 30_000;
/** A standalone server's id in the top byte of its session ids (createSessionTrackerServerId). */
const STANDALONE_SERVER_ID = 1;

/** One standalone server and the connections of its clients. */
export class StandaloneServer {
  readonly tree = new DataTree();
  private readonly changes = new OutstandingChanges();
  private readonly sessions: SessionTracker;
  private readonly prep: PrepContext;
  private readonly connections = new Map<number, Connection>();
  private readonly containers: ContainerSchedule;
  private readonly sessionTimeoutMs: number;
  private micros = 0;
  /** ZooKeeperServer.hzxid: the last zxid handed out. */
  private hzxid = 0;

  constructor(options: StandaloneOptions) {
    assert(Number.isSafeInteger(options.containerCheckIntervalMs), "bad check interval");
    assert(options.containerCheckIntervalMs > 0, "the check interval must be positive");
    this.sessionTimeoutMs = options.sessionTimeoutMs ?? DEFAULT_SESSION_TIMEOUT_MS;
    this.sessions = new SessionTracker({
      tickTimeMs: TICK_TIME_MS, serverId: STANDALONE_SERVER_ID, nowMs: 0,
    });
    this.prep = { tree: this.tree, changes: this.changes, sessions: this.sessions };
    this.containers = new ContainerSchedule(options.containerCheckIntervalMs);
  }

  /** Simulated time since the server started, in microseconds. */
  get nowMicros(): number {
    return this.micros;
  }

  /** The txn header clock: whole milliseconds of simulated time. */
  private get nowMs(): number {
    return Math.floor(this.micros / 1000);
  }

  /** The zxid of the last applied txn. */
  get lastZxid(): number {
    return this.tree.lastProcessedZxid;
  }

  /**
   * A client connects without a session: the server makes one (SessionTracker.createSession)
   * and commits a createSession txn, which takes a zxid. Returns the session id.
   */
  openSession(): number {
    const sessionId = this.sessions.createSession(this.sessionTimeoutMs, this.nowMs);
    assert(!this.connections.has(sessionId), "session ids are never reused");
    const connection = new Connection(sessionId);
    this.connections.set(sessionId, connection);
    const meta: RequestMeta = { sessionId, cxid: 0, authInfo: connection.authInfo };
    const result = this.write(meta, { type: "createSession", timeoutMs: this.sessionTimeoutMs });
    assert(result.err === "OK", "createSession cannot fail");
    return sessionId;
  }

  /**
   * One request on a session's connection. Its notifications and reply land in the session's
   * arrivals (take them with `takeArrivals`); notifications for other sessions land in theirs.
   * A request whose frame exceeds jute.maxbuffer drops the connection instead (see
   * `rejectOversized`). closeSession ends the session once it has answered.
   */
  submit(sessionId: number, request: ClientRequest): Reply {
    const connection = this.connection(sessionId);
    // ClientCnxn assigns the xid when it queues the request, sent or not.
    connection.cxid += 1;
    if (exceedsMaxBuffer(request)) return this.dropConnection(connection);
    const meta: RequestMeta = { sessionId, cxid: connection.cxid, authInfo: connection.authInfo };
    const received = request.type === "multi" ? serverMultiRequest(request) : request;
    const reply = isWriteRequest(received) ? this.writeRequest(meta, received)
      : this.read(meta, received);
    connection.reply(meta.cxid, reply.err, reply.zxid);
    if (request.type === "closeSession") connection.open = false;
    return reply;
  }

  /**
   * NIOServerCnxn.readLength: a frame longer than jute.maxbuffer is refused from its length
   * prefix alone, before the body is read. Callers that cannot even build such a request (a
   * multi-megabyte fill) report its length here; `submit` calls it for the ones it measures.
   */
  rejectOversized(sessionId: number, frameLength: number): Reply {
    assert(frameLength > JUTE_MAX_BUFFER, `a ${frameLength}-byte frame fits jute.maxbuffer`);
    const connection = this.connection(sessionId);
    connection.cxid += 1;
    return this.dropConnection(connection);
  }

  /** The notifications and replies that reached a session since the last call, in order. */
  takeArrivals(sessionId: number): Arrival[] {
    const connection = this.connections.get(sessionId);
    if (connection === undefined) return [];
    const arrivals = connection.take();
    if (!connection.open) this.connections.delete(sessionId);
    return arrivals;
  }

  /**
   * Lets `ms` of simulated time pass. Clients keep pinging (no session expires; pings take no
   * zxid); the container manager runs at each of its instants in the interval, end included.
   */
  advance(ms: number): void {
    assert(Number.isSafeInteger(ms) && ms >= 0, `bad sleep ${ms}`);
    const end = this.micros + ms * 1000;
    assert(Number.isSafeInteger(end), "simulated time overflow");
    for (let check = this.containers.next(end); check !== undefined;
      check = this.containers.next(end)) {
      assert(check >= this.micros, "container checks run in time order");
      this.micros = check;
      this.checkContainers();
    }
    this.micros = end;
  }

  /** ContainerManager.checkContainers: one deleteContainer request (and zxid) per candidate. */
  private checkContainers(): void {
    for (const path of this.containers.candidates(this.tree, this.nowMs)) {
      this.write(SERVER_REQUEST_META, { type: "deleteContainer", path });
    }
  }

  private connection(sessionId: number): Connection {
    const connection = this.connections.get(sessionId);
    assert(connection !== undefined && connection.open, `no live session ${sessionId}`);
    return connection;
  }

  private writeRequest(meta: RequestMeta, request: WriteRequest): Reply {
    const result = this.write(meta, request);
    return writeReply(result, this.tree.lastProcessedZxid);
  }

  /** Prep then apply, as one request flows through the pipeline; delivers its notifications. */
  private write(meta: RequestMeta, request: WriteRequest): ProcessTxnResult {
    this.hzxid += 1;
    const txn = prepRequest(this.prep, meta, request, this.hzxid, this.nowMs);
    const result = applyTxn(this.tree, txn, { changes: this.changes, sessions: this.sessions });
    assert(this.tree.lastProcessedZxid === this.hzxid, "standalone applies every zxid in order");
    this.deliver(result.events);
    return result;
  }

  private read(meta: RequestMeta, request: Exclude<ClientRequest, WriteRequest>): Reply {
    // PrepRequestProcessor only checks the session of a read; the tree answers it.
    const code = this.sessions.checkSession(meta.sessionId);
    if (code !== "OK") return { err: code, zxid: this.lastZxid, reconnected: false };
    const result = processRead(this.tree, meta, request);
    if (request.type === "exists" || request.type === "getData" || request.type === "getChildren2"
      || request.type === "getChildren") {
      const read = request.type === "getChildren2" ? "getChildren" : request.type;
      const watches = this.connection(meta.sessionId).watches;
      if (request.watch) watches.register(read, request.path, result.err);
    }
    this.deliver(result.events ?? []);
    return readReply(result, this.lastZxid);
  }

  private deliver(events: readonly WatchEvent[]): void {
    for (const event of events) {
      const connection = this.connections.get(event.sessionId);
      assert(connection !== undefined && connection.open, "a watch outlived its connection");
      connection.notify(event.type, event.path, event.zxid);
    }
  }

  /**
   * The server closes the connection without answering (NIOServerCnxn.close removes its
   * watches). The client fails the request with CONNECTIONLOSS, reconnects with the same session
   * (no txn: the session is revalidated) and re-registers its watches with SetWatches relative
   * to the last zxid it saw; whatever changed meanwhile fires at once, after the loss.
   */
  private dropConnection(connection: Connection): Reply {
    this.tree.removeWatcher(connection.sessionId);
    connection.reply(connection.cxid, "CONNECTIONLOSS", undefined);
    if (!connection.watches.isEmpty()) {
      const lists = connection.watches.lists();
      const meta: RequestMeta = {
        sessionId: connection.sessionId, cxid: -8, authInfo: connection.authInfo,
      };
      const result = processRead(this.tree, meta, {
        type: "setWatches", relativeZxid: connection.lastZxid, ...lists,
        persistentWatches: [], persistentRecursiveWatches: [],
      });
      assert(result.err === "OK", "setWatches cannot fail");
      this.deliver(result.events ?? []);
      // The SetWatches reply is an ordinary reply: its header zxid becomes lastZxid.
      if (this.lastZxid > 0) connection.lastZxid = this.lastZxid;
    }
    return CONNECTION_LOSS_REPLY;
  }
}
