/**
 * The wire between session clients (src/client's ClientSession) and the replica hosts: the
 * client's packets and the server's, framed by ClientLink (connection number and sequence), and
 * a FIN that closes a connection from either end. A reply frame carries, besides the header,
 * the server's read result and write outcome as the replica produced them: the client makes its
 * ReplyBody from them, and its host keeps them for the complete observation.
 */
import type { ClientPacket, ReplyBody, ServerPacket } from "../client/index.js";
import type { EventType, ReadResult } from "../tree/index.js";
import { isErrorCode } from "../tree/index.js";
import type { WriteOutcome } from "../observe/index.js";
import type { LinkFrame } from "./client-link.js";

/** What a server sends a session client. */
export type ServerFrame =
  | { readonly type: "connected"; readonly sessionId: number; readonly timeoutMs: number }
  | {
      readonly type: "reply";
      readonly xid: number;
      readonly zxid: number;
      readonly err: string;
      readonly txn: string | null;
      readonly read: ReadResult | null;
      readonly write: WriteOutcome | null;
    }
  | {
      readonly type: "notification";
      readonly event: EventType;
      readonly path: string;
      readonly zxid: number;
    };

/** Session client ↔ server messages. */
export type SessionWire =
  | { readonly kind: "session-frame"; readonly frame: LinkFrame<ClientPacket> }
  | { readonly kind: "session-reply"; readonly frame: LinkFrame<ServerFrame> }
  /** The connection `conn` is closed by the sender (a FIN). */
  | { readonly kind: "session-close"; readonly conn: number };

/** The body a client reads from a reply's results. */
export function replyBody(read: ReadResult | null, write: WriteOutcome | null): ReplyBody {
  const body: {
    -readonly [K in keyof ReplyBody]: ReplyBody[K];
  } = {};
  if (write !== null) {
    if (write.path !== undefined) body.path = write.path;
    if (write.stat !== undefined) body.stat = write.stat;
    if (write.multiResult !== undefined) body.results = write.multiResult;
  }
  if (read !== null) {
    if (read.path !== undefined) body.path = read.path;
    if (read.stat !== undefined) body.stat = read.stat;
    if (read.data !== undefined) body.data = read.data;
    if (read.children !== undefined) body.children = read.children;
    if (read.count !== undefined) body.count = read.count;
    if (read.acl !== undefined) body.acl = read.acl;
    if (read.paths !== undefined) body.paths = read.paths;
  }
  return body;
}

/** The session machine's view of a server frame. */
export function serverPacket(frame: ServerFrame): ServerPacket {
  if (frame.type !== "reply") return frame;
  const err = isErrorCode(frame.err) ? frame.err : "SYSTEMERROR";
  if (frame.read === null && frame.write === null) {
    return { type: "reply", xid: frame.xid, zxid: frame.zxid, err };
  }
  return {
    type: "reply", xid: frame.xid, zxid: frame.zxid, err, body: replyBody(frame.read, frame.write),
  };
}

/** One line for the trace. */
export function describeSessionWire(message: SessionWire): string {
  switch (message.kind) {
    case "session-close":
      return `FIN conn=${message.conn}`;
    case "session-frame": {
      const packet = message.frame.packet;
      if (packet.type === "request") {
        const path = "path" in packet.request ? ` ${packet.request.path}` : "";
        return `#${packet.xid} ${packet.request.type}${path}`;
      }
      if (packet.type === "connect") {
        return `CONNECT session=${packet.sessionId} lastZxidSeen=0x${packet.lastZxidSeen
          .toString(16)}`;
      }
      return packet.type.toUpperCase();
    }
    case "session-reply": {
      const frame = message.frame.packet;
      if (frame.type === "reply") {
        return `REPLY #${frame.xid} ${frame.err} zxid=0x${frame.zxid.toString(16)}`;
      }
      if (frame.type === "connected") {
        return `CONNECTED session=${frame.sessionId} timeout=${frame.timeoutMs}`;
      }
      return `WATCH ${frame.event} ${frame.path}`;
    }
  }
}
