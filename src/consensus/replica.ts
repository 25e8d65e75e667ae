/**
 * The replica: one ZooKeeper server as a pure step function. `step(input)` mutates only this
 * object and returns the effects the host must carry out. Role dispatch goes through the
 * become* transitions here; what each role does with a message lives in its own file
 * (election.ts, leader*.ts, learner*.ts, serve.ts).
 */
import { assert, assertNever, makeZxid, mark } from "../util/index.js";
import type { Prng } from "../util/index.js";
import type { ReplicaConfig } from "./config.js";
import { isVoter } from "./config.js";
import type { ClientId, Epoch, ServerId, Zxid } from "./ids.js";
import type { ProtocolObservation as Observation, PeerState } from "../observe/index.js";
import type { Effect, Input, PersistRecord, TimerName } from "./io.js";
import type { Message, QuorumPacket } from "./messages.js";
import type { ClientResult, LogEntry, Origin } from "./state-machine.js";
import { StateMachine, fingerprint } from "./state-machine.js";
import { TxnLog } from "./txn-log.js";
import type { StatedVote } from "./vote.js";
import type { ElectionState } from "./election.js";
import {
  newElectionState, onElectionTimer, onFinalizeTimer, onNotification, startElection,
} from "./election.js";
import type { LeaderState } from "./leader.js";
import { newLeaderState, onLeaderPacket, onLeaderTimer, leaderAfterPersist } from "./leader.js";
import type { LearnerState } from "./learner.js";
import {
  newLearnerState, onLearnerPacket, onLearnerTimer, learnerAfterPersist,
} from "./learner.js";
import { clientKey, isServing, onClientRequest, failPendingClients } from "./serve.js";
import { recover } from "./recovery.js";
import { initializeNextSessionId } from "../tree/index.js";
import { checkInvariants } from "./invariants.js";

/** ZooKeeper's ZabState: the phase within the current role. */
export type ZabState = "ELECTION" | "DISCOVERY" | "SYNCHRONIZATION" | "BROADCAST";

/** What to do once a persist completes, if the role that issued it is still current. */
export type AfterPersist =
  | { readonly kind: "none" }
  | { readonly kind: "leaderAcceptedEpoch"; readonly epoch: Epoch }
  | { readonly kind: "leaderCurrentEpoch"; readonly epoch: Epoch }
  | { readonly kind: "leaderProposal"; readonly zxid: Zxid }
  | { readonly kind: "learnerAcceptedEpoch"; readonly epoch: Epoch }
  | { readonly kind: "learnerNewLeader"; readonly zxid: Zxid }
  | { readonly kind: "learnerProposal"; readonly zxid: Zxid };

interface PendingWrite {
  readonly writeId: number;
  readonly role: number;
  readonly logGeneration: number;
  readonly durableZxid: Zxid;
  readonly after: AfterPersist;
}

/** Microseconds per millisecond: ZooKeeper configures ms, the world counts µs. */
export const MICROS_PER_MS = 1000;

export class Replica {
  readonly config: ReplicaConfig;
  readonly prng: Prng;
  readonly myid: ServerId;
  /** False until the first restart input. */
  started = false;
  /** Set when the data dir was unusable at start; the replica then ignores every input. */
  halted: string | undefined;
  /** Local clock reading of the input being handled (µs). */
  now = 0;
  state: PeerState = "LOOKING";
  zabState: ZabState = "ELECTION";
  /** Durable: the last epoch accepted from a LEADERINFO (or chosen as leader). */
  acceptedEpoch = 0 as Epoch;
  /** Durable: the last epoch whose NEWLEADER this server accepted. Invariant: <= acceptedEpoch. */
  currentEpoch = 0 as Epoch;
  log: TxnLog;
  tree: StateMachine;
  /** The last zxid reported in a deliver/restore observation. Invariant: <= tree's. */
  lastDeliveredZxid = 0 as Zxid;
  /** Applied by a prospective leader but not yet reported (its initial history). */
  undelivered: { entry: LogEntry; digest: string }[] = [];
  /** This server's current vote; settled (not LOOKING) once election ends. */
  vote: StatedVote;
  election: ElectionState;
  leader: LeaderState | undefined;
  learner: LearnerState | undefined;
  /** Bumped by every become*: persist continuations of an older role are ignored. */
  roleGeneration = 0;
  /** Bumped by truncate/reset: durability marks issued before are stale. */
  logGeneration = 0;
  /** Transactions delivered since the last local snapshot. */
  sinceSnapshot = 0;
  /** The next session id this server hands out (SessionTrackerImpl.initializeNextSessionId). */
  private nextSessionId = 0;
  /** Client writes and syncs this server accepted and has not answered, by clientKey. */
  readonly pendingClients = new Map<string, Origin>();
  private nextWriteId = 1;
  private readonly pendingWrites: PendingWrite[] = [];
  private out: Effect[] = [];

  constructor(config: ReplicaConfig, prng: Prng) {
    this.config = config;
    this.prng = prng;
    this.myid = config.myid;
    this.log = new TxnLog(new StateMachine().snapshot(), [], 0 as Zxid);
    this.tree = new StateMachine();
    this.election = newElectionState();
    this.vote = {
      leader: this.myid, zxid: 0 as Zxid, electionEpoch: 0, peerEpoch: 0 as Epoch, state: "LOOKING",
    };
  }

  /** Handles one input and returns the effects to carry out, in order. */
  step(input: Input): Effect[] {
    this.out = [];
    this.now = input.now;
    if (input.kind === "restart") this.onRestart(input.recovered);
    else if (this.started && this.halted === undefined) this.dispatch(input);
    else if (input.kind === "clientRequest") {
      this.reply(input.client, input.requestId, connectionLoss(this));
    }
    const effects = this.out;
    this.out = [];
    if (this.started) checkInvariants(this);
    return effects;
  }

  private dispatch(input: Exclude<Input, { kind: "restart" }>): void {
    switch (input.kind) {
      case "receive":
        this.onReceive(input.from, input.msg);
        return;
      case "timeout":
        this.onTimeout(input.timer);
        return;
      case "clientRequest":
        onClientRequest(this, input);
        return;
      case "persisted":
        this.onPersisted(input.writeId);
        return;
      default:
        assertNever(input, "input");
    }
  }

  private onReceive(from: ServerId, msg: Message): void {
    assert(from !== this.myid, "a replica does not message itself");
    if (msg.kind === "notification") {
      onNotification(this, from, msg);
      return;
    }
    if (this.state === "LEADING") onLeaderPacket(this, from, msg);
    else if (this.learner !== undefined) onLearnerPacket(this, from, msg);
    // A LOOKING server has no quorum connection: the packet finds no listener and is dropped.
  }

  private onTimeout(timer: TimerName): void {
    switch (timer) {
      case "electionTimer":
        if (this.state === "LOOKING") onElectionTimer(this);
        return;
      case "finalizeTimer":
        if (this.state === "LOOKING") onFinalizeTimer(this);
        return;
      case "phaseTimer":
      case "pingTimer":
        if (this.leader !== undefined) onLeaderTimer(this, timer);
        return;
      case "learnerTimer":
        if (this.learner !== undefined) onLearnerTimer(this);
        return;
      default:
        assertNever(timer, "timer");
    }
  }

  // ---- restart and recovery -------------------------------------------------------------

  private onRestart(recovered: Parameters<typeof recover>[0]): void {
    const durable = recover(recovered);
    this.started = true;
    this.halted = durable.halted;
    this.acceptedEpoch = durable.acceptedEpoch;
    this.currentEpoch = durable.currentEpoch;
    this.pendingWrites.length = 0;
    this.leader = undefined;
    this.learner = undefined;
    this.undelivered = [];
    this.sinceSnapshot = 0;
    this.logGeneration += 1;
    this.log = new TxnLog(durable.snapshot, durable.entries, 0 as Zxid);
    this.log.markDurable(this.log.lastLoggedZxid);
    this.tree = StateMachine.restore(durable.snapshot);
    this.lastDeliveredZxid = durable.snapshot.zxid;
    this.election = newElectionState();
    this.nextSessionId = initializeNextSessionId(this.myid, Math.floor(this.now / MICROS_PER_MS));
    if (this.halted !== undefined) {
      mark("replica: refused to start on a damaged data dir");
      return;
    }
    this.observe({
      kind: "restore", node: this.myid, cause: "restart",
      zxid: durable.snapshot.zxid, digest: this.tree.digest(),
    });
    this.becomeLooking();
  }

  // ---- role transitions ------------------------------------------------------------------

  private leaveRole(): void {
    this.roleGeneration += 1;
    for (const timer of ["finalizeTimer", "phaseTimer", "pingTimer", "learnerTimer"] as const) {
      this.emit({ kind: "cancelTimer", timer });
    }
    failPendingClients(this);
    if (this.leader !== undefined && this.undelivered.length > 0) {
      // A prospective leader that never got a quorum must not keep its initial history applied:
      // it is not committed until NEWLEADER is acknowledged (Zab phase 2).
      mark("leader: abandoned before established");
      this.rebuildTree(this.lastDeliveredZxid);
      this.undelivered = [];
    }
    this.tree.stopLeading();
    this.leader = undefined;
    this.learner = undefined;
  }

  /** Back to leader election (QuorumPeer sets LOOKING after a role ends). */
  becomeLooking(): void {
    this.leaveRole();
    this.setState("LOOKING", "ELECTION");
    startElection(this);
  }

  /** Election chose us (FastLeaderElection → Leader.lead). */
  becomeLeading(): void {
    this.leaveRole();
    this.emit({ kind: "cancelTimer", timer: "electionTimer" });
    this.setState("LEADING", "DISCOVERY");
    this.applyInitialHistory();
    this.leader = newLeaderState(this);
  }

  /** Election chose another server (Follower.followLeader / Observer.observeLeader). */
  becomeLearner(leader: ServerId): void {
    assert(leader !== this.myid, "cannot follow myself");
    this.leaveRole();
    this.emit({ kind: "cancelTimer", timer: "electionTimer" });
    const observer = !isVoter(this.config, this.myid);
    this.setState(observer ? "OBSERVING" : "FOLLOWING", "DISCOVERY");
    this.learner = newLearnerState(this, leader, observer);
  }

  setState(state: PeerState, zabState: ZabState): void {
    const changed = state !== this.state || zabState === "ELECTION";
    this.state = state;
    this.zabState = zabState;
    if (changed) this.observe({ kind: "state", node: this.myid, state, epoch: this.acceptedEpoch });
  }

  /**
   * Leader.lead starts with zk.loadData(): the whole log is the prospective leader's initial
   * history. It is applied now (SNAP needs the tree) and reported once established.
   */
  private applyInitialHistory(): void {
    assert(this.undelivered.length === 0, "initial history already applied");
    for (const entry of this.log.between(this.tree.lastProcessedZxid, this.log.lastLoggedZxid)) {
      this.tree.apply(entry);
      this.undelivered.push({ entry, digest: this.tree.digest() });
    }
  }

  // ---- tree ------------------------------------------------------------------------------

  /** Applies committed log entries up to `zxid`, reporting each; returns their results. */
  deliverUpTo(zxid: number): { entry: LogEntry; result: ClientResult }[] {
    const applied: { entry: LogEntry; result: ClientResult }[] = [];
    for (const entry of this.log.between(this.tree.lastProcessedZxid, zxid)) {
      const result = this.tree.apply(entry);
      this.reportDelivered(entry, this.tree.digest());
      applied.push({ entry, result });
    }
    assert(this.tree.lastProcessedZxid >= Math.min(zxid, this.log.lastLoggedZxid), "deliver gap");
    return applied;
  }

  reportDelivered(entry: LogEntry, digest: string): void {
    assert(entry.zxid > this.lastDeliveredZxid, "deliveries must ascend");
    this.lastDeliveredZxid = entry.zxid;
    const txn = fingerprint(entry.txn);
    this.observe({ kind: "deliver", node: this.myid, zxid: entry.zxid, txn, digest });
    this.sinceSnapshot += 1;
  }

  /** Reports the initial history a prospective leader applied, once it is established. */
  flushUndelivered(): void {
    for (const { entry, digest } of this.undelivered) this.reportDelivered(entry, digest);
    this.undelivered = [];
  }

  /** Rebuilds the tree from the base snapshot and the log up to `zxid` (no reports). */
  rebuildTree(zxid: number): void {
    assert(zxid >= this.log.snapshot.zxid, "cannot rebuild below the snapshot");
    this.tree = StateMachine.restore(this.log.snapshot);
    for (const entry of this.log.between(this.log.snapshot.zxid, zxid)) this.tree.apply(entry);
  }

  /** Takes a local snapshot after snapCount deliveries (SyncRequestProcessor's rule). */
  maybeSnapshot(): boolean {
    if (this.sinceSnapshot < this.config.snapCount) return false;
    if (this.undelivered.length > 0) return false;
    if (this.tree.lastProcessedZxid !== this.lastDeliveredZxid) return false;
    const snapshot = this.tree.snapshot();
    this.sinceSnapshot = 0;
    this.log.compact(snapshot, this.config.committedLogMax);
    this.persist([{ type: "snapshot", snapshot, fromLeader: false }], { kind: "none" });
    mark("storage: local snapshot taken");
    return true;
  }

  // ---- effects ---------------------------------------------------------------------------

  emit(effect: Effect): void {
    this.out.push(effect);
  }

  observe(observation: Observation): void {
    this.out.push({ kind: "observe", observation });
  }

  sendPacket(to: ServerId, packet: QuorumPacket, conn: { wrap(p: QuorumPacket): Message }): void {
    this.out.push({ kind: "send", to, msg: conn.wrap(packet) });
  }

  setTimer(timer: TimerName, afterMicros: number): void {
    assert(Number.isSafeInteger(afterMicros) && afterMicros > 0, "timer delays are positive µs");
    this.out.push({ kind: "setTimer", timer, afterMicros });
  }

  reply(client: ClientId, requestId: number, result: ClientResult): void {
    this.out.push({ kind: "reply", client, requestId, result });
  }

  /** Answers a waiting client of this server, once (a request no longer waiting is skipped). */
  answer(origin: Origin, result: ClientResult): void {
    assert(origin.server === this.myid, "only the connection's server answers");
    const key = clientKey(origin);
    if (!this.pendingClients.has(key)) return;
    this.pendingClients.delete(key);
    this.reply(origin.client, origin.requestId, result);
  }

  /** A fresh session id for a client connecting here (its top byte is this server's id). */
  allocateSessionId(): number {
    const sessionId = this.nextSessionId;
    this.nextSessionId += 1;
    assert(Number.isSafeInteger(this.nextSessionId), "session ids exhausted");
    return sessionId;
  }

  /** tickTime in µs. */
  get tickMicros(): number {
    return this.config.tickTimeMs * MICROS_PER_MS;
  }

  /** The new epoch's first zxid, makeZxid(epoch, 0). */
  static epochZxid(epoch: number): Zxid {
    return makeZxid(epoch, 0);
  }

  // ---- persistence -----------------------------------------------------------------------

  /**
   * Issues a durable write. The continuation runs only on `persisted{writeId}`, never in this
   * step: durability before acknowledgement (Zab paper §5; Learner.syncWithLeader).
   */
  persist(records: readonly PersistRecord[], after: AfterPersist): number {
    assert(records.length > 0, "an empty persist");
    for (const record of records) {
      if (record.type !== "txn") continue;
      assert(record.entry.txn.header.zxid === record.entry.zxid, "a logged txn carries its zxid");
      assert(this.log.entry(record.entry.zxid) === record.entry, "persist only what is logged");
    }
    const writeId = this.nextWriteId;
    this.nextWriteId += 1;
    this.pendingWrites.push({
      writeId, role: this.roleGeneration, logGeneration: this.logGeneration,
      durableZxid: this.log.lastLoggedZxid, after,
    });
    this.out.push({ kind: "persist", writeId, records });
    return writeId;
  }

  private onPersisted(writeId: number): void {
    const write = this.pendingWrites.shift();
    assert(write !== undefined, "persisted without a pending write", { writeId });
    const expected = write.writeId;
    assert(expected === writeId, "writes complete in issue order", { writeId, expected });
    if (write.logGeneration === this.logGeneration) {
      this.log.markDurable(Math.min(write.durableZxid, this.log.lastLoggedZxid) as Zxid);
    }
    if (write.role !== this.roleGeneration) {
      mark("persist: continuation of an old role dropped");
      return;
    }
    this.runAfterPersist(write.after);
  }

  private runAfterPersist(after: AfterPersist): void {
    switch (after.kind) {
      case "none":
        return;
      case "leaderAcceptedEpoch":
      case "leaderCurrentEpoch":
      case "leaderProposal":
        leaderAfterPersist(this, after);
        return;
      case "learnerAcceptedEpoch":
      case "learnerNewLeader":
      case "learnerProposal":
        learnerAfterPersist(this, after);
        return;
      default:
        assertNever(after, "persist continuation");
    }
  }

  /** True when this server answers clients: an established leader or an up-to-date learner. */
  isServing(): boolean {
    return this.started && this.halted === undefined && isServing(this);
  }

  /** Outstanding writes (for invariants and tests). */
  get pendingWriteCount(): number {
    return this.pendingWrites.length;
  }
}

/** The answer a server gives when it cannot serve: the client should try another server. */
export function connectionLoss(replica: Replica): ClientResult {
  return { err: "CONNECTIONLOSS", zxid: replica.tree.lastProcessedZxid };
}
