/**
 * Quorum packets as bytes, for sealed frames (secure quorum): JSON with znode data in base64
 * (the tree's codec, as snapshots use). ZooKeeper serializes its QuorumPackets with jute; the
 * encoding here only has to be a byte string both ends agree on, and JSON lets a learner read a
 * frame it opened. Decoding checks the shape of what came out: an authentic frame always
 * decodes, but a receiver that skips authentication (a planted bug) may be handed anything.
 */
import { decodeWithData, encodeWithData } from "../tree/index.js";
import type { QuorumPacket } from "./messages.js";

const encoder = new TextEncoder();
const decoder = new TextDecoder("utf-8", { fatal: true });

/** The packet types a frame may carry (Leader.java's names, and TCP's FIN). */
const PACKET_TYPES: ReadonlySet<string> = new Set([
  "FOLLOWERINFO", "OBSERVERINFO", "LEADERINFO", "ACKEPOCH", "DIFF", "TRUNC", "SNAP", "PROPOSAL",
  "COMMIT", "INFORM", "NEWLEADER", "ACK", "UPTODATE", "PING", "REQUEST", "SYNC", "FIN",
]);

/** The packet's bytes. */
export function encodePacket(packet: QuorumPacket): Uint8Array {
  return encoder.encode(encodeWithData(packet));
}

/** The packet in `bytes`, or undefined when they are not one this code wrote. */
export function decodePacket(bytes: Uint8Array): QuorumPacket | undefined {
  let value: unknown;
  try {
    value = decodeWithData(decoder.decode(bytes));
  } catch {
    return undefined;
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) return undefined;
  const type = (value as { type?: unknown }).type;
  if (typeof type !== "string" || !PACKET_TYPES.has(type)) return undefined;
  return value as QuorumPacket;
}
