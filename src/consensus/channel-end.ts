/**
 * The secure end of one quorum connection (secure quorum, as ZooKeeper's sslQuorum): the
 * handshake state and the frame keys, kept in the connection's own state so the replica stays a
 * pure step function. The cryptography is crypto/channel.ts's; this file decides who may talk:
 * only a server whose sid has a pinned key in the configuration, and only with the keys that the
 * two pinned identities and both fresh ephemeral keys give.
 *
 * Planted bugs live where their rule does: `skip-frame-auth` (open without the Poly1305 check)
 * and `no-ephemeral-handshake` (keys from the static keys alone) here, and
 * `replayable-counter` (a frame below the receive counter delivered again) in connection.ts.
 */
import { assert } from "../util/index.js";
import type { ChannelIdentity, ChannelPeers, FrameKeys, RandomSource } from "../crypto/index.js";
import { EphemeralKey, handshakeKeys, isCryptoError } from "../crypto/index.js";
import type { BugName } from "./bugs.js";
import type { ServerId } from "./ids.js";
import type {
  ChannelName, HandshakeMessage, QuorumPacket, SealedEnvelope,
} from "./messages.js";
import { decodePacket, encodePacket } from "./packet-codec.js";

function sameBytes(a: Uint8Array, b: Uint8Array | undefined): boolean {
  return b !== undefined && a.length === b.length && a.every((byte, i) => byte === b[i]);
}

/** A replica's secure-quorum setup: its identity, the ensemble's pinned keys, its randomness. */
export interface ChannelSetup {
  readonly identity: ChannelIdentity;
  readonly peers: ChannelPeers;
  /** Ephemeral keys come from here (the replica's own seeded stream in a simulation). */
  readonly random: RandomSource;
  readonly bugs: ReadonlySet<BugName>;
  /** Frames and handshakes this replica refused (shared by all its connections). */
  readonly counters: { rejected: number };
}

export class ChannelEnd {
  readonly peer: ServerId;
  readonly conn: number;
  /** The handshake message this end sends (re-sent while the connection is opening). */
  readonly message: HandshakeMessage;
  private readonly setup: ChannelSetup;
  private readonly ephemeral: EphemeralKey;
  private keys: FrameKeys | undefined;
  /** The peer's ephemeral public key, once its handshake message arrived. */
  private peerEphemeral: Uint8Array | undefined;

  private constructor(setup: ChannelSetup, peer: ServerId, conn: number,
    stage: "init" | "reply", channel: ChannelName) {
    this.setup = setup;
    this.peer = peer;
    this.conn = conn;
    this.ephemeral = EphemeralKey.generate(setup.random);
    this.message = {
      kind: "handshake", channel, stage, conn, ephemeral: this.ephemeral.publicKey,
    };
  }

  /** The connecting side's end (a learner; for election, the higher sid): keys at the reply. */
  static initiate(setup: ChannelSetup, peer: ServerId, conn: number,
    channel: ChannelName = "quorum"): ChannelEnd {
    assert(setup.peers.has(peer), "connect only to a configured server");
    return new ChannelEnd(setup, peer, conn, "init", channel);
  }

  /**
   * The leader's end for an `init` claiming to come from `peer`, or undefined (counted) when
   * `peer` has no pinned key. Whether the claim is true shows at the first frame: only the
   * real `peer` derives the same keys.
   */
  static respond(setup: ChannelSetup, peer: ServerId, init: HandshakeMessage):
    ChannelEnd | undefined {
    assert(init.stage === "init", "respond to an init");
    const end = new ChannelEnd(setup, peer, init.conn, "reply", init.channel);
    return end.derive(init.ephemeral) ? end : undefined;
  }

  /** True when `init` is the one this responder end answered (a re-sent copy). */
  answers(init: HandshakeMessage): boolean {
    return this.message.stage === "reply" && init.stage === "init" && init.conn === this.conn &&
      init.channel === this.message.channel && sameBytes(init.ephemeral, this.peerEphemeral);
  }

  /** The initiator takes the reply; false (counted) when it gives no keys. */
  complete(reply: HandshakeMessage): boolean {
    assert(reply.stage === "reply" && reply.conn === this.conn, "the reply to this init");
    assert(this.keys === undefined, "a handshake completes once");
    return this.derive(reply.ephemeral);
  }

  get established(): boolean {
    return this.keys !== undefined;
  }

  /** The planted bug `replayable-counter`: frames below the receive counter are not refused. */
  get replayable(): boolean {
    return this.setup.bugs.has("replayable-counter");
  }

  /** True when a sid may open connections at all: it has a key in the configuration. */
  static knows(setup: ChannelSetup, peer: ServerId): boolean {
    return setup.peers.has(peer);
  }

  private derive(peerEphemeral: Uint8Array): boolean {
    this.peerEphemeral = peerEphemeral;
    const peerStatic = this.setup.peers.get(this.peer);
    if (peerStatic === undefined) return this.reject();
    try {
      this.keys = handshakeKeys({
        role: this.message.stage === "init" ? "initiator" : "responder",
        self: this.setup.identity, peerSid: this.peer, peerStatic, conn: this.conn,
        ephemeral: this.ephemeral, peerEphemeral, purpose: this.message.channel,
        useEphemeral: !this.setup.bugs.has("no-ephemeral-handshake"),
      });
      return true;
    } catch (error) {
      if (!isCryptoError(error)) throw error;
      return this.reject(); // A malformed or low-order ephemeral key.
    }
  }

  private reject(): false {
    this.setup.counters.rejected += 1;
    return false;
  }

  /** Packet `seq` of this end's stream, sealed. */
  seal(seq: number, packet: QuorumPacket): SealedEnvelope {
    return this.sealBytes(seq, encodePacket(packet));
  }

  /** Bytes `seq` of this end's stream, sealed. */
  sealBytes(seq: number, bytes: Uint8Array): SealedEnvelope {
    assert(this.keys !== undefined, "sealing before the handshake");
    return {
      kind: "sealed", channel: this.message.channel, conn: this.conn, seq,
      frame: this.keys.seal(seq, bytes),
    };
  }

  /** The packet in the peer's frame, or undefined (counted) when it is not authentic. */
  open(envelope: SealedEnvelope): QuorumPacket | undefined {
    const bytes = this.openBytes(envelope);
    if (bytes === undefined) return undefined; // Counted by openBytes.
    return decodePacket(bytes) ?? this.rejectFrame();
  }

  /** The bytes in the peer's frame, or undefined (counted) when it is not authentic. */
  openBytes(envelope: SealedEnvelope): Uint8Array | undefined {
    const keys = this.keys;
    if (keys === undefined || envelope.channel !== this.message.channel) return this.rejectFrame();
    const bytes = this.setup.bugs.has("skip-frame-auth")
      ? keys.openWithoutTag(envelope.seq, envelope.frame)
      : keys.open(envelope.seq, envelope.frame);
    return bytes ?? this.rejectFrame();
  }

  private rejectFrame(): undefined {
    this.setup.counters.rejected += 1;
    return undefined;
  }

  /** Counts a message refused outside any frame (a plain packet on a secure connection). */
  refuse(): void {
    this.setup.counters.rejected += 1;
  }
}
