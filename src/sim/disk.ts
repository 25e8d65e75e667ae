/**
 * A node's simulated disk: named files, each an ordered list of opaque records (strings: the host
 * chooses the encoding, typically sealRecord from checksum.ts). Writes take effect at once for
 * reads by the running process but are durable only once an fsync barrier issued after them has
 * completed. A crash keeps exactly the durable state, except that with the torn-write fault the
 * last unsynced append survives as a garbled prefix at the end of its file.
 *
 * Representation: a file's content is (records array, length). Appends push onto the array;
 * overwrite and truncate install a fresh array. So a (array, length) pair captured at an fsync
 * call stays an exact picture of the file at that moment, and syncing or crashing costs nothing
 * per record in the common append-only case.
 */
import { assert, defined } from "../util/assert.js";
import { byString } from "../util/ordered.js";

interface FileState {
  /** Current content, as the running process sees it. */
  records: string[];
  /** Durable content: the first durableLength records of durableRecords. */
  durableRecords: string[];
  durableLength: number;
}

/** What one fsync barrier makes durable: each changed file's content when it was issued. */
export interface SyncImage {
  readonly files: readonly CapturedFile[];
}

/** A file's content at an fsync call: the first `length` records of `records`. */
export interface CapturedFile {
  readonly name: string;
  readonly records: string[];
  readonly length: number;
}

/** Where a corrupt fault landed, for the trace. */
export interface CorruptionReport {
  readonly file: string;
  readonly index: number;
  readonly bit: number;
}

interface LastAppend {
  readonly file: string;
  readonly records: string[];
  readonly index: number;
}

/** One node's disk. */
export class Disk {
  private readonly files = new Map<string, FileState>();
  /** The most recent append, for the torn-write fault. */
  private lastAppend: LastAppend | undefined;

  private file(name: string): FileState {
    let state = this.files.get(name);
    if (state === undefined) {
      state = { records: [], durableRecords: [], durableLength: 0 };
      this.files.set(name, state);
    }
    return state;
  }

  /** Appends one record to `file` (created if missing). Not durable until an fsync completes. */
  append(name: string, record: string): void {
    assert(typeof record === "string", "disk records are strings");
    const state = this.file(name);
    state.records.push(record);
    this.lastAppend = { file: name, records: state.records, index: state.records.length - 1 };
  }

  /** Replaces the whole content of `file` (as writing a new file and renaming it over). */
  overwrite(name: string, records: readonly string[]): void {
    const state = this.file(name);
    state.records = records.slice();
  }

  /** Keeps the first `length` records of `file` (ZooKeeper's FileTxnLog.truncate). */
  truncate(name: string, length: number): void {
    const state = this.file(name);
    assert(Number.isInteger(length) && length >= 0, "truncate length must be a whole number");
    assert(length <= state.records.length, "truncate beyond the end of the file", { name, length });
    state.records = state.records.slice(0, length);
  }

  /** The current content of `file` (empty if it does not exist). Do not modify. */
  read(name: string): readonly string[] {
    return this.files.get(name)?.records ?? [];
  }

  /** The names of files with content, sorted. */
  list(): string[] {
    const names: string[] = [];
    for (const [name, state] of this.files) if (state.records.length > 0) names.push(name);
    return names.sort(byString);
  }

  /** The durable content of `file`: what a crash right now would leave (torn writes aside). */
  durable(name: string): readonly string[] {
    const state = this.files.get(name);
    return state === undefined ? [] : state.durableRecords.slice(0, state.durableLength);
  }

  /** Captures what an fsync issued now will make durable. */
  beginSync(): SyncImage {
    const files: { name: string; records: string[]; length: number }[] = [];
    for (const [name, state] of this.files) {
      if (state.records !== state.durableRecords || state.records.length !== state.durableLength) {
        files.push({ name, records: state.records, length: state.records.length });
      }
    }
    return { files };
  }

  /** The fsync that captured `image` completed: its content is now durable. */
  completeSync(image: SyncImage): void {
    for (const captured of image.files) {
      const state = this.file(captured.name);
      state.durableRecords = captured.records;
      state.durableLength = captured.length;
    }
  }

  /**
   * Power loss: every file reverts to its durable content. When `tornCut` is a number in [0, 1)
   * and the last append is unsynced, that record stays at the end of its file cut to that
   * fraction of its length (so it can never pass its checksum intact).
   */
  crash(tornCut: number | undefined): { torn: string | undefined } {
    const torn = tornCut === undefined ? undefined : this.unsyncedLastAppend();
    for (const state of this.files.values()) {
      if (state.records === state.durableRecords) {
        state.records.length = state.durableLength;
      } else {
        state.records = state.durableRecords.slice(0, state.durableLength);
        state.durableRecords = state.records;
      }
    }
    this.lastAppend = undefined;
    if (torn === undefined || tornCut === undefined) return { torn: undefined };
    const cut = Math.min(torn.record.length - 1, Math.floor(torn.record.length * tornCut));
    const state = this.file(torn.file);
    // The torn record is on the platter but was never covered by an fsync: it stays unsynced.
    state.records.push(torn.record.slice(0, Math.max(0, cut)));
    return { torn: torn.file };
  }

  private unsyncedLastAppend(): { file: string; record: string } | undefined {
    const last = this.lastAppend;
    if (last === undefined) return undefined;
    const state = this.files.get(last.file);
    if (state === undefined || state.records !== last.records) return undefined;
    const durable = state.durableRecords === last.records && last.index < state.durableLength;
    if (durable) return undefined;
    const record = last.records[last.index];
    return record === undefined ? undefined : { file: last.file, record };
  }

  /**
   * Flips one bit of one durable record, chosen by `pick` over the durable records of all files
   * in name order. Returns where, or undefined when nothing durable exists.
   */
  corrupt(pick: number): CorruptionReport | undefined {
    const names = [...this.files.keys()].sort(byString);
    let total = 0;
    for (const name of names) total += defined(this.files.get(name), "disk file").durableLength;
    if (total === 0) return undefined;
    let index = pick % total;
    const mixed = Math.imul(pick ^ (pick >>> 16), 0x45d9f3b) >>> 0;
    for (const name of names) {
      const state = defined(this.files.get(name), "disk file");
      if (index >= state.durableLength) {
        index -= state.durableLength;
        continue;
      }
      const record = state.durableRecords[index] ?? "";
      if (record.length === 0) return undefined;
      const position = mixed % record.length;
      const bit = (mixed >>> 8) % 8;
      const flipped = String.fromCharCode(record.charCodeAt(position) ^ (1 << bit));
      const damaged = record.slice(0, position) + flipped + record.slice(position + 1);
      state.durableRecords[index] = damaged;
      return { file: name, index, bit };
    }
    return undefined;
  }
}
