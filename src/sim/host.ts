/**
 * The boundary between the world and what runs inside it. A *host* is one process: a server, a
 * client, or anything else that runs inside the world (src/ensemble holds ZooKeeper's). The
 * world calls the host for each input; the host acts only through the HostContext it is
 * handed. Hosts never see the world, true time, or another host.
 *
 * Inputs (world -> host), each with `ctx.localMicros` = this node's clock reading:
 *   start(ctx, cause)            the process starts: "boot" at time 0 with an empty disk, or
 *                                "restart" after a crash with whatever its disk kept (read it
 *                                with ctx.read / ctx.files; check records with openRecord)
 *   deliver(ctx, envelope)       a message arrived
 *   timerFired(ctx, name, gen)   a timer set with ctx.setTimer(name, …) fired; stale generations
 *                                (replaced or cancelled timers) are dropped by the world
 *   diskCompleted(ctx, writeId)  the fsync barrier ctx.fsync() returned `writeId` for is durable
 *   crashed()                    the process died: forget volatile state (nothing else is
 *                                delivered until the next start(ctx, "restart"))
 *
 * Effects (host -> world) are HostContext calls: send, setTimer/cancelTimer, disk writes and
 * fsync, observe. A reply to a client is a send to the client's node id.
 *
 * `M` is the type of the messages hosts exchange and `O` the type of the observations they
 * report; the world carries both without looking inside (it renders and hashes them through the
 * functions its config supplies).
 */
import type { Prng } from "../util/prng.js";
import type { Envelope } from "./envelope.js";
import type { NodeId } from "./faults.js";

/** What a node is: voting servers count for the nemesis's majority promise; clients never crash. */
export type NodeRole = "voter" | "observer" | "client";

/** Identifies one fsync barrier of one node (unique per node for the whole run). */
export type WriteId = number;

/** One process in the world. Host code must be deterministic given its inputs and ctx.prng. */
export interface Host<M, O = unknown> {
  readonly id: NodeId;
  readonly role: NodeRole;
  start(ctx: HostContext<M, O>, cause: "boot" | "restart"): void;
  deliver(ctx: HostContext<M, O>, envelope: Envelope<M>): void;
  timerFired(ctx: HostContext<M, O>, name: string, generation: number): void;
  diskCompleted(ctx: HostContext<M, O>, writeId: WriteId): void;
  crashed(): void;
  /** Optional: run after every input; throw (assert) when the host's own state is impossible. */
  checkInvariants?(): void;
}

/** Everything a host may do. Valid only during the call it was passed to. */
export interface HostContext<M, O = unknown> {
  /** This node's id. */
  readonly node: NodeId;
  /** This node's local clock reading (skewed and drifting; may jump). */
  readonly localMicros: number;
  /**
   * This node's monotonic clock (System.nanoTime): the local clock's rate, never stepped by a
   * clock jump. ZooKeeper measures session timeouts with it (Time.currentElapsedTime).
   */
  readonly monotonicMicros: number;
  /** This node's own random stream (named "node/<id>"); it continues across restarts. */
  readonly prng: Prng;
  /** Sends `message` to node `to` through the network (which may delay, lose, duplicate it). */
  send(to: NodeId, message: M): void;
  /**
   * Starts (or restarts) the timer `name` to fire after `afterMicros` of local time; any
   * earlier timer of that name is void. Returns the new generation, which timerFired repeats.
   */
  setTimer(name: string, afterMicros: number): number;
  /** Voids the timer `name`, if set. */
  cancelTimer(name: string): void;
  /** Appends a record to a file; readable at once, durable after a later fsync completes. */
  append(file: string, record: string): void;
  /** Replaces a file's records (unsynced until an fsync completes). */
  overwrite(file: string, records: readonly string[]): void;
  /** Keeps the first `length` records of a file (unsynced until an fsync completes). */
  truncate(file: string, length: number): void;
  /** The current records of a file (as this process wrote them, or as recovered). */
  read(file: string): readonly string[];
  /** Names of the non-empty files, sorted. */
  files(): string[];
  /**
   * An fsync barrier over every write issued so far. diskCompleted(ctx, writeId) follows after
   * the disk's latency; barriers complete in the order issued. A crash first voids it.
   */
  fsync(): WriteId;
  /** Reports a protocol fact to the trace (and the checkers). */
  observe(observation: O): void;
}
