/**
 * The Stat a client sees (zookeeper.jute's Stat) and the int32 arithmetic ZooKeeper applies to
 * version counters. The stored fields live on the znode (znode.ts); copyStat there derives the
 * reported cversion and numChildren exactly as DataNode.copyStat does.
 */

/** A znode's metadata as returned by create2/setData/exists/getData/getChildren2. */
export interface Stat {
  /** Zxid of the txn that created the node. Never changes. */
  readonly czxid: number;
  /** Zxid of the last setData (or the create). */
  readonly mzxid: number;
  /** Milliseconds since the epoch, from the creating txn's header (the leader's clock at prep). */
  readonly ctime: number;
  /** Milliseconds since the epoch, from the header of the last setData (or the create). */
  readonly mtime: number;
  /** Data version: +1 per setData, wrapping as a Java int. */
  readonly version: number;
  /** Reported as 2 * stored cversion - numChildren, i.e. child creates plus child deletes. */
  readonly cversion: number;
  /** ACL version: +1 per setACL, wrapping as a Java int. */
  readonly aversion: number;
  /** The owning session for EPHEMERAL(_SEQUENTIAL) nodes, else 0 (containers and TTL too). */
  readonly ephemeralOwner: number;
  /** Data length in bytes; 0 for null data. */
  readonly dataLength: number;
  /** Current number of children. */
  readonly numChildren: number;
  /** Zxid of the last child create or delete (delete only raises it). */
  readonly pzxid: number;
}

/** The largest Java int. */
export const INT32_MAX = 2147483647;
/** The smallest Java int. */
export const INT32_MIN = -2147483648;

/** True for a value a Java int can hold. */
export function isInt32(value: number): boolean {
  return Number.isInteger(value) && value >= INT32_MIN && value <= INT32_MAX;
}

/**
 * `currentVersion + 1` in Java int arithmetic (PrepRequestProcessor.checkAndIncVersion in 3.8):
 * Integer.MAX_VALUE wraps to Integer.MIN_VALUE, and -2 becomes -1 (3.8 has no skip of -1; that
 * arrived later with ZOOKEEPER-4743).
 */
export function incrementVersion(currentVersion: number): number {
  return (currentVersion + 1) | 0;
}

/** Formats `value` as Java's String.format("%010d") does for an int (sign, then zero-padding). */
export function sequenceSuffix(value: number): string {
  if (value < 0) return `-${String(-value).padStart(9, "0")}`;
  return String(value).padStart(10, "0");
}
