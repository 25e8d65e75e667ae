/**
 * Quorum packets as bytes, for sealed frames (secure quorum). ZooKeeper serializes its
 * QuorumPackets with jute; here the encoding only has to be a byte string both ends agree on,
 * cheap on the hot path, and readable by a learner. One leading character says which form:
 * - `T`: a PROPOSAL or INFORM: the packet's other fields as JSON, a newline, then the txn's own
 *   text from the tree's codec (cached per txn, so a proposal sent to four learners is encoded
 *   once, as for the disk: records.ts);
 * - `D`: a packet holding znode data (a forwarded REQUEST): JSON with data in base64;
 * - `J`: any other packet: plain JSON (it holds no bytes).
 * Decoding checks the shape of what came out: an authentic frame always decodes, but a receiver
 * that skips authentication (a planted bug) may be handed anything.
 */
import { decodeTxn, decodeWithData, encodeTxn, encodeWithData } from "../tree/index.js";
import type { QuorumPacket } from "./messages.js";
import type { LogEntry } from "./state-machine.js";

const encoder = new TextEncoder();
const decoder = new TextDecoder("utf-8", { fatal: true });

/** The packet types a frame may carry (Leader.java's names, and TCP's FIN). */
const PACKET_TYPES: ReadonlySet<string> = new Set([
  "FOLLOWERINFO", "OBSERVERINFO", "LEADERINFO", "ACKEPOCH", "DIFF", "TRUNC", "SNAP", "PROPOSAL",
  "COMMIT", "INFORM", "NEWLEADER", "ACK", "UPTODATE", "PING", "REQUEST", "SYNC", "FIN",
  "REVALIDATE",
]);

/** The packet's bytes. */
export function encodePacket(packet: QuorumPacket): Uint8Array {
  switch (packet.type) {
    case "PROPOSAL":
    case "INFORM": {
      const { zxid, origin } = packet.entry;
      const head = JSON.stringify({ type: packet.type, zxid, origin: origin ?? null });
      return encoder.encode(`T${head}\n${encodeTxn(packet.entry.txn)}`);
    }
    case "REQUEST":
      return encoder.encode(`D${encodeWithData(packet)}`);
    default:
      return encoder.encode(`J${JSON.stringify(packet)}`);
  }
}

/** The packet in `bytes`, or undefined when they are not one this code wrote. */
export function decodePacket(bytes: Uint8Array): QuorumPacket | undefined {
  let value: unknown;
  try {
    const text = decoder.decode(bytes);
    const form = text.charAt(0);
    if (form === "T") value = decodeEntryPacket(text);
    else if (form === "D") value = decodeWithData(text.slice(1));
    else if (form === "J") value = JSON.parse(text.slice(1));
  } catch {
    return undefined;
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) return undefined;
  const type = (value as { type?: unknown }).type;
  if (typeof type !== "string" || !PACKET_TYPES.has(type)) return undefined;
  return value as QuorumPacket;
}

function decodeEntryPacket(text: string): unknown {
  const newline = text.indexOf("\n");
  if (newline < 0) return undefined;
  const head = JSON.parse(text.slice(1, newline)) as {
    type?: unknown; zxid?: unknown; origin?: unknown;
  };
  if (head.type !== "PROPOSAL" && head.type !== "INFORM") return undefined;
  if (typeof head.zxid !== "number") return undefined;
  const txn = decodeTxn(text.slice(newline + 1));
  const entry = {
    zxid: head.zxid, txn, origin: head.origin ?? undefined,
  } as unknown as LogEntry;
  return { type: head.type, entry };
}
