/**
 * The whole client session boundary on one screen, in the replica's shape: what goes in
 * (ClientInput), what comes out (ClientEffect), and the packets a session exchanges with a
 * server. A session is `step(input): ClientEffect[]`; the host (simulated or real) opens
 * connections, carries packets, runs timers and hands results to the promise API. Every input
 * carries `now`, the client node's local clock reading in microseconds; a session never reads a
 * clock.
 *
 * The packets are ZooKeeper's client protocol (zookeeper.jute) without the bytes: ConnectRequest
 * and ConnectResponse, requests numbered by xid and answered in order, pings (xid -2), auth
 * packets (xid -4), setWatches (xid -8) and notifications (xid -1), as ClientCnxn sends and reads
 * them.
 */
import type {
  Acl, AddWatchMode, ErrorCode, EventType, Request, SetWatchesRequest, Stat, SubTxnResult,
} from "../tree/index.js";

/** ClientCnxn.PING_XID. */
export const PING_XID = -2;
/** ClientCnxn.AUTHPACKET_XID. */
export const AUTH_XID = -4;
/** ClientCnxn.SET_WATCHES_XID. */
export const SET_WATCHES_XID = -8;
/** ClientCnxn.NOTIFICATION_XID. */
export const NOTIFICATION_XID = -1;

/**
 * ZooKeeper.States as the session machine uses them. NOT_STARTED precedes `open`; CLOSED is
 * both "closed by the client" and "expired", as in ZooKeeper, where both make every later call
 * fail with SESSIONEXPIRED.
 */
export type SessionState = "NOT_STARTED" | "CONNECTING" | "CONNECTED" | "CLOSED" | "AUTH_FAILED";

/** Watcher.Event.KeeperState values a session reports. */
export type KeeperState = "SyncConnected" | "Disconnected" | "Expired" | "AuthFailed" | "Closed";

/** A WatchedEvent: a node event (type and path) or a session event (type "None", path null). */
export interface WatchedEvent {
  readonly type: EventType | "None";
  readonly state: KeeperState;
  readonly path: string | null;
}

/** What a server sends back in a reply's body, by request type (zookeeper.jute responses). */
export interface ReplyBody {
  /** create (the final, sequential name), sync (the path echoed). */
  readonly path?: string;
  /** create2/createTTL/createContainer, setData, setACL, exists, getData, getChildren2, getACL. */
  readonly stat?: Stat;
  /** getData: the node's bytes (null when created with null). Never mutate. */
  readonly data?: Uint8Array | null;
  /** getChildren, getChildren2: child names, sorted. */
  readonly children?: readonly string[];
  /** getAllChildrenNumber. */
  readonly count?: number;
  /** getACL. */
  readonly acl?: readonly Acl[];
  /** getEphemerals. */
  readonly paths?: readonly string[];
  /** multi: one result per op (every op of a failed multi carries its error). */
  readonly results?: readonly SubTxnResult[];
}

/** What a client sends on a connection. */
export type ClientPacket =
  /**
   * ConnectRequest: a new session (sessionId 0) or the same session on another connection.
   * `lastZxidSeen` lets the server refuse a client that has seen more than it has.
   */
  | {
      readonly type: "connect";
      readonly lastZxidSeen: number;
      readonly timeoutMs: number;
      readonly sessionId: number;
    }
  /** A numbered request (RequestHeader xid + the request record). */
  | { readonly type: "request"; readonly xid: number; readonly request: Request }
  /** OpCode.ping with PING_XID: keeps the session alive while the client is idle. */
  | { readonly type: "ping" }
  /** AuthPacket with AUTH_XID (addAuthInfo; re-sent on every new connection). */
  | { readonly type: "auth"; readonly scheme: string; readonly auth: string }
  /** SetWatches / SetWatches2 with SET_WATCHES_XID (primeConnection). */
  | { readonly type: "setWatches"; readonly request: SetWatchesRequest };

/** What a server sends a client. */
export type ServerPacket =
  /**
   * ConnectResponse. `timeoutMs` is the negotiated session timeout; 0 means the session is
   * unknown to the ensemble (expired), and the client then reports SESSIONEXPIRED.
   */
  | { readonly type: "connected"; readonly sessionId: number; readonly timeoutMs: number }
  /**
   * ReplyHeader + body. `xid` is the request's, PING_XID, AUTH_XID or SET_WATCHES_XID; `zxid`
   * is the txn's for a write, the server's last processed zxid otherwise.
   */
  | {
      readonly type: "reply";
      readonly xid: number;
      readonly zxid: number;
      readonly err: ErrorCode;
      readonly body?: ReplyBody;
    }
  /** A watch notification (NOTIFICATION_XID); `zxid` is the txn that fired it (for the trace). */
  | {
      readonly type: "notification";
      readonly event: EventType;
      readonly path: string;
      readonly zxid: number;
    };

/** An operation the API submits: a tree request and the watcher its reply may register. */
export interface ClientCall {
  readonly request: Request;
  /**
   * The watcher (an id the API maps to a callback; 0 is the default watcher) to register when
   * the reply allows it: getData/getChildren on OK, exists and addWatch on OK or NONODE
   * (ZooKeeper.WatchRegistration.shouldAddWatch). Requires request.watch for reads.
   */
  readonly watcher?: number;
}

/** The outcome of one call: ZooKeeper's code, the reply's zxid (0 if none came), the body. */
export interface CallResult {
  readonly err: ErrorCode;
  readonly zxid: number;
  readonly body?: ReplyBody;
}

/** The session's named timers; a setTimer for a name replaces the previous one. */
export type ClientTimer =
  /** The SendThread loop's wait: connect timeout, read timeout and the next ping. */
  | "sessionTimer"
  /** The pause before a reconnect attempt (startConnect's random sleep, next()'s spin delay). */
  | "reconnectTimer";

export type ClientInput =
  /** Start connecting (the ZooKeeper constructor). */
  | { readonly kind: "open"; readonly now: number }
  /** The API submits an operation; `call` numbers it for the `complete` effect. */
  | { readonly kind: "call"; readonly now: number; readonly call: number; readonly op: ClientCall }
  /** addAuthInfo; completes when the server answers the auth packet. */
  | {
      readonly kind: "addAuth";
      readonly now: number;
      readonly call: number;
      readonly scheme: string;
      readonly auth: string;
    }
  /** ZooKeeper.close: closeSession, then the session is CLOSED whatever the answer. */
  | { readonly kind: "close"; readonly now: number; readonly call: number }
  /** A packet arrived on connection `connection` (stale connections are ignored). */
  | {
      readonly kind: "receive";
      readonly now: number;
      readonly connection: number;
      readonly packet: ServerPacket;
    }
  /** The host saw connection `connection` close (refused, reset, server gone). */
  | { readonly kind: "closed"; readonly now: number; readonly connection: number }
  | { readonly kind: "timeout"; readonly now: number; readonly timer: ClientTimer }
  /**
   * Drop the connection and reconnect to the next server (a session move; what the Java
   * client does on any socket error). Outstanding requests fail with CONNECTIONLOSS. With
   * `server`, that server is the only one the session connects to from now on (a harness that
   * pins sessions, as the scenario runner's `move` does; the Java client has no such call).
   */
  | { readonly kind: "move"; readonly now: number; readonly server?: number };

export type ClientEffect =
  /** Open connection number `connection` to `server` (the host starts carrying its packets). */
  | { readonly kind: "connect"; readonly connection: number; readonly server: number }
  /** Carry `packet` on connection N; a request's packet names its call (for observations). */
  | {
      readonly kind: "send";
      readonly connection: number;
      readonly packet: ClientPacket;
      readonly call?: number;
    }
  /** Close the connection; the host delivers nothing more from it. */
  | { readonly kind: "disconnect"; readonly connection: number }
  | { readonly kind: "setTimer"; readonly timer: ClientTimer; readonly afterMicros: number }
  | { readonly kind: "cancelTimer"; readonly timer: ClientTimer }
  /** A call (or addAuth, or close) has its outcome. */
  | { readonly kind: "complete"; readonly call: number; readonly result: CallResult }
  /**
   * An event for the watchers it materialized (ZKWatchManager.materialize), in ascending id
   * order, each to be called once: a notification (a node event; its one-shot watches are gone
   * from the session's lists) or a session state change (type "None": the default watcher 0 and
   * every registered one). `zxid` is the firing txn's for a notification, else 0 (trace only).
   */
  | {
      readonly kind: "watch";
      readonly event: WatchedEvent;
      readonly watchers: readonly number[];
      readonly zxid: number;
    };

/** AddWatchMode re-exported for the API's callers. */
export type { AddWatchMode };
