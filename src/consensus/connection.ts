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
 *
 * With secure quorum the connection has a ChannelEnd (channel-end.ts): it opens with a
 * handshake, packets leave sealed, and the sequence number is the frame's authenticated counter
 * nonce. A frame that does not open (altered, cut short, moved to another position, replayed
 * from another connection) breaks the connection at once, as a TLS record that fails its MAC
 * ends a TLS session. Packets the replica sends before the handshake ends wait, numbered.
 */
import { assert } from "../util/index.js";
import type { ChannelEnd } from "./channel-end.js";
import type { ServerId } from "./ids.js";
import type {
  ConnectionMessage, QuorumEnvelope, QuorumPacket, SealedEnvelope,
} from "./messages.js";

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
  /** The secure end (secure quorum), or undefined for a plain connection. */
  readonly channel: ChannelEnd | undefined;
  /** Packets numbered before the handshake ended, sealed and sent when it does. */
  private waiting: QuorumPacket[] = [];
  /** This end's packet 0 as sent, re-sent while the peer has not answered. */
  private first: QuorumEnvelope | SealedEnvelope | undefined;

  constructor(peer: ServerId, conn: number, channel?: ChannelEnd) {
    this.peer = peer;
    this.conn = conn;
    this.channel = channel;
    if (channel !== undefined) {
      assert(channel.conn === conn && channel.peer === peer, "a channel end of this connection");
    }
  }

  /**
   * Wraps `packet` as the next one on this connection; undefined while a secure connection's
   * handshake is still under way (the packet waits for flush).
   */
  wrap(packet: QuorumPacket): QuorumEnvelope | SealedEnvelope | undefined {
    assert(!this.closed, "a packet after this end's FIN");
    const seq = this.nextSendSeq;
    this.nextSendSeq += 1;
    const channel = this.channel;
    if (channel !== undefined && !channel.established) {
      this.waiting.push(packet);
      return undefined;
    }
    const envelope: QuorumEnvelope | SealedEnvelope = channel === undefined
      ? { kind: "quorum", conn: this.conn, seq, packet } : channel.seal(seq, packet);
    if (seq === 0) this.first = envelope;
    return envelope;
  }

  /** The waiting packets, sealed, once the handshake has ended (they keep their numbers). */
  flush(): SealedEnvelope[] {
    const channel = this.channel;
    assert(channel !== undefined && channel.established, "flush after the handshake");
    const out = this.waiting.map((packet, i) => channel.seal(i, packet));
    assert(this.waiting.length === this.nextSendSeq, "packets waited from the first on");
    if (out[0] !== undefined) this.first = out[0];
    this.waiting = [];
    return out;
  }

  /**
   * What to re-send while the peer has not answered (Learner.connectToLeader retries): the
   * handshake's first message until it ends, then packet 0.
   */
  opening(): ConnectionMessage | undefined {
    if (this.channel !== undefined && !this.channel.established) return this.channel.message;
    return this.first;
  }

  /**
   * Closes this end: the FIN to send, or undefined when there is no one left to tell (the peer
   * closed first, or this end already did).
   */
  close(): QuorumEnvelope | SealedEnvelope | undefined {
    if (this.closed || this.peerClosed) {
      this.closed = true;
      return undefined;
    }
    const fin = this.wrap({ type: "FIN" });
    this.closed = true;
    return fin;
  }

  /** Accepts an arriving envelope; returns the packets now deliverable in order. */
  accept(envelope: QuorumEnvelope | SealedEnvelope): QuorumPacket[] {
    assert(envelope.conn === this.conn, "envelope for another connection");
    if (this.broken || this.peerClosed) return [];
    const replayed = envelope.seq < this.nextReceiveSeq;
    if (replayed && !this.channel?.replayable) return [];
    const packet = this.unwrap(envelope);
    if (packet === undefined) return [];
    // The planted bug `replayable-counter`: an authentic frame below the counter goes through.
    if (replayed) return [packet];
    this.early.set(envelope.seq, packet);
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

  /** The packet an envelope carries, if this connection takes it; a forged frame breaks it. */
  private unwrap(envelope: QuorumEnvelope | SealedEnvelope): QuorumPacket | undefined {
    const channel = this.channel;
    if (channel === undefined) return envelope.kind === "quorum" ? envelope.packet : undefined;
    if (envelope.kind === "quorum") {
      channel.refuse(); // Plaintext on a secure connection: not part of the stream.
      return undefined;
    }
    const packet = channel.open(envelope);
    if (packet === undefined) {
      this.broken = true;
      this.early.clear();
    }
    return packet;
  }
}
