/**
 * FLE votes and their order (FastLeaderElection.totalOrderPredicate, Vote.equals). Pure, so the
 * property tests can compare them with naive versions.
 */
import type { Epoch, ServerId, Zxid } from "./ids.js";
import type { PeerState } from "../observe/index.js";

/**
 * ZooKeeper's Long.MIN_VALUE stand-in: the leader, zxid and peerEpoch an observer proposes
 * (QuorumPeer.getInitId etc. for non-participants). Every real vote beats it.
 */
export const NO_VOTE = Number.MIN_SAFE_INTEGER;

/** A vote: whom a server proposes as leader, and the facts that rank the candidate. */
export interface Vote {
  /** Proposed leader's sid (or NO_VOTE). */
  readonly leader: ServerId;
  /** Proposed leader's last logged zxid. */
  readonly zxid: Zxid;
  /** The election round (`logicalclock`) the voter was in. */
  readonly electionEpoch: number;
  /** The proposed leader's currentEpoch. */
  readonly peerEpoch: Epoch;
}

/** A candidate as totalOrderPredicate sees it. */
export type Candidate = Pick<Vote, "leader" | "zxid" | "peerEpoch">;

/**
 * totalOrderPredicate(new, current): true when `next` beats `current`. Higher peerEpoch wins, then
 * higher zxid, then higher sid (FastLeaderElection.java, as fixed by ZOOKEEPER-1419). A candidate
 * that is not a voter (weight 0) never wins.
 */
export function totalOrderPredicate(
  next: Candidate,
  current: Candidate,
  nextIsVoter: boolean,
): boolean {
  if (!nextIsVoter) return false;
  if (next.peerEpoch !== current.peerEpoch) return next.peerEpoch > current.peerEpoch;
  if (next.zxid !== current.zxid) return next.zxid > current.zxid;
  return next.leader > current.leader;
}

/** A vote together with the state of the server that sent it (Vote.getState). */
export interface StatedVote extends Vote {
  readonly state: PeerState;
}

/**
 * Vote.equals: when either side is LOOKING, all four fields must match; between settled servers
 * only (leader, peerEpoch) count, since their zxid and electionEpoch may be stale (ZOOKEEPER-1805).
 */
export function voteEquals(a: StatedVote, b: StatedVote): boolean {
  if (a.state === "LOOKING" || b.state === "LOOKING") {
    return (
      a.leader === b.leader &&
      a.zxid === b.zxid &&
      a.electionEpoch === b.electionEpoch &&
      a.peerEpoch === b.peerEpoch
    );
  }
  return a.leader === b.leader && a.peerEpoch === b.peerEpoch;
}

/** The sids in `votes` whose vote equals `target` (FastLeaderElection.getVoteTracker). */
export function agreeingVoters(
  votes: ReadonlyMap<ServerId, StatedVote>,
  target: StatedVote,
): ServerId[] {
  const out: ServerId[] = [];
  for (const [sid, vote] of votes) if (voteEquals(vote, target)) out.push(sid);
  return out.sort((a, b) => a - b);
}

/** The vote of nobody (Long.MIN_VALUE fields), what a non-voter proposes. */
export function noVote(electionEpoch: number): Vote {
  return {
    leader: NO_VOTE as ServerId, zxid: NO_VOTE as Zxid, electionEpoch, peerEpoch: NO_VOTE as Epoch,
  };
}
