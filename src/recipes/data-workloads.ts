/**
 * The data recipes as run workloads: task factories for `config`, `cache`, `queue` and
 * `barrier`, each task a client node running one role with choices drawn from its own seeded
 * stream (`prng.fork(role + index)`). Writers and producers work during the safety phase and
 * stop at `writeMs`; a referee reads the settled state at `refereeMs` (a fresh session, sync,
 * then reads) for the convergence checks; readers, caches and consumers run to the end of the
 * run. Planted bugs (`RECIPE_DATA_BUGS`) change one recipe's code path.
 */
import { KeeperError } from "../client/index.js";
import type { ZooKeeper } from "../client/index.js";
import type { Prng } from "../util/index.js";
import type { RecipeClient, RecipeDataReport } from "./kit.js";
import { Deadline, SessionLost } from "./kit.js";
import type { ConfigLayout } from "./config.js";
import {
  configKeys, readWholeConfig, runConfigReader, setUpConfig, writeConfig,
} from "./config.js";
import { readSubtree, runCache } from "./cache.js";
import { enqueue, enqueueAgain, enqueueId, runConsumer, setUpQueue } from "./queue.js";
import type { QueueLayout } from "./queue.js";
import { enterBarrier, leaveBarrier, openMember } from "./barrier.js";
import { ensureNode } from "./found-create.js";

/** The planted bugs of the data recipes (`--bug`). */
export const RECIPE_DATA_BUGS = ["queue-delete-before-process", "cache-ignores-rewatch"] as const;
export type RecipeDataBug = (typeof RECIPE_DATA_BUGS)[number];

/** One task: async code on a client node. */
export type RecipeTask = (client: RecipeClient) => Promise<void>;

/** What a data workload is built from. */
export interface DataWorkloadOptions {
  /** The workload's seeded stream; each task forks its own. */
  readonly prng: Prng;
  readonly report: RecipeDataReport;
  readonly bug: RecipeDataBug | null;
  /** When writers and producers stop (the end of the safety phase), in ms from the start. */
  readonly writeMs: number;
  /** When the referee reads the settled state, in ms from the start. */
  readonly refereeMs: number;
}

/** The layouts the workloads use. */
export const CONFIG_LAYOUT: ConfigLayout = { path: "/config", keys: ["db", "cache", "flags"] };
export const CACHE_ROOT = "/cached";
export const QUEUE_LAYOUT: QueueLayout = { path: "/queue", lockPath: "/queue-locks" };
export const BARRIER_PATH = "/barrier";

/**
 * Runs `work` on a session, on a new one each time the session is lost, until it returns.
 * `work` gets the session and whether it is a retry after a lost one.
 */
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

/** Sleeps a seeded gap, then runs `work` on a (kept) session, until the deadline passes. */
async function untilDeadline(client: RecipeClient, deadlineMs: number, gap: () => number,
  work: (zk: ZooKeeper) => Promise<void>): Promise<void> {
  const deadline = new Deadline(client, deadlineMs);
  let zk = client.connect();
  for (;;) {
    await client.sleep(gap());
    if (deadline.passed) break;
    try {
      await work(zk);
    } catch (error) {
      if (!(error instanceof SessionLost)) throw error;
      zk = client.connect();
    }
  }
  await deadline.done;
}

/** The config workload: two writers, three readers, a referee. */
export function configWorkload(o: DataWorkloadOptions): RecipeTask[] {
  const layout = CONFIG_LAYOUT;
  const keys = configKeys(layout);
  const writer = (i: number): RecipeTask => async (client) => {
    const prng = o.prng.fork(`config-writer${i}`);
    await withSession(client, (zk) => setUpConfig(client, zk, layout));
    let writes = 0;
    await untilDeadline(client, o.writeMs, () => prng.intBetween(50, 600), async (zk) => {
      await writeConfig(client, zk, layout, prng.pick(keys), `${client.node}.${writes++}`);
    });
  };
  const reader: RecipeTask = (client) => runConfigReader(client, layout, o.report);
  const referee: RecipeTask = async (client) => {
    await client.sleep(o.refereeMs);
    const entries = await withSession(client, (zk) => readWholeConfig(client, zk, layout));
    o.report({ recipe: "config", event: "final", client: client.node, entries });
  };
  return [writer(0), writer(1), reader, reader, reader, referee];
}

/** The cache workload: two writers changing the children of the root, three caches, a referee. */
export function cacheWorkload(o: DataWorkloadOptions): RecipeTask[] {
  const writer = (i: number): RecipeTask => async (client) => {
    const prng = o.prng.fork(`cache-writer${i}`);
    await withSession(client, (zk) => ensureNode(client, zk, CACHE_ROOT));
    let writes = 0;
    await untilDeadline(client, o.writeMs, () => prng.intBetween(50, 500), async (zk) => {
      const path = `${CACHE_ROOT}/n${prng.intBetween(0, 5)}`;
      const data = `${client.node}.${writes++}`;
      const kind = prng.intBetween(0, 2);
      try {
        if (kind === 0) await zk.create(path, data);
        else if (kind === 1) await zk.setData(path, data);
        else await zk.delete(path);
      } catch (error) {
        // NONODE, NODEEXISTS and a lost outcome are all fine: the referee reads what is there.
        if (!(error instanceof KeeperError)) throw error;
        if (zkLost(zk)) throw new SessionLost();
      }
    });
  };
  const cache: RecipeTask = async (client) => {
    await withSession(client, (zk) => ensureNode(client, zk, CACHE_ROOT));
    await runCache(client, CACHE_ROOT, o.report, o.bug === "cache-ignores-rewatch");
  };
  const referee: RecipeTask = async (client) => {
    await client.sleep(o.refereeMs);
    const entries = await withSession(client, (zk) => readSubtree(client, zk, CACHE_ROOT));
    o.report({ recipe: "cache", event: "final", client: client.node, entries });
  };
  return [writer(0), writer(1), cache, cache, cache, referee];
}

function zkLost(zk: ZooKeeper): boolean {
  return zk.state === "CLOSED";
}

/** The queue workload: two producers, three consumers that crash now and then. */
export function queueWorkload(o: DataWorkloadOptions): RecipeTask[] {
  const layout = QUEUE_LAYOUT;
  const producer = (i: number): RecipeTask => async (client) => {
    const prng = o.prng.fork(`queue-producer${i}`);
    await withSession(client, (zk) => setUpQueue(client, zk, layout));
    let items = 0;
    await untilDeadline(client, o.writeMs, () => prng.intBetween(100, 700), async () => {
      const item = `p${client.node}-${items++}`;
      const id = enqueueId(prng);
      await withSession(client, (zk, again) => (again
        ? enqueueAgain(client, zk, layout, item, id) : enqueue(client, zk, layout, item, id)));
      o.report({ recipe: "queue", event: "enqueued", client: client.node, item });
    });
  };
  const consumer = (i: number): RecipeTask => async (client) => {
    const prng = o.prng.fork(`queue-consumer${i}`);
    await withSession(client, (zk) => setUpQueue(client, zk, layout));
    await runConsumer(client, layout, {
      deleteFirst: o.bug === "queue-delete-before-process",
      processMs: (p) => p.intBetween(20, 300),
      crashAt: (p) => (p.chance(0.15) ? p.intBetween(0, 1) : null),
    }, prng, o.report, prng.intBetween(200, 1000));
  };
  return [producer(0), producer(1), consumer(0), consumer(1), consumer(2)];
}

/** The barrier workload: four members doing 3 to 8 rounds of work between entering and leaving. */
export function barrierWorkload(o: DataWorkloadOptions): RecipeTask[] {
  const members = 4;
  // Every member does the same rounds (one who stopped early would hold the others for ever).
  const rounds = o.prng.fork("barrier").intBetween(3, 8);
  const member = (i: number): RecipeTask => async (client) => {
    const prng = o.prng.fork(`barrier-member${i}`);
    const options = { path: BARRIER_PATH, members, name: `m${i}` };
    const session = openMember(client);
    for (let round = 0; round < rounds; round++) {
      await client.sleep(prng.intBetween(0, 300));
      await enterBarrier(client, session, options, round, o.report);
      await client.sleep(prng.intBetween(20, 400));
      await leaveBarrier(client, session, options, round, o.report);
    }
  };
  return [member(0), member(1), member(2), member(3)];
}

/** A data workload by name. */
export function dataWorkload(name: "config" | "cache" | "queue" | "barrier",
  o: DataWorkloadOptions): RecipeTask[] {
  switch (name) {
    case "config": return configWorkload(o);
    case "cache": return cacheWorkload(o);
    case "queue": return queueWorkload(o);
    case "barrier": return barrierWorkload(o);
  }
}


