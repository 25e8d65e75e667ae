/**
 * ZooKeeper's outstanding changes (ZooKeeperServer.ChangeRecord, outstandingChanges and
 * outstandingChangesForPath). A pipelining leader preps request n+1 before txn n is applied, so
 * prep must see the tree as it will be once every prepped txn is applied: it reads a path's
 * latest ChangeRecord if one is outstanding, and the committed node otherwise. Records leave when
 * the txn with their zxid (or a later one) is applied, and all of them go on a leader change.
 */
import { assert, mark } from "../util/index.js";
import type { Acl } from "./acl.js";
import type { EphemeralOwner } from "./create-mode.js";

/** The stored stat fields prep reasons about (StatPersisted). */
export interface PendingStat {
  czxid: number;
  mzxid: number;
  pzxid: number;
  ctime: number;
  mtime: number;
  version: number;
  /** Stored cversion (child creations), not the reported one. */
  cversion: number;
  aversion: number;
  ephemeralOwner: EphemeralOwner;
}

/** One pending view of a path. `stat === null` means "deleted by a pending txn". */
export class ChangeRecord {
  constructor(
    readonly zxid: number,
    readonly path: string,
    readonly stat: PendingStat | null,
    public childCount: number,
    readonly acl: readonly Acl[],
    public data: Uint8Array | null,
  ) {}

  /** ChangeRecord.duplicate: a copy stamped with a new zxid, to be edited and added. */
  duplicate(zxid: number): ChangeRecord {
    const stat = this.stat === null ? null : { ...this.stat };
    return new ChangeRecord(zxid, this.path, stat, this.childCount, this.acl, this.data);
  }
}

/** The leader's outstanding changes, oldest first, with the latest record per path. */
export class OutstandingChanges {
  private readonly queue: ChangeRecord[] = [];
  private head = 0;
  private readonly byPath = new Map<string, ChangeRecord>();

  /** outstandingChangesForPath.get. */
  get(path: string): ChangeRecord | undefined {
    return this.byPath.get(path);
  }

  /** PrepRequestProcessor.addChangeRecord. Records arrive in zxid order. */
  add(record: ChangeRecord): void {
    assert(record.zxid > 0, "a change record carries its txn's zxid");
    const last = this.queue[this.queue.length - 1];
    if (last !== undefined && this.queue.length > this.head) {
      assert(last.zxid <= record.zxid, "change records must arrive in zxid order");
    }
    this.queue.push(record);
    this.byPath.set(record.path, record);
  }

  /** Number of records still outstanding. */
  get size(): number {
    return this.queue.length - this.head;
  }

  /** The outstanding records, oldest first. */
  records(): readonly ChangeRecord[] {
    return this.queue.slice(this.head);
  }

  /**
   * ZooKeeperServer.processTxn's cleanup: drops every record with zxid <= the applied zxid; the
   * per-path entry goes only if it is that same record (a newer one for the path stays).
   */
  onApplied(zxid: number): void {
    while (this.head < this.queue.length) {
      const record = this.queue[this.head];
      if (record === undefined || record.zxid > zxid) break;
      this.head++;
      if (this.byPath.get(record.path) === record) this.byPath.delete(record.path);
    }
    if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue.splice(0, this.head);
      this.head = 0;
    }
  }

  /**
   * PrepRequestProcessor.getPendingChanges: for a multi, the current records of each op's path
   * and parent, so a failed multi can put them back (ZOOKEEPER-1624).
   */
  snapshotFor(paths: readonly string[]): Map<string, ChangeRecord> {
    const pending = new Map<string, ChangeRecord>();
    for (const path of paths) {
      const record = this.byPath.get(path);
      if (record !== undefined) pending.set(path, record);
      const lastSlash = path.lastIndexOf("/");
      if (lastSlash === -1 || path.includes("\u0000")) continue;
      const parentPath = path.substring(0, lastSlash);
      const parentRecord = this.byPath.get(parentPath);
      if (parentRecord !== undefined) pending.set(parentPath, parentRecord);
    }
    return pending;
  }

  /**
   * PrepRequestProcessor.rollbackPendingChanges: removes the failed multi's records (all carry
   * its zxid, at the tail) and restores the earlier records that are still outstanding.
   */
  rollback(zxid: number, pending: ReadonlyMap<string, ChangeRecord>): void {
    while (this.queue.length > this.head) {
      const last = this.queue[this.queue.length - 1];
      if (last === undefined || last.zxid !== zxid) break;
      this.queue.pop();
      this.byPath.delete(last.path);
    }
    if (this.size === 0) return;
    const first = this.queue[this.head];
    assert(first !== undefined, "non-empty queue has a head");
    for (const record of pending.values()) {
      if (record.zxid < first.zxid) continue;
      mark("tree: failed multi restores an earlier pending record");
      this.byPath.set(record.path, record);
    }
  }

  /** Forget everything (a new leader starts with no outstanding changes). */
  clear(): void {
    this.queue.length = 0;
    this.head = 0;
    this.byPath.clear();
  }
}
