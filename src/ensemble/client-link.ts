/**
 * One end of a client connection. ZooKeeper's clients talk to a server over TCP: packets arrive
 * once and in order, or the connection breaks. The simulated network may lose, duplicate or
 * reorder, so each packet carries the connection's number and a per-direction sequence number,
 * as the quorum channel's do (consensus/connection.ts): duplicates are dropped, early packets
 * wait in a small buffer, and a packet of an older connection is ignored. A lost packet leaves
 * a gap that stalls the stream; the buffer overflowing, or the peer closing, breaks it, and the
 * client's read timeout notices a stall that lasts.
 */
import { assert } from "../util/index.js";

/** Packets held while waiting for a gap to fill, at most. */
export const CLIENT_REORDER_MAX = 32;

/** A packet in flight on a client connection. */
export interface LinkFrame<P> {
  /** The client's connection number (ClientSession numbers them from 1). */
  readonly conn: number;
  readonly seq: number;
  readonly packet: P;
}

/** One direction's sender and the other direction's receiver, for connection `conn`. */
export class ClientLink<Out, In> {
  private nextSendSeq = 0;
  private nextReceiveSeq = 0;
  private readonly early = new Map<number, In>();
  /** True once the stream can no longer deliver in order. */
  broken = false;

  constructor(readonly conn: number) {
    assert(Number.isSafeInteger(conn) && conn > 0, "connections are numbered from 1", { conn });
  }

  /** Frames `packet` as the next one sent on this connection. */
  wrap(packet: Out): LinkFrame<Out> {
    const frame = { conn: this.conn, seq: this.nextSendSeq, packet };
    this.nextSendSeq += 1;
    return frame;
  }

  /** Accepts an arriving frame of this connection; returns the packets now in order. */
  accept(frame: LinkFrame<In>): In[] {
    assert(frame.conn === this.conn, "frame of another connection");
    if (this.broken || frame.seq < this.nextReceiveSeq) return [];
    if (frame.seq === this.nextReceiveSeq && this.early.size === 0) {
      // The common case: in order, nothing waiting.
      this.nextReceiveSeq += 1;
      return [frame.packet];
    }
    this.early.set(frame.seq, frame.packet);
    if (this.early.size > CLIENT_REORDER_MAX) {
      this.broken = true;
      this.early.clear();
      return [];
    }
    const ready: In[] = [];
    for (;;) {
      const packet = this.early.get(this.nextReceiveSeq);
      if (packet === undefined) break;
      this.early.delete(this.nextReceiveSeq);
      this.nextReceiveSeq += 1;
      ready.push(packet);
    }
    return ready;
  }
}
