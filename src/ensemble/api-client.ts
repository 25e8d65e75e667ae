/**
 * A client node whose session is driven by the promise API (src/client's ZooKeeper): a
 * scenario's async code calls the API, the session's effects go out through a SessionTransport,
 * and world events come back through `deliver`, settling the API's promises. The host keeps
 * the node's context from `start` so that calls made in promise continuations (which run
 * between world events, see src/run/event-loop.ts) send at the time of the event that woke
 * them. It also offers simulated sleeps, as named timers.
 */
import { ZooKeeper } from "../client/index.js";
import type { ClientEffect, Watcher } from "../client/index.js";
import type { Observation, RecipeEvent } from "../observe/index.js";
import type { Host, HostContext, NodeId } from "../sim/index.js";
import { assert } from "../util/assert.js";
import { SessionTransport, isSessionWire } from "./session-transport.js";
import type { NodeCounters } from "./session-transport.js";
import type { SessionWire } from "./session-wire.js";

/** What a scenario gives each API client. */
export interface ApiClientOptions {
  readonly servers: readonly NodeId[];
  readonly sessionTimeoutMs: number;
}

export class ApiClientHost<M> implements Host<M, Observation> {
  readonly role = "client" as const;
  private ctx: HostContext<M, Observation> | undefined;
  private zk: ZooKeeper | undefined;
  private transport: SessionTransport<M> | undefined;
  /** Op and connection numbers, shared by every session this node opens. */
  private readonly counters: NodeCounters = { ops: 0, conns: 0 };
  private readonly sleeps = new Map<string, () => void>();
  private sessions = 0;
  private nextSleep = 0;
  /** Calls settled and watchers called so far: the run yields to the event loop when it moves. */
  settled = 0;

  constructor(
    readonly id: NodeId,
    private readonly options: ApiClientOptions,
    private readonly wrap: (message: SessionWire) => M,
  ) {}

  start(ctx: HostContext<M, Observation>, cause: "boot" | "restart"): void {
    assert(cause === "boot", "clients never crash, so they never restart");
    this.ctx = ctx;
  }

  /** A new session (a new ZooKeeper object) on this node; the previous one is dropped. */
  open(watcher?: Watcher): ZooKeeper {
    const ctx = this.ctx;
    assert(ctx !== undefined, "open a client after the world started");
    this.sessions += 1;
    const transport = new SessionTransport(this.id, this.wrap, this.counters);
    this.transport = transport;
    const zk = new ZooKeeper({
      servers: this.options.servers, sessionTimeoutMs: this.options.sessionTimeoutMs,
      prng: ctx.prng.fork(`api${this.sessions}`), ...(watcher === undefined ? {} : { watcher }),
    }, {
      now: () => ctx.localMicros,
      perform: (effects, session) => {
        transport.perform(ctx, session, effects);
        this.count(effects);
      },
    });
    this.zk = zk;
    return zk;
  }

  /** Resolves after `ms` of this node's simulated time. */
  sleep(ms: number): Promise<void> {
    const ctx = this.ctx;
    assert(ctx !== undefined, "sleep after the world started");
    assert(Number.isSafeInteger(ms) && ms >= 0, "sleep takes whole milliseconds", { ms });
    const name = `sleep${this.nextSleep++}`;
    return new Promise<void>((resolve) => {
      this.sleeps.set(name, resolve);
      ctx.setTimer(name, ms * 1000);
    });
  }

  /** Puts `observation` in the trace at this node (a task's own facts, such as key events). */
  observe(observation: Observation): void {
    const ctx = this.ctx;
    assert(ctx !== undefined, "observe after the world started");
    ctx.observe(observation);
  }

  /**
   * Reports a recipe event (src/recipes) as a `recipe` observation of this node, with the
   * current session's id, at the time of the world event that woke the task.
   */
  record(event: RecipeEvent): void {
    const ctx = this.ctx;
    assert(ctx !== undefined, "record after the world started");
    ctx.observe({ kind: "recipe", node: this.id, session: this.zk?.sessionId ?? 0, event });
  }

  /** The node's local clock reading, in microseconds. */
  get localMicros(): number {
    const ctx = this.ctx;
    assert(ctx !== undefined, "read the clock after the world started");
    return ctx.localMicros;
  }

  /** Calls in flight and sleeps pending: what a task may legitimately be waiting on. */
  get waiting(): number {
    return this.sleeps.size + (this.zk?.pendingCalls ?? 0);
  }

  deliver(ctx: HostContext<M, Observation>, envelope: { readonly message: M }): void {
    const message = envelope.message as unknown as { readonly kind: string };
    const zk = this.zk;
    if (zk === undefined || this.transport === undefined || !isSessionWire(message)) return;
    for (const input of this.transport.inputsFor(ctx, message)) zk.deliver(input);
  }

  timerFired(ctx: HostContext<M, Observation>, name: string): void {
    const wake = this.sleeps.get(name);
    if (wake !== undefined) {
      this.sleeps.delete(name);
      this.settled += 1;
      wake();
      return;
    }
    const input = this.transport?.timerInput(ctx, name);
    if (input !== undefined) this.zk?.deliver(input);
  }

  diskCompleted(): void {
    assert(false, "a client never writes to disk");
  }

  crashed(): void {
    assert(false, "clients never crash");
  }

  private count(effects: readonly ClientEffect[]): void {
    for (const effect of effects) {
      if (effect.kind === "complete" || effect.kind === "watch") this.settled += 1;
    }
  }
}
