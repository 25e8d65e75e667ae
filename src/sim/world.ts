/**
 * The world: one seeded, single-threaded discrete-event simulation of every node, the network
 * between them, their disks and clocks, and the nemesis. `step()` pops the earliest event (by
 * time, then scheduling order), hands it to the host it concerns, and queues what the host did
 * in response. The same seed, options and hosts give the same trace, byte for byte.
 *
 * A host that throws (a failed assert: its own state is impossible) stops the run; the failure
 * is kept with the seed, simulated time, node and event index, and is in the report.
 */
import { AssertionError, assert, defined } from "../util/assert.js";
import { byNumber } from "../util/ordered.js";
import { Prng } from "../util/prng.js";
import { NodeClock } from "./clock.js";
import { Disk } from "./disk.js";
import type { Adversary, DropReason, Envelope } from "./envelope.js";
import { EventQueue } from "./event-queue.js";
import type { Fault, NodeId, ScheduledFault } from "./faults.js";
import type { Host } from "./host.js";
import type { DiskEvent, TimerEvent, WorldPort } from "./node.js";
import { NodeRuntime } from "./node.js";
import { planFaults } from "./nemesis.js";
import type { SimOptions, SimOptionsInput } from "./options.js";
import { resolveSimOptions } from "./options.js";
import type {
  MessageDescriber, ObservationHasher, ObservationRecord, TraceRecord, TraceSink,
} from "./trace.js";
import { Trace } from "./trace.js";
import { Network } from "./network.js";
import type { SimOptionsError, Topology } from "./validate.js";
import { validateSimOptions } from "./validate.js";
import { applyFault } from "./apply-fault.js";
import type { FaultTarget } from "./apply-fault.js";
import type { SimFailure, WorldReport, WorldStats } from "./report.js";
import { emptyStats } from "./report.js";

/** Everything a world is built from. Only seed, options and hosts decide the run. */
export interface WorldConfig<M, O = unknown> {
  readonly seed: number;
  /** Missing fields take their defaults (options.ts). */
  readonly options?: SimOptionsInput;
  readonly hosts: readonly Host<M, O>[];
  /** Renders a payload for the trace; when given, it is folded into the hash too. */
  readonly describeMessage?: MessageDescriber<M>;
  /** Folds an observation into the trace hash (the observe module supplies ZooKeeper's). */
  readonly hashObservation?: ObservationHasher<O>;
  /** Receives each trace event as a JSON line (`--trace FILE`). */
  readonly traceSink?: TraceSink;
  /** Inspects, drops or replaces each message just before delivery. */
  readonly adversary?: Adversary<M>;
}

/** Thrown by the World constructor for invalid options: carries every error, naming its field. */
export class SimOptionsInvalid extends Error {
  constructor(readonly errors: readonly SimOptionsError[]) {
    super(errors.map((e) => e.message).join("; "));
    this.name = "SimOptionsInvalid";
  }
}

function isEnvelopeList<M>(
  value: Envelope<M> | readonly Envelope<M>[],
): value is readonly Envelope<M>[] {
  return Array.isArray(value);
}

/** Why runUntil returned. */
export type RunOutcome = "reached" | "idle" | "event-limit" | "failed";

interface FaultEvent {
  readonly kind: "fault";
  readonly fault: Fault;
}

/** The end of a clog: the link's held messages are delivered, in order. */
interface ReleaseEvent {
  readonly kind: "release";
  readonly from: NodeId;
  readonly to: NodeId;
}

interface StartEvent<M, O> {
  readonly kind: "start";
  readonly node: NodeRuntime<M, O>;
}

type WorldEvent<M, O> =
  | Envelope<M> | TimerEvent<M, O> | DiskEvent<M, O> | FaultEvent | StartEvent<M, O> | ReleaseEvent;

/** The world of a set of hosts exchanging messages `M` and reporting observations `O`. */
export class World<M, O = unknown> implements FaultTarget<M, O> {
  readonly seed: number;
  readonly options: SimOptions;
  readonly topology: Topology;
  /** The run's trace: hash, observations, and (if kept) every event. */
  readonly trace: Trace<M, O>;
  /** Counters of what happened. */
  readonly stats: WorldStats = emptyStats();
  /** @internal used by apply-fault.ts */
  readonly network: Network<Envelope<M>>;
  /** @internal */
  readonly nodes = new Map<NodeId, NodeRuntime<M, O>>();
  /** The same runtimes indexed by id, for the hot path (ids are below 2^20). */
  private readonly byId: (NodeRuntime<M, O> | undefined)[] = [];
  /** @internal */
  healed = false;
  /** @internal draws torn-write cuts at crashes */
  readonly tornPrng: Prng;
  private readonly queue = new EventQueue<WorldEvent<M, O>>();
  private readonly adversary: Adversary<M> | undefined;
  private readonly injected: ScheduledFault[] = [];
  private nowMicros = 0;
  private eventsProcessed = 0;
  private nextMessageId = 0;
  private readonly eventsMax: number;
  private readonly queueMax: number;
  private failureRecord: SimFailure | null = null;
  /** The error a host threw, for debugging (its stack is not part of the report). */
  failureError: unknown = undefined;

  constructor(config: WorldConfig<M, O>) {
    assert(Number.isSafeInteger(config.seed) && config.seed >= 0, "seed must be in 0..2^53-1");
    this.seed = config.seed;
    this.options = resolveSimOptions(config.options);
    this.topology = topologyOf(config.hosts);
    const errors = validateSimOptions(this.options, this.topology);
    if (errors.length > 0) throw new SimOptionsInvalid(errors);
    this.eventsMax = this.options.limits.eventsMax;
    this.queueMax = this.options.limits.queueMax;
    const keepEvents = this.options.trace.keepEvents;
    this.trace = new Trace<M, O>(
      keepEvents, config.traceSink, config.describeMessage, config.hashObservation,
    );
    this.network = new Network(this.options.network, this.stream("network"));
    this.tornPrng = this.stream("torn");
    this.adversary = config.adversary;
    this.createNodes(config.hosts);
    const plan = planFaults(this.options.nemesis, this.topology, this.stream("nemesis"));
    for (const entry of plan) {
      this.queue.push(entry.atMicros, { kind: "fault", fault: entry.fault });
    }
  }

  /** A named random stream of this run, independent of every other name. */
  stream(name: string): Prng {
    return new Prng(this.seed, name);
  }

  /** True simulated time in microseconds. */
  get nowMicrosTrue(): number {
    return this.nowMicros;
  }

  /** Events waiting in the queue (including stale timers not yet popped). */
  get pendingEvents(): number {
    return this.queue.size;
  }

  /** Events processed so far. */
  get events(): number {
    return this.eventsProcessed;
  }

  /** The failure that stopped the run, if any. */
  get failure(): SimFailure | null {
    return this.failureRecord;
  }

  /** Observations so far, in order. */
  get observations(): readonly ObservationRecord<O>[] {
    return this.trace.observations;
  }

  /** Every trace event so far, when `trace.keepEvents` is on. */
  get traceEvents(): readonly TraceRecord[] | undefined {
    return this.trace.events;
  }

  /** Faults applied so far, in order, with the time each applied. */
  get faults(): readonly ScheduledFault[] {
    return this.injected;
  }

  /** A node's runtime (disk, clock, up state), for tests and tools. */
  node(id: NodeId): NodeRuntime<M, O> {
    return defined(this.nodes.get(id), `node ${id}`);
  }

  private createNodes(hosts: readonly Host<M, O>[]): void {
    const port: WorldPort<M, O> = {
      now: () => this.nowMicros,
      send: (from, to, message) => this.send(from, to, message),
      schedule: (at, event) => this.enqueue(at, event),
      observe: (node, observation) => this.observe(node, observation),
      fsyncLatency: (prng) => this.fsyncLatency(prng),
    };
    const sorted = [...hosts].sort((a, b) => byNumber(a.id, b.id));
    for (const host of sorted) {
      const clock = this.clockFor(host.id);
      const runtime = new NodeRuntime<M, O>(
        host, clock, new Disk(),
        this.stream(`node/${host.id}`), this.stream(`disk/${host.id}`), port,
      );
      this.nodes.set(host.id, runtime);
      this.byId[host.id] = runtime;
      this.queue.push(0, { kind: "start", node: runtime });
    }
  }

  /**
   * One fsync's latency: uniform in the disk's range, plus a stall (until the heal) with the
   * stall probability. The stall draw happens only when stalls are on, so a world without them
   * draws exactly what it drew before stalls existed.
   */
  private fsyncLatency(prng: Prng): number {
    const disk = this.options.disk;
    const latency = prng.intBetween(disk.fsyncMicrosMin, disk.fsyncMicrosMax);
    const stall = this.healed ? 0 : disk.fsyncStallProbability;
    if (stall === 0 || !prng.chance(stall)) return latency;
    return latency + prng.intBetween(0, disk.fsyncStallMicrosMax);
  }

  private clockFor(id: NodeId): NodeClock {
    const explicit = this.options.clock.nodes.find((c) => c.node === id);
    if (explicit !== undefined) return new NodeClock(explicit.offsetMicros, explicit.driftPpm);
    const { skewMicrosMax, driftPpmMax } = this.options.clock;
    const prng = this.stream(`clock/${id}`);
    const offset = skewMicrosMax === 0 ? 0 : prng.intBetween(-skewMicrosMax, skewMicrosMax);
    const drift = driftPpmMax === 0 ? 0 : prng.intBetween(-driftPpmMax, driftPpmMax);
    return new NodeClock(offset, drift);
  }

  private enqueue(atMicros: number, event: WorldEvent<M, O>): void {
    const now = this.nowMicros;
    assert(atMicros >= now, "an event scheduled in the past");
    this.queue.push(atMicros, event);
  }

  /** Schedules a fault at `atMicros` (>= now), in addition to the plan. */
  schedule(atMicros: number, fault: Fault): void {
    this.enqueue(atMicros, { kind: "fault", fault });
  }

  /**
   * Processes one event. Returns false when nothing was processed: the queue is empty, the run
   * failed, or the event limit was reached.
   */
  step(): boolean {
    if (this.failureRecord !== null || this.queue.size === 0) return false;
    if (this.eventsProcessed >= this.eventsMax) return false;
    const time = this.queue.peekTime();
    // The scheduler never runs time backwards.
    assert(time >= this.nowMicros, "event queue went back in time");
    const event = this.queue.pop();
    this.nowMicros = time;
    this.trace.index = this.eventsProcessed;
    this.dispatch(event);
    this.eventsProcessed++;
    if (this.queue.size > this.queueMax) {
      const limit = this.queueMax;
      this.fail(null, new AssertionError(`more than ${limit} pending events`));
    }
    return true;
  }

  /** Runs every event due at or before `timeMicros`, then sets the time to it. */
  runUntil(timeMicros: number): RunOutcome {
    const outcome = this.runUntilPaused(timeMicros, undefined);
    assert(outcome !== "paused", "runUntil without a pause check never pauses");
    return outcome;
  }

  /**
   * Like runUntil, but returns "paused" right after an event for which `pause()` is true
   * (the caller does something between events, then calls again).
   */
  runUntilPaused(timeMicros: number, pause: (() => boolean) | undefined): RunOutcome | "paused" {
    assert(Number.isSafeInteger(timeMicros), "runUntil takes whole microseconds");
    assert(timeMicros >= this.nowMicros, "runUntil goes forward");
    while (this.queue.peekTime() <= timeMicros) {
      if (!this.step()) break;
      if (pause !== undefined && pause()) return "paused";
    }
    if (this.failureRecord !== null) return "failed";
    if (this.queue.peekTime() <= timeMicros) return "event-limit";
    const idle = this.queue.size === 0;
    this.nowMicros = timeMicros;
    return idle ? "idle" : "reached";
  }

  /** Runs `count` more events at most (for tests and the bench). */
  runEvents(count: number): number {
    let done = 0;
    while (done < count && this.step()) done++;
    return done;
  }

  private dispatch(event: WorldEvent<M, O>): void {
    if (this.deferred(event)) return;
    switch (event.kind) {
      case "message":
        this.deliver(event);
        return;
      case "timer":
        this.fireTimer(event);
        return;
      case "disk":
        this.completeSync(event);
        return;
      case "fault":
        this.applyScheduledFault(event.fault);
        return;
      case "start":
        this.startNode(event.node, "boot");
        return;
      case "release":
        this.release(event.from, event.to);
        return;
      default:
        assertNeverEvent(event);
    }
  }

  /**
   * A message, timer or disk completion for a paused node waits until the pause ends, queued
   * again at that time (after what is already queued there, so its order is kept).
   */
  private deferred(event: WorldEvent<M, O>): boolean {
    let node: NodeRuntime<M, O> | undefined;
    if (event.kind === "message") node = this.byId[event.to];
    else if (event.kind === "timer" || event.kind === "disk") node = event.node;
    if (node === undefined || node.pausedUntilMicros <= this.nowMicros) return false;
    if (event.kind === "disk") node.syncDeferredTo(node.pausedUntilMicros);
    this.queue.push(node.pausedUntilMicros, event);
    return true;
  }

  private send(from: NodeId, to: NodeId, message: M): void {
    assert(this.byId[to] !== undefined, "send to an unknown node");
    const now = this.nowMicros;
    const id = this.nextMessageId++;
    const envelope: Envelope<M> = {
      kind: "message", id, from, to, message, sentMicros: now, copy: 0,
    };
    if (this.network.isBlocked(from, to)) return this.drop(envelope, "partition");
    if (this.network.drawLoss(now)) return this.drop(envelope, "loss");
    this.queue.push(this.network.deliveryTime(now, from, to), envelope);
    if (this.network.drawDuplicate(now)) {
      this.stats.duplicated++;
      // A literal, not a spread, so the copy has the original's hidden class.
      const duplicate: Envelope<M> = {
        kind: "message", id, from, to, message, sentMicros: now, copy: 1,
      };
      this.queue.push(this.network.deliveryTime(now, from, to), duplicate);
    }
  }

  private drop(envelope: Envelope<M>, reason: DropReason): void {
    this.stats.dropped[reason]++;
    this.trace.drop(this.nowMicros, envelope, reason);
  }

  private deliver(envelope: Envelope<M>): void {
    const { from, to } = envelope;
    if (this.network.isBlocked(from, to)) return this.drop(envelope, "partition");
    const held = this.network.hold(this.nowMicros, from, to, envelope);
    if (held !== "no") {
      this.stats.held++;
      if (held === "first") this.scheduleRelease(from, to);
      return;
    }
    this.deliverNow(envelope);
  }

  private scheduleRelease(from: NodeId, to: NodeId): void {
    const at = Math.max(this.nowMicros, this.network.releaseTime(from, to));
    this.queue.push(at, { kind: "release", from, to });
  }

  /** @internal Schedules the release of every link a clog still holds messages on. */
  releaseAll(links: readonly [NodeId, NodeId][]): void {
    for (const [from, to] of links) this.scheduleRelease(from, to);
  }

  private release(from: NodeId, to: NodeId): void {
    const held = this.network.release(this.nowMicros, from, to);
    if (held === undefined) return this.scheduleRelease(from, to); // The clog was extended.
    for (const envelope of held) {
      if (this.failureRecord !== null) return;
      if (this.network.isBlocked(from, to)) this.drop(envelope, "partition");
      else this.deliverNow(envelope);
    }
  }

  private deliverNow(envelope: Envelope<M>): void {
    const to = envelope.to;
    const node = this.byId[to];
    assert(node !== undefined, "delivery to an unknown node");
    if (!node.up) return this.drop(envelope, "down");
    if (node.pausedUntilMicros > this.nowMicros) {
      this.queue.push(node.pausedUntilMicros, envelope); // Released by a clog: it waits too.
      return;
    }
    if (this.adversary === undefined) return this.handOver(node, envelope);
    const delivered = this.adversary(envelope, this.nowMicros);
    if (delivered === undefined) return this.drop(envelope, "adversary");
    if (!isEnvelopeList(delivered)) return this.handOver(node, delivered);
    if (delivered.length === 0) return this.drop(envelope, "adversary");
    for (const message of delivered) {
      assert(message.to === to, "an adversary delivers to the envelope's receiver");
      if (this.failureRecord !== null || !node.up) return;
      this.handOver(node, message);
    }
  }

  private handOver(node: NodeRuntime<M, O>, message: Envelope<M>): void {
    this.stats.delivered++;
    this.trace.deliver(this.nowMicros, message);
    try {
      node.host.deliver(node, message);
      node.host.checkInvariants?.();
    } catch (error) {
      this.fail(node.node, error);
    }
  }

  private fireTimer(event: TimerEvent<M, O>): void {
    const node = event.node;
    if (!node.takeTimer(event)) {
      this.stats.timersStale++;
      return;
    }
    this.stats.timersFired++;
    this.trace.timer(this.nowMicros, node.node, event.name, event.generation);
    try {
      node.host.timerFired(node, event.name, event.generation);
      node.host.checkInvariants?.();
    } catch (error) {
      this.fail(node.node, error);
    }
  }

  private completeSync(event: DiskEvent<M, O>): void {
    const node = event.node;
    if (!node.up || node.incarnation !== event.incarnation) return;
    node.disk.completeSync(event.image);
    this.stats.fsyncs++;
    this.trace.disk(this.nowMicros, node.node, event.writeId);
    try {
      node.host.diskCompleted(node, event.writeId);
      node.host.checkInvariants?.();
    } catch (error) {
      this.fail(node.node, error);
    }
  }

  private applyScheduledFault(fault: Fault): void {
    if (this.healed) return; // After a heal, no fault applies.
    this.injected.push({ atMicros: this.nowMicros, fault });
    this.trace.fault(this.nowMicros, fault);
    applyFault(this, fault);
  }

  /** @internal Starts (boot) or restarts a node. */
  startNode(node: NodeRuntime<M, O>, cause: "boot" | "restart"): void {
    if (cause === "restart") {
      node.revive();
      this.stats.restarts++;
    }
    this.trace.start(this.nowMicros, node.node, cause);
    this.callHost(node, () => node.host.start(node, cause));
  }

  /** @internal Crashes a node that is up. */
  crashNode(node: NodeRuntime<M, O>): void {
    const p = this.options.disk.tornWriteProbability;
    const cut = p > 0 && this.tornPrng.chance(p) ? this.tornPrng.nextFloat() : undefined;
    const torn = node.crash(cut);
    this.stats.crashes++;
    this.trace.crash(this.nowMicros, node.node, torn ?? null);
    this.callHost(node, () => node.host.crashed());
  }

  private observe(node: NodeId, observation: O): void {
    this.trace.observe(this.nowMicros, node, observation);
  }

  /** Runs a rare host input (start, crash), catching a failure. The hot inputs inline this. */
  private callHost(node: NodeRuntime<M, O>, body: () => void): void {
    try {
      body();
      node.host.checkInvariants?.();
    } catch (error) {
      this.fail(node.node, error);
    }
  }

  private fail(node: NodeId | null, error: unknown): void {
    if (this.failureRecord !== null) return; // The first failure is the one to report.
    const message = error instanceof Error ? error.message : String(error);
    this.failureError = error;
    this.failureRecord = {
      kind: error instanceof AssertionError ? "assertion" : "error",
      message,
      seed: this.seed,
      timeMicros: this.nowMicros,
      node,
      eventIndex: this.eventsProcessed,
    };
    this.trace.failure(this.nowMicros, node, message);
  }

  /** The run's summary: everything needed to replay it, and what happened. */
  report(): WorldReport {
    return {
      seed: this.seed,
      options: this.options,
      simTimeMicros: this.nowMicros,
      events: this.eventsProcessed,
      faults: this.injected.slice(),
      traceHash: this.trace.hash(),
      failure: this.failureRecord,
      stats: { ...this.stats, dropped: { ...this.stats.dropped } },
    };
  }
}

function assertNeverEvent(event: never): never {
  throw new AssertionError(`unknown world event ${JSON.stringify(event)}`);
}

function topologyOf<M, O>(hosts: readonly Host<M, O>[]): Topology {
  const ids = hosts.map((h) => h.id);
  assert(new Set(ids).size === ids.length, "host ids must be unique", { ids });
  for (const id of ids) {
    assert(Number.isSafeInteger(id) && id >= 0 && id < 2 ** 20, "bad host id", { id });
  }
  const sorted = (role: (h: Host<M, O>) => boolean): number[] =>
    hosts.filter(role).map((h) => h.id).sort(byNumber);
  return {
    voters: sorted((h) => h.role === "voter"),
    servers: sorted((h) => h.role !== "client"),
    nodes: sorted(() => true),
  };
}
