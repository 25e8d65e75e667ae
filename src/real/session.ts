/**
 * One ZooKeeper client session over the real wire protocol, modelled on the Java client's
 * ClientCnxn: a ConnectRequest handshake, numbered requests answered in order, pings (xid -2),
 * watch notifications (xid -1), and, when the server drops the connection (as it does after an
 * oversized request), CONNECTIONLOSS for what was in flight followed by a reconnect with the same
 * session id and password and a setWatches (xid -8) carrying the last zxid seen, so the server
 * re-arms the watches or fires the ones whose nodes changed meanwhile.
 *
 * A session may be given several servers (a connect string): it connects to them in turn, and
 * after a dropped connection tries each of them, round after round, until one takes the session
 * or the session timeout has passed, as ClientCnxn does with its HostProvider. The credentials
 * given to `addAuth` are sent again on every new connection before setWatches (primeConnection).
 * With TLS options every connection is TLS (a server's secureClientPort).
 *
 * A *pinned* session (ensemble scenarios) never reconnects by itself: when its connection drops
 * it stays disconnected until its owner calls `reattach` (to the same server, or another one for
 * a move), since only the owner knows whether that server serves.
 *
 * Every wait is bounded: connecting, each request and each ping time out.
 */
import { JuteReader, JuteWriter } from "./jute.js";
import { FrameSocket } from "./frame-socket.js";
import type { TlsOptions } from "./frame-socket.js";
import { CONNECTION_LOSS, OpCode, Xid, eventName } from "./protocol.js";
import { encodeRequest, readResponseBody } from "./requests.js";
import type { ZkRequest, ZkResponse } from "./requests.js";
import { WatchBook } from "./watch-book.js";

/** Bounds on every wait, in wall-clock milliseconds. */
export interface SessionTimeouts {
  readonly connectMs: number;
  readonly requestMs: number;
  /** The session timeout asked of the server. */
  readonly sessionMs: number;
}

export const DEFAULT_TIMEOUTS: SessionTimeouts = {
  connectMs: 5000,
  requestMs: 10000,
  sessionMs: 30000,
};

/** A watch notification as received; `seq` orders it among this session's frames. */
export interface Notification {
  readonly type: string;
  readonly path: string;
  readonly seq: number;
}

/** The outcome of one request. */
export interface Reply {
  /** ZooKeeper's error code; CONNECTIONLOSS (-4) when the connection dropped. */
  readonly err: number;
  readonly zxid: bigint;
  /** The decoded body, when the reply had one. */
  readonly body: ZkResponse | undefined;
  /** Position of the reply among this session's frames (compare with Notification.seq). */
  readonly seq: number;
  /** After CONNECTIONLOSS: whether the same session was re-established. */
  readonly reconnected: boolean | undefined;
}

interface Pending {
  readonly request: ZkRequest;
  readonly resolve: (reply: Reply) => void;
  readonly timer: NodeJS.Timeout;
}

/** Thrown when the server cannot be reached or stops answering. */
export class SessionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SessionError";
  }
}

const PASSWORD_BYTES = 16;

/** How `reattach` ended: connected, told the session expired, or not taken. */
export type ReattachOutcome = "ok" | "expired" | "refused";

/** One server of a connect string. */
export interface Endpoint {
  readonly host: string;
  readonly port: number;
}

/** A session over a server list (`Session.openList`). */
export interface SessionListOptions {
  readonly servers: readonly Endpoint[];
  readonly timeouts?: SessionTimeouts;
  readonly tls?: TlsOptions;
  /** Called for every watch notification, as it arrives (it is also kept for takeNotifications). */
  readonly onNotification?: (notification: Notification) => void;
}

/** The pause between two rounds over the server list while reconnecting. */
const ROUND_PAUSE_MS = 250;

/** A live session. Create with `Session.open`. */
export class Session {
  sessionId = 0n;
  /** True once a ConnectResponse said the session expired (timeout 0). */
  expired = false;
  private password: Buffer = Buffer.alloc(PASSWORD_BYTES);
  private lastZxid = 0n;
  private nextXid = 1;
  private frameSeq = 0;
  private socket: FrameSocket | undefined;
  private handshake: ((frame: Buffer | undefined) => void) | undefined;
  private readonly pending = new Map<number, Pending>();
  private readonly pingWaiters: Array<() => void> = [];
  private readonly setWatchesWaiters: Array<() => void> = [];
  private readonly authWaiters: Array<(err: number) => void> = [];
  /** Credentials given to addAuth, sent again on every new connection. */
  private readonly authInfo: Array<{ readonly scheme: string; readonly auth: Uint8Array }> = [];
  /** The server list, and which one the current connection is to. */
  private servers: readonly Endpoint[];
  private serverIndex = 0;
  private tls: TlsOptions | undefined;
  private listener: ((notification: Notification) => void) | undefined;
  private readonly watches = new WatchBook();
  private reconnecting: Promise<boolean> | undefined;
  /** True while connect() runs: a connection closing then is its failure, not a loss. */
  private connecting = false;
  private ended = false;
  private keepAlive: NodeJS.Timeout | undefined;
  /** Notifications received and not yet taken by `takeNotifications`. */
  private inbox: Notification[] = [];
  /** Set when the session is gone for good (expired, closed, or the server is unreachable). */
  lostReason: string | undefined;

  private constructor(
    host: string,
    port: number,
    private readonly timeouts: SessionTimeouts,
    private readonly pinned: boolean,
  ) {
    this.servers = [{ host, port }];
  }

  private get host(): string {
    return this.servers[this.serverIndex]?.host ?? "";
  }

  private get port(): number {
    return this.servers[this.serverIndex]?.port ?? 0;
  }

  private set port(port: number) {
    const servers = [...this.servers];
    servers[this.serverIndex] = { host: this.host, port };
    this.servers = servers;
  }

  /** The server the current (or last) connection is to. */
  get server(): Endpoint {
    return { host: this.host, port: this.port };
  }

  /**
   * Opens a new session on the first server of `servers` that takes it (trying each once, in
   * order); rejects with a SessionError naming the last failure when none does.
   */
  static async openList(options: SessionListOptions): Promise<Session> {
    const first = options.servers[0];
    if (first === undefined) throw new SessionError("no server to connect to");
    const timeouts = options.timeouts ?? DEFAULT_TIMEOUTS;
    const session = new Session(first.host, first.port, timeouts, false);
    session.servers = [...options.servers];
    session.tls = options.tls;
    session.listener = options.onNotification;
    const ok = await session.connectAny(1);
    if (!ok) {
      throw new SessionError(session.lostReason ?? "no server took the session");
    }
    session.keepAlive = setInterval(() => session.pingInBackground(), timeouts.sessionMs / 3);
    session.keepAlive.unref();
    return session;
  }

  /**
   * Opens a new session; rejects with a SessionError when the server does not answer. A
   * `pinned` session does not reconnect by itself (see `reattach`).
   */
  static async open(
    host: string,
    port: number,
    timeouts = DEFAULT_TIMEOUTS,
    pinned = false,
  ): Promise<Session> {
    const session = new Session(host, port, timeouts, pinned);
    const ok = await session.connect();
    if (!ok) throw new SessionError(session.lostReason ?? "the server refused the session");
    session.keepAlive = setInterval(() => session.pingInBackground(), timeouts.sessionMs / 3);
    session.keepAlive.unref();
    return session;
  }

  /**
   * Sends a request and waits for its reply (or CONNECTIONLOSS, or a SessionError). With
   * `declaredLength`, the frame announces that many bytes but carries only the encoding of
   * `request` (see FrameSocket.sendDeclared): for requests too large to build.
   */
  async request(request: ZkRequest, declaredLength?: number): Promise<Reply> {
    if (this.reconnecting !== undefined) await this.reconnecting;
    const socket = this.socket;
    if (socket === undefined || socket.isClosed) {
      throw new SessionError(this.lostReason ?? "the session has no connection");
    }
    const xid = this.nextXid++;
    return new Promise<Reply>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(xid);
        reject(new SessionError(`no reply to ${request.op} in ${this.timeouts.requestMs} ms`));
      }, this.timeouts.requestMs);
      this.pending.set(xid, { request, resolve, timer });
      const encoded = encodeRequest(xid, request);
      socket.sendDeclared(declaredLength ?? encoded.length, encoded);
    });
  }

  /** A ping round trip: every frame the server sent before its answer has been received. */
  async ping(): Promise<void> {
    if (this.reconnecting !== undefined) await this.reconnecting;
    const socket = this.socket;
    if (socket === undefined || socket.isClosed) {
      throw new SessionError(this.lostReason ?? "the session has no connection");
    }
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new SessionError(`no answer to a ping in ${this.timeouts.requestMs} ms`)),
        this.timeouts.requestMs,
      );
      this.pingWaiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
      socket.send(headerOnly(Xid.ping, OpCode.ping));
    });
  }

  /**
   * ZooKeeper.addAuthInfo: sends an AuthPacket (xid -4) and resolves to the server's error code
   * (0, or AUTHFAILED). The credentials are kept and sent again after every reconnect.
   */
  async addAuth(scheme: string, auth: Uint8Array): Promise<number> {
    if (this.reconnecting !== undefined) await this.reconnecting;
    const socket = this.socket;
    if (socket === undefined || socket.isClosed) {
      throw new SessionError(this.lostReason ?? "the session has no connection");
    }
    this.authInfo.push({ scheme, auth: Uint8Array.from(auth) });
    return this.sendAuth(socket, scheme, auth);
  }

  /** One AuthPacket{type 0, scheme, auth} and its answer (CONNECTIONLOSS if none comes). */
  private sendAuth(socket: FrameSocket, scheme: string, auth: Uint8Array): Promise<number> {
    const writer = new JuteWriter();
    writer.writeInt(Xid.auth);
    writer.writeInt(OpCode.auth);
    writer.writeInt(0);
    writer.writeString(scheme);
    writer.writeBuffer(auth);
    return new Promise<number>((resolve) => {
      const timer = setTimeout(() => resolve(CONNECTION_LOSS), this.timeouts.requestMs);
      this.authWaiters.push((err) => {
        clearTimeout(timer);
        resolve(err);
      });
      socket.send(writer.toBuffer());
    });
  }

  /** Whether the session has a working connection (not reconnecting, not ended). */
  get connected(): boolean {
    const socket = this.socket;
    return !this.ended && this.reconnecting === undefined && socket !== undefined
      && !socket.isClosed;
  }

  /**
   * Connects this session (same id, password and last zxid seen) to the server at `port` and
   * re-registers its watches with setWatches, as ClientCnxn does on every reconnect. The old
   * connection, if any, is kept until the new one is established, so a move that is not taken
   * changes nothing.
   */
  async reattach(port: number): Promise<ReattachOutcome> {
    if (this.ended) return "expired";
    const previousSocket = this.socket;
    const previousPort = this.port;
    this.port = port;
    const ok = await this.connect();
    if (!ok) {
      this.port = previousPort;
      if (this.expired) {
        this.end("the session expired");
        previousSocket?.close();
        return "expired";
      }
      this.socket = previousSocket !== undefined && !previousSocket.isClosed
        ? previousSocket : undefined;
      return "refused";
    }
    if (previousSocket !== undefined && previousSocket !== this.socket) previousSocket.close();
    if (!this.watches.isEmpty()) await this.sendSetWatches();
    return "ok";
  }

  /** Removes and returns the notifications received so far, in arrival order. */
  takeNotifications(): Notification[] {
    const taken = this.inbox;
    this.inbox = [];
    return taken;
  }

  /** Sends closeSession and ends the session, whatever the answer. */
  async close(): Promise<Reply> {
    const reply = await this.request({ op: "closeSession" });
    this.end("session closed");
    return reply;
  }

  /** Drops the connection without closing the session (the server expires it later). */
  end(reason: string): void {
    this.ended = true;
    this.lostReason ??= reason;
    if (this.keepAlive !== undefined) clearInterval(this.keepAlive);
    this.socket?.close();
  }

  private pingInBackground(): void {
    if (!this.connected) return;
    this.ping().catch(() => undefined);
  }

  /** Opens a connection and runs the handshake; false when the session is gone. */
  private async connect(): Promise<boolean> {
    this.connecting = true;
    try {
      return await this.connectOnce();
    } finally {
      this.connecting = false;
    }
  }

  /**
   * Tries every server of the list once per round, starting with the current one (a new
   * session) or the next one (a reconnect, as HostProvider.next moves on after a loss), for at
   * most `rounds` rounds (or until the session timeout has passed, pausing between rounds);
   * stops at a server that takes the session, or one that says it expired.
   */
  private async connectAny(rounds: number, startWithNext = false): Promise<boolean> {
    const deadline = Date.now() + this.timeouts.sessionMs;
    const count = this.servers.length;
    for (let round = 0; round < rounds && Date.now() < deadline; round++) {
      if (round > 0) await new Promise((resolve) => setTimeout(resolve, ROUND_PAUSE_MS));
      for (let step = 0; step < count; step++) {
        if (round > 0 || step > 0 || startWithNext) {
          this.serverIndex = (this.serverIndex + 1) % count;
        }
        if (await this.connect()) return true;
        if (this.expired) return false;
      }
    }
    return false;
  }

  private async connectOnce(): Promise<boolean> {
    let socket: FrameSocket;
    try {
      socket = await FrameSocket.connect(this.host, this.port, this.timeouts.connectMs, {
        onFrame: (frame) => {
          if (socket === this.socket) this.onFrameSafely(frame, socket);
        },
        onClose: (reason) => {
          // A connection this session has moved away from closes without consequence.
          if (socket === this.socket) this.onClose(reason);
        },
      }, this.tls);
    } catch (error) {
      this.lostReason = (error as Error).message;
      return false;
    }
    this.socket = socket;
    const answer = await this.handshakeOn(socket);
    if (answer === undefined) {
      this.lostReason ??= "the server closed the connection during the handshake";
      return false;
    }
    try {
      return this.acceptConnectResponse(answer);
    } catch (error) {
      this.lostReason = `malformed ConnectResponse: ${(error as Error).message}`;
      socket.close();
      return false;
    }
  }

  /** A reply this client cannot decode ends the connection instead of the process. */
  private onFrameSafely(frame: Buffer, socket: FrameSocket): void {
    try {
      this.onFrame(frame);
    } catch (error) {
      this.lostReason = `malformed reply: ${(error as Error).message}`;
      this.ended = true;
      socket.close();
    }
  }

  private handshakeOn(socket: FrameSocket): Promise<Buffer | undefined> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.handshake = undefined;
        this.lostReason = `no answer to ConnectRequest in ${this.timeouts.connectMs} ms`;
        socket.close();
        resolve(undefined);
      }, this.timeouts.connectMs);
      this.handshake = (frame) => {
        clearTimeout(timer);
        this.handshake = undefined;
        resolve(frame);
      };
      socket.send(this.connectRequest());
    });
  }

  /** ConnectRequest (zookeeper.jute) followed by the readOnly flag, as the Java client sends. */
  private connectRequest(): Buffer {
    const writer = new JuteWriter();
    writer.writeInt(0);
    writer.writeLong(this.lastZxid);
    writer.writeInt(this.timeouts.sessionMs);
    writer.writeLong(this.sessionId);
    writer.writeBuffer(this.password);
    writer.writeBool(false);
    return writer.toBuffer();
  }

  /** A ConnectResponse with timeout <= 0 means the session expired (ClientCnxn.onConnected). */
  private acceptConnectResponse(frame: Buffer): boolean {
    const reader = new JuteReader(frame);
    reader.readInt();
    const timeout = reader.readInt();
    const sessionId = reader.readLong();
    const password = reader.readBuffer();
    if (timeout <= 0) {
      this.expired = true;
      this.lostReason = "the session expired";
      this.socket?.close();
      return false;
    }
    this.sessionId = sessionId;
    this.password = Buffer.from(password ?? Buffer.alloc(PASSWORD_BYTES));
    return true;
  }

  private onFrame(frame: Buffer): void {
    const handshake = this.handshake;
    if (handshake !== undefined) {
      handshake(frame);
      return;
    }
    const seq = ++this.frameSeq;
    const reader = new JuteReader(frame);
    const xid = reader.readInt();
    const zxid = reader.readLong();
    const err = reader.readInt();
    if (xid === Xid.ping) {
      this.pingWaiters.shift()?.();
    } else if (xid === Xid.notification) {
      this.onNotification(reader, seq);
    } else if (xid === Xid.setWatches) {
      // ClientCnxn.readResponse switches out only ping, auth and notification xids: setWatches
      // goes through the pending queue, so its header zxid becomes lastZxid like any reply's
      // (after an election, a new leader's epoch * 2^32).
      if (zxid > 0n) this.lastZxid = zxid;
      this.setWatchesWaiters.shift()?.();
    } else if (xid === Xid.auth) {
      this.authWaiters.shift()?.(err);
    } else {
      this.onReply(xid, zxid, err, frame.subarray(16), seq);
    }
  }

  /** WatcherEvent{type, state, path}; the client-side watch is consumed as ZKWatchManager does. */
  private onNotification(reader: JuteReader, seq: number): void {
    const type = reader.readInt();
    reader.readInt();
    const path = reader.readString() ?? "";
    this.watches.fired(type, path);
    const notification = { type: eventName(type), path, seq };
    this.inbox.push(notification);
    this.listener?.(notification);
  }

  private onReply(xid: number, zxid: bigint, err: number, body: Buffer, seq: number): void {
    const entry = this.pending.get(xid);
    if (entry === undefined) return;
    this.pending.delete(xid);
    clearTimeout(entry.timer);
    if (zxid > 0n) this.lastZxid = zxid;
    const decoded = err === 0 || entry.request.op === "multi" ? body : undefined;
    const response =
      decoded !== undefined && decoded.length > 0
        ? readResponseBody(entry.request, decoded)
        : undefined;
    this.watches.registered(entry.request, err);
    entry.resolve({ err, zxid, body: response, seq, reconnected: undefined });
  }

  private onClose(reason: string): void {
    this.socket = undefined;
    if (this.connecting) {
      // A handshake that fails is reported by connect(); no reconnect from here.
      this.handshake?.(undefined);
      return;
    }
    if (this.ended) {
      this.failPending(false, ++this.frameSeq);
      return;
    }
    if (this.pinned) {
      // No reconnect: the owner reattaches once it knows the server serves again.
      this.failPending(undefined, ++this.frameSeq);
      return;
    }
    this.reconnecting = this.reconnect(reason, ++this.frameSeq);
  }

  /**
   * Reconnects with the same session (over the server list, for a list session), sends the
   * credentials again and re-registers watches; pending requests then fail.
   */
  private async reconnect(reason: string, lossSeq: number): Promise<boolean> {
    const ok = this.servers.length > 1 ? await this.connectAny(Number.MAX_SAFE_INTEGER, true)
      : await this.connect();
    if (!ok) {
      this.lostReason ??= reason;
      this.ended = true;
    } else {
      await this.resendAuth();
      if (!this.watches.isEmpty()) await this.sendSetWatches();
    }
    this.reconnecting = undefined;
    this.failPending(ok, lossSeq);
    return ok;
  }

  /** The credentials of addAuth, on a new connection (ClientCnxn.primeConnection). */
  private async resendAuth(): Promise<void> {
    const socket = this.socket;
    if (socket === undefined) return;
    for (const { scheme, auth } of this.authInfo) await this.sendAuth(socket, scheme, auth);
  }

  private sendSetWatches(): Promise<void> {
    const writer = new JuteWriter();
    writer.writeInt(Xid.setWatches);
    writer.writeInt(OpCode.setWatches);
    writer.writeLong(this.lastZxid);
    this.watches.writeSetWatches(writer);
    return new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, this.timeouts.requestMs);
      this.setWatchesWaiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
      this.socket?.send(writer.toBuffer());
    });
  }

  /** Fails what was in flight; `seq` is the moment the connection dropped. */
  private failPending(reconnected: boolean | undefined, seq: number): void {
    for (const [xid, entry] of [...this.pending]) {
      this.pending.delete(xid);
      clearTimeout(entry.timer);
      entry.resolve({ err: CONNECTION_LOSS, zxid: 0n, body: undefined, seq, reconnected });
    }
    for (const waiter of this.pingWaiters.splice(0)) waiter();
    for (const waiter of this.authWaiters.splice(0)) waiter(CONNECTION_LOSS);
  }
}

function headerOnly(xid: number, type: number): Buffer {
  const writer = new JuteWriter();
  writer.writeInt(xid);
  writer.writeInt(type);
  return writer.toBuffer();
}
