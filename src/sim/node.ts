/**
 * One node's runtime inside the world: its host, clock, disk, timers and up/down state. It is
 * the HostContext its host acts through; each effect becomes a world event via the WorldPort.
 */
import { assert } from "../util/assert.js";
import type { Prng } from "../util/prng.js";
import type { NodeClock } from "./clock.js";
import type { Disk, SyncImage } from "./disk.js";
import type { NodeId } from "./faults.js";
import type { Host, HostContext, NodeRole, WriteId } from "./host.js";

/** What a node's runtime needs from the world. */
export interface WorldPort<M, O> {
  /** True simulated time. */
  now(): number;
  send(from: NodeId, to: NodeId, message: M): void;
  schedule(atMicros: number, event: TimerEvent<M, O> | DiskEvent<M, O>): void;
  observe(node: NodeId, observation: O): void;
  /** Draws an fsync latency for this node. */
  fsyncLatency(prng: Prng): number;
}

/** A queued timer; stale when its generation or incarnation no longer matches. */
export interface TimerEvent<M, O> {
  readonly kind: "timer";
  readonly node: NodeRuntime<M, O>;
  readonly name: string;
  readonly generation: number;
  readonly incarnation: number;
}

/** A queued fsync completion. */
export interface DiskEvent<M, O> {
  readonly kind: "disk";
  readonly node: NodeRuntime<M, O>;
  readonly writeId: WriteId;
  readonly image: SyncImage;
  readonly incarnation: number;
}

/** The world's record of one node, and the context its host acts through. */
export class NodeRuntime<M, O = unknown> implements HostContext<M, O> {
  readonly node: NodeId;
  readonly role: NodeRole;
  /** False between a crash and the next restart. */
  up = true;
  /** Bumped at each crash: events of an earlier life are void. */
  incarnation = 0;
  /** While the true time is below this, the node is paused: its events wait (a "pause"). */
  pausedUntilMicros = 0;
  private readonly timers = new Map<string, number>();
  private timerGeneration = 0;
  private nextWriteId = 1;
  private lastSyncMicros = 0;

  constructor(
    readonly host: Host<M, O>,
    readonly clock: NodeClock,
    readonly disk: Disk,
    readonly prng: Prng,
    private readonly diskPrng: Prng,
    private readonly port: WorldPort<M, O>,
  ) {
    this.node = host.id;
    this.role = host.role;
  }

  get localMicros(): number {
    return this.clock.read(this.port.now());
  }

  get monotonicMicros(): number {
    return this.clock.monotonic(this.port.now());
  }

  send(to: NodeId, message: M): void {
    assert(this.up, "a crashed node cannot send");
    this.port.send(this.node, to, message);
  }

  setTimer(name: string, afterMicros: number): number {
    assert(this.up, "a crashed node cannot set timers");
    const generation = ++this.timerGeneration;
    this.timers.set(name, generation);
    const at = this.port.now() + this.clock.toTrueDuration(afterMicros);
    const incarnation = this.incarnation;
    this.port.schedule(at, { kind: "timer", node: this, name, generation, incarnation });
    return generation;
  }

  cancelTimer(name: string): void {
    this.timers.delete(name);
  }

  /** True when a popped timer event is the live one for its name (and consumes it). */
  takeTimer(event: TimerEvent<M, O>): boolean {
    if (!this.up || event.incarnation !== this.incarnation) return false;
    if (this.timers.get(event.name) !== event.generation) return false;
    this.timers.delete(event.name);
    return true;
  }

  append(file: string, record: string): void {
    this.disk.append(file, record);
  }

  overwrite(file: string, records: readonly string[]): void {
    this.disk.overwrite(file, records);
  }

  truncate(file: string, length: number): void {
    this.disk.truncate(file, length);
  }

  read(file: string): readonly string[] {
    return this.disk.read(file);
  }

  files(): string[] {
    return this.disk.list();
  }

  /**
   * A completion the node's pause deferred now lands at `atMicros`: later fsyncs must not finish
   * before it, even when the heal ends the pause early (barriers complete in issue order).
   */
  syncDeferredTo(atMicros: number): void {
    this.lastSyncMicros = Math.max(this.lastSyncMicros, atMicros);
  }

  fsync(): WriteId {
    assert(this.up, "a crashed node cannot fsync");
    const writeId = this.nextWriteId++;
    const image = this.disk.beginSync();
    // Barriers complete in issue order: a later fsync never finishes before an earlier one.
    const drawn = this.port.now() + this.port.fsyncLatency(this.diskPrng);
    const at = Math.max(drawn, this.lastSyncMicros);
    this.lastSyncMicros = at;
    const incarnation = this.incarnation;
    this.port.schedule(at, { kind: "disk", node: this, writeId, image, incarnation });
    return writeId;
  }

  observe(observation: O): void {
    this.port.observe(this.node, observation);
  }

  /** The process dies; returns the file that kept a torn record, if any. */
  crash(tornCut: number | undefined): string | undefined {
    assert(this.up, "crash of a node that is already down");
    this.up = false;
    this.incarnation++;
    this.timers.clear();
    this.lastSyncMicros = 0;
    return this.disk.crash(tornCut).torn;
  }

  /** The process is about to start again. */
  revive(): void {
    assert(!this.up, "restart of a node that is up");
    this.up = true;
  }
}
