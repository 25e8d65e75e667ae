/**
 * Following and observing: connect to the elected leader (FOLLOWERINFO / OBSERVERINFO), accept
 * its epoch (LEADERINFO → ACKEPOCH, Learner.registerWithLeader), take the sync stream
 * (Learner.syncWithLeader: DIFF/TRUNC/SNAP, proposals and commits, NEWLEADER, UPTODATE), then
 * broadcast (Follower.processPacket, Observer.processPacket). Every ACK leaves only after the
 * write it vouches for is durable.
 */
import { assert, epochOf, makeZxid, mark } from "../util/index.js";
import { ChannelEnd } from "./channel-end.js";
import { Connection } from "./connection.js";
import { updateElectionVote } from "./election.js";
import type { Epoch, ServerId, Zxid } from "./ids.js";
import type { PersistRecord } from "./io.js";
import type {
  HandshakeMessage, QuorumEnvelope, QuorumPacket, SealedEnvelope,
} from "./messages.js";
import type { ReplicaCore } from "./core.js";
import type { AfterPersist, LearnerState } from "./role-state.js";
import type { LogEntry } from "./state-machine.js";
import { StateMachine } from "./state-machine.js";
import { deliverAndAnswer, onRevalidated } from "./serve.js";

/** Connects to `leaderSid`: a fresh connection id and FOLLOWERINFO (or OBSERVERINFO). */
export function newLearnerState(
  r: ReplicaCore, leaderSid: ServerId, observer: boolean,
): LearnerState {
  const conn = r.prng.nextUint32();
  const channel = r.channel === undefined
    ? undefined : ChannelEnd.initiate(r.channel, leaderSid, conn);
  const connection = new Connection(leaderSid, conn, channel);
  const zxid = makeZxid(r.acceptedEpoch, 0);
  const learner: LearnerState = {
    leaderSid,
    connection,
    observer,
    phase: "connecting",
    newEpoch: undefined,
    syncCommitTo: r.stateMachine.lastProcessedZxid,
    syncStart: undefined,
    syncEntries: [],
    lastHeardMicros: r.now,
    touched: new Map(),
    moved: new Set(),
    revalidating: new Map(),
  };
  r.learner = learner;
  // Plain: the FOLLOWERINFO goes now. Secure: the handshake's init goes, the FOLLOWERINFO waits.
  connection.wrap({ type: observer ? "OBSERVERINFO" : "FOLLOWERINFO", zxid });
  sendOpening(r, learner);
  r.setTimer("learnerTimer", Math.floor(r.tickMicros / 2));
  return learner;
}

function learnerOf(r: ReplicaCore): LearnerState {
  assert(r.learner !== undefined, "not a learner");
  return r.learner;
}

function send(r: ReplicaCore, packet: QuorumPacket): void {
  const learner = learnerOf(r);
  r.sendPacket(learner.leaderSid, packet, learner.connection);
}

/** Sends what opens the connection: its handshake, then (once it has ended) FOLLOWERINFO. */
function sendOpening(r: ReplicaCore, learner: LearnerState): void {
  const opening = learner.connection.opening();
  assert(opening !== undefined, "a connecting learner has something to send");
  r.emit({ kind: "send", to: learner.leaderSid, msg: opening });
}

/**
 * The leader's handshake reply on the current connection: the keys, and the packets that waited
 * for them. Anything else (a stale or duplicated reply, an init) is not for this end.
 */
export function onLearnerHandshake(r: ReplicaCore, from: ServerId, msg: HandshakeMessage): void {
  const learner = learnerOf(r);
  const connection = learner.connection;
  const channel = connection.channel;
  if (channel === undefined || from !== learner.leaderSid || msg.conn !== connection.conn) return;
  if (msg.stage !== "reply" || msg.channel !== "quorum" || channel.established) return;
  if (!channel.complete(msg)) return;
  mark("learner: secure handshake complete");
  for (const envelope of connection.flush()) {
    r.emit({ kind: "send", to: learner.leaderSid, msg: envelope });
  }
}

/** A quorum packet arrived; only the current leader's current connection counts. */
export function onLearnerPacket(
  r: ReplicaCore, from: ServerId, envelope: QuorumEnvelope | SealedEnvelope,
): void {
  const learner = learnerOf(r);
  if (from !== learner.leaderSid || envelope.conn !== learner.connection.conn) return;
  const packets = learner.connection.accept(envelope);
  if (learner.connection.broken) {
    mark("learner: connection to the leader broke");
    r.becomeLooking();
    return;
  }
  for (const packet of packets) {
    if (r.learner !== learner) return;
    learner.lastHeardMicros = r.now;
    onPacket(r, learner, packet);
  }
}

function onPacket(r: ReplicaCore, learner: LearnerState, packet: QuorumPacket): void {
  switch (packet.type) {
    case "LEADERINFO":
      onLeaderInfo(r, learner, epochOf(packet.zxid));
      return;
    case "DIFF":
    case "TRUNC":
    case "SNAP":
      onSyncStart(r, learner, packet);
      return;
    case "PROPOSAL":
    case "INFORM":
      onProposal(r, learner, packet.entry, packet.type === "INFORM");
      return;
    case "COMMIT":
      onCommit(r, learner, packet.zxid);
      return;
    case "NEWLEADER":
      onNewLeader(r, learner, packet.zxid);
      return;
    case "UPTODATE":
      onUpToDate(r, learner);
      return;
    case "PING": {
      // Learner.ping: answer with the session touch table, then start a fresh one.
      const sessions = [...learner.touched.entries()].sort((a, b) => a[0] - b[0]);
      learner.touched.clear();
      send(r, { type: "PING", zxid: r.log.lastLoggedZxid, sessions });
      return;
    }
    case "SYNC":
      r.answer({ server: r.myid, client: packet.client, requestId: packet.requestId }, {
        err: "OK", zxid: r.stateMachine.lastProcessedZxid,
      });
      return;
    case "REVALIDATE":
      onRevalidated(r, packet.sessionId, packet.valid === true);
      return;
    case "FIN":
      // The leader closed the socket (it stepped down or dropped us): readPacket fails and
      // Follower.followLeader ends, back to election (QuorumPeer.run).
      mark("learner: the leader closed the connection");
      r.becomeLooking();
      return;
    default:
      mark("learner: unexpected packet from the leader");
      return;
  }
}

/** registerWithLeader: accept a newer epoch durably, then ACKEPOCH. */
function onLeaderInfo(r: ReplicaCore, learner: LearnerState, newEpoch: Epoch): void {
  if (learner.phase !== "connecting") return;
  learner.newEpoch = newEpoch;
  const reuse = r.config.bugs.has("reuse-old-epoch");
  if (newEpoch > r.acceptedEpoch || (reuse && newEpoch === r.acceptedEpoch)) {
    learner.phase = "epoch-persisting";
    if (r.config.bugs.has("ack-before-fsync")) {
      r.acceptedEpoch = newEpoch;
      r.persist([{ type: "acceptedEpoch", epoch: newEpoch }], { kind: "none" });
      sendAckEpoch(r, learner, r.currentEpoch);
      return;
    }
    const records: PersistRecord[] = [{ type: "acceptedEpoch", epoch: newEpoch }];
    r.persist(records, { kind: "learnerAcceptedEpoch", epoch: newEpoch });
  } else if (newEpoch === r.acceptedEpoch) {
    // "already acked": answer -1 so this ACKEPOCH does not count toward the epoch quorum.
    mark("learner: LEADERINFO of the epoch already accepted");
    sendAckEpoch(r, learner, -1);
  } else {
    mark("learner: leader's epoch is older than acceptedEpoch");
    r.becomeLooking();
  }
}

function sendAckEpoch(r: ReplicaCore, learner: LearnerState, epoch: number): void {
  assert(learner.newEpoch !== undefined, "ACKEPOCH answers a LEADERINFO");
  assert(epoch === -1 || epoch === r.currentEpoch, "ACKEPOCH carries currentEpoch or -1");
  send(r, { type: "ACKEPOCH", zxid: r.log.lastLoggedZxid, epoch });
  learner.phase = "ackepoch-sent";
}

/** Persist continuations of the learner. */
export function learnerAfterPersist(r: ReplicaCore, after: AfterPersist): void {
  const learner = learnerOf(r);
  switch (after.kind) {
    case "learnerAcceptedEpoch":
      assert(learner.phase === "epoch-persisting", "acceptedEpoch persisted out of phase");
      r.acceptedEpoch = after.epoch;
      sendAckEpoch(r, learner, r.currentEpoch);
      return;
    case "learnerNewLeader":
      assert(learner.phase === "newleader-persisting", "NEWLEADER persisted out of phase");
      r.currentEpoch = epochOf(after.zxid);
      send(r, { type: "ACK", zxid: after.zxid });
      learner.phase = "newleader-acked";
      return;
    case "learnerProposal":
      if (!learner.observer) send(r, { type: "ACK", zxid: after.zxid });
      return;
    default:
      assert(false, `not a learner continuation: ${after.kind}`);
  }
}

/** The first packet of the sync stream: remembered, acted on at NEWLEADER. */
function onSyncStart(r: ReplicaCore, learner: LearnerState, packet: QuorumPacket): void {
  if (learner.phase !== "ackepoch-sent") {
    mark("learner: sync packet out of phase");
    r.becomeLooking();
    return;
  }
  learner.phase = "syncing";
  if (packet.type === "DIFF") {
    learner.syncStart = { type: "DIFF" };
    learner.syncCommitTo = r.log.lastLoggedZxid;
  } else if (packet.type === "TRUNC") {
    if (r.config.bugs.has("skip-trunc")) {
      mark("bug: TRUNC ignored");
      learner.syncStart = { type: "DIFF" };
      learner.syncCommitTo = Math.min(packet.zxid, r.log.lastLoggedZxid) as Zxid;
      return;
    }
    if (packet.zxid < r.log.snapshot.zxid) {
      // ZKDatabase.truncateLog fails and ZooKeeper exits; the replica goes back to election.
      mark("learner: TRUNC below the snapshot");
      r.becomeLooking();
      return;
    }
    learner.syncStart = { type: "TRUNC", zxid: packet.zxid };
    learner.syncCommitTo = packet.zxid;
  } else if (packet.type === "SNAP") {
    learner.syncStart = { type: "SNAP", snapshot: packet.snapshot, processed: packet.processed };
    learner.syncCommitTo = packet.snapshot.zxid;
  }
}

/** The last zxid the log will have once the stream so far is applied. */
function streamLastZxid(r: ReplicaCore, learner: LearnerState): number {
  const last = learner.syncEntries[learner.syncEntries.length - 1];
  if (last !== undefined) return last.zxid;
  const start = learner.syncStart;
  if (start?.type === "TRUNC") return start.zxid;
  if (start?.type === "SNAP") return start.snapshot.zxid;
  return r.log.lastLoggedZxid;
}

/** Applies the held TRUNC or SNAP to the log and tree (at NEWLEADER); returns its record. */
function applySyncStart(r: ReplicaCore, learner: LearnerState): PersistRecord[] {
  const start = learner.syncStart;
  if (start === undefined || start.type === "DIFF") return [];
  if (start.type === "TRUNC") {
    const zxid = start.zxid;
    mark("learner: TRUNC applied");
    r.log.truncate(zxid);
    r.logGeneration += 1;
    if (r.stateMachine.lastProcessedZxid > zxid) r.rebuildTree(zxid);
    r.treeZxidFloor = 0; // ZKDatabase.truncateLog reloads the tree from the truncated log
    if (r.lastDeliveredZxid > r.stateMachine.lastProcessedZxid) {
      r.lastDeliveredZxid = r.stateMachine.lastProcessedZxid;
    }
    r.observe({ kind: "truncate", node: r.myid, zxid });
    assert(r.log.lastLoggedZxid <= zxid, "TRUNC leaves nothing above its zxid");
    assert(r.stateMachine.lastProcessedZxid <= zxid, "the tree holds nothing truncated");
    return [{ type: "truncate", zxid }];
  }
  const snapshot = start.snapshot;
  mark("learner: SNAP installed");
  r.stateMachine = StateMachine.restore(snapshot);
  r.log.reset(snapshot);
  r.logGeneration += 1;
  r.lastDeliveredZxid = snapshot.zxid;
  r.sinceSnapshot = 0;
  // Learner.syncWithLeader: setlastProcessedZxid(qp.getZxid()), the leader's tree's value.
  r.treeZxidFloor = start.processed;
  assert(r.stateMachine.lastProcessedZxid === snapshot.zxid, "SNAP installs the leader's tree");
  assert(start.processed >= snapshot.zxid, "the leader's tree is at least at its last txn");
  r.observe({
    kind: "restore", node: r.myid, cause: "snap", zxid: snapshot.zxid,
    digest: r.stateMachine.digest(),
  });
  // Learner.syncWithLeader takes its snapshot at NEWLEADER, named by the tree's zxid.
  return [{ type: "snapshot", snapshot, fromLeader: true, named: r.dataTreeZxid() }];
}

function inSync(learner: LearnerState): boolean {
  return learner.phase === "syncing";
}

function afterNewLeader(learner: LearnerState): boolean {
  return (
    learner.phase === "newleader-persisting" || learner.phase === "newleader-acked" ||
    learner.phase === "uptodate"
  );
}

/** PROPOSAL (followers) or INFORM (observers), during sync or broadcast. */
function onProposal(r: ReplicaCore, learner: LearnerState, entry: LogEntry, inform: boolean): void {
  if (!inSync(learner) && !afterNewLeader(learner)) return;
  const last = inSync(learner) ? streamLastZxid(r, learner) : r.log.lastLoggedZxid;
  if (entry.zxid <= last) {
    assert(r.config.bugs.has("skip-trunc"), "a proposal at or below the last logged zxid");
    mark("bug: proposal below a skipped TRUNC ignored");
    return;
  }
  if (inSync(learner)) {
    learner.syncEntries.push(entry);
    if (inform) learner.syncCommitTo = entry.zxid;
    return;
  }
  if (learner.phase !== "uptodate") {
    // Learner.syncWithLeader: proposals after NEWLEADER are logged before UPTODATE arrives.
    mark("learner: proposal between NEWLEADER and UPTODATE");
  }
  r.log.append(entry);
  assert(r.log.lastLoggedZxid === entry.zxid, "a logged proposal is the last zxid");
  if (inform) {
    r.persist([{ type: "txn", entry }], { kind: "none" });
    if (learner.phase === "uptodate") deliverAndAnswer(r, entry.zxid);
    else learner.syncCommitTo = entry.zxid;
    return;
  }
  if (r.config.bugs.has("ack-before-fsync")) {
    r.persist([{ type: "txn", entry }], { kind: "none" });
    send(r, { type: "ACK", zxid: entry.zxid });
  } else {
    // SyncRequestProcessor → SendAckRequestProcessor: ACK after the log is flushed.
    r.persist([{ type: "txn", entry }], { kind: "learnerProposal", zxid: entry.zxid });
  }
  if (r.config.bugs.has("apply-before-commit") && learner.phase === "uptodate") {
    mark("bug: proposal applied before its commit");
    deliverAndAnswer(r, entry.zxid);
  }
}

function onCommit(r: ReplicaCore, learner: LearnerState, zxid: Zxid): void {
  if (!inSync(learner) && !afterNewLeader(learner)) return;
  const known = r.log.entry(zxid) !== undefined || learner.syncEntries.some((e) => e.zxid === zxid);
  if (!known) {
    // FollowerZooKeeperServer.commit: UNMATCHED_TXN_COMMIT makes ZooKeeper exit.
    mark("learner: COMMIT of an unknown proposal");
    r.becomeLooking();
    return;
  }
  if (learner.phase !== "uptodate") {
    if (afterNewLeader(learner)) mark("learner: COMMIT between NEWLEADER and UPTODATE");
    if (zxid > learner.syncCommitTo) learner.syncCommitTo = zxid;
    return;
  }
  if (zxid <= r.stateMachine.lastProcessedZxid) return; // applied early by a planted bug
  deliverAndAnswer(r, zxid);
}

/** NEWLEADER: make the stream and currentEpoch durable, then ACK (ZOOKEEPER-3911/4643/4646). */
function onNewLeader(r: ReplicaCore, learner: LearnerState, zxid: Zxid): void {
  if (!inSync(learner)) return;
  const epoch = learner.newEpoch;
  assert(epoch !== undefined && epochOf(zxid) === epoch, "NEWLEADER of another epoch");
  assert(epoch >= r.currentEpoch, "a NEWLEADER never lowers currentEpoch");
  const records: PersistRecord[] = [{ type: "currentEpoch", epoch }, ...applySyncStart(r, learner)];
  for (const entry of learner.syncEntries) {
    r.log.append(entry);
    records.push({ type: "txn", entry });
  }
  if (learner.syncEntries.some((entry) => entry.zxid > learner.syncCommitTo)) {
    // Proposals the leader sent after the sync point and has not committed yet: they must be
    // durable before this ACK (Learner.syncWithLeader, ZOOKEEPER-4646).
    mark("learner: NEWLEADER with uncommitted proposals in flight");
  }
  learner.phase = "newleader-persisting";
  if (r.config.bugs.has("ack-before-fsync")) {
    r.persist(records, { kind: "none" });
    r.currentEpoch = epoch;
    send(r, { type: "ACK", zxid });
    learner.phase = "newleader-acked";
    return;
  }
  r.persist(records, { kind: "learnerNewLeader", zxid });
}

/** UPTODATE: serve; apply what the stream committed; ACK the stream's uncommitted proposals. */
function onUpToDate(r: ReplicaCore, learner: LearnerState): void {
  if (learner.phase !== "newleader-acked") {
    mark("learner: UPTODATE before NEWLEADER was durable");
    r.becomeLooking();
    return;
  }
  const epoch = learner.newEpoch;
  assert(epoch !== undefined && epoch === r.currentEpoch, "UPTODATE without the new epoch");
  learner.phase = "uptodate";
  send(r, { type: "ACK", zxid: makeZxid(epoch, 0) });
  r.setState(learner.observer ? "OBSERVING" : "FOLLOWING", "BROADCAST");
  deliverAndAnswer(r, learner.syncCommitTo);
  const applied = Math.min(learner.syncCommitTo, r.log.lastLoggedZxid);
  const processed = r.stateMachine.lastProcessedZxid;
  assert(processed >= applied, "UPTODATE applies everything the stream committed");
  updateElectionVote(r, epoch);
  if (!learner.observer) {
    for (const entry of learner.syncEntries) {
      if (entry.zxid > learner.syncCommitTo) send(r, { type: "ACK", zxid: entry.zxid });
    }
  }
  learner.syncEntries.length = 0;
}

/** Every tickTime/2: give up on a leader silent for initLimit (sync) or syncLimit ticks. */
export function onLearnerTimer(r: ReplicaCore): void {
  const learner = learnerOf(r);
  const synced = afterNewLeader(learner) && learner.phase !== "newleader-persisting";
  const limit = synced ? r.config.syncLimit : r.config.initLimit;
  if (r.now - learner.lastHeardMicros > limit * r.tickMicros) {
    if (synced) mark("learner: leader silent past syncLimit");
    else mark("learner: no sync within initLimit");
    r.becomeLooking();
    return;
  }
  if (learner.phase === "connecting") {
    // Learner.connectToLeader retries: the leader may not have been LEADING yet.
    mark("learner: FOLLOWERINFO re-sent");
    sendOpening(r, learner);
  }
  r.setTimer("learnerTimer", Math.floor(r.tickMicros / 2));
}
