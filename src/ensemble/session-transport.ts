/**
 * The client end of a session client's connections in the world: it carries out a
 * ClientSession's effects (connect, send, disconnect, timers) as world actions, turns world
 * deliveries and timers into session inputs, and reports what the client saw as observations:
 * invoke and complete for every request sent (with the server's read result and write outcome),
 * the session's state changes, and every watch notification.
 */
import type {
  ClientEffect, ClientInput, ClientPacket, ClientSession,
} from "../client/index.js";
import type { Observation } from "../observe/index.js";
import type { HostContext, NodeId } from "../sim/index.js";
import { ClientLink } from "./client-link.js";
import type { ServerFrame, SessionWire } from "./session-wire.js";
import { serverPacket } from "./session-wire.js";

type ReplyFrame = Extract<ServerFrame, { type: "reply" }>;

/** The timers a session uses, as world timer names. */
const SESSION_TIMERS = new Set(["sessionTimer", "reconnectTimer"]);

export class SessionTransport<M> {
  private link: ClientLink<ClientPacket, ServerFrame> | undefined;
  private server: NodeId | undefined;
  /** The session's number for the open connection (the link's is the wire's). */
  private sessionConn = 0;
  /** Calls sent as requests: the observation's op number and the request's xid. */
  private readonly invoked = new Map<number, { readonly op: number; readonly xid: number }>();
  /** Reply frames received and not yet completed, by xid. */
  private readonly replies = new Map<number, ReplyFrame>();

  constructor(
    private readonly client: NodeId,
    private readonly wrap: (message: SessionWire) => M,
    private readonly ops: { next: number },
    /**
     * Wire connection numbers shared by the node's successive sessions, when a session may be
     * replaced while it is alive (a crashed process's session): servers keep one connection
     * per client node and take a higher number for a new connection, so a new session's
     * numbers must go on from the old one's. Without it the wire uses the session's numbers.
     */
    private readonly wireConns?: { next: number },
  ) {}

  /** The world inputs of `envelope` for the session (stale connections give none). */
  inputsFor(ctx: HostContext<M, Observation>, message: SessionWire): ClientInput[] {
    const link = this.link;
    if (link === undefined) return [];
    const now = ctx.localMicros;
    const connection = this.sessionConn;
    if (message.kind === "session-close") {
      return message.conn === link.conn ? [{ kind: "closed", now, connection }] : [];
    }
    if (message.kind !== "session-reply" || message.frame.conn !== link.conn) return [];
    const frames = link.accept(message.frame);
    if (link.broken) return [{ kind: "closed", now, connection }];
    return frames.map((frame): ClientInput => {
      if (frame.type === "reply") this.replies.set(frame.xid, frame);
      return { kind: "receive", now, connection, packet: serverPacket(frame) };
    });
  }

  /** The session input of a world timer, if the timer is the session's. */
  timerInput(ctx: HostContext<M, Observation>, name: string): ClientInput | undefined {
    if (!SESSION_TIMERS.has(name)) return undefined;
    const timer = name === "sessionTimer" ? "sessionTimer" : "reconnectTimer";
    return { kind: "timeout", now: ctx.localMicros, timer };
  }

  /** Carries out one step's effects, in order, and observes them. */
  perform(ctx: HostContext<M, Observation>, session: Readonly<ClientSession>,
    effects: readonly ClientEffect[]): void {
    for (const effect of effects) {
      switch (effect.kind) {
        case "connect":
          this.sessionConn = effect.connection;
          this.link = new ClientLink(this.wireConns === undefined ? effect.connection
            : ++this.wireConns.next);
          this.server = effect.server;
          break;
        case "send":
          this.send(ctx, effect.connection, effect.packet, effect.call);
          break;
        case "disconnect":
          this.disconnect(ctx, effect.connection);
          break;
        case "setTimer":
          ctx.setTimer(effect.timer, effect.afterMicros);
          break;
        case "cancelTimer":
          ctx.cancelTimer(effect.timer);
          break;
        case "complete":
          this.complete(ctx, effect.call, effect.result);
          break;
        case "watch":
          this.watched(ctx, session, effect);
          break;
      }
    }
  }

  /** The process stops talking: a FIN for the open connection, and nothing more. */
  abandon(ctx: HostContext<M, Observation>): void {
    if (this.link !== undefined) this.disconnect(ctx, this.sessionConn);
    ctx.cancelTimer("sessionTimer");
    ctx.cancelTimer("reconnectTimer");
  }

  private send(ctx: HostContext<M, Observation>, connection: number, packet: ClientPacket,
    call: number | undefined): void {
    const link = this.link;
    const server = this.server;
    if (link === undefined || server === undefined || this.sessionConn !== connection) return;
    if (packet.type === "request" && call !== undefined) {
      const op = this.ops.next++;
      this.invoked.set(call, { op, xid: packet.xid });
      ctx.observe({ kind: "invoke", client: this.client, op, node: server,
        request: packet.request });
    }
    ctx.send(server, this.wrap({ kind: "session-frame", frame: link.wrap(packet) }));
  }

  private disconnect(ctx: HostContext<M, Observation>, connection: number): void {
    const link = this.link;
    if (link === undefined || this.sessionConn !== connection || this.server === undefined) return;
    ctx.send(this.server, this.wrap({ kind: "session-close", conn: link.conn }));
    this.link = undefined;
    this.server = undefined;
  }

  private complete(ctx: HostContext<M, Observation>, call: number,
    result: { readonly err: string; readonly zxid: number }): void {
    const invoked = this.invoked.get(call);
    if (invoked === undefined) return;
    this.invoked.delete(call);
    const frame = this.replies.get(invoked.xid);
    this.replies.delete(invoked.xid);
    ctx.observe({
      kind: "complete", client: this.client, op: invoked.op, err: result.err, zxid: result.zxid,
      txn: frame?.txn ?? null, read: frame?.read ?? null, write: frame?.write ?? null,
    });
  }

  private watched(ctx: HostContext<M, Observation>, session: Readonly<ClientSession>,
    effect: Extract<ClientEffect, { kind: "watch" }>): void {
    const { event } = effect;
    const node = this.server ?? session.server ?? 0;
    if (event.type !== "None") {
      ctx.observe({ kind: "notify", client: this.client, node, session: session.sessionId,
        type: event.type, path: event.path ?? "", zxid: effect.zxid });
      return;
    }
    const kind = event.state === "SyncConnected" ? "connected"
      : event.state === "Expired" ? "expired" : event.state === "Closed" ? "closed" : undefined;
    if (kind === undefined) return;
    ctx.observe({ kind: "session", client: this.client, node, session: session.sessionId,
      event: kind, timeoutMs: session.negotiatedTimeoutMs });
  }
}

/** True for the wire messages a session client receives. */
export function isSessionWire(message: { readonly kind: string }): message is SessionWire {
  return message.kind === "session-reply" || message.kind === "session-close";
}
