/**
 * The default workload: clients that use ZooKeeper the way applications do, each a pure
 * ClientSession (src/client) driven directly, one request at a time, with a seeded think time.
 * The mix reaches what recipes need: plain, sequential and ephemeral creates (a membership
 * group under /g), setData and delete, getData/exists/getChildren with watches, multi, sync, and
 * the session's life: moves to another server, closes, and pauses long enough for the session
 * to expire, each followed by a new session. Requests that fail (CONNECTIONLOSS, NONODE, ...)
 * are simply reported; the session reconnects by itself, as the Java client does.
 */
import { ClientSession } from "../client/index.js";
import type { ClientCall, ClientEffect, ClientInput } from "../client/index.js";
import type { Observation } from "../observe/index.js";
import type { Host, HostContext, NodeId } from "../sim/index.js";
import type { Request } from "../tree/index.js";
import { OPEN_ACL_UNSAFE, utf8Bytes } from "../tree/index.js";
import { assert } from "../util/assert.js";
import type { Prng } from "../util/prng.js";
import { SessionTransport, isSessionWire } from "./session-transport.js";
import type { NodeCounters } from "./session-transport.js";
import type { SessionWire } from "./session-wire.js";

/** Knobs of the session workload. */
export interface SessionWorkloadOptions {
  /** The servers of every client's connect string. */
  readonly servers: readonly NodeId[];
  /** The paths plain reads and writes use. */
  readonly paths: readonly string[];
  /** The session timeout asked for (the servers clamp it to [2, 20] ticks). */
  readonly sessionTimeoutMs: number;
  /** Pause between a reply and the next request, uniform in [min, max]. */
  readonly thinkMicrosMin: number;
  readonly thinkMicrosMax: number;
}

export const SESSION_WORKLOAD_DEFAULTS: Omit<SessionWorkloadOptions, "servers"> = {
  paths: ["/a", "/b", "/c", "/d"],
  sessionTimeoutMs: 2000,
  thinkMicrosMin: 5_000,
  thinkMicrosMax: 45_000,
};

/** The membership group: ephemeral-sequential members, watched with getChildren. */
const GROUP = "/g";

type Draw =
  | { readonly kind: "call"; readonly op: ClientCall }
  | { readonly kind: "move" | "close" | "pause" };

/** One client node running one session at a time. Clients never crash. */
export class SessionWorkloadClient<M> implements Host<M, Observation> {
  readonly role = "client" as const;
  private session: ClientSession | undefined;
  private transport: SessionTransport<M> | undefined;
  private sessions = 0;
  private nextCall = 1;
  private busy = false;
  /** While paused the process runs nothing: its session's timers wait, its sockets are dead. */
  private paused = false;
  private readonly firedWhilePaused = new Set<string>();
  /** Op and connection numbers, shared by every session this node opens. */
  private readonly counters: NodeCounters = { ops: 0, conns: 0 };

  constructor(
    readonly id: NodeId,
    private readonly options: SessionWorkloadOptions,
    private readonly wrap: (message: SessionWire) => M,
  ) {
    assert(options.servers.length > 0, "a workload needs at least one server");
    assert(options.thinkMicrosMin <= options.thinkMicrosMax, "think time range is inverted");
  }

  start(ctx: HostContext<M, Observation>, cause: "boot" | "restart"): void {
    assert(cause === "boot", "clients never crash, so they never restart");
    this.open(ctx);
  }

  deliver(ctx: HostContext<M, Observation>, envelope: { readonly message: M }): void {
    const message = envelope.message as unknown as { readonly kind: string };
    if (this.paused || this.transport === undefined || !isSessionWire(message)) return;
    for (const input of this.transport.inputsFor(ctx, message)) this.step(ctx, input);
  }

  timerFired(ctx: HostContext<M, Observation>, name: string): void {
    if (name === "think") {
      this.issue(ctx);
      return;
    }
    if (name === "reopen") {
      this.open(ctx);
      return;
    }
    if (name === "resume") {
      this.resume(ctx);
      return;
    }
    if (this.paused) {
      this.firedWhilePaused.add(name);
      return;
    }
    const input = this.transport?.timerInput(ctx, name);
    if (input !== undefined) this.step(ctx, input);
  }

  diskCompleted(): void {
    assert(false, "a client never writes to disk");
  }

  crashed(): void {
    assert(false, "clients never crash");
  }

  private open(ctx: HostContext<M, Observation>): void {
    this.sessions += 1;
    this.busy = false;
    this.session = new ClientSession({
      servers: this.options.servers, sessionTimeoutMs: this.options.sessionTimeoutMs,
      prng: ctx.prng.fork(`session${this.sessions}`),
      connectionsBefore: this.session?.connectionsOpened ?? 0,
    });
    this.transport = new SessionTransport(this.id, this.wrap, this.counters);
    this.step(ctx, { kind: "open", now: ctx.localMicros });
    this.think(ctx);
  }

  private step(ctx: HostContext<M, Observation>, input: ClientInput): void {
    const session = this.session;
    const transport = this.transport;
    if (session === undefined || transport === undefined) return;
    const effects = session.step(input);
    transport.perform(ctx, session, effects);
    this.react(ctx, effects);
  }

  /** After a step: a completed call frees the client; a dead session is replaced later. */
  private react(ctx: HostContext<M, Observation>, effects: readonly ClientEffect[]): void {
    for (const effect of effects) {
      if (effect.kind === "complete") {
        this.busy = false;
        this.think(ctx);
      } else if (effect.kind === "watch" && effect.event.type === "None" &&
        (effect.event.state === "Expired" || effect.event.state === "Closed")) {
        ctx.setTimer("reopen", this.thinkMicros(ctx));
      }
    }
  }

  private thinkMicros(ctx: HostContext<M, Observation>): number {
    return ctx.prng.intBetween(this.options.thinkMicrosMin, this.options.thinkMicrosMax);
  }

  private think(ctx: HostContext<M, Observation>): void {
    ctx.setTimer("think", this.thinkMicros(ctx));
  }

  private issue(ctx: HostContext<M, Observation>): void {
    const session = this.session;
    if (session === undefined || this.busy || this.paused || !session.isAlive) return;
    const draw = this.draw(ctx.prng);
    const now = ctx.localMicros;
    switch (draw.kind) {
      case "call":
        this.busy = true;
        this.step(ctx, { kind: "call", now, call: this.nextCall++, op: draw.op });
        return;
      case "move":
        this.step(ctx, { kind: "move", now });
        this.think(ctx);
        return;
      case "close":
        this.busy = true;
        this.step(ctx, { kind: "close", now, call: this.nextCall++ });
        return;
      case "pause":
        // The process stops (a long GC pause, a kill -STOP) for twice the session timeout: no
        // pings, nothing read. The leader expires the session meanwhile.
        this.paused = true;
        ctx.setTimer("resume", 2 * this.options.sessionTimeoutMs * 1000);
        return;
    }
  }

  /**
   * The process runs again: its connection is long dead (the client notices at once, as its
   * read timeout passed), so it reconnects and learns the session expired; the timers that
   * came due meanwhile fire now.
   */
  private resume(ctx: HostContext<M, Observation>): void {
    this.paused = false;
    this.step(ctx, { kind: "move", now: ctx.localMicros });
    const fired = [...this.firedWhilePaused].sort();
    this.firedWhilePaused.clear();
    for (const name of fired) {
      const input = this.transport?.timerInput(ctx, name);
      if (input !== undefined) this.step(ctx, input);
    }
    this.think(ctx);
  }

  /** Draws the next action, weighted towards what applications do most. */
  private draw(prng: Prng): Draw {
    const path = prng.pick(this.options.paths);
    const data = utf8Bytes(`c${this.id}o${this.counters.ops}`);
    const roll = prng.intBetween(0, 399);
    const call = (request: Request, watcher?: number): Draw =>
      ({ kind: "call", op: watcher === undefined ? { request } : { request, watcher } });
    const create = (p: string, flags: number): Draw =>
      call({ type: "create", path: p, data, acl: OPEN_ACL_UNSAFE, flags });
    if (roll < 100) return call({ type: "setData", path, data, version: -1 });
    if (roll < 150) return create(path, 0);
    if (roll < 175) return call({ type: "delete", path, version: -1 });
    if (roll < 182) return create(GROUP, 0);
    if (roll < 212) return create(`${GROUP}/m-`, 3);
    if (roll < 224) return create(`/e${this.id}`, 1);
    if (roll < 234) return create(`${GROUP}/p-`, 2);
    if (roll < 254) return call({ type: "multi", ops: [
      { type: "check", path, version: -1 },
      { type: "setData", path, data, version: -1 },
    ] });
    if (roll < 304) return call({ type: "getData", path, watch: true }, 0);
    if (roll < 334) return call({ type: "getChildren", path: GROUP, watch: true }, 0);
    if (roll < 354) return call({ type: "exists", path, watch: true }, 0);
    if (roll < 369) return call({ type: "sync", path });
    if (roll < 389) return call({ type: "getData", path, watch: false });
    if (roll < 394) return { kind: "move" };
    if (roll < 398) return { kind: "close" };
    return { kind: "pause" };
  }
}

/** Builds `count` session clients with node ids starting at `firstId`. */
export function makeSessionWorkload<M>(firstId: NodeId, count: number,
  options: SessionWorkloadOptions, wrap: (message: SessionWire) => M):
  SessionWorkloadClient<M>[] {
  const clients: SessionWorkloadClient<M>[] = [];
  for (let i = 0; i < count; i++) {
    clients.push(new SessionWorkloadClient(firstId + i, options, wrap));
  }
  return clients;
}
