/**
 * The attacker's bit flips (attacker.ts): one bit of a sealed frame, of a handshake's key, of a
 * plain packet's byte encoding (only flips that leave every field in place and of its type, as a
 * value changed on the wire that a parser still accepts), or of a notification's vote.
 */
import type { Prng } from "../util/prng.js";
import type { Notification } from "../consensus/index.js";
import { decodePacket, encodePacket } from "../consensus/index.js";
import type { ZabWire } from "./replica-host.js";

/** `message` with one bit flipped somewhere that still parses, or undefined. */
export function tampered(message: ZabWire, prng: Prng): ZabWire | undefined {
  switch (message.kind) {
    case "sealed":
      return { ...message, frame: flipBit(message.frame, prng) };
    case "handshake":
      return { ...message, ephemeral: flipBit(message.ephemeral, prng) };
    case "quorum": {
      const bytes = encodePacket(message.packet);
      // A flip that breaks the encoding would be refused by any parser; one that keeps every
      // field and type but changes a value is what gets through an unauthenticated channel.
      for (let attempt = 0; attempt < 32; attempt++) {
        const packet = decodePacket(flipBit(bytes, prng));
        if (packet !== undefined && sameShape(packet, message.packet)) {
          return { ...message, packet };
        }
      }
      return undefined;
    }
    case "notification":
      return tamperedVote(message, prng);
    default:
      return undefined; // Client traffic is not attacked.
  }
}

/** A notification with one low bit of its vote's zxid, epoch or round flipped. */
function tamperedVote(n: Notification, prng: Prng): Notification {
  const bit = 2 ** prng.intBetween(0, 3);
  const flip = (value: number): number => (value % (2 * bit) >= bit ? value - bit : value + bit);
  switch (prng.intBetween(0, 2)) {
    case 0:
      return { ...n, zxid: flip(n.zxid) as Notification["zxid"] };
    case 1:
      return { ...n, peerEpoch: flip(n.peerEpoch) as Notification["peerEpoch"] };
    default:
      return { ...n, electionEpoch: flip(n.electionEpoch) };
  }
}

/** True when `a` and `b` have the same fields with the same types, all the way down. */
function sameShape(a: unknown, b: unknown): boolean {
  if (typeof a !== typeof b || Array.isArray(a) !== Array.isArray(b)) return false;
  if (a instanceof Uint8Array || b instanceof Uint8Array) {
    return a instanceof Uint8Array && b instanceof Uint8Array;
  }
  if (typeof a !== "object" || a === null || b === null) return (a === null) === (b === null);
  const keysA = Object.keys(a);
  const keysB = Object.keys(b as object);
  if (keysA.length !== keysB.length) return false;
  return keysA.every((key, i) => key === keysB[i] &&
    sameShape((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]));
}

function flipBit(bytes: Uint8Array, prng: Prng): Uint8Array {
  const out = Uint8Array.from(bytes);
  if (out.length === 0) return out;
  const at = prng.intBetween(0, out.length * 8 - 1);
  out[at >> 3] = (out[at >> 3] ?? 0) ^ (1 << (at & 7));
  return out;
}
