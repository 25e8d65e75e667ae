/**
 * The tree digest of ZooKeeper 3.6+ (DigestCalculator, NodeHashMapImpl, AdHash): each node hashes
 * to CRC32(path bytes, data, 60 bytes of stat) and the tree digest is the sum of the node hashes,
 * so one change costs O(1) hashes (remove the old node hash, add the new one). As in ZooKeeper,
 * nodes under "/zookeeper/" are left out, and the root is hashed under its alias "".
 *
 * ZooKeeper sums in a Java long; here the sum is kept modulo 2^52, which equals ZooKeeper's value
 * whenever the true sum stays below 2^52 (about a million nodes) and always stays an exact number.
 */
import { ownerAsJavaLong } from "./create-mode.js";
import type { EphemeralOwner } from "./create-mode.js";

/** CRC-32 (IEEE, reflected 0xEDB88320) tables for slicing by four bytes at a time. */
const CRC_TABLES = ((): Uint32Array[] => {
  const tables = [new Uint32Array(256), new Uint32Array(256), new Uint32Array(256),
    new Uint32Array(256)];
  const [t0, t1, t2, t3] = tables as [Uint32Array, Uint32Array, Uint32Array, Uint32Array];
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t0[n] = c >>> 0;
  }
  for (let n = 0; n < 256; n++) {
    t1[n] = ((t0[(t0[n] ?? 0) & 0xff] ?? 0) ^ ((t0[n] ?? 0) >>> 8)) >>> 0;
    t2[n] = ((t0[(t1[n] ?? 0) & 0xff] ?? 0) ^ ((t1[n] ?? 0) >>> 8)) >>> 0;
    t3[n] = ((t0[(t2[n] ?? 0) & 0xff] ?? 0) ^ ((t2[n] ?? 0) >>> 8)) >>> 0;
  }
  return tables;
})();
const CRC_TABLE = CRC_TABLES[0] as Uint32Array;
const T1 = CRC_TABLES[1] as Uint32Array;
const T2 = CRC_TABLES[2] as Uint32Array;
const T3 = CRC_TABLES[3] as Uint32Array;

/** Continues a CRC32 (java.util.zip.CRC32) over bytes; start with crc = 0. */
export function crc32Update(crc: number, bytes: Uint8Array): number {
  let c = ~crc >>> 0;
  const length = bytes.length;
  let i = 0;
  for (; i + 4 <= length; i += 4) {
    c ^= (bytes[i] ?? 0) | ((bytes[i + 1] ?? 0) << 8) | ((bytes[i + 2] ?? 0) << 16) |
      ((bytes[i + 3] ?? 0) << 24);
    c = (T3[c & 0xff] ?? 0) ^ (T2[(c >>> 8) & 0xff] ?? 0) ^ (T1[(c >>> 16) & 0xff] ?? 0) ^
      (CRC_TABLE[c >>> 24] ?? 0);
  }
  for (; i < length; i++) c = (CRC_TABLE[(c ^ (bytes[i] ?? 0)) & 0xff] ?? 0) ^ (c >>> 8);
  return ~c >>> 0;
}

function crc32UpdateAscii(crc: number, text: string): number {
  let c = ~crc >>> 0;
  for (let i = 0; i < text.length; i++) {
    c = (CRC_TABLE[(c ^ text.charCodeAt(i)) & 0xff] ?? 0) ^ (c >>> 8);
  }
  return ~c >>> 0;
}

/** Continues a CRC32 over the UTF-8 bytes of a string, without allocating for ASCII text. */
function crc32UpdateString(crc: number, text: string): number {
  for (let i = 0; i < text.length; i++) {
    if (text.charCodeAt(i) >= 0x80) return crc32Update(crc, encoder.encode(text));
  }
  return crc32UpdateAscii(crc, text);
}

const encoder = new TextEncoder();

/** The stored fields a node digest covers (DigestCalculator's 60-byte block). */
export interface DigestStat {
  readonly czxid: number;
  readonly mzxid: number;
  readonly pzxid: number;
  readonly ctime: number;
  readonly mtime: number;
  readonly version: number;
  readonly cversion: number;
  readonly aversion: number;
  readonly ephemeralOwner: EphemeralOwner;
}

const statBlock = new Uint8Array(60);
const statView = new DataView(statBlock.buffer);

/** Writes a non-negative (or small negative) integer as a big-endian Java long. */
function putLong(offset: number, value: number): void {
  const high = Math.floor(value / 2 ** 32);
  statView.setInt32(offset, high);
  statView.setUint32(offset + 4, value - high * 2 ** 32);
}

/** DigestCalculator.calculateDigest: 0 for nodes under "/zookeeper/", else the CRC32. */
export function nodeDigest(path: string, data: Uint8Array | null, stat: DigestStat): number {
  if (path.startsWith("/zookeeper/")) return 0;
  const hashedPath = path === "/" ? "" : path;
  putLong(0, stat.czxid);
  putLong(8, stat.mzxid);
  putLong(16, stat.pzxid);
  putLong(24, stat.ctime);
  putLong(32, stat.mtime);
  statView.setInt32(40, stat.version);
  statView.setInt32(44, stat.cversion);
  statView.setInt32(48, stat.aversion);
  const owner = stat.ephemeralOwner;
  if (owner >= 0) putLong(52, owner); // VOID or a session id: the value itself
  else {
    const [high, low] = ownerAsJavaLong(owner); // container or TTL (rare)
    statView.setUint32(52, high);
    statView.setUint32(56, low);
  }
  let crc = crc32UpdateString(0, hashedPath);
  if (data !== null) crc = crc32Update(crc, data);
  return crc32Update(crc, statBlock);
}

/** The modulus of the tree digest sum. */
export const DIGEST_MODULUS = 2 ** 52;

/** AdHash.addDigest. */
export function addDigest(treeDigest: number, node: number): number {
  return (treeDigest + node) % DIGEST_MODULUS;
}

/** AdHash.removeDigest. */
export function removeDigest(treeDigest: number, node: number): number {
  return (treeDigest - node + DIGEST_MODULUS) % DIGEST_MODULUS;
}
