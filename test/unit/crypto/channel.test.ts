/**
 * The quorum channel's handshake and frames (src/crypto/channel.ts). The handshake: two
 * configured servers that run it with fresh ephemeral keys derive the same keys (each side's
 * send key is the other's receive key); a third party holding another static key, a different
 * connection id, purpose or ephemeral key derives different ones, so a recording of one
 * connection opens on no other. Without ephemeral keys (the planted bug) every connection
 * between the same two servers shares its keys, which is what makes old connections replayable.
 * Frames: flipping any single bit of a sealed frame, moving it to another counter, or cutting it
 * short makes it refused; the unchecked open of the planted bug hands back the flipped plaintext.
 * Secrets never print.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  ChannelIdentity, EphemeralKey, FRAME_TAG_BYTES, handshakeKeys,
} from "../../../src/crypto/index.js";
import type { FrameKeys, HandshakeInput } from "../../../src/crypto/index.js";
import { random } from "./helpers.js";

const alice = ChannelIdentity.generate(1, random(1, "alice"));
const bob = ChannelIdentity.generate(2, random(1, "bob"));
const mallory = ChannelIdentity.generate(99, random(1, "mallory"));

/** Both ends of one connection: alice (sid 1) connects to bob (sid 2). */
function connect(options: {
  conn?: number; seed?: number; useEphemeral?: boolean; initiator?: ChannelIdentity;
  purpose?: string; responderPurpose?: string;
} = {}): { a: FrameKeys; b: FrameKeys } {
  const rng = random(options.seed ?? 5, "ephemeral");
  const ea = EphemeralKey.generate(rng);
  const eb = EphemeralKey.generate(rng);
  const conn = options.conn ?? 42;
  const useEphemeral = options.useEphemeral ?? true;
  const common: Pick<HandshakeInput, "conn" | "useEphemeral"> = { conn, useEphemeral };
  const a = handshakeKeys({
    ...common, role: "initiator", self: options.initiator ?? alice, peerSid: 2,
    peerStatic: bob.publicKey, ephemeral: ea, peerEphemeral: eb.publicKey,
    purpose: options.purpose ?? "quorum",
  });
  const b = handshakeKeys({
    ...common, role: "responder", self: bob, peerSid: 1, peerStatic: alice.publicKey,
    ephemeral: eb, peerEphemeral: ea.publicKey,
    purpose: options.responderPurpose ?? options.purpose ?? "quorum",
  });
  return { a, b };
}

const text = new TextEncoder().encode('{"type":"ACK","zxid":4294967297}');

describe("the handshake", () => {
  it("gives both configured ends the same keys, one per direction", () => {
    const { a, b } = connect();
    expect(b.open(0, a.seal(0, text))).toEqual(text);
    expect(a.open(7, b.seal(7, text))).toEqual(text);
    // A frame never opens in its own direction: the two directions have different keys.
    expect(a.open(0, a.seal(0, text))).toBeUndefined();
  });

  it("refuses a server that claims sid 1 with another static key", () => {
    const { a, b } = connect({ initiator: mallory });
    expect(b.open(0, a.seal(0, text))).toBeUndefined();
  });

  it("binds the keys to the connection id, the purpose and the ephemeral keys", () => {
    const first = connect({ conn: 1, seed: 1 });
    fc.assert(fc.property(fc.integer({ min: 2, max: 2 ** 32 - 1 }), fc.integer({ min: 2 }),
      (conn, seed) => {
        const frame = first.a.seal(0, text);
        expect(connect({ conn, seed: 1 }).b.open(0, frame)).toBeUndefined();
        expect(connect({ conn: 1, seed }).b.open(0, frame)).toBeUndefined();
      }), { numRuns: 20 });
    const election = connect({ conn: 1, seed: 1, responderPurpose: "election" });
    expect(election.b.open(0, first.a.seal(0, text))).toBeUndefined();
  });

  it("without ephemeral keys (the planted bug), every connection shares its keys", () => {
    const old = connect({ conn: 1, seed: 1, useEphemeral: false });
    const fresh = connect({ conn: 2, seed: 2, useEphemeral: false });
    expect(fresh.b.open(3, old.a.seal(3, text))).toEqual(text);
  });

  it("refuses a low-order public key with a typed error", () => {
    const zero = new Uint8Array(32);
    expect(() => handshakeKeys({
      role: "responder", self: bob, peerSid: 1, peerStatic: alice.publicKey, conn: 1,
      ephemeral: EphemeralKey.generate(random(3)), peerEphemeral: zero, purpose: "quorum",
      useEphemeral: true,
    })).toThrow(expect.objectContaining({ code: "NOT_AUTHENTIC" }));
  });
});

describe("a sealed frame", () => {
  const { a, b } = connect();

  it("is refused when any single bit is flipped", () => {
    const frame = a.seal(5, text);
    for (let bit = 0; bit < frame.length * 8; bit++) {
      const flipped = Uint8Array.from(frame);
      flipped[bit >> 3] = (flipped[bit >> 3] ?? 0) ^ (1 << (bit & 7));
      expect(b.open(5, flipped), `bit ${bit}`).toBeUndefined();
    }
    expect(b.open(5, frame)).toEqual(text);
  });

  it("is refused at another counter, and when cut short", () => {
    fc.assert(fc.property(fc.nat({ max: 2 ** 40 }), fc.nat({ max: 2 ** 40 }), (seq, other) => {
      fc.pre(seq !== other);
      const frame = a.seal(seq, text);
      expect(b.open(other, frame)).toBeUndefined();
      expect(b.open(seq, frame)).toEqual(text);
    }), { numRuns: 50 });
    const frame = a.seal(0, text);
    for (const cut of [0, 1, FRAME_TAG_BYTES - 1, FRAME_TAG_BYTES, frame.length - 1]) {
      expect(b.open(0, frame.subarray(0, cut))).toBeUndefined();
    }
  });

  it("opened without its tag (the planted bug), a flipped bit flips the plaintext", () => {
    const frame = a.seal(9, text);
    const flipped = Uint8Array.from(frame);
    const at = FRAME_TAG_BYTES + 20;
    flipped[at] = (flipped[at] ?? 0) ^ 1;
    const opened = b.openWithoutTag(9, flipped);
    expect(opened).toBeDefined();
    expect(opened?.[20]).toBe((text[20] ?? 0) ^ 1);
    expect(b.openWithoutTag(9, frame)).toEqual(text);
  });
});

describe("secrets", () => {
  it("never print", () => {
    const { a } = connect();
    const ephemeral = EphemeralKey.generate(random(4));
    for (const value of [alice, ephemeral, a]) {
      const shown = [String(value), JSON.stringify(value), JSON.stringify({ value })].join(" ");
      expect(shown).not.toMatch(/[0-9a-f]{32}|\d+,\d+,\d+,\d+/);
    }
    expect(String(alice)).toBe("[x25519 key pair server 1]");
  });
});
