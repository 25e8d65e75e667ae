/**
 * The hosts of an ensemble scenario file (shared/spec/script-format.md, "Ensembles"), run by
 * src/run/ensemble-script.ts:
 * - ScriptServerHost: a ZooKeeper server whose process the scenario starts and kills. The world
 *   boots every node at time 0; this one ignores that boot (the runner crashes it at once) and
 *   starts its replica at the first `start`, with an empty disk, then at each later `start`
 *   with what its disk kept. `stop` is kill -9: the replica host's sockets close first.
 * - PinnedSessionHost: one client session (src/client's pure session machine) pinned to one
 *   server. It never reconnects by itself: the session's reconnect timer is held until the
 *   runner fires it, which it does once the pinned server serves (the spec's wait after every
 *   step). It records what arrived (notifications, the step's reply) for the step's `events`.
 */
import { ClientSession, PING_XID } from "../client/index.js";
import type { CallResult, ClientCall, ClientEffect, ClientInput } from "../client/index.js";
import type { EventType } from "../tree/index.js";
import type { Observation } from "../observe/index.js";
import type { Envelope, Host, HostContext, NodeId, WriteId } from "../sim/index.js";
import { assert } from "../util/assert.js";
import { ReplicaHost } from "./replica-host.js";
import type { ZabWire } from "./replica-host.js";
import { SessionTransport, isSessionWire } from "./session-transport.js";
import type { NodeCounters } from "./session-transport.js";
import type { Replica } from "../consensus/index.js";

type Ctx = HostContext<ZabWire, Observation>;

/** A ZooKeeper server started and killed by the scenario. */
export class ScriptServerHost implements Host<ZabWire, Observation> {
  readonly id: NodeId;
  readonly role = "voter" as const;
  /** True once the process was started by the scenario (its replica exists). */
  private booted = false;

  constructor(private readonly inner: ReplicaHost) {
    this.id = inner.id;
  }

  /** The replica, once the scenario started this server. */
  get replica(): Replica | undefined {
    return this.booted ? this.inner.current : undefined;
  }

  start(ctx: Ctx, cause: "boot" | "restart"): void {
    // The world's boot at time 0 is not the scenario's: the runner crashes the node at once.
    if (cause === "boot") return;
    this.inner.start(ctx, this.booted ? "restart" : "boot");
    this.booted = true;
  }

  /** kill -9: the sockets close (FINs to peers and clients); the world crashes the node next. */
  kill(ctx: Ctx): void {
    if (this.booted) this.inner.killSockets(ctx);
  }

  deliver(ctx: Ctx, envelope: Envelope<ZabWire>): void {
    if (this.booted) this.inner.deliver(ctx, envelope);
  }

  timerFired(ctx: Ctx, name: string, generation: number): void {
    if (this.booted) this.inner.timerFired(ctx, name, generation);
  }

  diskCompleted(ctx: Ctx, writeId: WriteId): void {
    if (this.booted) this.inner.diskCompleted(ctx, writeId);
  }

  crashed(): void {
    if (this.booted) this.inner.crashed();
  }
}

/** What a pinned session received, in arrival order. */
export type PinnedArrival =
  | { readonly kind: "notification"; readonly type: EventType; readonly path: string }
  | { readonly kind: "reply" };

/** The spec's sessions ask for 6000 ms (negotiated unchanged: 2 to 20 ticks of 2000 ms). */
export const SCRIPT_SESSION_TIMEOUT_MS = 6000;

/** One scenario session, pinned to one server. */
export class PinnedSessionHost implements Host<ZabWire, Observation> {
  readonly role = "client" as const;
  private ctx: Ctx | undefined;
  private session: ClientSession | undefined;
  private transport: SessionTransport<ZabWire> | undefined;
  private readonly ops: NodeCounters = { ops: 0, conns: 0 };
  private nextCall = 1;
  private connection = 0;
  private readonly results = new Map<number, CallResult>();
  private arrivals: PinnedArrival[] = [];
  /** The call whose completion is the step's reply (for beforeResponse). */
  private stepCall: number | undefined;
  /** The session asked to reconnect; the runner decides when (fireReconnect). */
  reconnectWanted = false;
  /** Ping replies received so far. */
  pings = 0;
  /** The server the session talks to (the spec's pinning). */
  server = 0;

  constructor(readonly id: NodeId) {}

  start(ctx: Ctx): void {
    this.ctx = ctx;
  }

  /** Opens the session on `server`: a ConnectRequest with no session id. */
  open(server: number): void {
    const ctx = this.context();
    assert(this.session === undefined, "a pinned host opens one session");
    this.server = server;
    this.session = new ClientSession({
      servers: [server], sessionTimeoutMs: SCRIPT_SESSION_TIMEOUT_MS,
      prng: ctx.prng.fork("session"), pinned: server,
    });
    this.transport = new SessionTransport(this.id, (message) => message, this.ops);
    this.step({ kind: "open", now: ctx.localMicros });
  }

  /** The session id (0 before the first ConnectResponse). */
  get sessionId(): number {
    return this.session?.sessionId ?? 0;
  }

  /** Connected: the ConnectResponse came and the connection is open. */
  get connected(): boolean {
    return this.session?.state === "CONNECTED" && this.connection !== 0;
  }

  /** The session is over for this client (closed, or found expired). */
  get ended(): boolean {
    return this.session !== undefined && !this.session.isAlive;
  }

  /** Submits a request; returns its call number (see `result`). */
  call(op: ClientCall): number {
    const call = this.nextCall++;
    this.stepCall = call;
    this.step({ kind: "call", now: this.context().localMicros, call, op });
    return call;
  }

  /** ZooKeeper.close: closeSession; returns its call number. */
  close(): number {
    const call = this.nextCall++;
    this.stepCall = call;
    this.step({ kind: "close", now: this.context().localMicros, call });
    return call;
  }

  /** A call's outcome, once it completed. */
  result(call: number): CallResult | undefined {
    return this.results.get(call);
  }

  /** Points the session at `server`, dropping the open connection (the reconnect waits). */
  move(server: number): void {
    this.server = server;
    this.step({ kind: "move", now: this.context().localMicros, server });
  }

  /** Lets the held reconnect happen now. */
  fireReconnect(): void {
    assert(this.reconnectWanted, "no reconnect is waiting");
    this.reconnectWanted = false;
    this.step({ kind: "timeout", now: this.context().localMicros, timer: "reconnectTimer" });
  }

  /** Sends a ping on the open connection (its answer counts in `pings`). */
  ping(): void {
    const session = this.session;
    const transport = this.transport;
    assert(session !== undefined && transport !== undefined && this.connection !== 0,
      "ping needs a connection");
    transport.perform(this.context(), session,
      [{ kind: "send", connection: this.connection, packet: { type: "ping" } }]);
  }

  /** The process drops the session without closing it: a FIN, then silence. */
  abandon(): void {
    const ctx = this.context();
    this.transport?.abandon(ctx);
    this.connection = 0;
    this.reconnectWanted = false;
    this.session = undefined;
    this.transport = undefined;
  }

  /** Arrivals since the last call, oldest first. */
  takeArrivals(): PinnedArrival[] {
    const arrivals = this.arrivals;
    this.arrivals = [];
    return arrivals;
  }

  deliver(ctx: Ctx, envelope: Envelope<ZabWire>): void {
    const message = envelope.message;
    const session = this.session;
    const transport = this.transport;
    if (session === undefined || transport === undefined || !isSessionWire(message)) return;
    for (const input of transport.inputsFor(ctx, message)) {
      if (input.kind === "receive" && input.packet.type === "reply" &&
        input.packet.xid === PING_XID) {
        this.pings += 1;
      }
      this.step(input);
    }
  }

  timerFired(ctx: Ctx, name: string): void {
    const input = this.transport?.timerInput(ctx, name);
    if (input !== undefined) this.step(input);
  }

  diskCompleted(): void {
    assert(false, "a client never writes to disk");
  }

  crashed(): void {
    assert(false, "clients never crash");
  }

  private context(): Ctx {
    const ctx = this.ctx;
    assert(ctx !== undefined, "the world has not started this client");
    return ctx;
  }

  private step(input: ClientInput): void {
    const session = this.session;
    const transport = this.transport;
    assert(session !== undefined && transport !== undefined, "no session");
    const passed: ClientEffect[] = [];
    for (const effect of session.step(input)) {
      if (this.held(effect)) continue;
      passed.push(effect);
    }
    transport.perform(this.context(), session, passed);
  }

  /** Notes what the runner needs from one effect; true when the effect stays here. */
  private held(effect: ClientEffect): boolean {
    switch (effect.kind) {
      case "setTimer":
        if (effect.timer !== "reconnectTimer") return false;
        this.reconnectWanted = true;
        return true;
      case "cancelTimer":
        if (effect.timer !== "reconnectTimer") return false;
        this.reconnectWanted = false;
        return true;
      case "connect":
        this.connection = effect.connection;
        return false;
      case "disconnect":
        if (effect.connection === this.connection) this.connection = 0;
        return false;
      case "complete":
        this.results.set(effect.call, effect.result);
        if (effect.call === this.stepCall) this.arrivals.push({ kind: "reply" });
        return false;
      case "watch":
        if (effect.event.type !== "None" && effect.event.path !== null) {
          this.arrivals.push({ kind: "notification", type: effect.event.type,
            path: effect.event.path });
        }
        return false;
      default:
        return false;
    }
  }
}
