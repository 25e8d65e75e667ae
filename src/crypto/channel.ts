/**
 * Authenticated quorum channels: the handshake and the sealed frames of a connection between two
 * servers of one ensemble, in the spirit of Noise KK (both sides know each other's static key in
 * advance, as ZooKeeper's quorum TLS pins each server's certificate).
 *
 * - Identity: each server has a long-term X25519 key pair; the ensemble's public keys are its
 *   configuration (`ChannelPeers`). The secret half never prints (`ChannelIdentity` hides it as
 *   SecretKey hides a symmetric key).
 * - Handshake, two messages: the initiator sends a fresh ephemeral public key, the responder
 *   answers with its own. Each side then mixes four X25519 results (static-static,
 *   ephemeral-static both ways, ephemeral-ephemeral: Noise KK's ss, es, se, ee) through
 *   HKDF-SHA256 with an info naming the protocol, both server ids, the connection id and both
 *   ephemeral keys. Only the two configured servers can compute the keys (the static terms), and
 *   every connection gets new ones (the ephemeral terms), so frames recorded on an old connection
 *   open on no other.
 * - Frames: secretbox (XSalsa20-Poly1305) with one key per direction and a counter nonce, the
 *   connection's sequence number. A frame moved to another position, altered, cut short or
 *   replayed into another connection fails Poly1305 and is refused.
 *
 * The planted bug `no-ephemeral-handshake` derives the keys from the static-static term and
 * the two server ids alone: every connection between two servers shares them, so a recording of
 * an old connection replays into a new one.
 */
import nacl from "tweetnacl";
import { expand, extract } from "@noble/hashes/hkdf.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { concat, lengthPrefixed, u32, utf8 } from "./bytes.js";
import { CryptoError } from "./errors.js";
import type { RandomSource } from "./random.js";

/** The handshake's name; it is the first field of the key derivation's info. */
export const CHANNEL_PROTOCOL = "zabsim/quorum-channel/KK_25519_HKDF-SHA256_XSalsa20Poly1305/v1";

/** X25519 public and secret key length. */
export const CHANNEL_KEY_BYTES = 32;

/** secretbox's overhead: the Poly1305 tag. */
export const FRAME_TAG_BYTES = nacl.secretbox.overheadLength;

const INSPECT = Symbol.for("nodejs.util.inspect.custom");

/** tweetnacl's untyped low-level XSalsa20, used only by the planted bug `skip-frame-auth`. */
const lowlevel = (nacl as unknown as {
  lowlevel: {
    crypto_stream_xor(c: Uint8Array, cpos: number, m: Uint8Array, mpos: number, d: number,
      n: Uint8Array, k: Uint8Array): number;
  };
}).lowlevel;
const LABEL = utf8(CHANNEL_PROTOCOL);

/** An X25519 key pair whose secret half cannot be printed by accident. */
class KeyPair {
  readonly #secret: Uint8Array;
  readonly publicKey: Uint8Array;
  readonly label: string;

  constructor(secret: Uint8Array, label: string) {
    if (secret.length !== CHANNEL_KEY_BYTES) {
      throw new CryptoError("BAD_ARGUMENT", `an X25519 secret key is ${CHANNEL_KEY_BYTES} bytes`);
    }
    this.#secret = Uint8Array.from(secret);
    this.publicKey = nacl.box.keyPair.fromSecretKey(this.#secret).publicKey;
    this.label = label;
  }

  /** X25519 with a peer's public key; refuses a low-order point (an all-zero result). */
  agree(peerPublic: Uint8Array): Uint8Array {
    if (peerPublic.length !== CHANNEL_KEY_BYTES) {
      throw new CryptoError("MALFORMED", "an X25519 public key is 32 bytes");
    }
    const shared = nacl.scalarMult(this.#secret, peerPublic);
    if (shared.every((byte) => byte === 0)) {
      throw new CryptoError("NOT_AUTHENTIC", "a low-order public key");
    }
    return shared;
  }

  toString(): string {
    return `[x25519 key pair ${this.label}]`;
  }

  toJSON(): string {
    return this.toString();
  }

  [INSPECT](): string {
    return this.toString();
  }
}

/** A server's long-term identity: its sid and X25519 key pair. */
export class ChannelIdentity extends KeyPair {
  readonly sid: number;

  private constructor(sid: number, secret: Uint8Array) {
    super(secret, `server ${sid}`);
    this.sid = sid;
  }

  /** A fresh identity for server `sid`, its secret drawn from `random`. */
  static generate(sid: number, random: RandomSource): ChannelIdentity {
    return new ChannelIdentity(sid, random.bytes(CHANNEL_KEY_BYTES));
  }
}

/** A connection's fresh key pair (the handshake's `e`). */
export class EphemeralKey extends KeyPair {
  private constructor(secret: Uint8Array) {
    super(secret, "ephemeral");
  }

  static generate(random: RandomSource): EphemeralKey {
    return new EphemeralKey(random.bytes(CHANNEL_KEY_BYTES));
  }
}

/** The ensemble's configuration of channel keys: each member's sid and pinned public key. */
export type ChannelPeers = ReadonlyMap<number, Uint8Array>;

/** One side's view of a finished handshake. */
export interface HandshakeInput {
  readonly role: "initiator" | "responder";
  readonly self: ChannelIdentity;
  readonly peerSid: number;
  /** The peer's pinned static public key (from the configuration, never from the wire). */
  readonly peerStatic: Uint8Array;
  /** The connection id, chosen by the initiator. */
  readonly conn: number;
  /** This side's ephemeral key. */
  readonly ephemeral: EphemeralKey;
  /** The peer's ephemeral public key, from its handshake message. */
  readonly peerEphemeral: Uint8Array;
  /** What the connection is for ("quorum", "election"): bound into the keys. */
  readonly purpose: string;
  /** False only for the planted bug `no-ephemeral-handshake`. */
  readonly useEphemeral: boolean;
}

/** The two directions' frame keys of one connection. */
export class FrameKeys {
  readonly #send: Uint8Array;
  readonly #receive: Uint8Array;

  constructor(send: Uint8Array, receive: Uint8Array) {
    this.#send = send;
    this.#receive = receive;
  }

  /** The frame for `plaintext` at position `seq` of this end's stream. */
  seal(seq: number, plaintext: Uint8Array): Uint8Array {
    return nacl.secretbox(plaintext, counterNonce(seq), this.#send);
  }

  /** The plaintext of the peer's frame at position `seq`, or undefined when it is not authentic. */
  open(seq: number, frame: Uint8Array): Uint8Array | undefined {
    if (frame.length < FRAME_TAG_BYTES) return undefined;
    return nacl.secretbox.open(frame, counterNonce(seq), this.#receive) ?? undefined;
  }

  /**
   * The planted bug `skip-frame-auth`: XSalsa20 without the Poly1305 check, as a receiver that
   * decrypts and never verifies would. A stream cipher is malleable: a bit flipped in the frame
   * flips the same bit of the plaintext, and nothing notices.
   */
  openWithoutTag(seq: number, frame: Uint8Array): Uint8Array | undefined {
    if (frame.length < FRAME_TAG_BYTES) return undefined;
    // secretbox's layout (tweetnacl): 32 bytes of keystream key the tag, the rest encrypts.
    const padded = new Uint8Array(2 * FRAME_TAG_BYTES + frame.length - FRAME_TAG_BYTES);
    padded.set(frame.subarray(FRAME_TAG_BYTES), 2 * FRAME_TAG_BYTES);
    const plain = new Uint8Array(padded.length);
    const nonce = counterNonce(seq);
    lowlevel.crypto_stream_xor(plain, 0, padded, 0, padded.length, nonce, this.#receive);
    return plain.subarray(2 * FRAME_TAG_BYTES);
  }

  toString(): string {
    return "[frame keys]";
  }

  toJSON(): string {
    return this.toString();
  }

  [INSPECT](): string {
    return this.toString();
  }
}

/** The 24-byte nonce of frame `seq`: the counter, big-endian, in the last 8 bytes. */
function counterNonce(seq: number): Uint8Array {
  if (!Number.isSafeInteger(seq) || seq < 0) {
    throw new CryptoError("BAD_ARGUMENT", `a frame counter is a whole number, got ${seq}`);
  }
  const nonce = new Uint8Array(nacl.secretbox.nonceLength);
  // Big-endian by hand: a DataView per frame showed in the profile.
  let rest = seq;
  for (let i = nonce.length - 1; i >= nonce.length - 8 && rest > 0; i--) {
    nonce[i] = rest % 256;
    rest = Math.floor(rest / 256);
  }
  return nonce;
}

/**
 * The frame keys of a connection, from one side's handshake state. Both sides compute the same
 * four X25519 results in the same order (named from the initiator's side: ss, es, se, ee), then
 * HKDF-SHA256 (RFC 5869) with the protocol name as salt and, as info, the connection's purpose,
 * the initiator's and the responder's sids, the connection id and both ephemeral public keys.
 * 64 bytes of output: the initiator-to-responder key, then the other direction's.
 */
export function handshakeKeys(input: HandshakeInput): FrameKeys {
  const { role, self, peerStatic, ephemeral, peerEphemeral } = input;
  const initiator = role === "initiator";
  const ss = self.agree(peerStatic);
  const [initiatorSid, responderSid] = initiator
    ? [self.sid, input.peerSid] : [input.peerSid, self.sid];
  let ikm: Uint8Array;
  let info: Uint8Array;
  if (input.useEphemeral) {
    const es = initiator ? ephemeral.agree(peerStatic) : self.agree(peerEphemeral);
    const se = initiator ? self.agree(peerEphemeral) : ephemeral.agree(peerStatic);
    const ee = ephemeral.agree(peerEphemeral);
    const [ei, er] = initiator
      ? [ephemeral.publicKey, peerEphemeral] : [peerEphemeral, ephemeral.publicKey];
    ikm = concat([ss, es, se, ee]);
    info = concat([lengthPrefixed(utf8(input.purpose)), u32(initiatorSid), u32(responderSid),
      u32(input.conn), lengthPrefixed(ei), lengthPrefixed(er)]);
  } else {
    ikm = ss;
    info = concat([u32(initiatorSid), u32(responderSid)]);
  }
  const okm = expand(sha256, extract(sha256, ikm, LABEL), info, 2 * CHANNEL_KEY_BYTES);
  ikm.fill(0);
  const forward = okm.slice(0, CHANNEL_KEY_BYTES);
  const backward = okm.slice(CHANNEL_KEY_BYTES);
  okm.fill(0);
  return initiator ? new FrameKeys(forward, backward) : new FrameKeys(backward, forward);
}
