/**
 * A session's requests in order on one server: ZooKeeper's CommitProcessor (pendingRequests).
 * A write (or sync) of a session waits for its commit; every later request of the same session
 * that needs no commit (a read, setWatches, a ping) waits behind it, so a client that pipelines
 * a read behind its own write reads the write's result, on a follower too. A session with
 * nothing waiting has its reads answered at once. When the write is answered, the reads behind
 * it go, up to the session's next write.
 *
 * The first request of a non-empty queue is always a write: reads are only queued behind one.
 */
import { assert } from "../util/index.js";
import type { RequestMeta } from "../tree/index.js";
import type { ClientId } from "./ids.js";
import type { Request } from "./state-machine.js";

/** A request waiting in its session's queue. */
export interface HeldRequest {
  readonly client: ClientId;
  readonly requestId: number;
  /** A write or sync: it leaves the queue when answered. Otherwise a read that waits. */
  readonly commit: boolean;
  readonly meta: RequestMeta;
  readonly request: Request;
}

function keyOf(client: ClientId, requestId: number): string {
  return `${client}:${requestId}`;
}

export class SessionQueues {
  private readonly queues = new Map<number, HeldRequest[]>();
  /** The session of each write in a queue, by client and request id. */
  private readonly sessionOf = new Map<string, number>();

  /** True while `sessionId` has a write waiting here. */
  holds(sessionId: number): boolean {
    return this.queues.has(sessionId);
  }

  /** Appends a request to its session's queue (a read only behind a write). */
  hold(held: HeldRequest): void {
    const sessionId = held.meta.sessionId;
    let queue = this.queues.get(sessionId);
    if (queue === undefined) {
      assert(held.commit, "a read is held only behind a write");
      queue = [];
      this.queues.set(sessionId, queue);
    }
    queue.push(held);
    if (held.commit) this.sessionOf.set(keyOf(held.client, held.requestId), sessionId);
  }

  /**
   * The write `requestId` of `client` was answered: it leaves its queue, and the reads now at the
   * queue's head are returned, in order, to be answered.
   */
  answered(client: ClientId, requestId: number): HeldRequest[] {
    const key = keyOf(client, requestId);
    const sessionId = this.sessionOf.get(key);
    if (sessionId === undefined) return [];
    this.sessionOf.delete(key);
    const queue = this.queues.get(sessionId);
    assert(queue !== undefined, "a held write has its queue");
    const at = queue.findIndex((h) => h.commit && h.client === client && h.requestId === requestId);
    assert(at >= 0, "a held write is in its queue");
    queue.splice(at, 1);
    let reads = 0;
    while (reads < queue.length && !(queue[reads]?.commit ?? true)) reads += 1;
    const released = queue.splice(0, reads);
    if (queue.length === 0) this.queues.delete(sessionId);
    return released;
  }

  /**
   * The connection of `client` ended: its waiting reads go (ZooKeeper answers them on a closed
   * connection, which sends nothing and registers no watch: WatchManager skips a stale cnxn).
   * Its writes stay: their commits still come.
   */
  dropReads(client: ClientId): void {
    for (const [sessionId, queue] of this.queues) {
      const kept = queue.filter((h) => h.commit || h.client !== client);
      if (kept.length === queue.length) continue;
      this.queues.set(sessionId, kept);
    }
  }

  /** Empties every queue (the role ended); returns the reads that were waiting. */
  clear(): HeldRequest[] {
    const reads: HeldRequest[] = [];
    for (const queue of this.queues.values()) for (const h of queue) if (!h.commit) reads.push(h);
    this.queues.clear();
    this.sessionOf.clear();
    return reads;
  }

  /** Requests waiting, writes included (for invariants and tests). */
  get size(): number {
    let total = 0;
    for (const queue of this.queues.values()) total += queue.length;
    return total;
  }
}
