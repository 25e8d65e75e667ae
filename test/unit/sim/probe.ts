/**
 * A probe host for kernel tests: every `periodMicros` of local time it sends a numbered message
 * to each peer, and it records every message it receives with its send and arrival times. Its
 * clock must be unskewed for those times to be true times (the default options).
 */
import type { Envelope } from "../../../src/sim/envelope.js";
import type { Host, HostContext, NodeRole } from "../../../src/sim/host.js";
import { LOCAL_CLOCK_BASE_MICROS } from "../../../src/sim/clock.js";

/** The local reading relative to the clocks' common base (0 at true time 0 without skew). */
const localTime = (ctx: { readonly localMicros: number }): number =>
  ctx.localMicros - LOCAL_CLOCK_BASE_MICROS;

export interface ProbeMessage {
  readonly seq: number;
}

export interface Arrival {
  readonly from: number;
  readonly id: number;
  readonly seq: number;
  readonly sentMicros: number;
  readonly atMicros: number;
  readonly copy: number;
}

export class Probe implements Host<ProbeMessage> {
  readonly role: NodeRole = "voter";
  readonly arrivals: Arrival[] = [];
  /** Sends so far, per destination. */
  readonly sent = new Map<number, number>();
  private seq = 0;

  constructor(
    readonly id: number,
    private readonly peers: readonly number[],
    private readonly periodMicros: number,
    private readonly sendUntilMicros: number,
  ) {}

  start(ctx: HostContext<ProbeMessage>): void {
    ctx.setTimer("tick", this.periodMicros);
  }

  timerFired(ctx: HostContext<ProbeMessage>): void {
    if (localTime(ctx) >= this.sendUntilMicros) return;
    for (const peer of this.peers) {
      if (peer === this.id) continue;
      ctx.send(peer, { seq: this.seq++ });
      this.sent.set(peer, (this.sent.get(peer) ?? 0) + 1);
    }
    ctx.setTimer("tick", this.periodMicros);
  }

  deliver(ctx: HostContext<ProbeMessage>, envelope: Envelope<ProbeMessage>): void {
    this.arrivals.push({
      from: envelope.from,
      id: envelope.id,
      seq: envelope.message.seq,
      sentMicros: envelope.sentMicros,
      atMicros: localTime(ctx),
      copy: envelope.copy,
    });
  }

  diskCompleted(): void {}

  crashed(): void {}
}

/** n probes with ids 1..n, all talking to all. */
export function probes(n: number, periodMicros = 1_000, sendUntilMicros = 200_000): Probe[] {
  const ids = Array.from({ length: n }, (_, i) => i + 1);
  return ids.map((id) => new Probe(id, ids, periodMicros, sendUntilMicros));
}
