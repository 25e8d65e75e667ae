/**
 * The recipe workloads: what each client of `--workload lock|rwlock|semaphore|election|
 * membership` does for the whole run, on the recipes of this module. Every client loops: a
 * session, the recipe's work until the session is lost, then a new session (Curator's advice
 * for ConnectionState.LOST). Holders and leaders write to a fenced resource shared by the
 * run's clients, so the fencing checker sees what a deposed holder would do. Random choices
 * come from the client's seeded stream.
 */
import type { ZooKeeper } from "../client/index.js";
import type { RecipeClient } from "./context.js";
import { LeaderElection } from "./election.js";
import { DistributedLock } from "./lock.js";
import type { LockMode } from "./lock.js";
import { GroupMembership } from "./membership.js";
import { FencedResource } from "./resource.js";
import { Semaphore } from "./semaphore.js";
import { SessionLost, hasCode, retrying } from "./kit.js";

/** What a workload knows of its run. */
export interface WorkloadRun {
  /** The planted bug, if any (a recipe's own bugs act; others are the servers'). */
  readonly bug: string | null;
  /** Milliseconds of the safety phase (faults on); the liveness phase follows. */
  readonly durationMs: number;
  readonly livenessMs: number;
  /** Objects the run's clients share (the protected resources), by name. */
  readonly shared: Map<string, unknown>;
}

/** One client's loop. */
export type RecipeTask = (client: RecipeClient) => Promise<void>;

/** The semaphore workload's permits. */
export const SEMAPHORE_PERMITS = 2;

/** The shared object `name` of the run, made on first use. */
function sharedOf<T>(run: WorkloadRun, name: string, make: () => T): T {
  let value = run.shared.get(name) as T | undefined;
  if (value === undefined) {
    value = make();
    run.shared.set(name, value);
  }
  return value;
}

/** Runs `body` on a fresh session each time the previous one is lost, forever. */
async function sessions(client: RecipeClient, body: (zk: ZooKeeper) => Promise<void>):
  Promise<void> {
  for (;;) {
    const zk = client.connect();
    try {
      await body(zk);
      return;
    } catch (error) {
      if (!(error instanceof SessionLost)) throw error;
    }
  }
}

/**
 * A holder's critical section: write, work a while, write again. One job in six is long (5 to
 * 9 s, beyond the 4 s session timeout): a partition or a pause meanwhile can end the session
 * while the holder still believes it holds the lock, which is what fencing is for.
 */
async function critical(client: RecipeClient, resource: FencedResource, token: number):
  Promise<void> {
  if (!resource.write(client, token)) return;
  const long = client.random.chance(1 / 6);
  await client.sleep(long ? client.random.intBetween(5_000, 9_000)
    : client.random.intBetween(50, 1_500));
  resource.write(client, token);
}

/** The lock workload: take the lock, use the fenced resource, give it back, think. */
export function lockTask(run: WorkloadRun): RecipeTask {
  const lock = new DistributedLock("/recipes/lock", {
    skipRecheck: run.bug === "lock-no-predecessor-check",
  });
  const resource = sharedOf(run, "lock-resource",
    () => new FencedResource("/recipes/lock", run.bug !== "lock-no-fencing"));
  return (client) => sessions(client, async (zk) => {
    for (;;) {
      // One take in eight waits at most 1 to 4 s (Curator's acquire(time, unit)), then
      // leaves the queue: a waiter's predecessor can go while the lock is held.
      const lease = client.random.chance(1 / 8)
        ? await lock.tryAcquire(client, zk, client.random.intBetween(1_000, 4_000))
        : await lock.acquire(client, zk);
      if (lease === null) {
        await client.sleep(client.random.intBetween(0, 500));
        continue;
      }
      await critical(client, resource, lease.token);
      await lock.release(client, zk, lease);
      await client.sleep(client.random.intBetween(0, 500));
    }
  });
}

/** The read-write lock workload: one take in three writes (fenced), the others read. */
export function rwlockTask(run: WorkloadRun): RecipeTask {
  const lock = new DistributedLock("/recipes/rwlock");
  const resource = sharedOf(run, "rwlock-resource",
    () => new FencedResource("/recipes/rwlock", true));
  return (client) => sessions(client, async (zk) => {
    for (;;) {
      const mode: LockMode = client.random.chance(1 / 3) ? "write" : "read";
      const lease = await lock.acquire(client, zk, mode);
      if (mode === "write") await critical(client, resource, lease.token);
      else await client.sleep(client.random.intBetween(50, 1_000));
      await lock.release(client, zk, lease);
      await client.sleep(client.random.intBetween(0, 500));
    }
  });
}

/** The semaphore workload: SEMAPHORE_PERMITS leases among the clients. */
export function semaphoreTask(): RecipeTask {
  const semaphore = new Semaphore("/recipes/semaphore", SEMAPHORE_PERMITS);
  return (client) => sessions(client, async (zk) => {
    for (;;) {
      const lease = await semaphore.acquire(client, zk);
      await client.sleep(client.random.intBetween(50, 1_500));
      await semaphore.release(client, zk, lease);
      await client.sleep(client.random.intBetween(0, 500));
    }
  });
}

/** The election workload: lead a while (fenced by the epoch), resign, stand again. */
export function electionTask(run: WorkloadRun): RecipeTask {
  const election = new LeaderElection("/recipes/election", {
    watchLeader: run.bug === "election-herd",
  });
  const resource = sharedOf(run, "election-resource",
    () => new FencedResource("/recipes/election", true));
  return (client) => sessions(client, async (zk) => {
    for (;;) {
      const leadership = await election.lead(client, zk);
      await critical(client, resource, leadership.epoch);
      await election.resign(client, zk, leadership);
      await client.sleep(client.random.intBetween(0, 800));
    }
  });
}

/**
 * One write in the healed phase, so the run's liveness check sees the ensemble take writes
 * again whether or not the churn happened to rejoin after the heal: the member's node gets its
 * data again (harmless; views list names only). NONODE: the node went with an expired session.
 */
async function touchMember(client: RecipeClient, zk: ZooKeeper, path: string): Promise<void> {
  try {
    await retrying(client, zk, () => zk.setData(path, `member-${client.node}`));
  } catch (error) {
    if (hasCode(error, "NONODE")) throw new SessionLost(path);
    throw error;
  }
}

/**
 * The membership workload: join, churn (leave and join again) until the heal, write the
 * member's node once, then stay; once the group has settled, report the view, and keep the
 * membership alive to the end.
 */
export function membershipTask(run: WorkloadRun): RecipeTask {
  const group = new GroupMembership("/recipes/group");
  const viewAtMs = run.durationMs + Math.floor(run.livenessMs * 0.6);
  return (client) => sessions(client, async (zk) => {
    let registration = await group.join(client, zk, `member-${client.node}`);
    while (client.elapsedMs() < run.durationMs) {
      await client.sleep(client.random.intBetween(300, 2_000));
      if (!client.random.chance(0.4)) continue;
      await group.leave(client, zk, registration);
      registration = await group.join(client, zk, `member-${client.node}`);
    }
    await touchMember(client, zk, `${group.path}/${registration.member}`);
    while (client.elapsedMs() < viewAtMs) {
      await client.sleep(500);
      const path = `${group.path}/${registration.member}`;
      const alive = await retrying(client, zk, () => zk.exists(path));
      if (alive === null) throw new SessionLost(group.path);
    }
    await group.view(client, zk);
    for (;;) await client.sleep(1_000);
  });
}

/** The task of a client of coordination workload `name` (run/tasks.ts deals `mixed`). */
export function recipeTask(name: string, run: WorkloadRun): RecipeTask {
  switch (name) {
    case "lock": return lockTask(run);
    case "rwlock": return rwlockTask(run);
    case "semaphore": return semaphoreTask();
    case "election": return electionTask(run);
    case "membership": return membershipTask(run);
    default: throw new Error(`no recipe workload ${name}`);
  }
}
