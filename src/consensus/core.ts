/**
 * The replica's state and the helpers every role uses: the durable epochs, the txn log and the
 * state machine (tree), the role records, and the effect queue with its emitters (send, persist,
 * reply, timers, observations). It is abstract: the become* transitions and the persist
 * continuations are the concrete Replica's (replica.ts), which imports the role files; the role
 * files import only this core, so no role file and replica.ts import each other.
 */
import { assert, makeZxid, mark } from "../util/index.js";
import type { Prng } from "../util/index.js";
import type { ProtocolObservation as Observation, PeerState } from "../observe/index.js";
import type { ReplicaConfig } from "./config.js";
import type { ClientId, Epoch, ServerId, Zxid } from "./ids.js";
import type { WatchEvent } from "../tree/index.js";
import type { Effect, PersistRecord, TimerName } from "./io.js";
import type { ConnectionMessage, Message, QuorumPacket } from "./messages.js";
import { ElectionChannels } from "./election-channel.js";
import { seededRandom } from "../crypto/index.js";
import type { ChannelSetup } from "./channel-end.js";
import type {
  AfterPersist, ElectionState, LeaderState, LearnerState,
} from "./role-state.js";
import { newElectionState } from "./role-state.js";
import type { ClientResult, LogEntry, Origin } from "./state-machine.js";
import type { HeldRequest } from "./session-queue.js";
import { SessionQueues } from "./session-queue.js";
import { StateMachine, fingerprint, isWrite } from "./state-machine.js";
import { TxnLog } from "./txn-log.js";
import type { StatedVote } from "./vote.js";

/** ZooKeeper's ZabState: the phase within the current role. */
export type ZabState = "ELECTION" | "DISCOVERY" | "SYNCHRONIZATION" | "BROADCAST";

interface PendingWrite {
  readonly writeId: number;
  readonly role: number;
  readonly logGeneration: number;
  readonly durableZxid: Zxid;
  readonly after: AfterPersist;
}

/** Microseconds per millisecond: ZooKeeper configures ms, the world counts µs. */
export const MICROS_PER_MS = 1000;

/** Connect handshakes use negative request ids, so they never meet a client's own. */
export function isConnectId(requestId: number): boolean {
  return requestId < 0;
}

/** The key of a waiting request. */
export function clientKey(origin: Pick<Origin, "client" | "requestId">): string {
  return `${origin.client}:${origin.requestId}`;
}

export abstract class ReplicaCore {
  readonly config: ReplicaConfig;
  readonly prng: Prng;
  readonly myid: ServerId;
  /** False until the first restart input. */
  started = false;
  /** Set when the data dir was unusable at start; the replica then ignores every input. */
  halted: string | undefined;
  /** Local clock reading of the input being handled (µs). */
  now = 0;
  /** Monotonic clock reading of the input being handled (µs): session timeouts run on it. */
  elapsed = 0;

  /** The monotonic clock in whole milliseconds, for the session tracker. */
  get elapsedMs(): number {
    return Math.floor(this.elapsed / MICROS_PER_MS);
  }
  state: PeerState = "LOOKING";
  zabState: ZabState = "ELECTION";
  /** Durable: the last epoch accepted from a LEADERINFO (or chosen as leader). */
  acceptedEpoch = 0 as Epoch;
  /** Durable: the last epoch whose NEWLEADER this server accepted. Invariant: <= acceptedEpoch. */
  currentEpoch = 0 as Epoch;
  log: TxnLog;
  /** The replicated state machine: the znode tree plus, on a leader, its prep state. */
  stateMachine: StateMachine;
  /** The last zxid reported in a deliver/restore observation. Invariant: <= stateMachine's. */
  lastDeliveredZxid = 0 as Zxid;
  /**
   * ZooKeeper's data tree lastProcessedZxid where it is not a txn's zxid: makeZxid(epoch, 0) once
   * this server led epoch `epoch` to broadcast (Leader.startZkServer), or the leader's value a
   * SNAP carried (Learner.syncWithLeader); 0 otherwise. Volatile (a restart reloads the tree),
   * cleared by TRUNC (ZKDatabase.truncateLog reloads it). Only votes and what clients see read
   * it; logs, deliveries and the sync plan keep txn zxids.
   */
  treeZxidFloor = 0;
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
  protected nextSessionId = 0;
  /**
   * Open client connections: client -> its session (ServerCnxn.sessionId). Volatile: a restart
   * drops every connection. Invariant: each session id is a positive safe integer.
   */
  readonly connections = new Map<ClientId, number>();
  /**
   * Numbers this process's connect handshakes -1, -2, … (negative, so they never meet a client's
   * own request ids). Not reset by a restart, so a handshake id is never reused.
   */
  private nextConnectId = 1;
  /**
   * The handshake each client's open connection waits for (its createSession's request id). A
   * handshake answered after its connection closed or was replaced is dropped, as ZooKeeper
   * drops the ConnectResponse of a closed cnxn: it must not reach the client's next connection.
   */
  protected readonly handshakes = new Map<ClientId, number>();
  /** Notifications held back by the planted bug "late-watch", by client. */
  private readonly heldNotifications = new Map<ClientId, WatchEvent[]>();
  /** Client writes and syncs this server accepted and has not answered, by clientKey. */
  readonly pendingClients = new Map<string, Origin>();
  /**
   * Each session's requests held behind its unanswered write (CommitProcessor.pendingRequests).
   * Volatile, emptied with pendingClients when the role ends.
   */
  readonly sessionQueues = new SessionQueues();
  private nextWriteId = 1;
  protected readonly pendingWrites: PendingWrite[] = [];
  protected out: Effect[] = [];
  /**
   * Secure quorum's per-replica state (channel-end.ts): identity, pinned keys, the stream that
   * ephemeral keys come from (its own fork, so plain runs draw exactly as before), and the count
   * of refused frames, which outlives restarts. Undefined when quorum traffic is plain.
   */
  readonly channel: ChannelSetup | undefined;
  /** Secure quorum's election sessions (election-channel.ts); volatile. */
  readonly elections: ElectionChannels | undefined;

  constructor(config: ReplicaConfig, prng: Prng) {
    this.config = config;
    this.prng = prng;
    this.myid = config.myid;
    const secure = config.secureQuorum;
    this.channel = secure === undefined ? undefined : {
      identity: secure.identity, peers: secure.peers, bugs: config.bugs,
      random: seededRandom(prng.fork("channel")), counters: { rejected: 0 },
    };
    const conns = prng.fork("election-conn");
    this.elections = this.channel === undefined
      ? undefined : new ElectionChannels(this.channel, this.myid, () => conns.nextUint32());
    this.log = new TxnLog(new StateMachine().snapshot(), [], 0 as Zxid);
    this.stateMachine = new StateMachine();
    this.election = newElectionState();
    this.vote = {
      leader: this.myid, zxid: 0 as Zxid, electionEpoch: 0, peerEpoch: 0 as Epoch, state: "LOOKING",
    };
  }

  /** Back to leader election (QuorumPeer sets LOOKING after a role ends). */
  abstract becomeLooking(): void;

  /** Election chose us (FastLeaderElection → Leader.lead). */
  abstract becomeLeading(): void;

  /** Election chose another server (Follower.followLeader / Observer.observeLeader). */
  abstract becomeLearner(leader: ServerId): void;

  /** Runs what a durable write was waiting for, in the role that issued it. */
  protected abstract runAfterPersist(after: AfterPersist): void;

  setState(state: PeerState, zabState: ZabState): void {
    const changed = state !== this.state || zabState === "ELECTION";
    this.state = state;
    this.zabState = zabState;
    if (changed) this.observe({ kind: "state", node: this.myid, state, epoch: this.acceptedEpoch });
  }

  // ---- tree ------------------------------------------------------------------------------

  /** Applies committed log entries up to `zxid`, reporting each; returns their results. */
  deliverUpTo(zxid: number): { entry: LogEntry; result: ClientResult }[] {
    const applied: { entry: LogEntry; result: ClientResult }[] = [];
    for (const entry of this.log.between(this.stateMachine.lastProcessedZxid, zxid)) {
      const result = this.stateMachine.apply(this.plantedApply(entry));
      this.reportDelivered(entry, this.stateMachine.digest());
      if (entry.txn.body.type === "closeSession") this.reportSessionClosed(entry);
      applied.push({ entry, result });
    }
    const reached = Math.min(zxid, this.log.lastLoggedZxid);
    assert(this.stateMachine.lastProcessedZxid >= reached, "deliver gap");
    return applied;
  }

  /**
   * The planted bug "skip-close-ephemerals": a learner applies a closeSession as a no-op txn, so
   * the session's ephemerals stay in its tree. Every other entry applies as logged.
   */
  private plantedApply(entry: LogEntry): LogEntry {
    if (!this.config.bugs.has("skip-close-ephemerals") || this.learner === undefined) return entry;
    if (entry.txn.body.type !== "closeSession") return entry;
    mark("bug: closeSession applied without its deletions");
    const header = { ...entry.txn.header, type: "error" as const };
    return { ...entry, txn: { header, body: { type: "error", err: "OK" } } };
  }

  /** A closeSession applied: how many nodes the session still owns here (it must be none). */
  private reportSessionClosed(entry: LogEntry): void {
    const session = entry.txn.header.sessionId;
    const ephemerals = this.stateMachine.ephemeralsOf(session).length;
    this.observe({ kind: "session-closed", node: this.myid, session, zxid: entry.zxid,
      ephemerals });
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
    this.stateMachine = StateMachine.restore(this.log.snapshot);
    for (const entry of this.log.between(this.log.snapshot.zxid, zxid)) {
      this.stateMachine.apply(entry);
    }
  }

  /** Takes a local snapshot after snapCount deliveries (SyncRequestProcessor's rule). */
  maybeSnapshot(): boolean {
    if (this.sinceSnapshot < this.config.snapCount) return false;
    if (this.undelivered.length > 0) return false;
    if (this.stateMachine.lastProcessedZxid !== this.lastDeliveredZxid) return false;
    const snapshot = this.stateMachine.snapshot();
    this.sinceSnapshot = 0;
    this.log.compact(snapshot, this.config.committedLogMax);
    const named = this.dataTreeZxid();
    this.persist([{ type: "snapshot", snapshot, fromLeader: false, named }], { kind: "none" });
    mark("storage: local snapshot taken");
    return true;
  }

  // ---- effects ---------------------------------------------------------------------------

  emit(effect: Effect): void {
    if (this.elections !== undefined && effect.kind === "send" &&
      effect.msg.kind === "notification") {
      // Secure quorum: a notification leaves sealed on its election session (or opens one).
      for (const msg of this.elections.send(effect.to, effect.msg)) this.sendRaw(effect.to, msg);
      return;
    }
    this.out.push(effect);
  }

  /** Sends a message as it is (channel messages that are already sealed or handshakes). */
  sendRaw(to: ServerId, msg: Message): void {
    this.out.push({ kind: "send", to, msg });
  }

  observe(observation: Observation): void {
    this.out.push({ kind: "observe", observation });
  }

  sendPacket(
    to: ServerId, packet: QuorumPacket,
    conn: { wrap(p: QuorumPacket): ConnectionMessage | undefined },
  ): void {
    const msg = conn.wrap(packet);
    if (msg !== undefined) this.out.push({ kind: "send", to, msg });
  }

  /** Counts a message refused before any connection took it (an unknown sender, say). */
  refuseChannelMessage(): void {
    if (this.channel !== undefined) this.channel.counters.rejected += 1;
  }

  setTimer(timer: TimerName, afterMicros: number): void {
    assert(Number.isSafeInteger(afterMicros) && afterMicros > 0, "timer delays are positive µs");
    this.out.push({ kind: "setTimer", timer, afterMicros });
  }

  /**
   * Answers request `requestId` of `client`. The answer to a connect handshake's createSession
   * becomes `connected` (the connection now holds the session) or `refused`; an expired session
   * closes the connection, so the client's next request is refused and it reconnects.
   */
  reply(client: ClientId, requestId: number, result: ClientResult): void {
    if (isConnectId(requestId)) {
      // The connection that asked ended meanwhile: its answer would land on another one.
      if (this.handshakes.get(client) !== requestId) {
        mark("serve: handshake answer for a connection that ended dropped");
        return;
      }
      this.handshakes.delete(client);
      if (result.err === "OK" && result.sessionId !== undefined) {
        this.connect(client, result.sessionId);
      } else {
        this.refuse(client);
      }
      return;
    }
    if (result.err === "SESSIONEXPIRED") this.connections.delete(client);
    this.out.push({ kind: "reply", client, requestId, result });
    const held = this.heldNotifications.get(client);
    if (held !== undefined) {
      this.heldNotifications.delete(client);
      for (const event of held) this.out.push({ kind: "notify", client, event });
    }
  }

  /** The client's connection now holds `sessionId` (ConnectResponse with its timeout). */
  connect(client: ClientId, sessionId: number): void {
    assert(Number.isSafeInteger(sessionId) && sessionId > 0, "a connection holds a session id");
    const timeoutMs = this.stateMachine.sessionTimeoutMs(sessionId);
    assert(timeoutMs !== undefined && timeoutMs > 0, "a connected session is committed",
      { sessionId });
    this.connections.set(client, sessionId);
    this.out.push({ kind: "connected", client, sessionId, timeoutMs });
  }

  /**
   * The session is unknown to the ensemble: a ConnectResponse with timeout 0
   * (finishSessionInit with valid false), then the connection closes.
   */
  expired(client: ClientId, sessionId: number): void {
    this.endConnection(client);
    this.out.push({ kind: "connected", client, sessionId, timeoutMs: 0 });
    this.out.push({ kind: "closeConnection", client });
  }

  /**
   * Sends a watch notification to the client whose connection holds the event's session. With
   * the planted bug "late-watch" it waits until after the client's next reply.
   */
  notify(client: ClientId, event: WatchEvent): void {
    if (this.config.bugs.has("late-watch")) {
      const held = this.heldNotifications.get(client) ?? [];
      held.push(event);
      this.heldNotifications.set(client, held);
      return;
    }
    this.out.push({ kind: "notify", client, event });
  }

  /**
   * The client's connection here ended: it and its session's watches go (removeCnxn), and so do
   * its reads still waiting behind a write.
   */
  endConnection(client: ClientId): void {
    this.learner?.revalidating.delete(client);
    this.handshakes.delete(client);
    const sessionId = this.connections.get(client);
    if (sessionId === undefined) return;
    this.sessionQueues.dropReads(client);
    this.connections.delete(client);
    this.stateMachine.removeWatches(sessionId);
  }

  /** The server closes the client's connection (NIOServerCnxn.close). */
  closeConnection(client: ClientId): void {
    this.endConnection(client);
    this.heldNotifications.delete(client);
    this.out.push({ kind: "closeConnection", client });
  }

  /**
   * ZKDatabase.getDataTreeLastProcessedZxid: the tree's last applied txn's zxid, or the floor a
   * leader's startZkServer or a SNAP set (DataTree.processTxn only raises it). Not a Zxid: no txn
   * need have it. Invariant: dataTreeZxid <= max(lastLoggedZxid, makeZxid(currentEpoch, 0)).
   */
  dataTreeZxid(): number {
    return Math.max(this.stateMachine.lastProcessedZxid, this.treeZxidFloor);
  }

  /** The zxid this server reports to clients (reply headers, the connect check). */
  reportedZxid(): number {
    return this.dataTreeZxid();
  }

  /** The client should try another server. */
  refuse(client: ClientId): void {
    this.out.push({ kind: "refused", client });
  }

  /** A fresh request id for the connect handshake of `client`'s open connection. */
  connectRequestId(client: ClientId): number {
    const requestId = -this.nextConnectId;
    this.nextConnectId += 1;
    assert(isConnectId(requestId), "handshake ids are negative");
    this.handshakes.set(client, requestId);
    return requestId;
  }

  /**
   * Answers a waiting client of this server, once (a request no longer waiting is skipped); then
   * the reads its session held behind it are served (CommitProcessor drains the session queue).
   */
  answer(origin: Origin, result: ClientResult): void {
    assert(origin.server === this.myid, "only the connection's server answers");
    const key = clientKey(origin);
    if (!this.pendingClients.has(key)) return;
    this.pendingClients.delete(key);
    this.reply(origin.client, origin.requestId, result);
    for (const held of this.sessionQueues.answered(origin.client, origin.requestId)) {
      this.serveRead(held);
    }
  }

  /**
   * Answers the txn's client, except that SESSIONMOVED is a connection-level error: the server
   * closes the connection instead (FinalRequestProcessor, ZOOKEEPER-710: cnxn.sendCloseSession),
   * so the client reconnects, and its reconnect claims the session for the server it lands on.
   */
  private answerOrClose(origin: Origin, result: ClientResult): void {
    if (result.err !== "SESSIONMOVED") {
      this.answer(origin, result);
      return;
    }
    if (!this.pendingClients.delete(clientKey(origin))) return;
    this.closeConnection(origin.client);
  }

  /**
   * Serves a request that needs no commit from the local tree (FinalRequestProcessor): a ping is
   * answered with the zxid this server reports; a setWatches fires the watches whose nodes
   * changed meanwhile, before its reply.
   */
  serveRead(held: Omit<HeldRequest, "commit">): void {
    const { client, requestId, request } = held;
    if (request.type === "ping") {
      this.reply(client, requestId, { err: "OK", zxid: this.reportedZxid() });
      return;
    }
    assert(!isWrite(request) && request.type !== "sync", "a read", { type: request.type });
    const result = this.stateMachine.read(held.meta, request);
    for (const event of result.read?.events ?? []) this.notify(client, event);
    this.reply(client, requestId, { ...result, zxid: this.reportedZxid() });
  }

  /**
   * After a committed txn is applied (FinalRequestProcessor): its watch notifications go out
   * first, each to the connection holding the watching session; then the txn's own client, if
   * connected here, gets its answer; a closeSession then closes that session's connection here
   * (NIOServerCnxnFactory.closeSession).
   */
  afterApply(entry: LogEntry, result: ClientResult): void {
    const events = result.write?.events ?? [];
    if (events.length > 0 && this.connections.size > 0) {
      const clients = new Map<number, ClientId>();
      for (const [client, sessionId] of this.connections) clients.set(sessionId, client);
      for (const event of events) {
        const client = clients.get(event.sessionId);
        if (client !== undefined) this.notify(client, event);
      }
    }
    const origin = entry.origin;
    if (origin !== undefined && origin.server === this.myid) this.answerOrClose(origin, result);
    if (entry.txn.body.type !== "closeSession") return;
    const sessionId = entry.txn.header.sessionId;
    const holders = [...this.connections].filter(([, held]) => held === sessionId);
    for (const [client] of holders) this.closeConnection(client);
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

  protected onPersisted(writeId: number): void {
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

  /** An established leader or an up-to-date learner (ZooKeeperServer is running). */
  private servingRole(): boolean {
    if (this.leader !== undefined) return this.leader.phase === "broadcast";
    if (this.learner !== undefined) return this.learner.phase === "uptodate";
    return false;
  }

  /** True when this server answers clients: an established leader or an up-to-date learner. */
  isServing(): boolean {
    return this.started && this.halted === undefined && this.servingRole();
  }

  /** Outstanding writes (for invariants and tests). */
  get pendingWriteCount(): number {
    return this.pendingWrites.length;
  }
}

/** The answer a server gives when it cannot serve: the client should try another server. */
export function connectionLoss(replica: ReplicaCore): ClientResult {
  return { err: "CONNECTIONLOSS", zxid: replica.stateMachine.lastProcessedZxid };
}
