/**
 * One end of a leader-learner connection. ZooKeeper runs this channel over TCP, so packets arrive
 * once, in order, or the connection breaks. The simulated network may lose, duplicate or reorder,
 * so each packet carries a per-direction sequence number: duplicates are dropped, early packets
 * wait in a small buffer, and a buffer overflow counts as a broken connection, like a TCP stream
 * that stalls until its peer gives up.
 *
 * Closing is TCP's too: an end that gives the connection up while its process lives on (a
 * learner going back to election, a leader stepping down or dropping a learner) sends a FIN
 * after its last packet, and the other end reads everything before it, then fails its read
 * (Learner.closeSocket, LearnerHandler.closeSocket; the reader's EOFException). A crashed server
 * sends nothing: its peers find out by their read timeouts.
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
  /** True once this end sent its FIN: nothing more leaves. */
  private closed = false;
  /** True once the peer's FIN arrived in order: nothing more will come. */
  peerClosed = false;

  constructor(peer: ServerId, conn: number) {
    this.peer = peer;
    this.conn = conn;
  }

  /** Wraps `packet` as the next one on this connection. */
  wrap(packet: QuorumPacket): QuorumEnvelope {
    assert(!this.closed, "a packet after this end's FIN");
    const envelope: QuorumEnvelope = {
      kind: "quorum", conn: this.conn, seq: this.nextSendSeq, packet,
    };
    this.nextSendSeq += 1;
    return envelope;
  }

  /**
   * Closes this end: the FIN to send, or undefined when there is no one left to tell (the peer
   * closed first, or this end already did).
   */
  close(): QuorumEnvelope | undefined {
    if (this.closed || this.peerClosed) {
      this.closed = true;
      return undefined;
    }
    const fin = this.wrap({ type: "FIN" });
    this.closed = true;
    return fin;
  }

  /** Accepts an arriving envelope; returns the packets now deliverable in order. */
  accept(envelope: QuorumEnvelope): QuorumPacket[] {
    assert(envelope.conn === this.conn, "envelope for another connection");
    if (this.broken || this.peerClosed || envelope.seq < this.nextReceiveSeq) return [];
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
      if (packet.type === "FIN") {
        // Nothing follows a FIN; whatever else waits in the buffer cannot be from this stream.
        this.peerClosed = true;
        this.early.clear();
        break;
      }
    }
    assert(ready.length <= REORDER_BUFFER_MAX + 1, "delivered more than the buffer held");
    return ready;
  }
}
