/**
 * The network between nodes: per directed link latency (uniform in a range, with optional delay
 * spikes), loss, duplication, FIFO order unless reordering is on, partitions (symmetric or one
 * way) and clogs (FoundationDB's: a clogged link holds messages until the clog ends, it never
 * drops them). The world asks it questions at send and delivery time; it holds no messages.
 */
import { assert } from "../util/assert.js";
import type { Prng } from "../util/prng.js";
import type { NodeId } from "./faults.js";
import type { NetworkOptions } from "./options.js";

/** Node ids are below this, so a directed link has the key from * LINK_SPAN + to. */
export const LINK_SPAN = 2 ** 20;

interface Link {
  readonly latencyMicrosMin: number;
  readonly latencyMicrosMax: number;
  /** FIFO floor: no later message on this link is delivered before this time. */
  lastDeliverMicros: number;
  /** Messages due before this time wait until it. */
  clogUntilMicros: number;
}

/** The simulated network's state. */
export class Network {
  private readonly links = new Map<number, Link>();
  private readonly blocked = new Set<number>();
  private burstUntilMicros = 0;
  private burstLoss = 0;
  private burstDuplicate = 0;
  private healed = false;

  constructor(
    private readonly options: NetworkOptions,
    private readonly prng: Prng,
  ) {}

  private link(from: NodeId, to: NodeId): Link {
    const key = from * LINK_SPAN + to;
    let link = this.links.get(key);
    if (link === undefined) {
      assert(from >= 0 && from < LINK_SPAN && to >= 0 && to < LINK_SPAN, "node id out of range");
      const override = this.options.links.find((l) => l.from === from && l.to === to);
      link = {
        latencyMicrosMin: override?.latencyMicrosMin ?? this.options.latencyMicrosMin,
        latencyMicrosMax: override?.latencyMicrosMax ?? this.options.latencyMicrosMax,
        lastDeliverMicros: 0,
        clogUntilMicros: 0,
      };
      this.links.set(key, link);
    }
    return link;
  }

  /** True when a partition cuts the link from `from` to `to`. */
  isBlocked(from: NodeId, to: NodeId): boolean {
    return this.blocked.size !== 0 && this.blocked.has(from * LINK_SPAN + to);
  }

  /** Draws whether a message sent now is lost. */
  drawLoss(nowMicros: number): boolean {
    const base = this.healed ? 0 : this.options.lossProbability;
    const p = nowMicros < this.burstUntilMicros ? Math.max(base, this.burstLoss) : base;
    return p > 0 && this.prng.chance(p);
  }

  /** Draws whether a message sent now is also delivered a second time. */
  drawDuplicate(nowMicros: number): boolean {
    const base = this.healed ? 0 : this.options.duplicateProbability;
    const p = nowMicros < this.burstUntilMicros ? Math.max(base, this.burstDuplicate) : base;
    return p > 0 && this.prng.chance(p);
  }

  /** Draws the delivery time of a message sent now on the link (FIFO unless reorder is on). */
  deliveryTime(nowMicros: number, from: NodeId, to: NodeId): number {
    const link = this.link(from, to);
    let latency = link.latencyMicrosMin === link.latencyMicrosMax
      ? link.latencyMicrosMin
      : this.prng.intBetween(link.latencyMicrosMin, link.latencyMicrosMax);
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
   * For a message due now: the time it must wait until if its link is clogged, else -1. Moving
   * the FIFO floor keeps later messages behind the held one.
   */
  heldUntil(nowMicros: number, from: NodeId, to: NodeId): number {
    const link = this.links.get(from * LINK_SPAN + to);
    if (link === undefined || link.clogUntilMicros <= nowMicros) return -1;
    if (!this.options.reorder && link.lastDeliverMicros < link.clogUntilMicros) {
      link.lastDeliverMicros = link.clogUntilMicros;
    }
    return link.clogUntilMicros;
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

  /** Ends every clog now. Messages already held keep their held time (late, never dropped). */
  unclog(): void {
    for (const link of this.links.values()) link.clogUntilMicros = 0;
  }

  /** A burst of loss/duplication on every link until `untilMicros`. */
  burst(lossProbability: number, duplicateProbability: number, untilMicros: number): void {
    this.burstLoss = lossProbability;
    this.burstDuplicate = duplicateProbability;
    this.burstUntilMicros = untilMicros;
  }

  /** Stops every network fault for good: partitions, clogs, bursts, base loss, dups, spikes. */
  heal(): void {
    this.healPartitions();
    this.unclog();
    this.burstUntilMicros = 0;
    this.healed = true;
  }
}
