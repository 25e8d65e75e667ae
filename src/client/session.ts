/**
 * One ZooKeeper client session as a pure state machine: ClientCnxn (SendThread and the packet
 * queues) and ZKWatchManager, without threads or sockets. `step(input)` mutates only the session
 * and returns effects; the host connects, carries packets and runs timers.
 *
 * What it keeps from the Java client (ZooKeeper 3.8):
 * - a connection starts with ConnectRequest{lastZxidSeen, timeout, sessionId}, then the auth
 *   packets, then setWatches with every registered watch, then the queued requests
 *   (primeConnection); requests are pipelined behind it;
 * - xids number requests from 1 (wrapping before Integer.MAX_VALUE); replies must come back in
 *   order (an out-of-order xid drops the connection); a reply's zxid, when positive, becomes the
 *   last zxid seen (readResponse);
 * - a lost connection fails every outstanding request with CONNECTIONLOSS (cleanup), then the
 *   next server is tried after a random 0..999 ms pause (startConnect) and the spin delay after a
 *   full round (StaticHostProvider.next);
 * - a ConnectResponse with a non-positive timeout means the session expired: state CLOSED, every
 *   outstanding and later request fails with SESSIONEXPIRED (conLossPacket), no reconnect;
 * - close sends closeSession and the session is CLOSED when it is answered or lost; requests
 *   made while closing fail with CONNECTIONLOSS, after it with SESSIONEXPIRED;
 * - an auth packet answered AUTHFAILED makes the state AUTH_FAILED: every request fails so.
 * Deliberate differences: session events (type None) are reported when the state changes, not
 * again for every failed connection attempt; a request whose data alone exceeds jute.maxbuffer
 * is treated as the server treats it (the connection drops, so it fails with CONNECTIONLOSS)
 * without being sent.
 */
import type { Request } from "../tree/index.js";
import { assert, assertNever } from "../util/index.js";
import type { Prng } from "../util/index.js";
import { HostProvider } from "./host-provider.js";
import type {
  CallResult, ClientCall, ClientEffect, ClientInput, ClientPacket, KeeperState, ServerPacket,
  SessionState, WatchedEvent,
} from "./io.js";
import { AUTH_XID, NOTIFICATION_XID, PING_XID, SET_WATCHES_XID } from "./io.js";
import {
  RECONNECT_JITTER_MS_MAX, SPIN_DELAY_MICROS, millisToMicros, sessionTiming,
} from "./timing.js";
import type { SessionTiming } from "./timing.js";
import { WatchRegistry } from "./watch-registry.js";

/** BinaryInputArchive.maxBuffer's default (jute.maxbuffer, 0xfffff bytes). */
export const JUTE_MAX_BUFFER = 0xfffff;
const INT32_MAX = 2147483647;

/** What a session is built with. */
export interface SessionOptions {
  /** The servers of the connect string (ids the host knows how to reach). */
  readonly servers: readonly number[];
  /** The session timeout the client asks for, in milliseconds (the server clamps it). */
  readonly sessionTimeoutMs: number;
  /** The session's own stream: server order and reconnect pauses. */
  readonly prng: Prng;
  /**
   * A harness that pins the session to one server (the scenario runner): every connection goes
   * to it (or to the server a later `move` names), and every reconnect waits for the reconnect
   * timer, even a zero pause, so the harness decides when it happens.
   */
  readonly pinned?: number;
  /**
   * Connections this client process opened before this session (0 when absent). A session
   * after an expiry is a new handle in the same process, and its sockets are new ones: their
   * numbers go on from the old session's, so no late frame of an old socket can pass at the
   * server for a new one (issue 19: a late frame of the expired session's last connection
   * reopened it at the server, which then ignored the new session's lower-numbered ones).
   */
  readonly connectionsBefore?: number;
}

/** A request on the wire awaiting its reply, in send order. */
interface Pending {
  readonly xid: number;
  /** The API's call number; undefined for the session's own setWatches. */
  readonly call: number | undefined;
  readonly op: ClientCall | undefined;
}

/** A request queued while no connection is open. */
interface Queued {
  readonly call: number;
  readonly op: ClientCall;
}

const LOSS: CallResult = { err: "CONNECTIONLOSS", zxid: 0 };
const EXPIRED: CallResult = { err: "SESSIONEXPIRED", zxid: 0 };
const AUTH_FAILED: CallResult = { err: "AUTHFAILED", zxid: 0 };
const OK_RESULT: CallResult = { err: "OK", zxid: 0 };

/** The data bytes a request carries (create, setData, and a multi's ops). */
function dataBytes(request: Request): number {
  switch (request.type) {
    case "create":
    case "create2":
    case "createContainer":
    case "createTTL":
    case "setData":
      return request.data?.length ?? 0;
    case "multi":
      return request.ops.reduce((sum, op) => sum + dataBytes(op), 0);
    default:
      return 0;
  }
}

export class ClientSession {
  /** ZooKeeper.States. */
  state: SessionState = "NOT_STARTED";
  /** The session id (0 until the first ConnectResponse). */
  sessionId = 0;
  /** ClientCnxn.lastZxid: the zxid of the last reply that carried a positive one. */
  lastZxidSeen = 0;
  /** The negotiated session timeout (0 until connected). */
  negotiatedTimeoutMs = 0;
  /** The server of the open connection, undefined when none is open. */
  server: number | undefined;
  /** The client's watch lists. */
  readonly watches = new WatchRegistry();

  private readonly hosts: HostProvider;
  private readonly prng: Prng;
  private readonly requestedTimeoutMs: number;
  private timing: SessionTiming;
  private connection = 0;
  private connections = 0;
  private firstConnect = true;
  private closing = false;
  private nextXid = 1;
  private readonly pending: Pending[] = [];
  private readonly queued: Queued[] = [];
  private readonly authInfo: Array<{ readonly scheme: string; readonly auth: string }> = [];
  /** The auth packets on the wire, in order: the addAuth call, or undefined for a re-send. */
  private readonly authPending: Array<number | undefined> = [];
  private reconnectServer: number | undefined;
  /** The server a `move` named: every later connection goes there (no host provider). */
  private pinned: number | undefined;
  private lastHeardMicros = 0;
  private lastSendMicros = 0;
  private sessionTimerAtMicros: number | undefined;
  private now = 0;
  private out: ClientEffect[] = [];

  constructor(options: SessionOptions) {
    this.hosts = new HostProvider(options.servers, options.prng);
    this.prng = options.prng;
    this.requestedTimeoutMs = options.sessionTimeoutMs;
    this.pinned = options.pinned;
    this.timing = sessionTiming(options.sessionTimeoutMs, this.hosts.size);
    this.connections = options.connectionsBefore ?? 0;
  }

  /** Connections opened so far, this session's and those before it. */
  get connectionsOpened(): number {
    return this.connections;
  }

  /** True while requests can still succeed (ZooKeeper.States.isAlive). */
  get isAlive(): boolean {
    return this.state !== "CLOSED" && this.state !== "AUTH_FAILED";
  }

  /** How many requests await a reply or a connection. */
  get outstanding(): number {
    return this.pending.length + this.queued.length;
  }

  /** Handles one input; returns the effects, in order. */
  step(input: ClientInput): ClientEffect[] {
    assert(Number.isSafeInteger(input.now), "now is integer microseconds", { now: input.now });
    this.now = input.now;
    this.out = [];
    switch (input.kind) {
      case "open":
        this.onOpen();
        break;
      case "call":
        this.onCall(input.call, input.op);
        break;
      case "addAuth":
        this.onAddAuth(input.call, input.scheme, input.auth);
        break;
      case "close":
        this.onClose(input.call);
        break;
      case "receive":
        if (input.connection === this.connection) this.onReceive(input.packet);
        break;
      case "closed":
        if (input.connection === this.connection) this.loseConnection();
        break;
      case "timeout":
        this.onTimeout(input.timer);
        break;
      case "move":
        this.onMove(input.server);
        break;
      default:
        assertNever(input, "client input");
    }
    this.armSessionTimer();
    return this.out;
  }

  private onOpen(): void {
    assert(this.state === "NOT_STARTED", "a session opens once", { state: this.state });
    this.state = "CONNECTING";
    this.startConnect();
  }

  private onCall(call: number, op: ClientCall): void {
    if (!this.isAlive) {
      this.complete(call, this.state === "AUTH_FAILED" ? AUTH_FAILED : EXPIRED);
    } else if (this.closing) {
      this.complete(call, LOSS);
    } else if (dataBytes(op.request) > JUTE_MAX_BUFFER) {
      // NIOServerCnxn.readLength refuses the frame and closes the connection.
      this.complete(call, LOSS);
      if (this.connection !== 0) this.loseConnection();
    } else if (this.connection === 0) {
      this.queued.push({ call, op });
    } else {
      this.sendCall(call, op);
    }
  }

  private onAddAuth(call: number, scheme: string, auth: string): void {
    if (!this.isAlive) {
      this.complete(call, this.state === "AUTH_FAILED" ? AUTH_FAILED : EXPIRED);
      return;
    }
    this.authInfo.push({ scheme, auth });
    if (this.connection === 0) {
      // primeConnection sends it on the next connection; the call completes then.
      this.complete(call, OK_RESULT);
      return;
    }
    this.authPending.push(call);
    this.send({ type: "auth", scheme, auth });
  }

  private onClose(call: number): void {
    if (!this.isAlive || this.state === "NOT_STARTED" || this.closing) {
      if (this.state === "NOT_STARTED") this.state = "CLOSED";
      this.complete(call, OK_RESULT);
      return;
    }
    this.closing = true;
    if (this.connection === 0) {
      // SendThread.run: "don't re-establish connection if we are closing"; close() returns.
      this.finishClose();
      this.complete(call, OK_RESULT);
      return;
    }
    this.sendCall(call, { request: { type: "closeSession" } });
  }

  /** Drops the connection; a named server becomes the only one tried from now on. */
  private onMove(server: number | undefined): void {
    if (server !== undefined) {
      this.pinned = server;
      // A reconnect already waiting goes to the new server.
      if (this.reconnectServer !== undefined) this.reconnectServer = server;
    }
    if (this.connection !== 0) this.loseConnection();
  }

  private onTimeout(timer: "sessionTimer" | "reconnectTimer"): void {
    if (timer === "reconnectTimer") {
      const server = this.reconnectServer;
      this.reconnectServer = undefined;
      if (server !== undefined && this.isAlive && this.connection === 0) {
        this.openConnection(server);
      }
      return;
    }
    this.sessionTimerAtMicros = undefined;
    if (this.connection === 0) return;
    const idleRecv = this.now - this.lastHeardMicros;
    const limit = this.state === "CONNECTED" ? this.timing.readTimeoutMicros
      : this.timing.connectTimeoutMicros;
    if (idleRecv >= limit) {
      this.loseConnection();
      return;
    }
    const idleSend = this.now - this.lastSendMicros;
    if (this.state === "CONNECTED" && idleSend >= this.timing.pingAfterMicros) {
      this.send({ type: "ping" });
    }
  }

  private onReceive(packet: ServerPacket): void {
    this.lastHeardMicros = this.now;
    switch (packet.type) {
      case "connected":
        this.onConnected(packet.sessionId, packet.timeoutMs);
        return;
      case "notification": {
        const watchers = this.watches.materialize(packet.event, packet.path);
        this.emitWatch({ type: packet.event, state: "SyncConnected", path: packet.path },
          watchers, packet.zxid);
        return;
      }
      case "reply":
        this.onReply(packet);
        return;
      default:
        assertNever(packet, "server packet");
    }
  }

  /** SendThread.onConnected. */
  private onConnected(sessionId: number, timeoutMs: number): void {
    assert(this.state === "CONNECTING", "one ConnectResponse per connection",
      { state: this.state });
    if (timeoutMs <= 0) {
      this.state = "CLOSED";
      this.emitState("Expired");
      this.disconnect();
      this.failAll(EXPIRED);
      return;
    }
    assert(this.sessionId === 0 || sessionId === this.sessionId, "the session keeps its id",
      { sessionId, mine: this.sessionId });
    this.negotiatedTimeoutMs = timeoutMs;
    this.timing = sessionTiming(timeoutMs, this.hosts.size);
    this.hosts.onConnected();
    this.sessionId = sessionId;
    this.state = "CONNECTED";
    this.emitState("SyncConnected");
  }

  private onReply(packet: Extract<ServerPacket, { type: "reply" }>): void {
    if (packet.xid === PING_XID) return;
    if (packet.xid === AUTH_XID) {
      this.onAuthReply(packet.err);
      return;
    }
    assert(packet.xid !== NOTIFICATION_XID, "notifications are their own packet");
    const head = this.pending[0];
    if (head === undefined || head.xid !== packet.xid) {
      // readResponse: "Xid out of order" is an IOException: the connection is dropped.
      this.loseConnection();
      return;
    }
    this.pending.shift();
    if (packet.zxid > 0) this.lastZxidSeen = packet.zxid;
    if (head.call === undefined || head.op === undefined) return;
    const result: CallResult = packet.body === undefined
      ? { err: packet.err, zxid: packet.zxid }
      : { err: packet.err, zxid: packet.zxid, body: packet.body };
    const request = head.op.request;
    if (head.op.watcher !== undefined) this.watches.register(request, head.op.watcher, packet.err);
    if (request.type === "removeWatches" && packet.err === "OK") {
      // ZKWatchManager.removeWatches: the local lists follow the server's OK.
      this.watches.removeAll(request.path, request.watcherType);
    }
    this.complete(head.call, result);
    if (request.type === "closeSession") this.finishClose();
  }

  private onAuthReply(err: CallResult["err"]): void {
    const call = this.authPending.shift();
    if (err !== "AUTHFAILED") {
      if (call !== undefined) this.complete(call, { err, zxid: 0 });
      return;
    }
    if (call !== undefined) this.complete(call, AUTH_FAILED);
    this.state = "AUTH_FAILED";
    this.emitState("AuthFailed");
    this.disconnect();
    this.failAll(AUTH_FAILED);
  }

  /** Opens the next connection now or after startConnect's pause. */
  private startConnect(): void {
    const { server, spin } = this.pinned === undefined
      ? this.hosts.next() : { server: this.pinned, spin: false };
    let delay = spin ? SPIN_DELAY_MICROS : 0;
    if (!this.firstConnect) {
      delay += millisToMicros(this.prng.intBetween(0, RECONNECT_JITTER_MS_MAX));
    }
    if (delay === 0 && (this.firstConnect || this.pinned === undefined)) {
      this.openConnection(server);
      return;
    }
    this.reconnectServer = server;
    this.out.push({ kind: "setTimer", timer: "reconnectTimer", afterMicros: delay });
  }

  /** startConnect + primeConnection. */
  private openConnection(server: number): void {
    assert(this.connection === 0, "one connection at a time");
    this.firstConnect = false;
    this.connection = ++this.connections;
    this.server = server;
    this.state = "CONNECTING";
    this.lastHeardMicros = this.now;
    this.out.push({ kind: "connect", connection: this.connection, server });
    this.send({
      type: "connect", lastZxidSeen: this.lastZxidSeen, timeoutMs: this.requestedTimeoutMs,
      sessionId: this.sessionId,
    });
    for (const { scheme, auth } of this.authInfo) {
      this.authPending.push(undefined);
      this.send({ type: "auth", scheme, auth });
    }
    if (!this.watches.isEmpty()) {
      this.pending.push({ xid: SET_WATCHES_XID, call: undefined, op: undefined });
      this.send({ type: "setWatches", request: this.watches.setWatches(this.lastZxidSeen) });
    }
    for (const { call, op } of this.queued.splice(0)) this.sendCall(call, op);
  }

  private sendCall(call: number, op: ClientCall): void {
    const xid = this.nextXid;
    // ClientCnxn.getXid: never negative (-1, -2, -4, -8 are special).
    this.nextXid = xid === INT32_MAX ? 1 : xid + 1;
    this.pending.push({ xid, call, op });
    this.send({ type: "request", xid, request: op.request }, call);
  }

  private send(packet: ClientPacket, call?: number): void {
    assert(this.connection !== 0, "sending needs a connection");
    this.lastSendMicros = this.now;
    this.out.push(call === undefined ? { kind: "send", connection: this.connection, packet }
      : { kind: "send", connection: this.connection, packet, call });
  }

  /** The connection is gone: fail what was outstanding, then reconnect or finish closing. */
  private loseConnection(): void {
    const wasConnected = this.state === "CONNECTED";
    this.disconnect();
    this.failAll(LOSS);
    if (wasConnected) this.emitState("Disconnected");
    if (this.closing) {
      this.finishClose();
      return;
    }
    this.state = "CONNECTING";
    this.startConnect();
  }

  private disconnect(): void {
    if (this.connection === 0) return;
    this.out.push({ kind: "disconnect", connection: this.connection });
    this.connection = 0;
    this.server = undefined;
  }

  /** cleanup(): every pending and queued request, and auth waiters, get `result`. */
  private failAll(result: CallResult): void {
    for (const entry of this.pending.splice(0)) {
      if (entry.call !== undefined) this.complete(entry.call, result);
    }
    for (const entry of this.queued.splice(0)) this.complete(entry.call, result);
    for (const call of this.authPending.splice(0)) {
      if (call !== undefined) this.complete(call, result);
    }
  }

  /**
   * ZooKeeper.close after closeSession: CLOSED, whatever closeSession's answer was (the close
   * call itself completes with that answer, or CONNECTIONLOSS; close() reports neither).
   */
  private finishClose(): void {
    this.disconnect();
    this.failAll(LOSS);
    this.state = "CLOSED";
    this.emitState("Closed");
    if (this.reconnectServer !== undefined) {
      this.reconnectServer = undefined;
      this.out.push({ kind: "cancelTimer", timer: "reconnectTimer" });
    }
  }

  private complete(call: number, result: CallResult): void {
    this.out.push({ kind: "complete", call, result });
  }

  private emitState(state: KeeperState): void {
    this.emitWatch({ type: "None", state, path: null }, this.watches.everyWatcher(), 0);
  }

  private emitWatch(event: WatchedEvent, watchers: readonly number[], zxid: number): void {
    this.out.push({ kind: "watch", event, watchers, zxid });
  }

  /** Keeps one session timer armed at the earliest deadline of the SendThread loop. */
  private armSessionTimer(): void {
    if (this.connection === 0 || !this.isAlive) {
      if (this.sessionTimerAtMicros !== undefined) {
        this.sessionTimerAtMicros = undefined;
        this.out.push({ kind: "cancelTimer", timer: "sessionTimer" });
      }
      return;
    }
    let due: number;
    if (this.state === "CONNECTED") {
      due = Math.min(this.lastHeardMicros + this.timing.readTimeoutMicros,
        this.lastSendMicros + this.timing.pingAfterMicros);
    } else {
      due = this.lastHeardMicros + this.timing.connectTimeoutMicros;
    }
    due = Math.max(due, this.now);
    const armed = this.sessionTimerAtMicros;
    // A later deadline needs no re-arm: the earlier timer fires, finds nothing due, re-arms.
    if (armed !== undefined && armed <= due) return;
    this.sessionTimerAtMicros = due;
    this.out.push({ kind: "setTimer", timer: "sessionTimer", afterMicros: due - this.now });
  }
}
