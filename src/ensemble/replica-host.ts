/**
 * The host that runs one ZAB replica (src/consensus) inside the world: a plain interpreter. It
 * turns the world's inputs (start/restart, deliveries, timers, fsync completions, crashes) into
 * replica inputs with the node's local clock reading, and the replica's effects into world
 * actions: sends, timers, disk appends plus an fsync barrier per persist, observations into the
 * trace, and the answers to clients (connected, refused, replies). Every decision, the client
 * connection's included, is the replica's. Durable state is one append-only file of sealed
 * records ("zab"), read back on restart and checked record by record (a record that fails its
 * checksum reaches the replica as `damaged`, never as data).
 *
 * Clients speak a small wire protocol (ClientWire) that ZAB_CLIENT_PROTOCOL gives the workload:
 * connect (open or move a session), request, and the server's answers.
 */
import { assert, assertNever } from "../util/assert.js";
import { mark } from "../util/mark.js";
import type {
  BugName, ClientResult, Effect, Input, Message, RecoveredRecord, ReplicaConfig, Request,
  SecureQuorumConfig, ServerId, TimerName,
} from "../consensus/index.js";
import { ChannelIdentity } from "../crypto/index.js";
import type { RandomSource } from "../crypto/index.js";
import {
  Replica, TIMER_NAMES, clientId, decodeRecord, encodeRecord, makeConfig, renderMessage, serverId,
} from "../consensus/index.js";
import type { ReadResult } from "../tree/index.js";
import { openRecord, sealRecord } from "../sim/index.js";
import type { Envelope, Host, HostContext, NodeId, WriteId } from "../sim/index.js";
import type { Observation, WriteOutcome } from "../observe/index.js";
import type { ClientProtocol, ServerAnswer, SessionHandle } from "./workload.js";
import { SessionConnections } from "./session-server.js";
import type { SessionWire } from "./session-wire.js";
import { describeSessionWire } from "./session-wire.js";

/** A replica host's context: ZAB wire messages, ZooKeeper observations. */
type Ctx = HostContext<ZabWire, Observation>;

/** Client ↔ server messages. */
export type ClientWire =
  | { readonly kind: "client-connect"; readonly session: SessionHandle | null }
  | {
      readonly kind: "client-request";
      readonly requestId: number;
      readonly request: Request;
    }
  | { readonly kind: "client-connected"; readonly sessionId: number }
  | { readonly kind: "client-refused" }
  | { readonly kind: "client-expired" }
  | {
      readonly kind: "client-reply";
      readonly requestId: number;
      readonly err: string;
      readonly zxid: number;
      readonly txn: string | null;
      readonly read: ReadResult | null;
      readonly write: WriteOutcome | null;
    };

/** Everything on the wire of a ZAB run: replica messages and both kinds of client messages. */
export type ZabWire = Message | ClientWire | SessionWire;

/** The file holding the replica's records, in write order. */
export const DATA_FILE = "zab";

/** Session timeout a workload client asks for (the server clamps it to [2, 20] ticks). */
const CLIENT_SESSION_TIMEOUT_MS = 30_000;

/** One line for the trace. */
export function describeZabMessage(message: ZabWire): string {
  switch (message.kind) {
    case "notification":
    case "quorum":
    case "sealed":
    case "handshake":
      return renderMessage(message);
    case "client-connect":
      if (message.session === null) return "CONNECT new";
      return `CONNECT session=${message.session.sessionId}`;
    case "client-request":
      return `REQUEST #${message.requestId} ${describeRequest(message.request)}`;
    case "client-connected":
      return `CONNECTED session=${message.sessionId}`;
    case "client-refused":
      return "REFUSED";
    case "client-expired":
      return "EXPIRED";
    case "client-reply":
      return `REPLY #${message.requestId} ${message.err} zxid=0x${message.zxid.toString(16)}`;
    case "session-frame":
    case "session-reply":
    case "session-close":
      return describeSessionWire(message);
    default:
      return assertNever(message, "wire message");
  }
}

/** The workload's view of the ZAB client protocol. */
export const ZAB_CLIENT_PROTOCOL: ClientProtocol<ZabWire> = {
  connect: (_client, _server, session) => ({ kind: "client-connect", session }),
  request: (_client, requestId, request) => ({ kind: "client-request", requestId, request }),
  answer(message: ZabWire): ServerAnswer | undefined {
    switch (message.kind) {
      case "client-connected":
        return { kind: "connected", sessionId: message.sessionId };
      case "client-refused":
        return { kind: "refused" };
      case "client-expired":
        return { kind: "expired" };
      case "client-reply":
        return {
          kind: "reply", requestId: message.requestId, err: message.err, zxid: message.zxid,
          txn: message.txn, read: message.read, write: message.write,
        };
      default:
        return undefined;
    }
  },
};

/** A request in one line: its type and path (the trace's rendering of a REQUEST). */
export function describeRequest(request: Request): string {
  return "path" in request ? `${request.type} ${request.path}` : request.type;
}

/** A write's outcome as the reply carries it: the fields a client can read. */
function writeOutcome(result: ClientResult): WriteOutcome | null {
  const write = result.write;
  if (write === undefined) return null;
  const { path, stat, multiResult } = write;
  if (multiResult !== undefined) return { path, stat, multiResult };
  return stat === undefined ? { path } : { path, stat };
}

/** One ZooKeeper server in the world. */
export class ReplicaHost implements Host<ZabWire, Observation> {
  readonly id: NodeId;
  readonly role: "voter" | "observer";
  readonly config: ReplicaConfig;
  private replica: Replica | undefined;
  /** World fsync barrier → the replica's writeId. */
  private readonly writes = new Map<WriteId, number>();
  /** The connections of session clients (src/client). */
  private readonly sessions = new SessionConnections<ZabWire>((message) => message);

  constructor(config: ReplicaConfig) {
    this.config = config;
    this.id = config.myid;
    this.role = config.voters.includes(config.myid) ? "voter" : "observer";
  }

  /** The replica, for tests and inspection (undefined before the first start). */
  get current(): Replica | undefined {
    return this.replica;
  }

  start(ctx: Ctx, cause: "boot" | "restart"): void {
    if (this.replica === undefined) {
      this.replica = new Replica(this.config, ctx.prng.fork("replica"));
    }
    this.sessions.dropAll();
    assert(cause === "restart" || ctx.read(DATA_FILE).length === 0, "a boot finds an empty disk");
    const recovered: RecoveredRecord[] = ctx.read(DATA_FILE).map((stored) => {
      const payload = openRecord(stored);
      const record = payload === undefined ? undefined : decodeRecord(payload);
      return record ?? { type: "damaged" };
    });
    dropTornTail(ctx, recovered);
    this.run(ctx, { kind: "restart", now: ctx.localMicros, recovered });
  }

  deliver(ctx: Ctx, envelope: Envelope<ZabWire>): void {
    const message = envelope.message;
    switch (message.kind) {
      case "notification":
        // ZooKeeper's election channel (QuorumCnxManager) is a TCP connection, which never hands
        // the receiver a second copy of a message. Quorum packets model TCP with their own
        // sequence numbers (consensus/connection.ts); notifications carry none, so the host's
        // transport drops the network's duplicates here. Without this, each duplicate of the
        // reply that a LOOKING voter and an OBSERVING observer trade (FLE's WorkerReceiver answers
        // a non-voter, and a settled server answers a LOOKING one) starts one more endless
        // ping-pong, and the copies multiply until the world's event cap.
        if (envelope.copy > 0) return;
        this.run(ctx, {
          kind: "receive", now: ctx.localMicros, from: serverId(envelope.from), msg: message,
        });
        return;
      case "quorum":
      case "sealed":
      case "handshake":
        this.run(ctx, {
          kind: "receive", now: ctx.localMicros, from: serverId(envelope.from), msg: message,
        });
        return;
      case "client-connect":
        // A client's connection is TCP too (ClientCnxn): without this, a duplicated request
        // was forwarded and committed twice, so a setData applied twice (found by the
        // linearizability checker: a version one too high, seed 30).
        if (envelope.copy > 0) return;
        this.run(ctx, {
          kind: "connect", now: ctx.localMicros, client: clientId(envelope.from),
          session: message.session, timeoutMs: CLIENT_SESSION_TIMEOUT_MS,
        });
        return;
      case "client-request":
        if (envelope.copy > 0) return;
        this.run(ctx, {
          kind: "clientRequest", now: ctx.localMicros, client: clientId(envelope.from),
          requestId: message.requestId, request: message.request,
        });
        return;
      case "session-frame":
        for (const input of this.sessions.receive(ctx, envelope.from, message.frame)) {
          this.run(ctx, input);
        }
        return;
      case "session-close":
        if (this.sessions.closed(envelope.from, message.conn)) {
          const client = clientId(envelope.from);
          this.run(ctx, { kind: "disconnect", now: ctx.localMicros, client });
        }
        return;
      case "client-connected":
      case "client-refused":
      case "client-expired":
      case "client-reply":
      case "session-reply":
        return; // Meant for clients.
      default:
        assertNever(message, "wire message");
    }
  }

  timerFired(ctx: Ctx, name: string, generation: number): void {
    const timer = TIMER_NAMES.find((t) => t === name);
    assert(timer !== undefined, `unknown timer ${name}`);
    this.run(ctx, { kind: "timeout", now: ctx.localMicros, timer, generation });
  }

  diskCompleted(ctx: Ctx, writeId: WriteId): void {
    const replicaWrite = this.writes.get(writeId);
    if (replicaWrite === undefined) return; // A barrier of an earlier life.
    this.writes.delete(writeId);
    this.run(ctx, { kind: "persisted", now: ctx.localMicros, writeId: replicaWrite });
  }

  crashed(): void {
    // A crash between a persist and its completion: the replica never saw `persisted`, so it
    // never sent what the write was waiting for (an ACK, an ACKEPOCH).
    if (this.writes.size > 0) mark("host: crash with a persist in flight");
    // The windows ZOOKEEPER-3911/4646 are about: a learner down between logging NEWLEADER's
    // sync (or its new acceptedEpoch) and the ACK (ACKEPOCH) that durability releases.
    const phase = this.replica?.learner?.phase;
    if (phase === "newleader-persisting") mark("host: crash before NEWLEADER's ACK was durable");
    if (phase === "epoch-persisting") mark("host: crash before ACKEPOCH's epoch was durable");
    this.writes.clear();
    this.sessions.dropAll();
  }

  /**
   * kill -9 of this server's process on a live machine (the scenario runner's `stop`): the
   * operating system closes every socket it held, so quorum peers and clients read a FIN at
   * once. The world crashes the node right after (what it fsynced survives).
   */
  killSockets(ctx: Ctx): void {
    const replica = this.replica;
    if (replica !== undefined) {
      for (const effect of replica.closeSocketsOnKill()) this.apply(ctx, effect);
    }
    this.sessions.closeAll(ctx);
  }

  private run(ctx: Ctx, input: Input): void {
    const replica = this.replica;
    assert(replica !== undefined, "input before start");
    for (const effect of replica.step({ ...input, elapsed: ctx.monotonicMicros })) {
      this.apply(ctx, effect);
    }
    for (const released of this.sessions.takeReleased()) this.run(ctx, released);
  }

  private apply(ctx: Ctx, effect: Effect): void {
    if (this.sessions.apply(ctx, effect)) return;
    switch (effect.kind) {
      case "send":
        ctx.send(effect.to, effect.msg);
        return;
      case "persist": {
        for (const record of effect.records) {
          ctx.append(DATA_FILE, sealRecord(encodeRecord(record)));
        }
        this.writes.set(ctx.fsync(), effect.writeId);
        return;
      }
      case "reply": {
        const { client, requestId, result } = effect;
        ctx.send(client, {
          kind: "client-reply", requestId, err: result.err, zxid: result.zxid,
          txn: result.txn ?? null, read: result.read ?? null, write: writeOutcome(result),
        });
        return;
      }
      case "connected":
        ctx.send(effect.client, effect.timeoutMs === 0 ? { kind: "client-expired" }
          : { kind: "client-connected", sessionId: effect.sessionId });
        return;
      case "refused":
        ctx.send(effect.client, { kind: "client-refused" });
        return;
      case "notify":
      case "closeConnection":
        return; // Workload clients neither watch nor hold a connection the server could close.
      case "setTimer":
        ctx.setTimer(effect.timer, effect.afterMicros);
        return;
      case "cancelTimer":
        ctx.cancelTimer(effect.timer);
        return;
      case "observe":
        ctx.observe(effect.observation);
        return;
      default:
        assertNever(effect, "effect");
    }
  }
}

/** What createReplicaHosts needs: the ensemble's shape and the replica knobs. */
export interface ReplicaHostsOptions {
  /**
   * Secure quorum: the stream every server's long-term X25519 identity is drawn from (the run's
   * seeded stream; a real deployment would generate and pin them once). Absent: plain quorum.
   */
  readonly secureQuorum?: RandomSource;
  /** Voting members, ids 1..voters. */
  readonly voters: number;
  /** Observers, ids voters+1..voters+observers. */
  readonly observers: number;
  /** Planted bugs every replica makes. */
  readonly bugs?: readonly BugName[];
  /** Replica knobs other than the ensemble (tickTimeMs, initLimit, ...). */
  readonly config?: Partial<Omit<ReplicaConfig, "myid" | "voters" | "observers" | "bugs">>;
}

/** One host per server, voters first; node ids are the servers' sids (1, 2, ...). */
export function createReplicaHosts(options: ReplicaHostsOptions): ReplicaHost[] {
  assert(options.voters >= 1, "an ensemble needs a voter");
  const voters: ServerId[] = [];
  const observers: ServerId[] = [];
  for (let i = 1; i <= options.voters; i++) voters.push(serverId(i));
  for (let i = 1; i <= options.observers; i++) observers.push(serverId(options.voters + i));
  const servers = [...voters, ...observers];
  const identities = options.secureQuorum === undefined
    ? undefined : serverIdentities(servers, options.secureQuorum);
  return servers.map((myid) => new ReplicaHost(makeConfig({
    ...options.config, myid, voters, observers, bugs: new Set(options.bugs ?? []),
    ...(identities === undefined ? {} : { secureQuorum: identities(myid) }),
  })));
}

/**
 * One identity per server, drawn in sid order, and the ensemble's configuration of pinned
 * public keys that every server shares (as each ZooKeeper server's truststore pins the others').
 */
function serverIdentities(
  servers: readonly ServerId[], random: RandomSource,
): (sid: ServerId) => SecureQuorumConfig {
  const identities = new Map<number, ChannelIdentity>();
  for (const sid of servers) identities.set(sid, ChannelIdentity.generate(sid, random));
  const peers = new Map<number, Uint8Array>();
  for (const [sid, identity] of identities) peers.set(sid, identity.publicKey);
  return (sid) => {
    const identity = identities.get(sid);
    assert(identity !== undefined, "every server has an identity");
    return { identity, peers };
  };
}

/** Timer names the replicas use (hosts with one slot per name). */
export const REPLICA_TIMERS: readonly TimerName[] = TIMER_NAMES;

/**
 * A torn last record (a crash cut the append short) is left behind for good: ZooKeeper opens a
 * new txn log file at its first append after a restart (FileTxnLog.append with no open
 * stream), so the torn bytes stay the last of their own file and recovery skips them every
 * time. One data file here, so the host cuts them off instead; otherwise the next appends
 * would land after them and a later recovery would find them inside the data dir and refuse
 * to start (found by swarm worlds: torn writes with several power losses, issue 19). A
 * damaged record that is not the last is corruption, and stays for recovery to refuse.
 */
function dropTornTail(ctx: Ctx, recovered: readonly RecoveredRecord[]): void {
  const last = recovered[recovered.length - 1];
  if (last === undefined || last.type !== "damaged") return;
  if (recovered.findIndex((record) => record.type === "damaged") !== recovered.length - 1) return;
  ctx.truncate(DATA_FILE, recovered.length - 1);
}
