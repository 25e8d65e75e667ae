/**
 * The server end of session clients' connections, inside a replica host: it turns client
 * frames into replica inputs (connect, requests, pings, setWatches) and the replica's client
 * effects into frames, over one ClientLink per client. Like a ServerCnxn it holds what belongs
 * to the connection and not to the replica: the order of the stream, the auth ids (an auth
 * packet is answered here, as ZooKeeperServer.processPacket answers OpCode.auth before any
 * request processor), and which requests were sent on the current connection, so an answer to
 * a request of an older connection is dropped as a closed socket would drop it. A restart drops
 * every connection without a FIN; clients notice by their read timeout. A packet of a connection
 * that is closed (or was replaced) never opens it again: TCP answers a segment of a closed
 * connection with a reset, and only a new connection (a higher number: client nodes number
 * their connections across all their sessions) starts a new stream.
 */
import { AUTH_XID, PING_XID, SET_WATCHES_XID } from "../client/index.js";
import type { ClientPacket } from "../client/index.js";
import type { ClientId, ClientResult, Effect, Input } from "../consensus/index.js";
import { clientId } from "../consensus/index.js";
import type { Observation, WriteOutcome } from "../observe/index.js";
import type { HostContext, NodeId } from "../sim/index.js";
import type { Id } from "../tree/index.js";
import { addAuth } from "../tree/index.js";
import { ClientLink } from "./client-link.js";
import type { LinkFrame } from "./client-link.js";
import type { ServerFrame, SessionWire } from "./session-wire.js";

type Ctx<M> = HostContext<M, Observation>;

/** Replica request ids for the connection's own packets (client xids are 1..2^31-1). */
const PING_REQUEST_ID = 2 ** 31;
const SET_WATCHES_REQUEST_ID = 2 ** 31 + 1;

interface Connection {
  readonly link: ClientLink<ServerFrame, ClientPacket>;
  /**
   * Packets that came behind a ConnectRequest still being answered: ZooKeeper reads nothing
   * more from a connection until its session is set up (cnxn.disableRecv in
   * processConnectRequest), so they wait here.
   */
  held: ClientPacket[] | undefined;
  readonly authInfo: Id[];
  /** Request ids sent on this connection and not yet answered. */
  readonly outstanding: Set<number>;
}

/** A write's outcome as the reply carries it: the fields a client can read. */
function writeOutcome(result: ClientResult): WriteOutcome | null {
  const write = result.write;
  if (write === undefined) return null;
  const { path, stat, multiResult } = write;
  if (multiResult !== undefined) return { path, stat, multiResult };
  return stat === undefined ? { path } : { path, stat };
}

/** What takeReleased returns when nothing was released (the common case: no allocation). */
const NOTHING_RELEASED: readonly Input[] = [];

export class SessionConnections<M> {
  private readonly connections = new Map<number, Connection>();
  /**
   * The highest connection number each client has opened here. Kept across restarts, as the
   * kernel's TCP would refuse the old connection's segments of a new process too.
   */
  private readonly lastConn = new Map<number, number>();
  private released: Input[] = [];

  constructor(private readonly wrap: (message: SessionWire) => M) {}

  /** True when `client` talks to this server over a session connection. */
  holds(client: number): boolean {
    return this.connections.has(client);
  }

  /** A frame from `client`: the replica inputs it makes, in order. */
  receive(ctx: Ctx<M>, client: NodeId, frame: LinkFrame<ClientPacket>): Input[] {
    let connection = this.connections.get(client);
    if (frame.conn > (this.lastConn.get(client) ?? 0)) {
      // A new TCP connection from this client replaces the old one.
      this.lastConn.set(client, frame.conn);
      connection = {
        link: new ClientLink(frame.conn), held: undefined, authInfo: [], outstanding: new Set(),
      };
      this.connections.set(client, connection);
    }
    // A packet of an older or closed connection: that socket is gone (TCP resets it).
    if (connection === undefined || frame.conn !== connection.link.conn) return [];
    const packets = connection.link.accept(frame);
    if (connection.link.broken) {
      this.close(ctx, client);
      return [{ kind: "disconnect", now: ctx.localMicros, client: clientId(client) }];
    }
    return this.inputsFor(ctx, client, connection, packets);
  }

  private inputsFor(ctx: Ctx<M>, client: NodeId, connection: Connection,
    packets: readonly ClientPacket[]): Input[] {
    const inputs: Input[] = [];
    for (const packet of packets) {
      if (connection.held !== undefined) {
        connection.held.push(packet);
        continue;
      }
      const input = this.inputFor(ctx, client, connection, packet);
      if (input !== undefined) inputs.push(input);
      if (packet.type === "connect") connection.held = [];
      if (this.connections.get(client) !== connection) break;
    }
    return inputs;
  }

  /** Inputs released by a session set up during the last effects (run them next, in order). */
  takeReleased(): readonly Input[] {
    if (this.released.length === 0) return NOTHING_RELEASED;
    const released = this.released;
    this.released = [];
    return released;
  }

  /** The client closed connection `conn`: true when it was the open one. */
  closed(client: NodeId, conn: number): boolean {
    const connection = this.connections.get(client);
    if (connection === undefined || connection.link.conn !== conn) return false;
    this.connections.delete(client);
    return true;
  }

  /** The process is killed: the operating system sends every client a FIN, in client order. */
  closeAll(ctx: Ctx<M>): void {
    const clients = [...this.connections.keys()].sort((a, b) => a - b);
    for (const client of clients) this.close(ctx, client);
  }

  /** A restart: every connection is gone (no FIN reaches the clients). */
  dropAll(): void {
    this.connections.clear();
  }

  private inputFor(ctx: Ctx<M>, client: NodeId, connection: Connection, packet: ClientPacket):
    Input | undefined {
    const now = ctx.localMicros;
    const id: ClientId = clientId(client);
    switch (packet.type) {
      case "connect":
        return {
          kind: "connect", now, client: id, timeoutMs: packet.timeoutMs,
          session: packet.sessionId === 0 ? null
            : { sessionId: packet.sessionId, lastZxidSeen: packet.lastZxidSeen },
        };
      case "request":
        connection.outstanding.add(packet.xid);
        return {
          kind: "clientRequest", now, client: id, requestId: packet.xid, request: packet.request,
          authInfo: connection.authInfo,
        };
      case "ping":
        connection.outstanding.add(PING_REQUEST_ID);
        return {
          kind: "clientRequest", now, client: id, requestId: PING_REQUEST_ID,
          request: { type: "ping" },
        };
      case "setWatches":
        connection.outstanding.add(SET_WATCHES_REQUEST_ID);
        return {
          kind: "clientRequest", now, client: id, requestId: SET_WATCHES_REQUEST_ID,
          request: packet.request, authInfo: connection.authInfo,
        };
      case "auth":
        this.onAuth(ctx, client, connection, packet.scheme, packet.auth);
        return undefined;
    }
  }

  /** OpCode.auth: the ids join the connection's; an unknown scheme fails and closes it. */
  private onAuth(ctx: Ctx<M>, client: NodeId, connection: Connection, scheme: string,
    auth: string): void {
    const result = addAuth(scheme, auth, undefined, `client-${client}`);
    this.send(ctx, client, connection, {
      type: "reply", xid: AUTH_XID, zxid: 0, err: result.err, txn: null, read: null, write: null,
    });
    if (result.err === "OK") connection.authInfo.push(...result.ids);
    else this.close(ctx, client);
  }

  /** Carries out a client effect of the replica; false when `effect` is not for a session. */
  apply(ctx: Ctx<M>, effect: Effect): boolean {
    if (!("client" in effect)) return false;
    const client = effect.client as number;
    const connection = this.connections.get(client);
    if (connection === undefined) return false;
    switch (effect.kind) {
      case "reply":
        this.reply(ctx, client, connection, effect.requestId, effect.result);
        return true;
      case "connected": {
        this.send(ctx, client, connection, {
          type: "connected", sessionId: effect.sessionId, timeoutMs: effect.timeoutMs,
        });
        const held = connection.held ?? [];
        connection.held = undefined;
        if (effect.timeoutMs > 0) {
          this.released.push(...this.inputsFor(ctx, client, connection, held));
        }
        return true;
      }
      case "notify":
        this.send(ctx, client, connection, {
          type: "notification", event: effect.event.type, path: effect.event.path,
          zxid: effect.event.zxid,
        });
        return true;
      case "refused":
      case "closeConnection":
        this.close(ctx, client);
        return true;
      default:
        return false;
    }
  }

  private reply(ctx: Ctx<M>, client: number, connection: Connection, requestId: number,
    result: ClientResult): void {
    // An answer to a request of an earlier connection: that socket is closed.
    if (!connection.outstanding.delete(requestId)) return;
    if (result.err === "CONNECTIONLOSS") {
      // The replica can no longer serve (stopped, not up to date, lost its role, queue full). A
      // ZooKeeper server never answers CONNECTIONLOSS: it closes the socket (NIOServerCnxn:
      // "ZooKeeperServer not running"; RequestThrottler's dropped request sets the cnxn
      // invalid), and the client makes CONNECTIONLOSS itself (ClientCnxn cleanup). So no reply
      // header reaches the client, and its lastZxid cannot go back to this server's applied
      // zxid, below what a newer leader already told it (readResponse: zxid > 0).
      this.close(ctx, client);
      this.released.push({ kind: "disconnect", now: ctx.localMicros, client: clientId(client) });
      return;
    }
    let xid = requestId;
    if (requestId === PING_REQUEST_ID) xid = PING_XID;
    else if (requestId === SET_WATCHES_REQUEST_ID) xid = SET_WATCHES_XID;
    this.send(ctx, client, connection, {
      type: "reply", xid, zxid: result.zxid, err: result.err, txn: result.txn ?? null,
      read: result.read ?? null, write: writeOutcome(result),
    });
  }

  private send(ctx: Ctx<M>, client: number, connection: Connection, frame: ServerFrame): void {
    ctx.send(client, this.wrap({ kind: "session-reply", frame: connection.link.wrap(frame) }));
  }

  /** The server closes the connection (a FIN to the client). */
  private close(ctx: Ctx<M>, client: number): void {
    const connection = this.connections.get(client);
    if (connection === undefined) return;
    this.connections.delete(client);
    ctx.send(client, this.wrap({ kind: "session-close", conn: connection.link.conn }));
  }
}
