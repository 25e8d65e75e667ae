/**
 * The replica: one ZooKeeper server as a pure step function. `step(input)` mutates only this
 * object and returns the effects the host must carry out. Role dispatch goes through the
 * become* transitions here; the state and the helpers every role uses are the core's
 * (core.ts); what each role does with a message lives in its own file (election.ts, leader*.ts,
 * learner.ts, serve.ts).
 */
import { assert, assertNever, mark } from "../util/index.js";
import type { Prng } from "../util/index.js";
import type { ReplicaConfig } from "./config.js";
import { isVoter } from "./config.js";
import type { ServerId, Zxid } from "./ids.js";
import type { Input, Effect, TimerName } from "./io.js";
import type { HandshakeMessage, Message, SealedEnvelope } from "./messages.js";
import type { ElectionChannels } from "./election-channel.js";
import type { AfterPersist } from "./role-state.js";
import { newElectionState } from "./role-state.js";
import { MICROS_PER_MS, ReplicaCore } from "./core.js";
import { StateMachine } from "./state-machine.js";
import { TxnLog } from "./txn-log.js";
import { onElectionTimer, onFinalizeTimer, onNotification, startElection } from "./election.js";
import {
  newLeaderState, onLeaderHandshake, onLeaderPacket, onLeaderTimer, leaderAfterPersist,
} from "./leader.js";
import {
  newLearnerState, onLearnerHandshake, onLearnerPacket, onLearnerTimer, learnerAfterPersist,
} from "./learner.js";
import { failPendingClients, onClientInput, onConnect } from "./serve.js";
import { recover } from "./recovery.js";
import { initializeNextSessionId } from "../tree/index.js";
import { checkInvariants } from "./invariants.js";

export type { ZabState } from "./core.js";
export { MICROS_PER_MS, connectionLoss } from "./core.js";

export class Replica extends ReplicaCore {
  constructor(config: ReplicaConfig, prng: Prng) {
    super(config, prng);
  }

  /** Handles one input and returns the effects to carry out, in order. */
  step(input: Input): Effect[] {
    this.out = [];
    this.now = input.now;
    this.elapsed = input.elapsed ?? input.now;
    if (input.kind === "restart") this.onRestart(input.recovered);
    else if (input.kind === "connect") onConnect(this, input);
    else if (input.kind === "clientRequest") onClientInput(this, input);
    else if (input.kind === "disconnect") this.endConnection(input.client);
    else if (this.started && this.halted === undefined) this.dispatch(input);
    const effects = this.out;
    this.out = [];
    if (this.started) checkInvariants(this);
    return effects;
  }

  private dispatch(
    input: Exclude<Input, { kind: "restart" | "connect" | "clientRequest" | "disconnect" }>,
  ): void {
    switch (input.kind) {
      case "receive":
        this.onReceive(input.from, input.msg);
        return;
      case "timeout":
        this.onTimeout(input.timer);
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
    if (!this.config.voters.includes(from) && !this.config.observers.includes(from)) {
      // Only the configuration's servers are peers. ZooKeeper without quorum auth would still
      // read an unknown sid's notification (FLE answers a non-voter over the socket it opened);
      // here the only outsider is the attacker, whose node does not exist to be answered, so
      // its message is dropped, and counted when quorum traffic is secure.
      mark("replica: message from outside the configuration dropped");
      this.refuseChannelMessage();
      return;
    }
    if (this.elections !== undefined) {
      if (msg.kind === "notification") return this.refuseChannelMessage();
      if (msg.kind !== "quorum" && msg.channel === "election") {
        return this.onElectionMessage(from, msg, this.elections);
      }
    }
    if (msg.kind === "notification") {
      onNotification(this, from, msg);
      return;
    }
    if (msg.kind === "handshake") {
      if (this.state === "LEADING") onLeaderHandshake(this, from, msg);
      else if (this.learner !== undefined) onLearnerHandshake(this, from, msg);
      return;
    }
    if (this.state === "LEADING") onLeaderPacket(this, from, msg);
    else if (this.learner !== undefined) onLearnerPacket(this, from, msg);
    // A LOOKING server has no quorum connection: the packet finds no listener and is dropped.
  }

  /** Secure quorum: an election session's handshake or frame (election-channel.ts). */
  private onElectionMessage(
    from: ServerId, msg: HandshakeMessage | SealedEnvelope, elections: ElectionChannels,
  ): void {
    if (msg.kind === "handshake") {
      for (const out of elections.onHandshake(from, msg)) this.sendRaw(from, out);
      return;
    }
    const { notification, out } = elections.open(from, msg);
    for (const reply of out) this.sendRaw(from, reply);
    if (notification !== undefined) onNotification(this, from, notification);
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
      case "containerTimer":
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
    this.connections.clear();
    // A restart drops every connection, so no handshake waits any more.
    this.handshakes.clear();
    this.elections?.reset();
    this.leader = undefined;
    this.learner = undefined;
    this.undelivered = [];
    this.sinceSnapshot = 0;
    this.logGeneration += 1;
    this.log = new TxnLog(durable.snapshot, durable.entries, 0 as Zxid);
    this.log.markDurable(this.log.lastLoggedZxid);
    this.stateMachine = StateMachine.restore(durable.snapshot);
    this.lastDeliveredZxid = durable.snapshot.zxid;
    this.treeZxidFloor = durable.treeZxidFloor; // the snapshot's name, unless the log passed it
    this.election = newElectionState();
    this.nextSessionId = initializeNextSessionId(this.myid, Math.floor(this.now / MICROS_PER_MS));
    if (this.halted !== undefined) {
      mark("replica: refused to start on a damaged data dir");
      return;
    }
    this.observe({
      kind: "restore", node: this.myid, cause: "restart",
      zxid: durable.snapshot.zxid, digest: this.stateMachine.digest(),
    });
    this.becomeLooking();
  }

  // ---- role transitions ------------------------------------------------------------------

  private leaveRole(): void {
    this.roleGeneration += 1;
    for (const timer of ["finalizeTimer", "phaseTimer", "pingTimer", "learnerTimer",
      "containerTimer"] as const) {
      this.emit({ kind: "cancelTimer", timer });
    }
    failPendingClients(this);
    const phase = this.learner?.phase;
    if (phase !== undefined && phase !== "connecting" && phase !== "uptodate") {
      // The learner gave up on its leader between LEADERINFO and UPTODATE: a leader change
      // during synchronization, where ZOOKEEPER-3911/4643/4646 lived.
      mark("learner: left its leader during synchronization");
    }
    if (this.leader !== undefined && this.leader.phase !== "broadcast") {
      mark("leader: left the role before it was established");
    }
    if (this.leader !== undefined && this.undelivered.length > 0) {
      // A prospective leader that never got a quorum must not keep its initial history applied:
      // it is not committed until NEWLEADER is acknowledged (Zab phase 2).
      mark("leader: abandoned before established");
      this.rebuildTree(this.lastDeliveredZxid);
      this.undelivered = [];
    }
    this.stateMachine.stopLeading();
    this.closeConnections();
    this.leader = undefined;
    this.learner = undefined;
  }

  /**
   * A role ends with its process alive: its sockets close (Learner.shutdown, Leader.shutdown →
   * LearnerHandler.shutdown), and each peer reads a FIN after the last packet sent to it.
   */
  private closeConnections(): void {
    const connections = this.learner !== undefined
      ? [this.learner.connection]
      : [...(this.leader?.handlers.values() ?? [])].map((h) => h.connection);
    for (const connection of connections) {
      const fin = connection.close();
      if (fin !== undefined) this.emit({ kind: "send", to: connection.peer, msg: fin });
    }
  }

  /**
   * The process is killed (kill -9) on a machine that stays up: the operating system closes its
   * sockets, so each quorum peer reads a FIN after the last packet sent to it (a learner of a
   * killed leader goes back to election at once, a leader drops the killed learner's handler).
   * The effects are the FINs; the host crashes the replica right after, so its next input is a
   * restart. A crashed machine, by contrast, sends nothing.
   */
  closeSocketsOnKill(): Effect[] {
    this.out = [];
    if (this.started && this.halted === undefined) this.closeConnections();
    const effects = this.out;
    this.out = [];
    return effects;
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

  /**
   * Leader.lead starts with zk.loadData(): the whole log is the prospective leader's initial
   * history. It is applied now (SNAP needs the tree) and reported once established.
   */
  private applyInitialHistory(): void {
    assert(this.undelivered.length === 0, "initial history already applied");
    const from = this.stateMachine.lastProcessedZxid;
    for (const entry of this.log.between(from, this.log.lastLoggedZxid)) {
      this.stateMachine.apply(entry);
      this.undelivered.push({ entry, digest: this.stateMachine.digest() });
    }
  }

  protected runAfterPersist(after: AfterPersist): void {
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
}
