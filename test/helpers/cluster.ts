/**
 * A tiny deterministic harness for step-by-step protocol tests, independent of src/sim: replicas
 * of one ensemble, a FIFO of messages in flight that a test delivers (one at a time or until
 * quiet), disk writes that complete by hand or automatically, named timers on one shared clock,
 * links that can be cut (messages dropped) or clogged (messages held until the clog clears, as
 * a TCP stream holds them), and crash/restart with what the "disk" kept. Every step runs
 * checkInvariants through Replica.step.
 */
import { Prng } from "../../src/util/index.js";
import { ChannelIdentity, seededRandom } from "../../src/crypto/index.js";
import type {
  ClientResult, Effect, Input, Message, PersistRecord, ReplicaConfig, Request,
  ServerId, TimerName, BugName,
} from "../../src/consensus/index.js";
import type { ProtocolObservation as Observation } from "../../src/observe/index.js";
import {
  Replica, clientId, makeConfig, renderMessage, serverId,
} from "../../src/consensus/index.js";
import type { Observation as SimObservation } from "../../src/observe/index.js";

export interface InFlight {
  readonly from: ServerId;
  readonly to: ServerId;
  readonly msg: Message;
}

export interface Reply {
  readonly node: ServerId;
  readonly client: number;
  readonly requestId: number;
  readonly result: ClientResult;
}

export interface ClusterOptions {
  readonly voters: number;
  readonly observers?: number;
  readonly seed?: number;
  readonly bugs?: readonly BugName[];
  readonly config?: Partial<ReplicaConfig>;
  /** Complete disk writes as soon as the cluster runs (default true). */
  readonly autoPersist?: boolean;
  /** Keep a readable line per delivered message in `log` (default true; benches turn it off). */
  readonly keepLog?: boolean;
  /** Records already on each node's disk at the first start, by server id. */
  readonly disks?: ReadonlyMap<number, readonly PersistRecord[]>;
  /** Secure quorum: every server gets an identity drawn from the seed, all keys pinned. */
  readonly secure?: boolean;
}

interface PendingWrite {
  readonly writeId: number;
  readonly records: readonly PersistRecord[];
}

interface DueTimer {
  readonly id: ServerId;
  readonly timer: TimerName;
  readonly at: number;
  readonly generation: number;
}

interface Timer {
  readonly at: number;
  readonly generation: number;
}

export class Cluster {
  readonly ids: ServerId[];
  readonly replicas = new Map<ServerId, Replica>();
  inflight: InFlight[] = [];
  readonly pendingWrites = new Map<ServerId, PendingWrite[]>();
  /** Durable records per node (what survives a crash). */
  readonly disks = new Map<ServerId, PersistRecord[]>();
  readonly timers = new Map<ServerId, Map<TimerName, Timer>>();
  readonly replies: Reply[] = [];
  /** Connect handshakes answered: the session, or null for a refusal. */
  readonly handshakes: { node: ServerId; client: number; sessionId: number | null }[] = [];
  readonly observations: Observation[] = [];
  /**
   * What the checkers of src/check would read in a world's trace: the replicas' observations and
   * each reply as a client `complete` (op = requestId), in the order they happened.
   */
  readonly history: SimObservation[] = [];
  readonly log: string[] = [];
  readonly down = new Set<ServerId>();
  /** Cut links, as "a->b". */
  readonly cut = new Set<string>();
  /** Clogged links, as "a->b": their messages stay in flight, in order, until unclogged. */
  readonly clogged = new Set<string>();
  autoPersist: boolean;
  readonly keepLog: boolean;
  /** Inputs fed to replicas so far. */
  steps = 0;
  now = 0;
  private generation = 0;

  constructor(options: ClusterOptions) {
    const voters = range(1, options.voters).map(serverId);
    const total = options.voters + (options.observers ?? 0);
    const observers = range(options.voters + 1, total).map(serverId);
    this.ids = [...voters, ...observers];
    this.autoPersist = options.autoPersist ?? true;
    this.keepLog = options.keepLog ?? true;
    const seed = options.seed ?? 1;
    const identities = new Map(options.secure === true ? this.ids.map((sid) => [sid,
      ChannelIdentity.generate(sid, seededRandom(new Prng(seed, `identity/${sid}`)))] as const)
      : []);
    const peers = new Map([...identities].map(([sid, id]) => [sid as number, id.publicKey]));
    for (const myid of this.ids) {
      const identity = identities.get(myid);
      const secure = options.secure === true && identity !== undefined
        ? { secureQuorum: { identity, peers } } : {};
      const config = makeConfig({
        myid, voters, observers, bugs: new Set(options.bugs ?? []), ...secure, ...options.config,
      });
      this.replicas.set(myid, new Replica(config, new Prng(seed, `replica/${myid}`)));
      this.disks.set(myid, [...(options.disks?.get(myid) ?? [])]);
      this.pendingWrites.set(myid, []);
      this.timers.set(myid, new Map());
    }
  }

  replica(id: number): Replica {
    const replica = this.replicas.get(id as ServerId);
    if (replica === undefined) throw new Error(`no replica ${id}`);
    return replica;
  }

  /** Boots every replica with an empty disk. */
  start(): this {
    for (const id of this.ids) {
      this.step(id, { kind: "restart", now: this.now, recovered: [...(this.disks.get(id) ?? [])] });
    }
    return this;
  }

  /** Feeds one input to a replica and carries out its effects. */
  step(id: ServerId, input: Input): Effect[] {
    if (this.down.has(id)) return [];
    this.steps += 1;
    const effects = this.replica(id).step(input);
    for (const effect of effects) this.apply(id, effect);
    return effects;
  }

  private apply(id: ServerId, effect: Effect): void {
    switch (effect.kind) {
      case "send":
        this.inflight.push({ from: id, to: effect.to, msg: effect.msg });
        return;
      case "persist":
        this.pendingWrites.get(id)?.push({ writeId: effect.writeId, records: effect.records });
        return;
      case "reply":
        this.replies.push({
          node: id, client: effect.client, requestId: effect.requestId, result: effect.result,
        });
        this.history.push({
          kind: "complete", client: effect.client, op: effect.requestId, err: effect.result.err,
          zxid: effect.result.zxid, txn: effect.result.txn ?? null,
          read: effect.result.read ?? null, write: effect.result.write ?? null,
        });
        return;
      case "setTimer":
        this.generation += 1;
        this.timers.get(id)?.set(effect.timer, {
          at: this.now + effect.afterMicros, generation: this.generation,
        });
        return;
      case "cancelTimer":
        this.timers.get(id)?.delete(effect.timer);
        return;
      case "observe":
        this.observations.push(effect.observation);
        this.history.push(effect.observation);
        return;
      case "connected":
        this.handshakes.push({ node: id, client: effect.client, sessionId: effect.sessionId });
        return;
      case "refused":
        this.handshakes.push({ node: id, client: effect.client, sessionId: null });
        return;
    }
  }

  /** Delivers the first message in flight matching `filter`; returns it, or undefined. */
  deliver(filter: (m: InFlight) => boolean = () => true): InFlight | undefined {
    const held = (m: InFlight): boolean => this.clogged.has(`${m.from}->${m.to}`);
    const index = this.inflight.findIndex((m) => filter(m) && !held(m));
    if (index === -1) return undefined;
    const [message] = this.inflight.splice(index, 1);
    if (message === undefined) return undefined;
    if (this.down.has(message.to) || this.cut.has(`${message.from}->${message.to}`)) return message;
    if (this.keepLog) this.log.push(`${message.from}->${message.to} ${describe(message.msg)}`);
    this.step(message.to, { kind: "receive", now: this.now, from: message.from, msg: message.msg });
    return message;
  }

  /** Completes the oldest pending disk write of `id`; returns false if none. */
  persist(id: number): boolean {
    const writes = this.pendingWrites.get(id as ServerId) ?? [];
    const write = writes.shift();
    if (write === undefined) return false;
    this.disks.get(id as ServerId)?.push(...write.records);
    this.step(id as ServerId, { kind: "persisted", now: this.now, writeId: write.writeId });
    return true;
  }

  /** Delivers messages and (if autoPersist) completes writes until nothing is left. */
  stabilize(maxSteps = 100_000): number {
    let steps = 0;
    for (; steps < maxSteps; steps++) {
      if (this.deliver() !== undefined) continue;
      if (this.autoPersist && this.ids.some((id) => this.persist(id))) continue;
      return steps;
    }
    throw new Error("stabilize did not settle");
  }

  /** Runs time forward by `micros`, firing timers in time order and stabilizing after each. */
  runFor(micros: number): void {
    const end = this.now + micros;
    this.stabilize();
    for (let guard = 0; guard < 1_000_000; guard++) {
      const next = this.nextTimer();
      if (next === undefined || next.at > end) break;
      this.now = Math.max(this.now, next.at);
      this.timers.get(next.id)?.delete(next.timer);
      this.step(next.id, {
        kind: "timeout", now: this.now, timer: next.timer, generation: next.generation,
      });
      this.stabilize();
    }
    this.now = end;
  }

  private nextTimer(): DueTimer | undefined {
    let best: DueTimer | undefined;
    for (const id of this.ids) {
      if (this.down.has(id)) continue;
      for (const [timer, t] of this.timers.get(id) ?? []) {
        const earlier = best === undefined || t.at < best.at ||
          (t.at === best.at && t.generation < best.generation);
        if (earlier) {
          best = { id, timer, at: t.at, generation: t.generation };
        }
      }
    }
    return best;
  }

  /** Runs until some replica leads an established epoch (and everyone reachable synced). */
  elect(maxMicros = 30_000_000): ServerId {
    const step = 50_000;
    for (let t = 0; t < maxMicros; t += step) {
      this.runFor(step);
      const leader = this.leader();
      if (leader !== undefined && this.allUpToDate()) return leader;
    }
    throw new Error("no leader elected");
  }

  /** The established leader, if exactly one is established in the newest epoch. */
  leader(): ServerId | undefined {
    let best: { id: ServerId; epoch: number } | undefined;
    for (const id of this.ids) {
      const r = this.replica(id);
      if (this.down.has(id) || r.leader?.phase !== "broadcast") continue;
      if (best === undefined || r.currentEpoch > best.epoch) best = { id, epoch: r.currentEpoch };
    }
    return best?.id;
  }

  /** True when every live replica is LEADING in broadcast or an up-to-date learner. */
  allUpToDate(): boolean {
    return this.ids.every((id) => {
      if (this.down.has(id)) return true;
      const r = this.replica(id);
      return r.leader?.phase === "broadcast" || r.learner?.phase === "uptodate";
    });
  }

  /** A client request to server `id` on session `sessionId` (0 before createSession). */
  request(id: number, client: number, requestId: number, request: Request, sessionId = 0): void {
    this.step(id as ServerId, {
      kind: "clientRequest", now: this.now, client: clientId(client), requestId, sessionId, request,
    });
  }

  /** The reply to (client, requestId), if any arrived. */
  replyTo(client: number, requestId: number): Reply | undefined {
    return this.replies.find((r) => r.client === client && r.requestId === requestId);
  }

  /** Opens a session for `client` through server `id` and runs until it is committed. */
  openSession(id: number, client: number, requestId = 0): number {
    this.request(id, client, requestId, { type: "createSession", timeoutMs: 30_000 });
    this.runFor(200_000);
    const reply = this.replyTo(client, requestId);
    if (reply?.result.sessionId === undefined) throw new Error(`no session for client ${client}`);
    return reply.result.sessionId;
  }

  /** Crash: volatile state, messages to it and writes not yet durable are gone. */
  crash(id: number): void {
    this.down.add(id as ServerId);
    this.inflight = this.inflight.filter((m) => m.to !== id);
    this.pendingWrites.set(id as ServerId, []);
    this.timers.get(id as ServerId)?.clear();
  }

  /** Restart with what the disk kept. */
  restart(id: number): void {
    this.down.delete(id as ServerId);
    const recovered = [...(this.disks.get(id as ServerId) ?? [])];
    this.step(id as ServerId, { kind: "restart", now: this.now, recovered });
  }

  /** Cuts both directions between the two groups. */
  partition(a: readonly number[], b: readonly number[]): void {
    for (const x of a) for (const y of b) {
      this.cut.add(`${x}->${y}`);
      this.cut.add(`${y}->${x}`);
    }
  }

  heal(): void {
    this.cut.clear();
  }

  /** Clogs both directions between the two groups: messages wait instead of being lost. */
  clog(a: readonly number[], b: readonly number[]): void {
    for (const x of a) for (const y of b) {
      this.clogged.add(`${x}->${y}`);
      this.clogged.add(`${y}->${x}`);
    }
  }

  /** Clears every clog; the held messages are delivered next, each link in send order. */
  unclog(): void {
    this.clogged.clear();
  }

  observationsOf<K extends Observation["kind"]>(kind: K): Extract<Observation, { kind: K }>[] {
    return this.observations.filter((o): o is Extract<Observation, { kind: K }> => o.kind === kind);
  }
}

function range(from: number, to: number): number[] {
  const out: number[] = [];
  for (let i = from; i <= to; i++) out.push(i);
  return out;
}

function describe(msg: Message): string {
  return renderMessage(msg);
}
