/**
 * One end of a leader-learner connection. ZooKeeper runs this channel over TCP, so packets arrive
 * once, in order, or the connection breaks. The simulated network may lose, duplicate or reorder,
 * so each packet carries a per-direction sequence number: duplicates are dropped, early packets
 * wait in a small buffer, and a buffer overflow counts as a broken connection, like a TCP stream
 * that stalls until its peer gives up.
 */
import { assert } from "../util/index.js";
import type { ServerId } from "./ids.js";
import type { QuorumEnvelope, QuorumPacket } from "./messages.js";

/** Packets held while waiting for a gap to fill, at most. */
export const REORDER_BUFFER_MAX = 64;

export class Connection {
  readonly peer: ServerId;
  /** Chosen by the learner at connect time; both directions carry it. */
  readonly conn: number;
  private nextSendSeq = 0;
  private nextReceiveSeq = 0;
  private readonly early = new Map<number, QuorumPacket>();
  /** True once the stream can no longer deliver in order. */
  broken = false;

  constructor(peer: ServerId, conn: number) {
    this.peer = peer;
    this.conn = conn;
  }

  /** Wraps `packet` as the next one on this connection. */
  wrap(packet: QuorumPacket): QuorumEnvelope {
    const envelope: QuorumEnvelope = {
      kind: "quorum", conn: this.conn, seq: this.nextSendSeq, packet,
    };
    this.nextSendSeq += 1;
    return envelope;
  }

  /** Accepts an arriving envelope; returns the packets now deliverable in order. */
  accept(envelope: QuorumEnvelope): QuorumPacket[] {
    assert(envelope.conn === this.conn, "envelope for another connection");
    if (this.broken || envelope.seq < this.nextReceiveSeq) return [];
    this.early.set(envelope.seq, envelope.packet);
    if (this.early.size > REORDER_BUFFER_MAX) {
      this.broken = true;
      this.early.clear();
      return [];
    }
    const ready: QuorumPacket[] = [];
    for (;;) {
      const packet = this.early.get(this.nextReceiveSeq);
      if (packet === undefined) break;
      this.early.delete(this.nextReceiveSeq);
      this.nextReceiveSeq += 1;
      ready.push(packet);
    }
    assert(ready.length <= REORDER_BUFFER_MAX + 1, "delivered more than the buffer held");
    return ready;
  }
}
