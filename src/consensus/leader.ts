/**
 * Leading, phases 1 and 2: discovery (FOLLOWERINFO → the new epoch → LEADERINFO → ACKEPOCH)
 * and synchronization (DIFF/TRUNC/SNAP, NEWLEADER, ACK, UPTODATE), after Leader.lead,
 * getEpochToPropose, waitForEpochAck, waitForNewLeaderAck and LearnerHandler.run. Broadcast
 * lives in leader-broadcast.ts.
 */
import { assert, counterOf, epochOf, makeZxid, mark } from "../util/index.js";
import { isVoter } from "./config.js";
import { ChannelEnd } from "./channel-end.js";
import { Connection } from "./connection.js";
import { onContainerTimer } from "./container-manager.js";
import { updateElectionVote } from "./election.js";
import type { Epoch, ServerId, Zxid } from "./ids.js";
import type {
  HandshakeMessage, QuorumEnvelope, QuorumPacket, SealedEnvelope,
} from "./messages.js";
import { hasQuorum } from "./quorum.js";
import type { ReplicaCore } from "./core.js";
import type { AfterPersist, LeaderState, LearnerHandler } from "./role-state.js";
import { planSync } from "./sync-plan.js";
import { onRevalidate } from "./serve.js";
import {
  closeHandler, onAck, onForwardedRequest, onLeaderPing, onPingTimer, sendTo, startBroadcast,
} from "./leader-broadcast.js";

/** Leader.lead's start: the initial history is applied; collect learners' accepted epochs. */
export function newLeaderState(r: ReplicaCore): LeaderState {
  assert(isVoter(r.config, r.myid), "only a voter leads");
  const bug = r.config.bugs.has("reuse-old-epoch");
  const leader: LeaderState = {
    phase: "epoch-wait",
    proposedEpoch: bug ? r.acceptedEpoch : r.acceptedEpoch + 1,
    epoch: undefined,
    summary: { currentEpoch: r.currentEpoch, lastZxid: r.log.lastLoggedZxid },
    connecting: new Set([r.myid]),
    epochAcks: new Set([r.myid]),
    newLeaderAcks: new Set([r.myid]),
    handlers: new Map(),
    accepting: new Map(),
    closed: new Map(),
    outstanding: new Map(),
    lastProposed: r.log.lastLoggedZxid,
    lastCommitted: r.log.lastLoggedZxid,
    queued: [],
    pendingSyncs: new Map(),
    pings: 0,
  };
  r.leader = leader;
  armPhaseTimer(r);
  maybeDecideEpoch(r);
  return leader;
}

function armPhaseTimer(r: ReplicaCore): void {
  r.setTimer("phaseTimer", r.config.initLimit * r.tickMicros);
}

function leaderOf(r: ReplicaCore): LeaderState {
  assert(r.leader !== undefined && r.state === "LEADING", "not leading");
  return r.leader;
}

/**
 * A handshake init from a learner (secure quorum): the leader's end of the new connection,
 * which waits in `accepting` for its first frame. The same init again (the learner re-sends
 * while it has no answer) gets the same reply: the first may have been lost.
 */
export function onLeaderHandshake(r: ReplicaCore, from: ServerId, msg: HandshakeMessage): void {
  const leader = leaderOf(r);
  const setup = r.channel;
  if (setup === undefined || msg.stage !== "init" || msg.channel !== "quorum") return;
  if (leader.handlers.get(from)?.connection.conn === msg.conn) return;
  if (leader.closed.get(from) === msg.conn) return;
  const waiting = leader.accepting.get(from);
  if (waiting?.conn === msg.conn && waiting.channel?.answers(msg) === true) {
    r.emit({ kind: "send", to: from, msg: waiting.channel.message });
    return;
  }
  const channel = ChannelEnd.respond(setup, from, msg);
  if (channel === undefined) return;
  leader.accepting.set(from, new Connection(from, msg.conn, channel));
  r.emit({ kind: "send", to: from, msg: channel.message });
}

/** A quorum packet arrived from a learner. */
export function onLeaderPacket(
  r: ReplicaCore, from: ServerId, envelope: QuorumEnvelope | SealedEnvelope,
): void {
  const leader = leaderOf(r);
  let handler = leader.handlers.get(from);
  let connection: Connection;
  if (handler !== undefined && handler.connection.conn === envelope.conn) {
    connection = handler.connection;
  } else {
    const opened = openingConnection(r, leader, from, envelope);
    if (opened === undefined) return;
    connection = opened;
    handler = undefined;
  }
  const packets = connection.accept(envelope);
  if (connection.broken) {
    mark("leader: learner connection broke");
    if (handler !== undefined) closeHandler(r, handler);
    else if (leader.accepting.get(from) === connection) leader.accepting.delete(from);
    return;
  }
  if (handler === undefined) {
    const first = packets[0];
    if (first === undefined) return; // A secure connection's later frames came first.
    handler = adoptConnection(r, leader, from, connection, first);
    if (handler === undefined) return;
  }
  for (const packet of packets) {
    if (leader.handlers.get(from) !== handler || r.leader !== leader) return;
    handler.lastHeardMicros = r.now;
    onHandlerPacket(r, handler, packet);
  }
}

/**
 * The connection a packet from a learner without a current handler opens: a plain packet 0
 * that is its FOLLOWERINFO/OBSERVERINFO (the hello), or a frame on the connection whose
 * handshake this leader answered. A closed connection never reopens.
 */
function openingConnection(
  r: ReplicaCore, leader: LeaderState, from: ServerId, envelope: QuorumEnvelope | SealedEnvelope,
): Connection | undefined {
  if (r.channel !== undefined) {
    const waiting = leader.accepting.get(from);
    if (waiting?.conn === envelope.conn) return waiting;
    if (envelope.kind === "quorum") r.refuseChannelMessage();
    return undefined;
  }
  if (envelope.kind !== "quorum") return undefined;
  const first = envelope.packet;
  const hello = first.type === "FOLLOWERINFO" || first.type === "OBSERVERINFO";
  if (envelope.seq !== 0 || !hello) return undefined;
  if (leader.closed.get(from) === envelope.conn) {
    mark("leader: packet on a closed connection ignored");
    return undefined;
  }
  return new Connection(from, envelope.conn);
}

/** A new connection's first packet arrived in order: it must be the hello; a handler serves it. */
function adoptConnection(
  r: ReplicaCore, leader: LeaderState, from: ServerId, connection: Connection,
  first: QuorumPacket,
): LearnerHandler | undefined {
  if (leader.accepting.get(from) === connection) leader.accepting.delete(from);
  if (first.type !== "FOLLOWERINFO" && first.type !== "OBSERVERINFO") return undefined;
  const old = leader.handlers.get(from);
  if (old !== undefined) {
    mark("leader: learner reconnected, old handler replaced");
    closeHandler(r, old);
  }
  const observer = first.type === "OBSERVERINFO";
  return newHandler(r, from, connection, observer, epochOf(first.zxid));
}

function newHandler(
  r: ReplicaCore,
  sid: ServerId,
  connection: Connection,
  observer: boolean,
  accepted: Epoch,
): LearnerHandler {
  const leader = leaderOf(r);
  const handler: LearnerHandler = {
    sid, connection, observer: observer || !isVoter(r.config, sid),
    phase: "info", learnerAcceptedEpoch: accepted, ackEpoch: undefined, lastHeardMicros: r.now,
  };
  leader.handlers.set(sid, handler);
  return handler;
}

function onHandlerPacket(r: ReplicaCore, handler: LearnerHandler, packet: QuorumPacket): void {
  switch (packet.type) {
    case "FOLLOWERINFO":
    case "OBSERVERINFO":
      onLearnerInfo(r, handler);
      return;
    case "ACKEPOCH":
      onAckEpoch(r, handler, packet.epoch, packet.zxid);
      return;
    case "ACK":
      if (epochOf(packet.zxid) !== leaderOf(r).epoch) {
        mark("leader: ACK from a different epoch ignored");
      } else if (counterOf(packet.zxid) === 0) {
        onNewLeaderAck(r, handler, packet.zxid);
      } else {
        onAck(r, handler, packet.zxid);
      }
      return;
    case "PING":
      onLeaderPing(r, handler, packet.sessions);
      return;
    case "REQUEST":
      onForwardedRequest(r, handler, packet.forwarded);
      return;
    case "REVALIDATE":
      // LearnerHandler → Leader.revalidateSession: the answer goes back on the same connection.
      sendTo(r, handler, {
        type: "REVALIDATE", sessionId: packet.sessionId, valid: onRevalidate(r, packet.sessionId),
      });
      return;
    case "FIN":
      // The learner closed its socket: the handler's read fails and the thread ends. An ACK that
      // came before it still counted, as in LearnerHandler.run; the handler no longer counts as
      // synced, so a leader left without a quorum steps down at its next tick (Leader.lead).
      mark("leader: learner closed its connection");
      closeHandler(r, handler);
      return;
    default:
      // A learner never sends leader-only packets; ZooKeeper logs and ignores unexpected types.
      mark("leader: unexpected packet from a learner");
      return;
  }
}

/** getEpochToPropose: a participant's accepted epoch raises the proposal until it is decided. */
function onLearnerInfo(r: ReplicaCore, handler: LearnerHandler): void {
  const leader = leaderOf(r);
  assert(handler.phase === "info", "learner info twice on one connection");
  if (leader.phase === "epoch-wait" && !handler.observer) {
    const floor = r.config.bugs.has("reuse-old-epoch") ? 0 : 1;
    leader.proposedEpoch = Math.max(leader.proposedEpoch, handler.learnerAcceptedEpoch + floor);
    leader.connecting.add(handler.sid);
    maybeDecideEpoch(r);
  } else if (leader.epoch !== undefined && leader.phase !== "accepted-persisting") {
    sendLeaderInfo(r, handler);
  }
}

function maybeDecideEpoch(r: ReplicaCore): void {
  const leader = leaderOf(r);
  if (leader.phase !== "epoch-wait" || !hasQuorum(r.config.voters, leader.connecting)) return;
  const epoch = leader.proposedEpoch as Epoch;
  assert(epoch >= r.acceptedEpoch, "a new epoch never goes back");
  if (!r.config.bugs.has("reuse-old-epoch")) assert(epoch > r.acceptedEpoch, "epoch must grow");
  leader.epoch = epoch;
  leader.phase = "accepted-persisting";
  // Leader.getEpochToPropose: self.setAcceptedEpoch(epoch) before any LEADERINFO leaves.
  r.persist([{ type: "acceptedEpoch", epoch }], { kind: "leaderAcceptedEpoch", epoch });
}

function sendLeaderInfo(r: ReplicaCore, handler: LearnerHandler): void {
  const epoch = leaderOf(r).epoch;
  assert(epoch !== undefined, "LEADERINFO before the epoch is decided");
  sendTo(r, handler, { type: "LEADERINFO", zxid: makeZxid(epoch, 0) });
  handler.phase = "leaderinfo-sent";
}

/** waitForEpochAck, per learner. */
function onAckEpoch(r: ReplicaCore, handler: LearnerHandler, epoch: number, lastZxid: Zxid): void {
  const leader = leaderOf(r);
  if (handler.phase !== "leaderinfo-sent") return;
  const summary = leader.summary;
  // waitForEpochAck returns at once once the epoch quorum is reached (electionFinished): only
  // learners of the initial quorum round are compared with the leader's state summary.
  if (epoch !== -1 && leader.phase === "ackepoch-wait") {
    const ahead = epoch > summary.currentEpoch ||
      (epoch === summary.currentEpoch && lastZxid > summary.lastZxid);
    if (ahead) {
      // "Follower is ahead of the leader": the handler ends; the learner will time out.
      mark("leader: follower ahead of the leader dropped");
      closeHandler(r, handler);
      return;
    }
  }
  handler.ackEpoch = { epoch, lastZxid };
  handler.phase = "epoch-acked";
  if (leader.phase === "ackepoch-wait") {
    if (epoch !== -1 && !handler.observer) leader.epochAcks.add(handler.sid);
    maybeEpochQuorum(r);
  } else if (leader.phase === "newleader-wait" || leader.phase === "broadcast") {
    startSync(r, handler);
  }
}

function maybeEpochQuorum(r: ReplicaCore): void {
  const leader = leaderOf(r);
  if (leader.phase !== "ackepoch-wait" || !hasQuorum(r.config.voters, leader.epochAcks)) return;
  const epoch = leader.epoch;
  assert(epoch !== undefined, "epoch quorum without an epoch");
  leader.phase = "current-persisting";
  // Leader.lead: self.setCurrentEpoch(epoch) once a quorum acknowledged the new epoch.
  r.persist([{ type: "currentEpoch", epoch }], { kind: "leaderCurrentEpoch", epoch });
}

/** Persist continuations of the leader. */
export function leaderAfterPersist(r: ReplicaCore, after: AfterPersist): void {
  const leader = leaderOf(r);
  switch (after.kind) {
    case "leaderAcceptedEpoch":
      assert(leader.phase === "accepted-persisting", "acceptedEpoch persisted out of phase");
      r.acceptedEpoch = after.epoch;
      leader.phase = "ackepoch-wait";
      armPhaseTimer(r);
      for (const handler of [...leader.handlers.values()]) {
        if (handler.phase === "info") sendLeaderInfo(r, handler);
      }
      maybeEpochQuorum(r);
      return;
    case "leaderCurrentEpoch":
      assert(leader.phase === "current-persisting", "currentEpoch persisted out of phase");
      r.currentEpoch = after.epoch;
      leader.phase = "newleader-wait";
      r.setState("LEADING", "SYNCHRONIZATION");
      armPhaseTimer(r);
      for (const handler of [...leader.handlers.values()]) {
        if (handler.phase === "epoch-acked") startSync(r, handler);
      }
      maybeEstablish(r);
      return;
    case "leaderProposal":
      onAck(r, undefined, after.zxid);
      return;
    default:
      assert(false, `not a leader continuation: ${after.kind}`);
  }
}

/**
 * LearnerHandler.syncFollower + startForwarding: the sync stream, the outstanding proposals,
 * then NEWLEADER; from now on the learner gets every new PROPOSAL/COMMIT (or INFORM).
 */
function startSync(r: ReplicaCore, handler: LearnerHandler): void {
  const leader = leaderOf(r);
  const epoch = leader.epoch;
  assert(epoch !== undefined && handler.ackEpoch !== undefined, "sync before discovery");
  const committed = r.log.between(-1, leader.lastCommitted);
  const plan = planSync({
    txnLog: committed.map((e) => e.zxid),
    committedLogMax: r.config.committedLogMax,
    lastProcessedZxid: leader.lastCommitted,
    peerLastZxid: handler.ackEpoch.lastZxid,
  });
  // One literal name per sync mode: the tidy test checks every mark() name against run/marks.ts.
  if (plan.kind === "SNAP") mark("leader: SNAP sent");
  else if (plan.kind === "TRUNC") mark("leader: TRUNC sent");
  else mark("leader: DIFF sent");
  if (plan.kind === "SNAP") {
    const processed = r.stateMachine.lastProcessedZxid;
    assert(processed === leader.lastCommitted, "SNAP of an uncommitted tree");
    const snapshot = r.stateMachine.snapshot();
    sendTo(r, handler, { type: "SNAP", zxid: plan.zxid, processed: r.dataTreeZxid(), snapshot });
  } else {
    sendTo(r, handler, { type: plan.kind, zxid: plan.zxid });
  }
  const proposals = r.config.bugs.has("stale-diff") && plan.kind === "DIFF" ? [] : plan.proposals;
  for (const zxid of proposals) {
    const entry = r.log.entry(zxid);
    assert(entry !== undefined, "sync plan names a zxid the log lacks");
    sendTo(r, handler, { type: "PROPOSAL", entry });
    sendTo(r, handler, { type: "COMMIT", zxid });
  }
  if (!handler.observer) {
    for (const proposal of leader.outstanding.values()) {
      if (proposal.entry.zxid <= plan.lastQueued) continue;
      sendTo(r, handler, { type: "PROPOSAL", entry: proposal.entry });
    }
  }
  sendTo(r, handler, { type: "NEWLEADER", zxid: makeZxid(epoch, 0) });
  handler.phase = "newleader-sent";
}

/** waitForNewLeaderAck, then (for late learners) UPTODATE at once. */
function onNewLeaderAck(r: ReplicaCore, handler: LearnerHandler, zxid: Zxid): void {
  const leader = leaderOf(r);
  if (handler.phase === "uptodate") return; // the ACK of UPTODATE (counter 0) carries nothing
  if (handler.phase !== "newleader-sent") return;
  assert(zxid === makeZxid(leader.epoch ?? 0, 0), "NEWLEADER ack of another epoch");
  handler.phase = "newleader-acked";
  if (leader.phase === "broadcast") {
    sendTo(r, handler, { type: "UPTODATE", zxid });
    handler.phase = "uptodate";
    return;
  }
  if (!handler.observer) leader.newLeaderAcks.add(handler.sid);
  maybeEstablish(r);
}

/** A quorum acknowledged NEWLEADER: the leader is established (startZkServer). */
function maybeEstablish(r: ReplicaCore): void {
  const leader = leaderOf(r);
  if (leader.phase !== "newleader-wait") return;
  if (!hasQuorum(r.config.voters, leader.newLeaderAcks)) return;
  const epoch = leader.epoch;
  assert(epoch !== undefined && epoch === r.currentEpoch, "established without its epoch");
  leader.phase = "broadcast";
  r.setState("LEADING", "BROADCAST");
  r.observe({ kind: "established", node: r.myid, epoch, lastZxid: leader.lastCommitted });
  r.flushUndelivered();
  updateElectionVote(r, epoch);
  // startZkServer: zk.getZKDatabase().setlastProcessedZxid(zk.getZxid()), makeZxid(epoch, 0).
  r.treeZxidFloor = makeZxid(epoch, 0);
  leader.lastProposed = makeZxid(epoch, r.config.zxidCounterStart);
  if (r.config.bugs.has("reuse-old-epoch") && leader.lastCommitted > leader.lastProposed) {
    // A reused epoch continues after the initial history instead of restarting its counter.
    leader.lastProposed = leader.lastCommitted;
  }
  for (const handler of [...leader.handlers.values()]) {
    if (handler.phase === "newleader-acked") {
      sendTo(r, handler, { type: "UPTODATE", zxid: makeZxid(epoch, 0) });
      handler.phase = "uptodate";
    }
  }
  r.emit({ kind: "cancelTimer", timer: "phaseTimer" });
  startBroadcast(r);
}

/** Timers of the leader: the phase deadline (initLimit ticks) and the ping tick. */
export function onLeaderTimer(r: ReplicaCore,
  timer: "phaseTimer" | "pingTimer" | "containerTimer"): void {
  const leader = leaderOf(r);
  if (timer === "pingTimer") {
    onPingTimer(r);
    return;
  }
  if (timer === "containerTimer") {
    onContainerTimer(r);
    return;
  }
  if (leader.phase === "broadcast") return;
  mark("leader: timed out waiting for a quorum of learners");
  r.becomeLooking();
}
