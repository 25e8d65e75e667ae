/**
 * The replica's in-memory view of its transaction log: the base snapshot it can rebuild the tree
 * from, the entries after (and a window before) it, and how far the log is durable. Writes to
 * disk leave as persist effects; this class only tracks what was issued and what is durable.
 *
 * Invariant: entries are in strictly ascending zxid order.
 * Invariant: durableZxid <= lastLoggedZxid.
 * Invariant: snapshot.zxid <= lastLoggedZxid, and every entry after snapshot.zxid is present.
 */
import { assert } from "../util/index.js";
import type { Zxid } from "./ids.js";
import type { LogEntry, Snapshot } from "./state-machine.js";

export class TxnLog {
  /** Entries in ascending zxid order. May start before snapshot.zxid (the committedLog window). */
  private readonly list: LogEntry[] = [];
  /** The newest snapshot this replica can rebuild its tree from. */
  snapshot: Snapshot;
  /** The highest zxid whose txn (and everything before it) is on disk. */
  durableZxid: Zxid;

  constructor(snapshot: Snapshot, entries: readonly LogEntry[], durableZxid: Zxid) {
    this.snapshot = snapshot;
    for (const entry of entries) this.append(entry);
    this.durableZxid = durableZxid;
    assert(durableZxid <= this.lastLoggedZxid, "durable beyond the log");
  }

  /** ZooKeeper's last logged zxid: the last entry's, or the snapshot's when the log is empty. */
  get lastLoggedZxid(): Zxid {
    const last = this.list[this.list.length - 1];
    if (last === undefined || last.zxid < this.snapshot.zxid) return this.snapshot.zxid;
    return last.zxid;
  }

  get entries(): readonly LogEntry[] {
    return this.list;
  }

  /** Appends an entry above the last one. */
  append(entry: LogEntry): void {
    const last = this.list[this.list.length - 1];
    if (last !== undefined) assert(entry.zxid > last.zxid, "txn log must grow in zxid order");
    this.list.push(entry);
  }

  /** The entry at `zxid`, if logged. */
  entry(zxid: number): LogEntry | undefined {
    let low = 0;
    let high = this.list.length - 1;
    while (low <= high) {
      const middle = (low + high) >> 1;
      const candidate = this.list[middle] as LogEntry;
      if (candidate.zxid === zxid) return candidate;
      if (candidate.zxid < zxid) low = middle + 1;
      else high = middle - 1;
    }
    return undefined;
  }

  /** Entries with zxid in (after, upTo], ascending. */
  between(after: number, upTo: number): LogEntry[] {
    // Binary search for the first entry above `after`: this runs on every commit, and the log
    // only grows between snapshots, so a scan would cost O(log length) per txn.
    let low = 0;
    let high = this.list.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if ((this.list[middle] as LogEntry).zxid <= after) low = middle + 1;
      else high = middle;
    }
    const out: LogEntry[] = [];
    for (let i = low; i < this.list.length; i++) {
      const entry = this.list[i] as LogEntry;
      if (entry.zxid > upTo) break;
      out.push(entry);
    }
    return out;
  }

  /** Drops every entry above `zxid` (TRUNC). The snapshot must not be above it. */
  truncate(zxid: Zxid): void {
    assert(zxid >= this.snapshot.zxid, "cannot truncate below the snapshot");
    while (this.list.length > 0 && (this.list[this.list.length - 1] as LogEntry).zxid > zxid) {
      this.list.pop();
    }
    assert(this.lastLoggedZxid <= zxid, "truncate left entries above the point");
    if (this.durableZxid > this.lastLoggedZxid) this.durableZxid = this.lastLoggedZxid;
  }

  /** Replaces everything with a snapshot from the leader (SNAP): the old history is gone. */
  reset(snapshot: Snapshot): void {
    this.list.length = 0;
    this.snapshot = snapshot;
    this.durableZxid = Math.min(this.durableZxid, snapshot.zxid) as Zxid;
  }

  /** Installs a newer local snapshot and forgets entries older than `keep` before it. */
  compact(snapshot: Snapshot, keep: number): void {
    assert(snapshot.zxid >= this.snapshot.zxid, "snapshots only move forward");
    assert(snapshot.zxid <= this.lastLoggedZxid, "snapshot beyond the log");
    this.snapshot = snapshot;
    const before = this.list.findIndex((e) => e.zxid > snapshot.zxid);
    const firstKept = (before === -1 ? this.list.length : before) - keep;
    if (firstKept > 0) this.list.splice(0, firstKept);
  }

  /** Records that the log is durable up to `zxid`. */
  markDurable(zxid: Zxid): void {
    assert(zxid <= this.lastLoggedZxid, "durable beyond the log");
    if (zxid > this.durableZxid) this.durableZxid = zxid;
  }
}
