/**
 * One ZooKeeper client session over the real wire protocol, modelled on the Java client's
 * ClientCnxn: a ConnectRequest handshake, numbered requests answered in order, pings (xid -2),
 * watch notifications (xid -1), and, when the server drops the connection (as it does after an
 * oversized request), CONNECTIONLOSS for what was in flight followed by a reconnect with the same
 * session id and password and a setWatches (xid -8) carrying the last zxid seen, so the server
 * re-arms the watches or fires the ones whose nodes changed meanwhile.
 *
 * A *pinned* session (ensemble scenarios) never reconnects by itself: when its connection drops
 * it stays disconnected until its owner calls `reattach` (to the same server, or another one for
 * a move), since only the owner knows whether that server serves.
 *
 * Every wait is bounded: connecting, each request and each ping time out.
 */
import { JuteReader, JuteWriter } from "./jute.js";
import { FrameSocket } from "./frame-socket.js";
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
    private readonly host: string,
    private port: number,
    private readonly timeouts: SessionTimeouts,
    private readonly pinned: boolean,
  ) {}

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
      });
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
    this.inbox.push({ type: eventName(type), path, seq });
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

  /** Reconnects with the same session and re-registers watches; pending requests then fail. */
  private async reconnect(reason: string, lossSeq: number): Promise<boolean> {
    const ok = await this.connect();
    if (!ok) {
      this.lostReason ??= reason;
      this.ended = true;
    } else if (!this.watches.isEmpty()) {
      await this.sendSetWatches();
    }
    this.reconnecting = undefined;
    this.failPending(ok, lossSeq);
    return ok;
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
  }
}

function headerOnly(xid: number, type: number): Buffer {
  const writer = new JuteWriter();
  writer.writeInt(xid);
  writer.writeInt(type);
  return writer.toBuffer();
}
