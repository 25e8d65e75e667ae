/**
 * What a real ensemble is doing, as its servers say it with four-letter words, and the waits of
 * the spec's "Ensembles" section built on that: `stable` (a quorum runs, one leader, everyone
 * leading or following it and caught up), the wait after a `stop` (every running server noticed
 * the death), and the wait after every step (every serving server applied every committed
 * transaction). Nothing here sleeps a fixed time to be safe: it polls until the servers agree.
 */
import type { EnsembleControl } from "./ensemble-control.js";
import { monitor, serverStatus } from "./four-letter.js";
import type { ServerStatus } from "./four-letter.js";

/** Bounds on the polling, in wall-clock milliseconds. */
export interface PollTimeouts {
  /** How long a wait may last before the run fails (the ensemble misbehaves or is too slow). */
  readonly settleMs: number;
  /** The pause between two polls. */
  readonly pollMs: number;
}

export const DEFAULT_POLL: PollTimeouts = { settleMs: 60000, pollMs: 15 };

const EPOCH_UNIT = 2n ** 32n;

/** The epoch half of a zxid. */
export function epochOfZxid(zxid: bigint): bigint {
  return zxid / EPOCH_UNIT;
}

/** Every server's status by id (index 0 unused); stopped servers are `down` without asking. */
export async function statuses(control: EnsembleControl): Promise<ServerStatus[]> {
  const out: ServerStatus[] = [{ kind: "down" }];
  for (let k = 1; k <= control.size; k++) {
    out.push(control.isRunning(k)
      ? await serverStatus(control.host, control.clientPort(k))
      : { kind: "down" });
  }
  return out;
}

/** The serving leader's id, or undefined. */
export function leaderOf(all: readonly ServerStatus[]): number | undefined {
  const index = all.findIndex((status) => status.kind === "serving" && status.mode === "leader");
  return index < 1 ? undefined : index;
}

/** The number of servers ZooKeeper's majority quorum needs. */
export function quorumOf(size: number): number {
  return Math.floor(size / 2) + 1;
}

/** How many of the ensemble's servers run. */
export function runningCount(control: EnsembleControl): number {
  let count = 0;
  for (let k = 1; k <= control.size; k++) if (control.isRunning(k)) count++;
  return count;
}

/** A leader's learner count from `mntr` (`zk_synced_followers`), or -1 when it will not say. */
export async function syncedFollowers(control: EnsembleControl, leader: number): Promise<number> {
  const values = await monitor(control.host, control.clientPort(leader));
  const value = values.get("zk_synced_followers");
  return value === undefined ? -1 : Number(value);
}

/** Polls `check` until it answers true; throws after `settleMs` naming what was awaited. */
export async function pollUntil(
  what: string,
  poll: PollTimeouts,
  check: () => Promise<boolean>,
): Promise<void> {
  const deadline = Date.now() + poll.settleMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`gave up waiting ${poll.settleMs} ms for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, poll.pollMs));
  }
}

/**
 * Whether a serving server has applied every transaction its leader committed. A leader that
 * has not yet written in its epoch reports `epoch * 2^32` while a follower synced to it reports
 * the last transaction it applied (ZooKeeper 3.8 sets only the leader's lastProcessedZxid to the
 * new epoch: Leader.lead), so there the follower must have reached `committedBefore`, the
 * highest zxid any server was seen to have applied in an earlier epoch (applied means committed).
 */
export function caughtUp(follower: bigint, leader: bigint, committedBefore: bigint): boolean {
  if (follower === leader) return true;
  if (leader % EPOCH_UNIT !== 0n) return false;
  return follower >= committedBefore && follower < leader;
}
