/**
 * Node data between the scenario format and bytes: what a step's `data` sends, and how getData's
 * bytes print in a result. Both runners (zabsim's and the real-ZooKeeper recorder) use these so
 * the two outputs can only differ where the servers differ.
 */
import { createHash } from "node:crypto";
import type { DataResult, DataSpec } from "./format.js";

/** Data longer than this prints as {length, sha256} instead of text. */
export const DATA_TEXT_MAX = 256;

/** The byte length a data spec sends (null sends no buffer: length 0). */
export function dataLength(spec: DataSpec): number {
  if (spec === null) return 0;
  if (typeof spec === "string") return new TextEncoder().encode(spec).length;
  return spec.length;
}

/** The bytes a data spec sends: UTF-8 text, `length` copies of the fill character, or null. */
export function dataBytes(spec: DataSpec): Uint8Array | null {
  if (spec === null) return null;
  if (typeof spec === "string") return new TextEncoder().encode(spec);
  return new Uint8Array(spec.length).fill(spec.fill.charCodeAt(0));
}

/** getData's data as printed: text up to 256 bytes, else length and a SHA-256 prefix. */
export function renderData(bytes: Uint8Array | null): DataResult {
  if (bytes === null) return null;
  // Java's new String(bytes, UTF_8) keeps a leading byte-order mark; so must the decoder.
  if (bytes.length <= DATA_TEXT_MAX) {
    return new TextDecoder("utf-8", { ignoreBOM: true }).decode(bytes);
  }
  const digest = createHash("sha256").update(bytes).digest("hex");
  return { length: bytes.length, sha256: digest.slice(0, 16) };
}

/** An ephemeralOwner as printed: 0, or "sN" for the session of ordinal N. */
export function ownerName(ordinal: number | undefined): 0 | string {
  return ordinal === undefined ? 0 : `s${ordinal}`;
}
