/**
 * ReplicaConfig: the ensemble and the timing and limit knobs of one replica, in ZooKeeper's own
 * units (tickTime in milliseconds, initLimit/syncLimit in ticks). validateConfig returns a typed
 * error instead of throwing, so a bad command line becomes one clear line, not a crash.
 */
import type { ChannelIdentity, ChannelPeers } from "../crypto/index.js";
import type { BugName } from "./bugs.js";
import type { ServerId } from "./ids.js";
import { ZXID_COUNTER_MAX } from "../util/index.js";

/** Everything a replica needs to know that does not change while it runs. */
export interface ReplicaConfig {
  /** This server's id (`myid`). */
  readonly myid: ServerId;
  /** The voting members (participants), sorted ascending. Invariant: non-empty, distinct. */
  readonly voters: readonly ServerId[];
  /** The observers (non-voting learners), sorted ascending; disjoint from voters. */
  readonly observers: readonly ServerId[];
  /** ZooKeeper's tickTime in milliseconds (default 3000 in ZooKeeper; smaller in simulation). */
  readonly tickTimeMs: number;
  /** Ticks a learner may take to connect and sync (`initLimit`). */
  readonly initLimit: number;
  /** Ticks a learner may lag behind the leader (`syncLimit`). */
  readonly syncLimit: number;
  /** FLE's finalizeWait in milliseconds (FastLeaderElection.finalizeWait = 200). */
  readonly finalizeWaitMs: number;
  /** FLE's maxNotificationInterval in milliseconds (60000 in ZooKeeper). */
  readonly maxNotificationIntervalMs: number;
  /** Proposals the leader keeps outstanding at most; further writes wait (pipelining cap). */
  readonly proposalsInflightMax: number;
  /** Client writes queued at the leader at most while the pipeline is full. */
  readonly requestsQueuedMax: number;
  /** Committed proposals the leader keeps for DIFF sync (ZKDatabase.commitLogCount). */
  readonly committedLogMax: number;
  /** Transactions logged between snapshots (ZooKeeper's snapCount, without its randomisation). */
  readonly snapCount: number;
  /**
   * How often the leader's container manager looks for empty containers and expired TTL nodes
   * (znode.container.checkIntervalMs, 60 s by default in ZooKeeper).
   */
  readonly containerCheckIntervalMs: number;
  /**
   * The counter a new leader's first proposal follows (0 in ZooKeeper). A test knob: near
   * 2^32 - 1 it makes every epoch exhaust its counter within a few proposals, so the forced
   * re-election of Leader.propose ("zxid lower 32 bits have rolled over") runs in a sweep.
   */
  readonly zxidCounterStart: number;
  /** Planted protocol mistakes to make (empty in a correct run). */
  readonly bugs: ReadonlySet<BugName>;
  /**
   * Secure quorum (ZooKeeper's sslQuorum): this server's identity and every member's pinned
   * public key. Absent: quorum packets travel in the clear, as with sslQuorum=false.
   */
  readonly secureQuorum?: SecureQuorumConfig;
}

/** A server's secure-quorum configuration (channel-end.ts). */
export interface SecureQuorumConfig {
  readonly identity: ChannelIdentity;
  /** Every member's sid and public key: the only keys a connection is accepted from. */
  readonly peers: ChannelPeers;
}

/** A config that failed validation, with a one-line reason. */
export interface ConfigError {
  readonly kind: "config-error";
  readonly message: string;
}

/** Defaults for the knobs, chosen so simulated runs elect and sync within a few hundred ms. */
export const CONFIG_DEFAULTS = {
  tickTimeMs: 200,
  initLimit: 10,
  syncLimit: 5,
  finalizeWaitMs: 200,
  maxNotificationIntervalMs: 60_000,
  proposalsInflightMax: 64,
  requestsQueuedMax: 1000,
  committedLogMax: 50,
  snapCount: 100,
  containerCheckIntervalMs: 60_000,
  zxidCounterStart: 0,
} as const;

/** Builds a config with defaults for every knob not given. */
export function makeConfig(
  fields: Pick<ReplicaConfig, "myid" | "voters"> & Partial<ReplicaConfig>,
): ReplicaConfig {
  return {
    ...CONFIG_DEFAULTS,
    observers: [],
    bugs: new Set<BugName>(),
    ...fields,
  };
}

function positiveInteger(value: number): boolean {
  return Number.isSafeInteger(value) && value > 0;
}

/** Checks a config; returns the first problem found, or undefined when it is usable. */
export function validateConfig(config: ReplicaConfig): ConfigError | undefined {
  const fail = (message: string): ConfigError => ({ kind: "config-error", message });
  if (config.voters.length === 0) return fail("the ensemble needs at least one voter");
  const all = [...config.voters, ...config.observers];
  if (new Set(all).size !== all.length) return fail("server ids must be distinct");
  if (!all.every(positiveInteger)) return fail("server ids must be positive integers");
  if (!all.includes(config.myid)) return fail(`myid ${config.myid} is not in the ensemble`);
  const knobs: [string, number][] = [
    ["tickTimeMs", config.tickTimeMs],
    ["initLimit", config.initLimit],
    ["syncLimit", config.syncLimit],
    ["finalizeWaitMs", config.finalizeWaitMs],
    ["maxNotificationIntervalMs", config.maxNotificationIntervalMs],
    ["proposalsInflightMax", config.proposalsInflightMax],
    ["requestsQueuedMax", config.requestsQueuedMax],
    ["committedLogMax", config.committedLogMax],
    ["snapCount", config.snapCount],
    ["containerCheckIntervalMs", config.containerCheckIntervalMs],
  ];
  for (const [name, value] of knobs) {
    if (!positiveInteger(value)) return fail(`${name} must be a positive integer, got ${value}`);
  }
  if (config.tickTimeMs < 2) return fail("tickTimeMs must be at least 2 (pings every tick/2)");
  const start = config.zxidCounterStart;
  if (!Number.isSafeInteger(start) || start < 0 || start > ZXID_COUNTER_MAX) {
    return fail(`zxidCounterStart must be an integer in [0, ${ZXID_COUNTER_MAX}], got ${start}`);
  }
  return undefined;
}

/** True when `sid` is a voting member. */
export function isVoter(config: ReplicaConfig, sid: ServerId): boolean {
  return config.voters.includes(sid);
}
