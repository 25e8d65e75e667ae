/**
 * Leading, phase 3: broadcast. Client writes become proposals (PrepRequestProcessor →
 * Leader.propose), the leader logs its own copy and counts its own ACK once durable, commits in
 * zxid order on a quorum of ACKs (Leader.processAck, tryToCommit), sends COMMIT to followers and
 * INFORM to observers, answers syncs (processSync), and pings learners every tickTime/2, giving
 * up leadership when a quorum stops answering within syncLimit ticks (Leader.lead's loop).
 */
import { assert, counterOf, epochOf, mark, ZXID_COUNTER_MAX } from "../util/index.js";
import type { ServerId, Zxid } from "./ids.js";
import type { ForwardedRequest, QuorumPacket } from "./messages.js";
import { hasQuorum } from "./quorum.js";
import type { ReplicaCore } from "./core.js";
import { MICROS_PER_MS } from "./core.js";
import type { LeaderState, LearnerHandler, Proposal, Submission } from "./role-state.js";
import type { LogEntry, Origin } from "./state-machine.js";
import { fingerprint, isWrite, serverMeta } from "./state-machine.js";

function leaderOf(r: ReplicaCore): LeaderState {
  assert(r.leader !== undefined && r.state === "LEADING", "not leading");
  return r.leader;
}

/** Sends `packet` on the learner's connection. */
export function sendTo(r: ReplicaCore, handler: LearnerHandler, packet: QuorumPacket): void {
  r.sendPacket(handler.sid, packet, handler.connection);
}

/**
 * The LearnerHandler thread ends (LearnerHandler.shutdown): its socket is closed for good, which
 * the learner reads as the end of the stream unless it closed first.
 */
export function closeHandler(r: ReplicaCore, handler: LearnerHandler): void {
  const leader = leaderOf(r);
  assert(leader.handlers.get(handler.sid) === handler, "closing a handler that is not current");
  leader.handlers.delete(handler.sid);
  leader.closed.set(handler.sid, handler.connection.conn);
  const fin = handler.connection.close();
  if (fin !== undefined) r.emit({ kind: "send", to: handler.sid, msg: fin });
}

/** Handlers that receive the broadcast stream (registered by startForwarding). */
function forwarding(leader: LeaderState): LearnerHandler[] {
  const out: LearnerHandler[] = [];
  for (const handler of leader.handlers.values()) {
    const phase = handler.phase;
    if (phase === "newleader-sent" || phase === "newleader-acked" || phase === "uptodate") {
      out.push(handler);
    }
  }
  return out.sort((a, b) => a.sid - b.sid);
}

/** The leader is established: start pinging and serve what waited. */
export function startBroadcast(r: ReplicaCore): void {
  const leader = leaderOf(r);
  assert(leader.phase === "broadcast", "broadcast before established");
  leader.pings = 0;
  // SessionTrackerImpl starts every committed session's timeout afresh at a new leader, so a
  // session gets a full timeout to reach it. The planted bug backdates them by the largest
  // timeout (20 ticks), so they expire at the first check.
  const nowMs = r.elapsedMs;
  const backdateMs = r.config.bugs.has("no-session-restart") ? 20 * r.config.tickTimeMs : 0;
  r.stateMachine.startLeading(r.myid, r.config.tickTimeMs, nowMs - backdateMs);
  r.setTimer("pingTimer", Math.floor(r.tickMicros / 2));
  // ContainerManager.start: the first check one interval after the leader starts serving.
  r.setTimer("containerTimer", r.config.containerCheckIntervalMs * MICROS_PER_MS);
  r.maybeSnapshot();
}

/** A write or sync enters the leader's pipeline. */
export function submit(r: ReplicaCore, submission: Submission): void {
  const leader = leaderOf(r);
  assert(leader.phase === "broadcast", "submit before established");
  touch(r, submission.meta.sessionId);
  if (!isWrite(submission.request)) {
    processSync(r, submission);
    return;
  }
  if (leader.outstanding.size >= r.config.proposalsInflightMax || leader.queued.length > 0) {
    if (leader.queued.length >= r.config.requestsQueuedMax) {
      mark("leader: request queue full, request refused");
      refuse(r, submission);
      return;
    }
    leader.queued.push(submission);
    return;
  }
  propose(r, submission);
}

function refuse(r: ReplicaCore, submission: Submission): void {
  if (submission.origin !== undefined && submission.origin.server === r.myid) {
    r.answer(submission.origin, { err: "CONNECTIONLOSS", zxid: r.stateMachine.lastProcessedZxid });
  }
}

/** Leader.propose: the next zxid, logged locally, sent to every forwarding follower. */
function propose(r: ReplicaCore, submission: Submission): void {
  const leader = leaderOf(r);
  if (counterOf(leader.lastProposed) + 1 >= ZXID_COUNTER_MAX) {
    // Leader.propose refuses the zxid whose counter is 0xffffffff: "zxid lower 32 bits have
    // rolled over, forcing re-election, and therefore new epoch start" (ZOOKEEPER-1277).
    mark("leader: zxid counter rolled over");
    r.becomeLooking();
    return;
  }
  const zxid = (leader.lastProposed + 1) as Zxid;
  const request = submission.request;
  assert(isWrite(request), "only writes are proposed");
  const nowMs = Math.floor(r.now / MICROS_PER_MS);
  const txn = r.stateMachine.prep(submission.meta, request, zxid, nowMs);
  if (request.type === "createSession") {
    // prep tracked the new session at the txn's wall-clock time; its timeout runs on the
    // monotonic clock, like every later touch (SessionTrackerImpl uses currentElapsedTime).
    r.stateMachine.sessions?.touchSession(submission.meta.sessionId, request.timeoutMs,
      r.elapsedMs);
  }
  if (txn.body.type === "error" && txn.body.err === "SESSIONMOVED") {
    mark("leader: a write through a moved session's old server refused (SESSIONMOVED)");
  }
  assert(epochOf(zxid) === leader.epoch, "a leader proposes in its own epoch");
  const entry: LogEntry = { zxid, txn, origin: submission.origin };
  r.log.append(entry);
  leader.lastProposed = zxid;
  leader.outstanding.set(zxid, { entry, acks: new Set() });
  r.observe({ kind: "propose", node: r.myid, epoch: r.currentEpoch, zxid, txn: fingerprint(txn) });
  for (const handler of forwarding(leader)) {
    if (!handler.observer) sendTo(r, handler, { type: "PROPOSAL", entry });
  }
  if (r.config.bugs.has("ack-before-fsync")) {
    r.persist([{ type: "txn", entry }], { kind: "none" });
    onAck(r, undefined, zxid);
    return;
  }
  // The leader's own ACK comes from its SyncRequestProcessor after the fsync (AckRequestProcessor).
  r.persist([{ type: "txn", entry }], { kind: "leaderProposal", zxid });
}

/** Leader.processAck: count an ACK (handler undefined: the leader's own), then tryToCommit. */
export function onAck(r: ReplicaCore, handler: LearnerHandler | undefined, zxid: Zxid): void {
  const leader = leaderOf(r);
  if (handler !== undefined && handler.observer) return;
  if (counterOf(zxid) === 0 || leader.outstanding.size === 0) return;
  if (zxid <= leader.lastCommitted) return;
  const proposal = leader.outstanding.get(zxid);
  if (proposal === undefined) {
    mark("leader: ACK for a future proposal ignored");
    return;
  }
  proposal.acks.add(handler === undefined ? r.myid : handler.sid);
  tryToCommit(r);
}

/** tryToCommit: commit the oldest outstanding proposals while each has a quorum. */
function tryToCommit(r: ReplicaCore): void {
  const leader = leaderOf(r);
  for (let guard = 0; guard <= r.config.proposalsInflightMax; guard++) {
    const first = leader.outstanding.values().next();
    if (first.done === true) break;
    const proposal = first.value;
    const enough = r.config.bugs.has("commit-on-minority")
      ? proposal.acks.has(r.myid)
      : hasQuorum(r.config.voters, proposal.acks);
    if (!enough) break;
    commit(r, proposal);
    if (r.leader !== leader) return;
  }
  drainQueue(r);
}

function commit(r: ReplicaCore, proposal: Proposal): void {
  const leader = leaderOf(r);
  const zxid = proposal.entry.zxid;
  assert(zxid > leader.lastCommitted, "commit order");
  if (!r.config.bugs.has("commit-on-minority")) {
    assert(hasQuorum(r.config.voters, proposal.acks), "commit needs a quorum of ACKs");
  }
  assert(leader.outstanding.keys().next().value === zxid, "commit must take the oldest proposal");
  leader.outstanding.delete(zxid);
  leader.lastCommitted = zxid;
  for (const handler of forwarding(leader)) {
    if (handler.observer) sendTo(r, handler, { type: "INFORM", entry: proposal.entry });
    else sendTo(r, handler, { type: "COMMIT", zxid });
  }
  for (const { entry, result } of r.deliverUpTo(zxid)) r.afterApply(entry, result);
  const syncs = leader.pendingSyncs.get(zxid);
  if (syncs !== undefined) {
    leader.pendingSyncs.delete(zxid);
    for (const submission of syncs) answerSync(r, submission);
  }
  r.maybeSnapshot();
}

function drainQueue(r: ReplicaCore): void {
  const leader = r.leader;
  if (leader === undefined || leader.phase !== "broadcast") return;
  while (leader.queued.length > 0 && leader.outstanding.size < r.config.proposalsInflightMax) {
    const next = leader.queued.shift();
    assert(next !== undefined, "queue shrank under us");
    propose(r, next);
    if (r.leader !== leader) return;
  }
}

/** Leader.processSync: answer at once, or when the last proposal commits. */
function processSync(r: ReplicaCore, submission: Submission): void {
  const leader = leaderOf(r);
  mark("leader: sync request");
  if (leader.outstanding.size === 0) {
    answerSync(r, submission);
    return;
  }
  // Leader.processSync: the answer waits for the last proposal to commit.
  mark("leader: sync waits for outstanding proposals");
  const waiting = leader.pendingSyncs.get(leader.lastProposed) ?? [];
  waiting.push(submission);
  leader.pendingSyncs.set(leader.lastProposed, waiting);
}

function answerSync(r: ReplicaCore, submission: Submission): void {
  const leader = leaderOf(r);
  const origin = submission.origin;
  assert(origin !== undefined, "a sync always has a client");
  if (origin.server === r.myid) {
    // The reply header carries what the server reports for every request (FinalRequestProcessor:
    // getDataTreeLastProcessedZxid, which a new leader has set to epoch * 2^32), so a client that
    // read the new epoch's first zxid never sees a lower one answer its sync.
    r.answer(origin, { err: "OK", zxid: r.reportedZxid() });
    return;
  }
  const handler = leader.handlers.get(origin.server);
  if (handler !== undefined) {
    sendTo(r, handler, { type: "SYNC", client: origin.client, requestId: origin.requestId });
  }
}

/** REQUEST from a learner: a write or sync it forwards for its client. */
export function onForwardedRequest(
  r: ReplicaCore,
  handler: LearnerHandler,
  forwarded: ForwardedRequest,
): void {
  const leader = leaderOf(r);
  assert(forwarded.server === handler.sid, "a learner forwards only its own clients' requests");
  if (leader.phase !== "broadcast" || handler.phase !== "uptodate") {
    mark("leader: REQUEST before the learner is up to date dropped");
    return;
  }
  const origin: Origin = {
    server: forwarded.server, client: forwarded.client, requestId: forwarded.requestId,
  };
  // LearnerHandler: si.setOwner(this). The session's owner check (PrepRequestProcessor's
  // checkSession) compares it with the server the session last moved to; a session that moved
  // to this learner is claimed first (LeaderZooKeeperServer.revalidateSession: setOwner).
  const meta = { ...forwarded.meta, owner: handler.sid };
  if (forwarded.moved === true) {
    r.stateMachine.sessions?.setOwner(meta.sessionId, handler.sid);
  }
  submit(r, { origin, meta, request: forwarded.request });
}

/** The session moved to the leader itself (ZooKeeperServer.revalidateSession: setOwner). */
export function revalidateAtLeader(r: ReplicaCore, sessionId: number): void {
  r.stateMachine.sessions?.setOwner(sessionId, r.myid);
}

/** A learner answered a PING with its clients' session touches (LearnerHandler case PING). */
export function onLeaderPing(
  r: ReplicaCore,
  handler: LearnerHandler,
  sessions: ReadonlyArray<readonly [number, number]>,
): void {
  assert(handler.lastHeardMicros === r.now, "ping handled without refreshing the deadline");
  const tracker = r.stateMachine.sessions;
  if (tracker === undefined) return;
  for (const [sessionId, timeoutMs] of sessions) {
    tracker.touchSession(sessionId, timeoutMs, r.elapsedMs);
  }
}

/** A request of a session reached the leader: the session is alive. */
function touch(r: ReplicaCore, sessionId: number): void {
  touchAtLeader(r, sessionId, r.elapsedMs);
}

/** SessionTracker.touchSession for a committed session, on the leader. */
export function touchAtLeader(r: ReplicaCore, sessionId: number, nowMs: number): void {
  const tracker = r.stateMachine.sessions;
  const timeoutMs = r.stateMachine.sessionTimeoutMs(sessionId);
  if (tracker === undefined || timeoutMs === undefined) return;
  tracker.touchSession(sessionId, timeoutMs, nowMs);
}

/** SessionTrackerImpl.run: expired sessions get a closeSession txn from the leader itself. */
function expireSessions(r: ReplicaCore): void {
  const tracker = r.stateMachine.sessions;
  if (tracker === undefined) return;
  for (const sessionId of tracker.expireSessions(r.elapsedMs)) {
    mark("leader: session expired");
    // SessionTrackerImpl expires it; the closeSession's prep deletes what it owned.
    if (r.stateMachine.ephemeralsOf(sessionId).length > 0) {
      mark("leader: expired session owned ephemerals");
    }
    r.observe({ kind: "expire", node: r.myid, session: sessionId, epoch: r.leader?.epoch ?? 0 });
    const meta = serverMeta(sessionId);
    submit(r, { origin: undefined, meta, request: { type: "closeSession" } });
    if (r.leader === undefined) return;
  }
}

/** Every tickTime/2: ping; every full tick: drop dead learners and check the synced quorum. */
export function onPingTimer(r: ReplicaCore): void {
  const leader = leaderOf(r);
  if (leader.phase !== "broadcast") return;
  leader.pings += 1;
  // LearnerHandler.ping: only learners whose sync stream has started get pings.
  for (const handler of forwarding(leader)) {
    sendTo(r, handler, { type: "PING", zxid: leader.lastProposed, sessions: [] });
  }
  expireSessions(r);
  if (r.leader !== leader) return;
  if (leader.pings % 2 === 0) {
    const synced = new Set<ServerId>([r.myid]);
    for (const handler of [...leader.handlers.values()]) {
      // The handler's socket timeout: initLimit ticks until NEWLEADER is acked, then syncLimit.
      const early = handler.phase !== "newleader-acked" && handler.phase !== "uptodate";
      const limit = early ? r.config.initLimit : r.config.syncLimit;
      if (handler.lastHeardMicros < r.now - limit * r.tickMicros) {
        mark("leader: learner silent past its limit dropped");
        closeHandler(r, handler);
      } else if (!handler.observer) {
        // LearnerHandler.synced(): alive and heard from within syncLimit, whatever its phase.
        synced.add(handler.sid);
      }
    }
    if (!hasQuorum(r.config.voters, synced)) {
      mark("leader: lost the synced quorum, stepping down");
      r.becomeLooking();
      return;
    }
  }
  r.setTimer("pingTimer", Math.floor(r.tickMicros / 2));
}
