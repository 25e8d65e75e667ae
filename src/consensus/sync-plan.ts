/**
 * How the leader brings one learner up to date: DIFF, TRUNC or SNAP, as
 * LearnerHandler.syncFollower and queueCommittedProposals decide it. Pure: zxids in, plan out.
 */
import { assert, counterOf, epochOf, mark } from "../util/index.js";
import type { Zxid } from "./ids.js";

/** What the leader knows when it plans a learner's sync. */
export interface SyncInput {
  /**
   * Zxids of the committed transactions the leader still has in its txn log, ascending (the
   * on-disk log that txn-log sync replays).
   */
  readonly txnLog: readonly Zxid[];
  /** How many of the newest of those form the in-memory committedLog window. */
  readonly committedLogMax: number;
  /** The leader's tree's last processed zxid (its whole committed history). */
  readonly lastProcessedZxid: Zxid;
  /** The learner's last logged zxid, from its ACKEPOCH. */
  readonly peerLastZxid: Zxid;
}

/**
 * The plan: the first packet and the committed proposals (each followed by COMMIT) to queue
 * after it. `lastQueued` is the learner's last zxid once it has the stream (startForwarding's
 * argument).
 */
export interface SyncPlan {
  readonly kind: "DIFF" | "TRUNC" | "SNAP";
  /** DIFF: the leader's last committed zxid; TRUNC: where to cut; SNAP: the snapshot's zxid. */
  readonly zxid: Zxid;
  /** Committed zxids to send after the first packet, each with its COMMIT (none for SNAP). */
  readonly proposals: Zxid[];
  readonly lastQueued: Zxid;
}

function isNewEpochZxid(zxid: Zxid): boolean {
  return counterOf(zxid) === 0;
}

/** syncFollower: picks DIFF, TRUNC or SNAP for a learner at `peerLastZxid`. */
export function planSync(input: SyncInput): SyncPlan {
  const { txnLog, lastProcessedZxid, peerLastZxid } = input;
  for (let i = 1; i < txnLog.length; i++) {
    assert((txnLog[i] as Zxid) > (txnLog[i - 1] as Zxid), "txn log out of order");
  }
  const last = txnLog[txnLog.length - 1];
  if (last !== undefined) assert(last <= lastProcessedZxid, "uncommitted zxid in sync history");
  const committedLog = txnLog.slice(Math.max(0, txnLog.length - input.committedLogMax));
  const minCommitted = committedLog[0] ?? lastProcessedZxid;
  const maxCommitted = committedLog[committedLog.length - 1] ?? lastProcessedZxid;
  const snap: SyncPlan = {
    kind: "SNAP", zxid: lastProcessedZxid, proposals: [], lastQueued: lastProcessedZxid,
  };
  if (lastProcessedZxid === peerLastZxid) {
    return { kind: "DIFF", zxid: peerLastZxid, proposals: [], lastQueued: peerLastZxid };
  }
  if (peerLastZxid > maxCommitted && !isNewEpochZxid(peerLastZxid)) {
    mark("sync: TRUNC follower ahead of leader");
    return { kind: "TRUNC", zxid: maxCommitted, proposals: [], lastQueued: maxCommitted };
  }
  if (minCommitted <= peerLastZxid && peerLastZxid <= maxCommitted) {
    return queueCommitted(committedLog, peerLastZxid, maxCommitted) ?? snap;
  }
  if (peerLastZxid < minCommitted) {
    // Txn-log sync: the on-disk log reaches further back than the committedLog window.
    const firstLogged = txnLog[0];
    if (firstLogged !== undefined && firstLogged <= peerLastZxid) {
      mark("sync: DIFF from the txn log beyond committedLog");
      return queueCommitted(txnLog, peerLastZxid, maxCommitted) ?? snap;
    }
  }
  mark("sync: SNAP learner too far behind");
  return snap;
}

/**
 * queueCommittedProposals: skips what the peer has; at the first zxid >= the peer's, DIFF when it
 * is the peer's own zxid or the peer is at a new epoch's start, TRUNC to the previous zxid when
 * the peer has extra txns of the same epoch, undefined (SNAP) when TRUNC would cross an epoch.
 */
function queueCommitted(
  history: readonly Zxid[],
  peer: Zxid,
  maxCommitted: Zxid,
): SyncPlan | undefined {
  let previous: Zxid | undefined;
  let first: { kind: "DIFF" | "TRUNC"; zxid: Zxid } | undefined;
  const proposals: Zxid[] = [];
  let lastQueued = peer;
  for (const zxid of history) {
    if (zxid < peer) {
      previous = zxid;
      continue;
    }
    if (first === undefined) {
      if (zxid === peer) {
        first = { kind: "DIFF", zxid: maxCommitted };
        continue;
      }
      if (isNewEpochZxid(peer)) {
        first = { kind: "DIFF", zxid: maxCommitted };
      } else {
        if (epochOf(zxid) !== epochOf(peer)) {
          mark("sync: SNAP instead of TRUNC across an epoch");
          return undefined;
        }
        assert(previous !== undefined, "TRUNC needs a previous proposal");
        mark("sync: TRUNC follower has extra txns inside history");
        first = { kind: "TRUNC", zxid: previous };
        lastQueued = previous;
      }
    }
    if (zxid <= lastQueued) continue;
    proposals.push(zxid);
    lastQueued = zxid;
  }
  if (first === undefined && isNewEpochZxid(peer)) first = { kind: "DIFF", zxid: maxCommitted };
  if (first === undefined) return undefined;
  return { kind: first.kind, zxid: first.zxid, proposals, lastQueued };
}
