/**
 * The simulated ensemble an ensemble scenario file runs on (shared/spec/script-format.md,
 * "Ensembles"): N voting replicas configured as the spec's ZooKeeper servers (tickTime 2000 ms,
 * initLimit 10, syncLimit 5, the file's container check interval), one pinned client session
 * host per `openSession` of the file, and a fault-free network and disk with fixed latencies,
 * so the run is a pure function of the file. Also what the runner asks of the servers, the
 * simulated counterpart of the real runner's four-letter words: who serves, who leads in which
 * epoch, who has applied what, and the wait that runs the world until a condition holds.
 */
import type { Replica } from "../consensus/index.js";
import {
  PinnedSessionHost, ScriptServerHost, createReplicaHosts, describeZabMessage,
} from "../ensemble/index.js";
import type { ZabWire } from "../ensemble/index.js";
import type { Observation } from "../observe/index.js";
import { hashObservation } from "../observe/index.js";
import type { Scenario } from "../script/index.js";
import { World } from "../sim/index.js";
import type { Host } from "../sim/index.js";
import { assert } from "../util/index.js";
import { CLIENT_ID_BASE } from "./options.js";

/** ZooKeeper's sample configuration, as the spec gives it. */
export const SCRIPT_SERVER_CONFIG = { tickTimeMs: 2000, initLimit: 10, syncLimit: 5 } as const;

/** One network hop on 127.0.0.1, in µs (every message takes exactly this long). */
export const SCRIPT_LATENCY_MICROS = 100;

/** One fsync (forceSync on a local disk), in µs. */
export const SCRIPT_FSYNC_MICROS = 1000;

/** How long a wait may run (simulated) before the run is given up as stuck. */
const WAIT_MICROS_MAX = 60_000_000;

/** A run that cannot go on: a wait that never ended, or an assertion of the simulation. */
export class EnsembleRunStuck extends Error {
  constructor(message: string) {
    super(message);
    this.name = "EnsembleRunStuck";
  }
}

/** The world of one ensemble scenario and what the runner reads from it. */
export class ScriptEnsemble {
  readonly world: World<ZabWire, Observation>;
  readonly size: number;
  private readonly servers: ScriptServerHost[];
  private readonly clients: PinnedSessionHost[];
  private nextClient = 0;

  constructor(scenario: Scenario) {
    const size = scenario.servers;
    assert(size !== undefined && size >= 1, "an ensemble scenario has servers");
    this.size = size;
    const replicas = createReplicaHosts({
      voters: size, observers: 0,
      config: {
        ...SCRIPT_SERVER_CONFIG,
        containerCheckIntervalMs: scenario.server.containerCheckIntervalMs,
      },
    });
    this.servers = replicas.map((replica) => new ScriptServerHost(replica));
    const opens = scenario.steps.filter((step) => step.op === "openSession").length;
    this.clients = [];
    for (let i = 0; i < opens; i++) this.clients.push(new PinnedSessionHost(CLIENT_ID_BASE + i));
    const hosts: Host<ZabWire, Observation>[] = [...this.servers, ...this.clients];
    this.world = new World<ZabWire, Observation>({
      seed: 0,
      options: {
        network: {
          latencyMicrosMin: SCRIPT_LATENCY_MICROS, latencyMicrosMax: SCRIPT_LATENCY_MICROS,
        },
        disk: { fsyncMicrosMin: SCRIPT_FSYNC_MICROS, fsyncMicrosMax: SCRIPT_FSYNC_MICROS },
      },
      hosts, describeMessage: describeZabMessage, hashObservation,
    });
    // Every node boots at time 0; the servers' processes do not run until a `start`.
    this.world.runUntil(0);
    for (let k = 1; k <= size; k++) this.world.schedule(0, { kind: "crash", node: k });
    this.runNow();
  }

  /** The next unused session host (one per openSession of the file). */
  takeClient(): PinnedSessionHost {
    const client = this.clients[this.nextClient];
    assert(client !== undefined, "one session host per openSession step");
    this.nextClient += 1;
    return client;
  }

  /** Whether server k's process runs. */
  running(k: number): boolean {
    return this.world.node(k).up;
  }

  /** How many servers run. */
  runningCount(): number {
    let count = 0;
    for (let k = 1; k <= this.size; k++) if (this.running(k)) count++;
    return count;
  }

  /** ZooKeeper's majority. */
  get quorum(): number {
    return Math.floor(this.size / 2) + 1;
  }

  /** Server k's replica while its process runs. */
  replica(k: number): Replica | undefined {
    if (!this.running(k)) return undefined;
    return this.servers[k - 1]?.replica;
  }

  /** Whether server k runs and serves clients (an established leader or up-to-date learner). */
  serves(k: number): boolean {
    return this.replica(k)?.isServing() ?? false;
  }

  /** The epoch server k serves in, or undefined when it does not serve. */
  servingEpoch(k: number): number | undefined {
    const replica = this.replica(k);
    return replica !== undefined && replica.isServing() ? replica.currentEpoch : undefined;
  }

  /** The serving leader, if any. */
  leader(): number | undefined {
    for (let k = 1; k <= this.size; k++) {
      if (this.serves(k) && this.replica(k)?.leader !== undefined) return k;
    }
    return undefined;
  }

  /** Whether every serving learner of the serving leader has applied what the leader has. */
  caughtUp(): boolean {
    const leader = this.leader();
    if (leader === undefined) return true;
    const top = this.replica(leader)?.stateMachine.lastProcessedZxid ?? 0;
    for (let k = 1; k <= this.size; k++) {
      const replica = this.replica(k);
      if (k === leader || replica === undefined || !replica.isServing()) continue;
      if (replica.learner?.leaderSid !== leader) continue;
      if (replica.stateMachine.lastProcessedZxid < top) return false;
    }
    return true;
  }

  /** The learners the leader counts as synced (zk_synced_followers). */
  syncedFollowers(leader: number): number[] {
    const state = this.replica(leader)?.leader;
    if (state === undefined) return [];
    return [...state.handlers.values()]
      .filter((handler) => handler.phase === "uptodate" && !handler.observer)
      .map((handler) => handler.sid as number);
  }

  /** Starts server k's process (an empty disk the first time). */
  start(k: number): void {
    this.world.schedule(this.world.nowMicrosTrue, { kind: "restart", node: k });
    this.runNow();
  }

  /** kill -9 of server k: its sockets close at once, its unsynced writes are lost. */
  kill(k: number): void {
    const host = this.servers[k - 1];
    assert(host !== undefined, "a server of the ensemble");
    host.kill(this.world.node(k));
    this.world.schedule(this.world.nowMicrosTrue, { kind: "crash", node: k });
    this.runNow();
  }

  /** Lets `ms` of simulated time pass. */
  sleep(ms: number): void {
    this.world.runUntil(this.world.nowMicrosTrue + ms * 1000);
    this.checkFailure();
  }

  /** Runs the world until `done` holds; a run stuck for a minute (simulated) is given up. */
  waitFor(what: string, done: () => boolean): void {
    if (done()) return;
    const deadline = this.world.nowMicrosTrue + WAIT_MICROS_MAX;
    const outcome = this.world.runUntilPaused(deadline, done);
    this.checkFailure();
    if (outcome !== "paused") {
      throw new EnsembleRunStuck(`gave up waiting ${WAIT_MICROS_MAX / 1e6} s (simulated) for ` +
        what);
    }
  }

  /** Runs the events due now. */
  private runNow(): void {
    this.world.runUntil(this.world.nowMicrosTrue);
    this.checkFailure();
  }

  private checkFailure(): void {
    const failure = this.world.failure;
    if (failure !== null) throw new EnsembleRunStuck(`the simulation failed: ${failure.message}`);
  }
}
