/**
 * One client connection to the standalone server, seen from both ends at once: what the server
 * writes to it (notifications and replies, in order) and what the client keeps (its request
 * counter, the last zxid it has seen, the watches it believes it holds). A session has exactly
 * one connection; a dropped connection is replaced by a new one for the same session.
 */
import type { ErrorCode, EventType, Id } from "../tree/index.js";
import { ClientWatches } from "./client-watches.js";

/** Something that reached the client, in arrival order. */
export type Arrival =
  /** A watch notification (xid -1): ZooKeeper writes it as soon as the watch fires. */
  | {
      readonly kind: "notification";
      readonly type: EventType;
      readonly path: string;
      readonly zxid: number;
    }
  /** The answer to the client's request, or the CONNECTIONLOSS its client reports instead. */
  | { readonly kind: "reply"; readonly cxid: number; readonly err: ErrorCode };

/** The address every simulated client connects from (ServerCnxnFactory adds it as an ip id). */
export const CLIENT_ADDRESS = "127.0.0.1";

/** A session's connection and its client-side bookkeeping. */
export class Connection {
  /** The client's xid counter (ClientCnxn.xid): one per request sent. */
  cxid = 0;
  /**
   * ClientCnxn.lastZxid: the zxid of the last reply (pings and notifications excluded), sent
   * as relativeZxid in SetWatches after a reconnect.
   */
  lastZxid = 0;
  /** False once closeSession has answered; the session is gone. */
  open = true;
  readonly watches = new ClientWatches();
  /** The connection's auth ids: the client's address, as ServerCnxnFactory records it. */
  readonly authInfo: readonly Id[] = [{ scheme: "ip", id: CLIENT_ADDRESS }];
  private arrivals: Arrival[] = [];

  constructor(readonly sessionId: number) {}

  /** The server writes a notification; the client's watch manager consumes its watches. */
  notify(type: EventType, path: string, zxid: number): void {
    this.arrivals.push({ kind: "notification", type, path, zxid });
    this.watches.onNotification(type, path);
  }

  /** A reply (or the client's CONNECTIONLOSS) for request `cxid`. */
  reply(cxid: number, err: ErrorCode, zxid: number | undefined): void {
    this.arrivals.push({ kind: "reply", cxid, err });
    // ClientCnxn.readResponse: lastZxid follows every reply header with a positive zxid.
    if (zxid !== undefined && zxid > 0) this.lastZxid = zxid;
  }

  /** Everything that arrived since the last call, in order. */
  take(): Arrival[] {
    const taken = this.arrivals;
    this.arrivals = [];
    return taken;
  }
}
