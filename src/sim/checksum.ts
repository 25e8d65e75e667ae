/**
 * Record checksums. The simulated disk stores records as opaque strings and may tear or flip bits
 * in them; the layers above detect that damage the way ZooKeeper's FileTxnLog does with its
 * Adler32 per entry: a checksum stored beside the payload and recomputed on read.
 *
 * sealRecord/openRecord are the helpers hosts use: a sealed record is the CRC-32 of the payload
 * in 8 hex digits, a colon, then the payload. openRecord returns undefined for any record whose
 * checksum does not match (torn, garbled or bit-flipped), never throws.
 */
import { defined } from "../util/assert.js";
import { hexWord } from "../util/hex.js";

/**
 * The CRC tables for "slicing by 4": CRC_TABLES[k][n] is the CRC of byte n followed by k zero
 * bytes. One step then takes two UTF-16 code units (four bytes, in UTF-16LE order) with four
 * independent lookups instead of four dependent rounds.
 */
const CRC_TABLES = buildCrcTables();
const T0 = defined(CRC_TABLES[0], "crc table 0");
const T1 = defined(CRC_TABLES[1], "crc table 1");
const T2 = defined(CRC_TABLES[2], "crc table 2");
const T3 = defined(CRC_TABLES[3], "crc table 3");

function buildCrcTables(): Uint32Array[] {
  const first = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    first[n] = c >>> 0;
  }
  const tables = [first];
  for (let k = 1; k < 4; k++) {
    const previous = defined(tables[k - 1], "crc table");
    const table = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      const entry = previous[n] ?? 0;
      table[n] = ((entry >>> 8) ^ (first[entry & 0xff] ?? 0)) >>> 0;
    }
    tables.push(table);
  }
  return tables;
}

/**
 * CRC-32 (the IEEE polynomial, as in zlib) of a string's UTF-16 code units, each fed as two
 * bytes (low, high). Any single flipped bit changes it. Every persisted record is sealed, so
 * this runs over every byte a run writes: one step per two code units.
 */
export function crc32(text: string): number {
  let crc = 0xffffffff;
  const length = text.length;
  let i = 0;
  for (; i + 1 < length; i += 2) {
    crc ^= text.charCodeAt(i) | (text.charCodeAt(i + 1) << 16);
    crc = (T3[crc & 0xff] as number) ^ (T2[(crc >>> 8) & 0xff] as number) ^
      (T1[(crc >>> 16) & 0xff] as number) ^ (T0[crc >>> 24] as number);
  }
  if (i < length) {
    const unit = text.charCodeAt(i);
    crc = (T1[(crc ^ unit) & 0xff] as number) ^
      (T0[((crc >>> 8) ^ (unit >>> 8)) & 0xff] as number) ^ (crc >>> 16);
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
