/**
 * The client workload: simulated ZooKeeper clients, each a host of its own. A client opens a
 * session on a server it picks, then issues a steady, seeded mix of writes (create, setData,
 * delete on a few paths) and reads (getData, exists; some after a sync on the same path), one
 * request at a time, so its requests are
 * trivially FIFO (ZooKeeper's client order guarantee needs no more). When a request goes
 * unanswered for `requestTimeoutMicros` or the server answers with a connection-level error, the
 * client gives the request up as CONNECTIONLOSS (what ZooKeeper's client library reports), moves
 * its session to another server, and retries the same request as a new operation.
 *
 * Every request and reply is recorded as an `invoke` / `complete` observation: the checkers'
 * only view of what clients were told. How a request travels (the wire message, session
 * handshake, reply shape) is the server side's business: the run plugs in a ClientProtocol, so
 * the workload drives the fixture protocol and the ZAB replicas alike.
 */
import { assert, assertNever } from "../util/assert.js";
import type { Prng } from "../util/prng.js";
import type { Envelope, Host, HostContext, NodeId } from "../sim/index.js";
import type { Observation, WriteOutcome } from "../observe/index.js";
import type { ReadResult, Request } from "../tree/index.js";
import { OPEN_ACL_UNSAFE, utf8Bytes } from "../tree/index.js";

/** A session as the client remembers it, to move it to another server. */
export interface SessionHandle {
  readonly sessionId: number;
  /** The highest zxid the client has seen (ZooKeeper's lastZxidSeen). */
  readonly lastZxidSeen: number;
}

/** What a server said to a client, as the ClientProtocol decodes it. */
export type ServerAnswer =
  /** The session is open (or moved) on this server. */
  | { readonly kind: "connected"; readonly sessionId: number }
  /** The server will not take the session now (not serving, or lastZxidSeen ahead of it). */
  | { readonly kind: "refused" }
  /** The ensemble no longer knows the session (it expired): open a new one. */
  | { readonly kind: "expired" }
  /** The reply to request `requestId`; `txn` is the fingerprint of a write's transaction. */
  | {
      readonly kind: "reply";
      readonly requestId: number;
      readonly err: string;
      readonly zxid: number;
      readonly txn: string | null;
      /** A read's values; null for a write. */
      readonly read: ReadResult | null;
      /** A write's outcome; null for a read. */
      readonly write: WriteOutcome | null;
    };

/** The server side's wire format for clients, supplied by whoever runs the servers. */
export interface ClientProtocol<M> {
  /**
   * The message that opens (session null) or moves a session to `server`. Return null when the
   * servers need no handshake: the client then counts itself connected at once.
   */
  connect(client: NodeId, server: NodeId, session: SessionHandle | null): M | null;
  /** The message that carries request `requestId` of `client`. */
  request(client: NodeId, requestId: number, request: Request): M;
  /** Decodes a message a client received; undefined for anything not meant for clients. */
  answer(message: M): ServerAnswer | undefined;
}

/** Errors that mean "this server cannot serve you now": the client moves to another one. */
const CONNECTION_ERRORS = new Set(["CONNECTIONLOSS", "SESSIONMOVED", "NOTREADONLY"]);

/** Knobs of the client workload. */
export interface WorkloadOptions {
  /** The servers a client may connect to (voters and observers). */
  readonly servers: readonly NodeId[];
  /** The znode paths the clients write and read. */
  readonly paths: readonly string[];
  /** Chance that an operation is a read. */
  readonly readProbability: number;
  /**
   * Chance that a read is preceded by a sync() on its path: the read must then see every write
   * that committed before the sync reached the leader (docs/linearizability.md).
   */
  readonly syncProbability: number;
  /** Pause between a reply and the next request, uniform in [min, max]. */
  readonly thinkMicrosMin: number;
  readonly thinkMicrosMax: number;
  /** A request unanswered this long is given up as CONNECTIONLOSS. */
  readonly requestTimeoutMicros: number;
  /** A handshake unanswered this long is retried on another server. */
  readonly connectTimeoutMicros: number;
  /**
   * After a refusal (the server is not serving, e.g. during an election), the client waits a
   * pause drawn in [min, max] before trying another server, as ZooKeeper's client backs off
   * between connection attempts; without it, clients would bounce between servers every round
   * trip while an election runs.
   */
  readonly reconnectMicrosMin: number;
  readonly reconnectMicrosMax: number;
}

/** Defaults: a few paths, mostly writes, roughly 40 requests per second per client. */
export const WORKLOAD_DEFAULTS: Omit<WorkloadOptions, "servers"> = {
  paths: ["/a", "/b", "/c", "/d"],
  readProbability: 0.3,
  syncProbability: 0.3,
  thinkMicrosMin: 5_000,
  thinkMicrosMax: 45_000,
  requestTimeoutMicros: 2_000_000,
  connectTimeoutMicros: 1_000_000,
  reconnectMicrosMin: 20_000,
  reconnectMicrosMax: 200_000,
};

/** The request in flight, if any. */
interface Pending {
  readonly op: number;
  readonly request: Request;
}

/** One simulated client: a host with the role "client". Clients never crash. */
export class WorkloadClient<M> implements Host<M, Observation> {
  readonly role = "client" as const;
  private server: NodeId;
  private session: SessionHandle | null = null;
  private connected = false;
  private pending: Pending | undefined;
  private retry: Request | undefined;
  /** The read a sync was issued for: the next operation. */
  private afterSync: Request | undefined;
  private nextOp = 0;

  constructor(
    readonly id: NodeId,
    private readonly options: WorkloadOptions,
    private readonly protocol: ClientProtocol<M>,
  ) {
    assert(options.servers.length > 0, "a workload needs at least one server");
    assert(options.paths.length > 0, "a workload needs at least one path");
    assert(options.thinkMicrosMin <= options.thinkMicrosMax, "think time range is inverted");
    this.server = options.servers[id % options.servers.length] ?? 0;
  }

  start(ctx: HostContext<M, Observation>, cause: "boot" | "restart"): void {
    assert(cause === "boot", "clients never crash, so they never restart");
    this.server = ctx.prng.pick(this.options.servers);
    this.connect(ctx);
  }

  deliver(ctx: HostContext<M, Observation>, envelope: Envelope<M>): void {
    if (envelope.from !== this.server) return; // A late answer from a server we left.
    const answer = this.protocol.answer(envelope.message);
    if (answer === undefined) return;
    switch (answer.kind) {
      case "connected":
        this.onConnected(ctx, answer.sessionId);
        return;
      case "refused":
        this.backOff(ctx);
        return;
      case "expired":
        this.session = null;
        this.backOff(ctx);
        return;
      case "reply":
        this.onReply(ctx, answer);
        return;
      default:
        assertNever(answer, "server answer");
    }
  }

  timerFired(ctx: HostContext<M, Observation>, name: string): void {
    if (name === "think") this.issue(ctx);
    else if (name === "requestTimeout") this.giveUp(ctx);
    else if (name === "connectTimeout" || name === "reconnect") this.moveToAnotherServer(ctx);
  }

  diskCompleted(): void {
    assert(false, "a client never writes to disk");
  }

  crashed(): void {
    assert(false, "clients never crash");
  }

  checkInvariants(): void {
    if (this.pending !== undefined) assert(this.connected, "a request in flight needs a session");
    assert(this.nextOp >= 0 && Number.isSafeInteger(this.nextOp), "op counter out of range");
  }

  private connect(ctx: HostContext<M, Observation>): void {
    this.connected = false;
    const message = this.protocol.connect(this.id, this.server, this.session);
    if (message === null) {
      this.onConnected(ctx, this.session?.sessionId ?? this.id);
      return;
    }
    ctx.send(this.server, message);
    ctx.setTimer("connectTimeout", this.options.connectTimeoutMicros);
  }

  private onConnected(ctx: HostContext<M, Observation>, sessionId: number): void {
    ctx.cancelTimer("connectTimeout");
    ctx.cancelTimer("reconnect");
    this.connected = true;
    this.session = { sessionId, lastZxidSeen: this.session?.lastZxidSeen ?? 0 };
    this.think(ctx);
  }

  private think(ctx: HostContext<M, Observation>): void {
    const { thinkMicrosMin, thinkMicrosMax } = this.options;
    ctx.setTimer("think", ctx.prng.intBetween(thinkMicrosMin, thinkMicrosMax));
  }

  private issue(ctx: HostContext<M, Observation>): void {
    if (!this.connected || this.pending !== undefined) return;
    const request = this.retry ?? this.draw(ctx.prng);
    this.retry = undefined;
    const op = this.nextOp++;
    this.pending = { op, request };
    ctx.observe({ kind: "invoke", client: this.id, op, node: this.server, request });
    ctx.send(this.server, this.protocol.request(this.id, op, request));
    ctx.setTimer("requestTimeout", this.options.requestTimeoutMicros);
  }

  private onReply(
    ctx: HostContext<M, Observation>, reply: Extract<ServerAnswer, { kind: "reply" }>,
  ): void {
    const pending = this.pending;
    if (pending === undefined || reply.requestId !== pending.op) return; // Stale or duplicate.
    ctx.cancelTimer("requestTimeout");
    this.pending = undefined;
    ctx.observe({
      kind: "complete", client: this.id, op: pending.op, err: reply.err, zxid: reply.zxid,
      txn: reply.txn, read: reply.read, write: reply.write,
    });
    if (this.session !== null && reply.zxid > this.session.lastZxidSeen) {
      this.session = { ...this.session, lastZxidSeen: reply.zxid };
    }
    if (CONNECTION_ERRORS.has(reply.err)) {
      this.retry = pending.request;
      this.moveToAnotherServer(ctx);
      return;
    }
    this.think(ctx);
  }

  /** The request timed out: report CONNECTIONLOSS and retry it elsewhere. */
  private giveUp(ctx: HostContext<M, Observation>): void {
    if (this.pending === undefined) return;
    this.moveToAnotherServer(ctx);
  }

  /** Refused: give up any request in flight now, try another server after a pause. */
  private backOff(ctx: HostContext<M, Observation>): void {
    this.abandon(ctx);
    this.connected = false;
    ctx.cancelTimer("connectTimeout");
    const { reconnectMicrosMin, reconnectMicrosMax } = this.options;
    ctx.setTimer("reconnect", ctx.prng.intBetween(reconnectMicrosMin, reconnectMicrosMax));
  }

  /** Reports the request in flight, if any, as CONNECTIONLOSS and keeps it for a retry. */
  private abandon(ctx: HostContext<M, Observation>): void {
    ctx.cancelTimer("think");
    ctx.cancelTimer("requestTimeout");
    const pending = this.pending;
    if (pending === undefined) return;
    this.pending = undefined;
    ctx.observe({
      kind: "complete", client: this.id, op: pending.op, err: "CONNECTIONLOSS", zxid: 0,
      txn: null, read: null, write: null,
    });
    this.retry = pending.request;
  }

  private moveToAnotherServer(ctx: HostContext<M, Observation>): void {
    this.abandon(ctx);
    const others = this.options.servers.filter((s) => s !== this.server);
    if (others.length > 0) this.server = ctx.prng.pick(others);
    this.connect(ctx);
  }

  /**
   * Draws the next operation: a read with readProbability (after a sync with syncProbability),
   * else a write on a random path.
   */
  private draw(prng: Prng): Request {
    const queued = this.afterSync;
    if (queued !== undefined) {
      this.afterSync = undefined;
      return queued;
    }
    const path = prng.pick(this.options.paths);
    const data = utf8Bytes(`c${this.id}o${this.nextOp}`);
    if (prng.chance(this.options.readProbability)) {
      const read: Request = prng.chance(0.5)
        ? { type: "getData", path, watch: false } : { type: "exists", path, watch: false };
      if (!prng.chance(this.options.syncProbability)) return read;
      this.afterSync = read;
      return { type: "sync", path };
    }
    const roll = prng.intBetween(0, 9);
    if (roll < 4) return { type: "setData", path, data, version: -1 };
    if (roll < 8) return { type: "create", path, data, acl: OPEN_ACL_UNSAFE, flags: 0 };
    return { type: "delete", path, version: -1 };
  }
}

/** Builds `count` clients with node ids starting at `firstId`. */
export function makeWorkload<M>(
  firstId: NodeId, count: number, options: WorkloadOptions, protocol: ClientProtocol<M>,
): WorkloadClient<M>[] {
  const clients: WorkloadClient<M>[] = [];
  for (let i = 0; i < count; i++) clients.push(new WorkloadClient(firstId + i, options, protocol));
  return clients;
}
