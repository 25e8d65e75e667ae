/**
 * The data recipes as run workloads (`--workload config|cache|queue|barrier`): task makers in
 * src/run/tasks.ts's shape, one task per client, its role by its index, and every random choice
 * from the client's own seeded stream. Writers and producers work during the safety phase,
 * write once more after it (`writeMs`), then stop (producers then consume); the first client
 * is also the referee, reading the settled state at `refereeMs` (a fresh session, sync, then
 * reads) for the convergence checks; readers, caches and consumers run to the end of the run.
 * The planted bugs (recipes/bugs.ts) change one recipe's code path.
 */
import { KeeperError } from "../client/index.js";
import type { ZooKeeper } from "../client/index.js";
import type { RecipeClient } from "./kit.js";
import { Deadline, SessionLost, retrying } from "./kit.js";
import type { ConfigLayout } from "./config.js";
import {
  configKeys, readWholeConfig, runConfigReader, setUpConfig, writeConfig,
} from "./config.js";
import { readSubtree, runCache } from "./cache.js";
import { enqueue, enqueueAgain, enqueueId, runConsumer, setUpQueue } from "./queue.js";
import type { ConsumerOptions, QueueLayout } from "./queue.js";
import { enterBarrier, leaveBarrier, openMember } from "./barrier.js";
import { ensureNode } from "./found-create.js";

/** What a data workload's tasks need from the run's options. */
export interface DataPlan {
  /** The run's planted bug, if any (a recipe bug changes its recipe). */
  readonly bug: string | null;
  /** When writers and producers stop (the end of the safety phase), in ms from the start. */
  readonly writeMs: number;
  /** When the referee reads the settled state, in ms from the start. */
  readonly refereeMs: number;
}

/** One client's task. */
export type RecipeTask = (client: RecipeClient) => Promise<void>;

/** The layouts the workloads use. */
export const CONFIG_LAYOUT: ConfigLayout = { path: "/config", keys: ["db", "cache", "flags"] };
export const CACHE_ROOT = "/cached";
export const QUEUE_LAYOUT: QueueLayout = { path: "/queue", lockPath: "/queue-locks" };
export const BARRIER_PATH = "/barrier";
/** The rounds every barrier member goes through during the faults. */
export const BARRIER_ROUNDS = 5;

/** Runs `work` on a session, on a new one each time the session is lost, until it returns. */
async function withSession<T>(client: RecipeClient, work: (zk: ZooKeeper, again: boolean) =>
  Promise<T>): Promise<T> {
  for (let again = false; ; again = true) {
    const zk = client.connect();
    try {
      return await work(zk, again);
    } catch (error) {
      if (!(error instanceof SessionLost)) throw error;
    }
  }
}

/** Milliseconds from now until `atMs` of the run (0 when it has passed). */
function untilMs(client: RecipeClient, atMs: number): number {
  return Math.max(0, Math.ceil(atMs - client.elapsedMs()));
}

/**
 * Sleeps a seeded gap, then runs `work` on a kept session, until `deadlineMs` passes; then
 * once more, after the faults healed (again on a new session if that one is lost), so the
 * run's liveness check sees a write acknowledged in the healed phase.
 */
async function untilDeadline(client: RecipeClient, deadlineMs: number, gapMs: [number, number],
  work: (zk: ZooKeeper, last: boolean) => Promise<void>): Promise<void> {
  // Deadlines are times of the run (ms since the task began), not spans from here: a set-up
  // slowed by the seed's world must not push the writes, and the referee, past the run's end.
  const deadline = new Deadline(client, untilMs(client, deadlineMs));
  let zk = client.connect();
  for (let done = false; !done;) {
    await client.sleep(client.random.intBetween(gapMs[0], gapMs[1]));
    const last = deadline.passed;
    try {
      await work(zk, last);
      done = last;
    } catch (error) {
      if (!(error instanceof SessionLost)) throw error;
      zk = client.connect();
    }
  }
  await deadline.done;
}

/** Client 0 writes and then referees, every third client writes, the others read. */
function writes(index: number): boolean {
  return index % 3 === 0;
}

/** The config workload's task for client `index`. */
export function configTask(index: number, plan: DataPlan): RecipeTask {
  const layout = CONFIG_LAYOUT;
  if (!writes(index)) return (client) => runConfigReader(client, layout);
  return async (client) => {
    await withSession(client, (zk) => setUpConfig(client, zk, layout));
    const keys = configKeys(layout);
    let writesDone = 0;
    await untilDeadline(client, plan.writeMs, [50, 600], async (zk) => {
      const tag = `${client.node}.${writesDone++}`;
      await writeConfig(client, zk, layout, client.random.pick(keys), tag);
    });
    if (index !== 0) return;
    await client.sleep(untilMs(client, plan.refereeMs));
    const entries = await withSession(client, (zk) => readWholeConfig(client, zk, layout));
    client.record({ type: "config-final", config: layout.path, entries });
  };
}

/** One change of a cache writer: a create (5 in 10), setData (3) or delete (2) of a child. */
async function changeChild(client: RecipeClient, zk: ZooKeeper, data: string): Promise<void> {
  const path = `${CACHE_ROOT}/n${client.random.intBetween(0, 5)}`;
  const kind = client.random.intBetween(0, 9);
  try {
    if (kind < 5) await zk.create(path, data);
    else if (kind < 8) await zk.setData(path, data);
    else await zk.delete(path);
  } catch (error) {
    // NONODE, NODEEXISTS and a lost outcome are all fine: the referee reads what is there.
    if (!(error instanceof KeeperError)) throw error;
    if (zk.state === "CLOSED") throw new SessionLost();
  }
}

/** The cache workload's task for client `index`. */
export function cacheTask(index: number, plan: DataPlan): RecipeTask {
  if (!writes(index)) {
    return async (client) => {
      await withSession(client, (zk) => ensureNode(client, zk, CACHE_ROOT));
      await runCache(client, CACHE_ROOT, plan.bug === "cache-ignores-rewatch");
    };
  }
  return async (client) => {
    await withSession(client, (zk) => ensureNode(client, zk, CACHE_ROOT));
    let changes = 0;
    await untilDeadline(client, plan.writeMs, [50, 500], async (zk, last) => {
      const data = `${client.node}.${changes++}`;
      // The healed phase's write must succeed: the root's data, which the cache does not mirror.
      if (last) await retrying(client, zk, () => zk.setData(CACHE_ROOT, data));
      else await changeChild(client, zk, data);
    });
    if (index !== 0) return;
    await client.sleep(untilMs(client, plan.refereeMs));
    const entries = await withSession(client, (zk) => readSubtree(client, zk, CACHE_ROOT));
    client.record({ type: "cache-final", root: CACHE_ROOT, entries });
  };
}

/** A consumer that crashes at a seeded point of one take in seven. */
function consumerOptions(plan: DataPlan): ConsumerOptions {
  return {
    deleteFirst: plan.bug === "queue-delete-before-process",
    processMs: (p) => p.intBetween(20, 300),
    crashAt: (p) => (p.chance(0.15) ? p.intBetween(0, 1) : null),
  };
}

/** The queue workload's task for client `index`: every third produces, then consumes. */
export function queueTask(index: number, plan: DataPlan): RecipeTask {
  const layout = QUEUE_LAYOUT;
  const consume = (client: RecipeClient): Promise<never> => runConsumer(client, layout,
    consumerOptions(plan), client.random, client.random.intBetween(200, 1000));
  if (!writes(index)) {
    return async (client) => {
      await withSession(client, (zk) => setUpQueue(client, zk, layout));
      await consume(client);
    };
  }
  return async (client) => {
    await withSession(client, (zk) => setUpQueue(client, zk, layout));
    let items = 0;
    await untilDeadline(client, plan.writeMs, [100, 700], async () => {
      const item = `p${client.node}-${items++}`;
      const id = enqueueId(client.random);
      await withSession(client, (zk, again) => (again
        ? enqueueAgain(client, zk, layout, item, id) : enqueue(client, zk, layout, item, id)));
      client.record({ type: "queue-enqueued", queue: layout.path, item });
    });
    await consume(client);
  };
}

/**
 * The barrier workload's task for client `index` of `count`: every client is a member, for
 * BARRIER_ROUNDS rounds and one more after the faults healed.
 */
export function barrierTask(index: number, count: number, plan: DataPlan): RecipeTask {
  return async (client) => {
    const options = {
      path: BARRIER_PATH, members: count, name: `m${index}`,
      noEntryWait: plan.bug === "barrier-no-entry-wait",
    };
    const session = openMember(client);
    const healed = new Deadline(client, untilMs(client, plan.writeMs));
    for (let round = 0; round <= BARRIER_ROUNDS; round++) {
      // The last round waits for the healed phase (its writes show the run is live).
      if (round === BARRIER_ROUNDS) await healed.done;
      await client.sleep(client.random.intBetween(0, 300));
      await enterBarrier(client, session, options, round);
      await client.sleep(client.random.intBetween(20, 400));
      await leaveBarrier(client, session, options, round);
    }
  };
}
