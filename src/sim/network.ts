/**
 * The network between nodes: per directed link latency (uniform in a range, with optional delay
 * spikes), loss, duplication, FIFO order unless reordering is on, partitions (symmetric or one
 * way) and clogs (FoundationDB's: a clogged link holds messages until the clog ends, it never
 * drops them). The world asks it questions at send and delivery time.
 *
 * A message that comes due on a clogged link joins the link's held list, in the order messages
 * come due (which is send order on a FIFO link). When the clog ends, the world releases the whole
 * list at once, in order, inside one event: re-queueing held messages one by one could let a
 * later message that is already queued for the same instant overtake them.
 */
import { assert } from "../util/assert.js";
import type { Prng } from "../util/prng.js";
import type { NodeId } from "./faults.js";
import type { NetworkOptions } from "./options.js";

/** Node ids are below this, so a directed link has the key from * LINK_SPAN + to. */
export const LINK_SPAN = 2 ** 20;

interface Link<E> {
  readonly latencyMicrosMin: number;
  /** latencyMicrosMax - latencyMicrosMin + 1: how many latencies a draw chooses from. */
  readonly latencySpan: number;
  /** FIFO floor: no later message on this link is delivered before this time. */
  lastDeliverMicros: number;
  /** Messages due before this time wait until it. */
  clogUntilMicros: number;
  /** Messages held by the clog, in the order they came due. */
  held: E[];
}

/** The simulated network's state. */
export class Network<E> {
  /** Every link used so far, by key, for the rare walks over all of them (unclog). */
  private readonly links = new Map<number, Link<E>>();
  /**
   * The same links as rows[from][to]: two array reads instead of hashing a key in a Map, on a
   * path taken twice per message (send and delivery).
   */
  private readonly rows: (Link<E> | undefined)[][] = [];
  private readonly blocked = new Set<number>();
  private burstUntilMicros = 0;
  private burstLoss = 0;
  private burstDuplicate = 0;
  private healed = false;
  /**
   * True while neither base loss, base duplication nor a burst can make drawLoss or
   * drawDuplicate draw: they return false at once (the common case, decided per send).
   */
  private faultFree: boolean;

  constructor(
    private readonly options: NetworkOptions,
    private readonly prng: Prng,
  ) {
    this.faultFree = options.lossProbability === 0 && options.duplicateProbability === 0;
  }

  /** The link from `from` to `to` if a message or fault has used it, else undefined. */
  private existing(from: NodeId, to: NodeId): Link<E> | undefined {
    const row = this.rows[from];
    return row === undefined ? undefined : row[to];
  }

  private link(from: NodeId, to: NodeId): Link<E> {
    return this.existing(from, to) ?? this.createLink(from, to);
  }

  private createLink(from: NodeId, to: NodeId): Link<E> {
    assert(from >= 0 && from < LINK_SPAN && to >= 0 && to < LINK_SPAN, "node id out of range");
    const override = this.options.links.find((l) => l.from === from && l.to === to);
    const latencyMicrosMin = override?.latencyMicrosMin ?? this.options.latencyMicrosMin;
    const latencyMicrosMax = override?.latencyMicrosMax ?? this.options.latencyMicrosMax;
    const link: Link<E> = {
      latencyMicrosMin,
      latencySpan: latencyMicrosMax - latencyMicrosMin + 1,
      lastDeliverMicros: 0,
      clogUntilMicros: 0,
      held: [],
    };
    this.links.set(from * LINK_SPAN + to, link);
    const row = this.rows[from] ?? [];
    row[to] = link;
    this.rows[from] = row;
    return link;
  }

  /** True when a partition cuts the link from `from` to `to`. */
  isBlocked(from: NodeId, to: NodeId): boolean {
    return this.blocked.size !== 0 && this.blocked.has(from * LINK_SPAN + to);
  }

  /** Draws whether a message sent now is lost. */
  drawLoss(nowMicros: number): boolean {
    if (this.faultFree) return false; // No probability to draw with: skip the reads below.
    const base = this.healed ? 0 : this.options.lossProbability;
    const p = nowMicros < this.burstUntilMicros ? Math.max(base, this.burstLoss) : base;
    return p > 0 && this.prng.chance(p);
  }

  /** Draws whether a message sent now is also delivered a second time. */
  drawDuplicate(nowMicros: number): boolean {
    if (this.faultFree) return false;
    const base = this.healed ? 0 : this.options.duplicateProbability;
    const p = nowMicros < this.burstUntilMicros ? Math.max(base, this.burstDuplicate) : base;
    return p > 0 && this.prng.chance(p);
  }

  /** Draws the delivery time of a message sent now on the link (FIFO unless reorder is on). */
  deliveryTime(nowMicros: number, from: NodeId, to: NodeId): number {
    const link = this.link(from, to);
    // A modulo draw: its bias (span / 2^32, under 1e-3 for spans below 4 s) is immaterial
    // here and it avoids the rejection loop of Prng.intBetween on the hottest path.
    let latency = link.latencyMicrosMin;
    const span = link.latencySpan;
    if (span <= 0xffffffff) {
      // Both operands typed as uint32 (`>>> 0` is a no-op here) let V8 divide integers
      // instead of calling the floating-point remainder.
      if (span !== 1) latency += this.prng.nextUint32() % (span >>> 0);
    } else {
      latency += this.prng.nextUint32() % span;
    }
    const spike = this.healed ? 0 : this.options.spikeProbability;
    if (spike > 0 && this.prng.chance(spike)) {
      latency += this.prng.intBetween(0, this.options.spikeMicrosMax);
    }
    let at = nowMicros + latency;
    if (!this.options.reorder) {
      if (at < link.lastDeliverMicros) at = link.lastDeliverMicros;
      link.lastDeliverMicros = at;
    }
    return at;
  }

  /**
   * Holds `envelope`, due now, if its link is clogged or already holds messages (so it cannot
   * overtake them). Returns "no" (deliver it now), "held", or "first" (the world must schedule a
   * release at releaseTime()).
   */
  hold(nowMicros: number, from: NodeId, to: NodeId, envelope: E): "no" | "held" | "first" {
    const link = this.existing(from, to);
    if (link === undefined) return "no";
    if (link.held.length === 0 && link.clogUntilMicros <= nowMicros) return "no";
    link.held.push(envelope);
    return link.held.length === 1 ? "first" : "held";
  }

  /** When the clog of a link ends (its held messages may leave then). */
  releaseTime(from: NodeId, to: NodeId): number {
    return this.link(from, to).clogUntilMicros;
  }

  /**
   * The held messages of a link, in order, emptying the list; undefined if the link is still
   * clogged (the clog was extended: release again at releaseTime()).
   */
  release(nowMicros: number, from: NodeId, to: NodeId): E[] | undefined {
    const link = this.link(from, to);
    if (link.clogUntilMicros > nowMicros) return undefined;
    const held = link.held;
    link.held = [];
    return held;
  }

  /** Cuts the links from every `from` to every `to` (and back unless oneWay). */
  partition(from: readonly NodeId[], to: readonly NodeId[], oneWay: boolean): void {
    for (const a of from) {
      for (const b of to) {
        if (a === b) continue;
        this.blocked.add(a * LINK_SPAN + b);
        if (!oneWay) this.blocked.add(b * LINK_SPAN + a);
      }
    }
  }

  /** Ends every partition. */
  healPartitions(): void {
    this.blocked.clear();
  }

  /** Clogs the links from each `from` to each `to` (and back unless oneWay) until `untilMicros`. */
  clog(from: readonly NodeId[], to: readonly NodeId[], oneWay: boolean, untilMicros: number): void {
    for (const a of from) {
      for (const b of to) {
        if (a === b) continue;
        this.clogLink(a, b, untilMicros);
        if (!oneWay) this.clogLink(b, a, untilMicros);
      }
    }
  }

  private clogLink(from: NodeId, to: NodeId, untilMicros: number): void {
    const link = this.link(from, to);
    if (link.clogUntilMicros < untilMicros) link.clogUntilMicros = untilMicros;
  }

  /** Ends every clog now; returns the links holding messages, [from, to], for release. */
  unclog(): [NodeId, NodeId][] {
    const holding: [NodeId, NodeId][] = [];
    for (const [key, link] of this.links) {
      link.clogUntilMicros = 0;
      if (link.held.length > 0) holding.push([Math.floor(key / LINK_SPAN), key % LINK_SPAN]);
    }
    return holding.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  }

  /** A burst of loss/duplication on every link until `untilMicros`. */
  burst(lossProbability: number, duplicateProbability: number, untilMicros: number): void {
    this.burstLoss = lossProbability;
    this.burstDuplicate = duplicateProbability;
    this.burstUntilMicros = untilMicros;
    this.faultFree = false;
  }

  /** Stops every network fault for good: partitions, clogs, bursts, base loss, dups, spikes. */
  heal(): [NodeId, NodeId][] {
    this.healPartitions();
    this.burstUntilMicros = 0;
    this.healed = true;
    this.faultFree = true; // Healed: no base loss or duplication, and no burst applies now.
    return this.unclog();
  }
}
