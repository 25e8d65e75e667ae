/**
 * Record checksums. The simulated disk stores records as opaque strings and may tear or flip bits
 * in them; the layers above detect that damage the way ZooKeeper's FileTxnLog does with its
 * Adler32 per entry: a checksum stored beside the payload and recomputed on read.
 *
 * sealRecord/openRecord are the helpers hosts use: a sealed record is the CRC-32 of the payload
 * in 8 hex digits, a colon, then the payload. openRecord returns undefined for any record whose
 * checksum does not match (torn, garbled or bit-flipped), never throws.
 */
import { hexWord } from "../util/hex.js";

const CRC_TABLE = buildCrcTable();
/**
 * The table for a byte followed by a zero byte ("slicing by 2"): it lets one step take both
 * bytes of a UTF-16 code unit with two independent lookups instead of two dependent rounds.
 */
const CRC_TABLE_2 = buildSecondTable(CRC_TABLE);

function buildCrcTable(): Uint32Array {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
}

function buildSecondTable(first: Uint32Array): Uint32Array {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    const entry = first[n] ?? 0;
    table[n] = ((entry >>> 8) ^ (first[entry & 0xff] ?? 0)) >>> 0;
  }
  return table;
}

/**
 * CRC-32 (the IEEE polynomial, as in zlib) of a string's UTF-16 code units, each fed as two
 * bytes (low, high). Any single flipped bit changes it. Every persisted record is sealed, so
 * this runs over every byte a run writes: one step per code unit, both bytes at once.
 */
export function crc32(text: string): number {
  let crc = 0xffffffff;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    crc = (CRC_TABLE_2[(crc ^ unit) & 0xff] as number) ^
      (CRC_TABLE[((crc >>> 8) ^ (unit >>> 8)) & 0xff] as number) ^ (crc >>> 16);
  }
  return (crc ^ 0xffffffff) >>> 0;
}

const HEADER_LENGTH = 9; // 8 hex digits and a colon.

/** Prefixes `payload` with its checksum, ready to be stored on the simulated disk. */
export function sealRecord(payload: string): string {
  return hexWord(crc32(payload)) + ":" + payload;
}

/** The payload of a sealed record, or undefined when the record is damaged. */
export function openRecord(stored: string): string | undefined {
  if (stored.length < HEADER_LENGTH || stored.charCodeAt(8) !== 58 /* ":" */) return undefined;
  const header = stored.slice(0, 8);
  if (!/^[0-9a-f]{8}$/.test(header)) return undefined;
  const payload = stored.slice(HEADER_LENGTH);
  return parseInt(header, 16) === crc32(payload) ? payload : undefined;
}
