/**
 * Persist records as text, for a host whose disk stores strings (the simulated disk seals each
 * one with a checksum). Decoding checks the shape and returns undefined for anything that is not
 * a record this code wrote, so the replica treats it as damaged rather than applying it.
 */
import { decodeTxn, encodeTxn } from "../tree/index.js";
import { assert } from "../util/index.js";
import type { PersistRecord } from "./io.js";
import type { LogEntry, Origin } from "./state-machine.js";

/** One record as JSON text (a txn's znode data in base64, via the tree's codec). */
export function encodeRecord(record: PersistRecord): string {
  if (record.type !== "txn") return JSON.stringify(record);
  const { zxid, txn, origin } = record.entry;
  assert(txn.header.zxid === zxid, "a logged txn carries its own zxid");
  // The txn's own JSON text (cached per txn by the tree's codec) is spliced in as it is, rather
  // than stringified again as a string field: every replica logs every txn, so escaping the whole
  // text a second time was the most expensive step of a persist.
  const head = JSON.stringify({ type: "txn", zxid, origin: origin ?? null });
  return `${head.slice(0, -1)},"txn":${encodeTxn(txn)}}`;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isInteger(value: unknown): value is number {
  return typeof value === "number" && Number.isSafeInteger(value) && value >= 0;
}

function decodeOrigin(value: unknown): Origin | undefined | null {
  if (value === null) return undefined;
  if (!isObject(value)) return null;
  const { server, client, requestId } = value;
  if (!isInteger(server) || !isInteger(client) || typeof requestId !== "number") return null;
  return value as unknown as Origin;
}

function decodeEntry(value: Record<string, unknown>): LogEntry | undefined {
  const origin = decodeOrigin(value.origin);
  if (!isInteger(value.zxid) || !isObject(value.txn) || origin === null) return undefined;
  let txn;
  try {
    // Recovery is rare: re-serializing here keeps the tree's codec the only decoder of a txn.
    txn = decodeTxn(JSON.stringify(value.txn));
  } catch {
    return undefined;
  }
  if (!isObject(txn) || !isObject(txn.header) || txn.header.zxid !== value.zxid) return undefined;
  return { zxid: value.zxid as LogEntry["zxid"], txn, origin };
}

/** The record encoded in `text`, or undefined when it is not one. */
export function decodeRecord(text: string): PersistRecord | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isObject(value)) return undefined;
  switch (value.type) {
    case "txn": {
      const entry = decodeEntry(value);
      return entry === undefined ? undefined : { type: "txn", entry };
    }
    case "acceptedEpoch":
    case "currentEpoch":
      return isInteger(value.epoch) ? (value as unknown as PersistRecord) : undefined;
    case "truncate":
      return isInteger(value.zxid) ? (value as unknown as PersistRecord) : undefined;
    case "snapshot": {
      const snapshot = value.snapshot;
      if (!isObject(snapshot) || !isInteger(snapshot.zxid) || typeof snapshot.data !== "string") {
        return undefined;
      }
      if (typeof value.fromLeader !== "boolean") return undefined;
      if (!isInteger(value.named) || value.named < snapshot.zxid) return undefined;
      return value as unknown as PersistRecord;
    }
    default:
      return undefined;
  }
}
