/**
 * Rebuilding a replica's durable state from the records that survived on its disk, as
 * ZooKeeper's QuorumPeer.loadDataBase and FileTxnSnapLog.restore do: the newest sound snapshot,
 * then the txn log after it, then the epoch files. Pure: records in, state out.
 *
 * Damage (a record whose checksum failed) is handled as ZooKeeper does. A damaged record at the
 * end of the disk is a torn write of the crash: it and nothing after it counts (FileTxnLog stops
 * at a short or bad last entry). A damaged record followed by sound ones is corruption in the
 * middle of the data dir: ZooKeeper refuses to start ("CRC check failed"), and so does the
 * replica (`halted`), rather than apply anything corrupted.
 */
import { assert, epochOf, mark } from "../util/index.js";
import type { Epoch, Zxid } from "./ids.js";
import type { RecoveredRecord } from "./io.js";
import type { LogEntry, Snapshot } from "./state-machine.js";
import { emptySnapshot } from "./state-machine.js";

/** The durable state a replica starts from. */
export interface Recovered {
  readonly acceptedEpoch: Epoch;
  readonly currentEpoch: Epoch;
  readonly snapshot: Snapshot;
  /** The snapshot file's name zxid where it is above `snapshot.zxid` (a SNAP's), else 0. */
  readonly treeZxidFloor: number;
  /** Log entries in ascending zxid order (may start before the snapshot). */
  readonly entries: readonly LogEntry[];
  /** Set when the data dir is unusable; the replica then refuses to run. */
  readonly halted: string | undefined;
}

/** Applies one sound record to the state being rebuilt. */
function replay(
  state: MutableRecovered,
  record: Exclude<RecoveredRecord, { type: "damaged" }>,
): void {
  switch (record.type) {
    case "txn": {
      const last = state.entries[state.entries.length - 1];
      // Paired with encodeRecord's check at persist time.
      assert(record.entry.txn.header.zxid === record.entry.zxid, "recovered txn carries its zxid");
      assert(last === undefined || record.entry.zxid > last.zxid, "recovered log out of order");
      state.entries.push(record.entry);
      return;
    }
    case "acceptedEpoch":
      state.acceptedEpoch = record.epoch;
      return;
    case "currentEpoch":
      state.currentEpoch = record.epoch;
      return;
    case "snapshot":
      // A SNAP from the leader replaces the history; a local snapshot keeps the log beside it.
      if (record.fromLeader) state.entries = [];
      state.snapshots.push({ snapshot: record.snapshot, named: record.named });
      return;
    case "truncate":
      // ZKDatabase.truncateLog sets the tree's zxid to the TRUNC's, so no name stays above it.
      state.entries = state.entries.filter((e) => e.zxid <= record.zxid);
      state.snapshots = state.snapshots.filter((s) => s.snapshot.zxid <= record.zxid)
        .map((s) => ({ snapshot: s.snapshot, named: s.snapshot.zxid }));
      return;
  }
}

interface MutableRecovered {
  acceptedEpoch: Epoch | undefined;
  currentEpoch: Epoch | undefined;
  snapshots: { snapshot: Snapshot; named: number }[];
  entries: LogEntry[];
}

/** Rebuilds the durable state from the records, oldest first. */
export function recover(records: readonly RecoveredRecord[]): Recovered {
  const state: MutableRecovered = {
    acceptedEpoch: undefined, currentEpoch: undefined, snapshots: [], entries: [],
  };
  let halted: string | undefined;
  for (let i = 0; i < records.length; i++) {
    const record = records[i] as RecoveredRecord;
    if (record.type === "damaged") {
      if (i === records.length - 1) {
        mark("recovery: torn last record ignored");
      } else {
        mark("recovery: corrupt record inside the data dir");
        halted = `record ${i} of ${records.length} failed its checksum`;
      }
      break;
    }
    replay(state, record);
  }
  const newest = state.snapshots[state.snapshots.length - 1];
  const snapshot = newest?.snapshot ?? emptySnapshot();
  const entries = state.entries;
  const last = entries[entries.length - 1];
  // FileTxnSnapLog.restore: the tree's zxid is the snapshot's name, raised by the log after it.
  const named = newest !== undefined && newest.named > snapshot.zxid ? newest.named : 0;
  const treeZxidFloor = last !== undefined && last.zxid > named ? 0 : named;
  const lastZxid = Math.max(last?.zxid ?? 0, snapshot.zxid) as Zxid;
  // A missing epoch file defaults to the epoch of the last zxid (QuorumPeer.loadDataBase).
  const currentEpoch = state.currentEpoch ?? epochOf(lastZxid);
  const acceptedEpoch = state.acceptedEpoch ?? currentEpoch;
  if (halted === undefined && epochOf(lastZxid) > currentEpoch) {
    halted = `the current epoch ${currentEpoch} is older than the last zxid's`;
  }
  if (halted === undefined && acceptedEpoch < currentEpoch) {
    halted = `acceptedEpoch ${acceptedEpoch} is less than currentEpoch ${currentEpoch}`;
  }
  // Crashed after accepting a new epoch but before NEWLEADER made it current: the server
  // restarts mid-discovery (QuorumPeer.loadDataBase reads both files).
  if (halted === undefined && acceptedEpoch > currentEpoch) {
    mark("recovery: acceptedEpoch ahead of currentEpoch");
  }
  return { acceptedEpoch, currentEpoch, snapshot, treeZxidFloor, entries, halted };
}
