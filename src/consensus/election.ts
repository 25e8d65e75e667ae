/**
 * Fast Leader Election as FastLeaderElection.lookForLeader and its receiver thread run it:
 * notifications in every state, rounds (`logicalclock`), the recvset tally, the finalizeWait
 * pause, back-off of the notification interval, and joining an established ensemble through
 * FOLLOWING/LEADING notifications (receivedFollowingNotification, checkLeader).
 */
import { assert, mark } from "../util/index.js";
import { isVoter } from "./config.js";
import type { Epoch, ServerId, Zxid } from "./ids.js";
import type { PeerState } from "../observe/index.js";
import type { Notification } from "./messages.js";
import { hasQuorum } from "./quorum.js";
import type { ReplicaCore } from "./core.js";
import { MICROS_PER_MS } from "./core.js";
import type { Candidate, StatedVote, Vote } from "./vote.js";
import { NO_VOTE, agreeingVoters, noVote, totalOrderPredicate } from "./vote.js";

/** getInitId / getInitLastLoggedZxid / getPeerEpoch: observers propose nobody. */
function initialVote(r: ReplicaCore): Vote {
  const e = r.election;
  if (!isVoter(r.config, r.myid)) return noVote(e.logicalclock);
  return {
    leader: r.myid, zxid: voteZxid(r), electionEpoch: e.logicalclock,
    peerEpoch: r.currentEpoch,
  };
}

/**
 * getInitLastLoggedZxid -> QuorumPeer.getLastLoggedZxid: the data tree's lastProcessedZxid,
 * which after a lead or a SNAP may be makeZxid(epoch, 0) above every logged txn. Below it, the
 * log's last zxid (a LOOKING server's tree is fast-forwarded over its log).
 */
function voteZxid(r: ReplicaCore): Zxid {
  return Math.max(r.log.lastLoggedZxid, r.treeZxidFloor) as Zxid;
}

function beats(r: ReplicaCore, next: Candidate, current: Candidate): boolean {
  return totalOrderPredicate(next, current, isVoter(r.config, next.leader));
}

/** lookForLeader's start: a new round, vote for myself, tell every voter. */
export function startElection(r: ReplicaCore): void {
  const e = r.election;
  assert(r.state === "LOOKING", "an election runs only while LOOKING");
  const round = e.logicalclock;
  e.logicalclock += 1;
  e.recvset.clear();
  e.outofelection.clear();
  e.finalizing = false;
  e.notTimeoutMs = r.config.finalizeWaitMs;
  setProposal(r, initialVote(r));
  sendNotifications(r);
  armElectionTimer(r);
  assert(e.logicalclock === round + 1, "each election is a new round");
  assert(e.recvset.size <= 1, "a new round starts with our own vote only");
  maybeStartFinalize(r);
}

function setProposal(r: ReplicaCore, vote: Candidate): void {
  const e = r.election;
  if (vote.leader !== NO_VOTE) assert(isVoter(r.config, vote.leader), "only a voter is proposed");
  e.proposal = {
    leader: vote.leader, zxid: vote.zxid, peerEpoch: vote.peerEpoch, electionEpoch: e.logicalclock,
  };
  r.vote = { ...e.proposal, state: "LOOKING" };
  // Our own notification reaches our own recvset (ZooKeeper sends it to itself).
  if (isVoter(r.config, r.myid)) e.recvset.set(r.myid, r.vote);
  assert(e.proposal.electionEpoch === e.logicalclock, "the proposal is of the current round");
}

function notification(state: PeerState, vote: Vote, electionEpoch: number): Notification {
  return {
    kind: "notification", state, leader: vote.leader, zxid: vote.zxid, electionEpoch,
    peerEpoch: vote.peerEpoch,
  };
}

/** sendNotifications: our proposal to every voter (but ourselves). */
function sendNotifications(r: ReplicaCore): void {
  const e = r.election;
  const msg = notification("LOOKING", e.proposal, e.logicalclock);
  for (const sid of r.config.voters) if (sid !== r.myid) r.emit({ kind: "send", to: sid, msg });
}

/** The poll timeout: re-send when nothing arrives. Jitter keeps replicas out of lockstep. */
function armElectionTimer(r: ReplicaCore): void {
  const intervalMs = r.election.notTimeoutMs;
  const jitter = r.prng.intBetween(0, Math.floor((intervalMs * MICROS_PER_MS) / 10));
  r.setTimer("electionTimer", intervalMs * MICROS_PER_MS + jitter);
}

/** Nothing arrived within notTimeout: re-send and double the interval (lookForLeader). */
export function onElectionTimer(r: ReplicaCore): void {
  const e = r.election;
  assert(r.state === "LOOKING", "election timer outside LOOKING");
  if (!e.finalizing) {
    mark("election: notification timeout, re-sending");
    sendNotifications(r);
    e.notTimeoutMs = Math.min(e.notTimeoutMs * 2, r.config.maxNotificationIntervalMs);
  }
  armElectionTimer(r);
}

/** finalizeWait passed with no better vote: the election ends on our proposal. */
export function onFinalizeTimer(r: ReplicaCore): void {
  const e = r.election;
  if (!e.finalizing) return;
  mark("election: finalized after finalizeWait");
  decide(r, e.proposal);
}

function maybeStartFinalize(r: ReplicaCore): void {
  const e = r.election;
  assert(r.state === "LOOKING", "finalizeWait only while LOOKING");
  if (e.finalizing) return;
  const target: StatedVote = { ...e.proposal, state: "LOOKING" };
  if (!hasQuorum(r.config.voters, agreeingVoters(e.recvset, target))) return;
  e.finalizing = true;
  r.setTimer("finalizeTimer", r.config.finalizeWaitMs * MICROS_PER_MS);
}

/** Leaves the election with `vote` as our settled vote (setPeerState + leaveInstance). */
function decide(r: ReplicaCore, vote: Vote): void {
  const e = r.election;
  e.finalizing = false;
  r.emit({ kind: "cancelTimer", timer: "finalizeTimer" });
  const observer = !isVoter(r.config, r.myid);
  assert(!(observer && vote.leader === r.myid), "an observer cannot lead");
  assert(isVoter(r.config, vote.leader), "the elected leader is a voter");
  let state: PeerState = observer ? "OBSERVING" : "FOLLOWING";
  if (vote.leader === r.myid) state = "LEADING";
  const settled: StatedVote = { ...vote, state };
  if (vote.leader === r.myid) r.becomeLeading();
  else r.becomeLearner(vote.leader);
  r.vote = settled;
}

/** A notification arrived, in any state (receiver thread, then the lookForLeader loop). */
export function onNotification(r: ReplicaCore, from: ServerId, n: Notification): void {
  assert(from !== r.myid, "our own vote never travels");
  if (!isVoter(r.config, from)) {
    // A non-voter (observer) asks: answer with our current vote and state, nothing else.
    r.emit({ kind: "send", to: from, msg: notification(r.state, r.vote, r.election.logicalclock) });
    return;
  }
  if (r.state !== "LOOKING") {
    if (n.state === "LOOKING") {
      mark("election: settled server answers a LOOKING peer");
      r.emit({ kind: "send", to: from, msg: notification(r.state, r.vote, r.vote.electionEpoch) });
    }
    return;
  }
  const e = r.election;
  if (n.state === "LOOKING" && n.electionEpoch < e.logicalclock) {
    r.emit({ kind: "send", to: from, msg: notification("LOOKING", e.proposal, e.logicalclock) });
  }
  if (!isVoter(r.config, n.leader)) return;
  armElectionTimer(r);
  if (e.finalizing) {
    if (!beats(r, n, e.proposal)) {
      // The finalize loop discards votes that do not beat ours and waits afresh.
      r.setTimer("finalizeTimer", r.config.finalizeWaitMs * MICROS_PER_MS);
      return;
    }
    mark("election: better vote during finalizeWait");
    e.finalizing = false;
    r.emit({ kind: "cancelTimer", timer: "finalizeTimer" });
  }
  switch (n.state) {
    case "LOOKING":
      onLookingNotification(r, from, n);
      return;
    case "OBSERVING":
      return;
    case "FOLLOWING":
    case "LEADING":
      onSettledNotification(r, from, n);
      return;
  }
}

function onLookingNotification(r: ReplicaCore, from: ServerId, n: Notification): void {
  const e = r.election;
  if (n.electionEpoch > e.logicalclock) {
    mark("election: newer round adopted");
    e.logicalclock = n.electionEpoch;
    e.recvset.clear();
    const mine = initialVote(r);
    setProposal(r, beats(r, n, mine) ? n : mine);
    sendNotifications(r);
  } else if (n.electionEpoch < e.logicalclock) {
    return;
  } else if (beats(r, n, e.proposal)) {
    setProposal(r, n);
    sendNotifications(r);
  }
  e.recvset.set(from, { ...voteOf(n), state: "LOOKING" });
  assert(n.electionEpoch === e.logicalclock, "only this round's votes enter recvset");
  assert(!beats(r, n, e.proposal), "our proposal is at least as good as any vote of the round");
  maybeStartFinalize(r);
}

function voteOf(n: Notification): Vote {
  return { leader: n.leader, zxid: n.zxid, electionEpoch: n.electionEpoch, peerEpoch: n.peerEpoch };
}

/**
 * receivedFollowingNotification: a settled server tells us whom it follows. Decide when a
 * quorum of this round agrees (and checkLeader holds), or when a quorum of settled servers of
 * any round agrees: that is how a restarted server joins an established ensemble.
 */
function onSettledNotification(r: ReplicaCore, from: ServerId, n: Notification): void {
  const e = r.election;
  assert(n.state === "FOLLOWING" || n.state === "LEADING", "a settled server's notification");
  const vote: StatedVote = { ...voteOf(n), state: n.state };
  if (n.electionEpoch === e.logicalclock) {
    e.recvset.set(from, vote);
    if (quorumAgrees(r, e.recvset, vote) && checkLeader(r, e.recvset, n.leader, n.electionEpoch)) {
      decide(r, voteOf(n));
      return;
    }
  }
  e.outofelection.set(from, vote);
  const agreed = quorumAgrees(r, e.outofelection, vote);
  if (agreed && checkLeader(r, e.outofelection, n.leader, n.electionEpoch)) {
    mark("election: joined an established ensemble");
    e.logicalclock = n.electionEpoch;
    decide(r, voteOf(n));
  }
}

function quorumAgrees(
  r: ReplicaCore,
  votes: ReadonlyMap<ServerId, StatedVote>,
  vote: StatedVote,
): boolean {
  return hasQuorum(r.config.voters, agreeingVoters(votes, vote));
}

/**
 * checkLeader: follow another server only if it told us itself that it is LEADING; lead only if
 * the agreeing votes are of our own round.
 */
function checkLeader(
  r: ReplicaCore,
  votes: ReadonlyMap<ServerId, StatedVote>,
  leader: ServerId,
  electionEpoch: number,
): boolean {
  if (leader !== r.myid) return votes.get(leader)?.state === "LEADING";
  return r.election.logicalclock === electionEpoch;
}

/** updateElectionVote: after sync, report the new epoch to servers that start up later. */
export function updateElectionVote(r: ReplicaCore, newEpoch: Epoch): void {
  assert(r.state !== "LOOKING", "only a settled vote is updated");
  assert(newEpoch >= r.vote.peerEpoch || r.vote.peerEpoch === NO_VOTE, "the vote's epoch grows");
  r.vote = { ...r.vote, peerEpoch: newEpoch };
}
