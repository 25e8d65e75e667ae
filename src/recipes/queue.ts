/**
 * A distributed queue with at-least-once processing (ZooKeeper's recipes page, "queues";
 * Curator's DistributedQueue with a lock path). Items are persistent sequential children of
 * the queue znode, created under Curator's protection so a CONNECTIONLOSS never enqueues one
 * twice from one attempt. A consumer takes the lowest item it can lock (an ephemeral node named
 * after the item under the lock znode), processes it, and only then deletes the item and its
 * lock. A consumer that dies at any point leaves the item in the queue: its lock goes with its
 * session, and another consumer takes the item again. So an item may be processed twice
 * (exactly once needs processing that is idempotent); it is never lost. The planted bug
 * `queue-delete-before-process` deletes the item first, the textbook mistake: a consumer that
 * dies between the delete and the processing loses the item.
 */
import type { ZooKeeper } from "../client/index.js";
import type { Prng } from "../util/index.js";
import type { RecipeClient } from "./kit.js";
import {
  LOSS_PAUSE_MS, SessionLost, Wakeup, checkName, checkPath, codeOf, hasCode, lostOr, readText,
  retrying, unknownOutcome,
} from "./kit.js";
import { createProtected, ensureNode, findProtected, protectedId, sequenceOf }
  from "./found-create.js";

/** Where a queue lives. */
export interface QueueLayout {
  /** The items' parent. */
  readonly path: string;
  /** The locks' parent (one ephemeral child per item being processed). */
  readonly lockPath: string;
}

/** Checks a layout before anything is written: BADARGUMENTS for a bad path. */
export function checkQueueLayout(layout: QueueLayout): void {
  checkPath("queue path", layout.path);
  checkPath("queue lock path", layout.lockPath);
}

/** Creates the queue's two parents unless they exist. */
export async function setUpQueue(client: RecipeClient, zk: ZooKeeper, layout: QueueLayout):
  Promise<void> {
  checkQueueLayout(layout);
  await ensureNode(client, zk, layout.path);
  await ensureNode(client, zk, layout.lockPath);
}

/**
 * Enqueues `item` (its data) and resolves once the create is known to have happened: its reply,
 * or the protected name found again after a CONNECTIONLOSS. On SESSIONEXPIRED the caller opens
 * a new session and calls `enqueueAgain` with the same id.
 */
export async function enqueue(client: RecipeClient, zk: ZooKeeper, layout: QueueLayout,
  item: string, id: string): Promise<string> {
  checkName("queue item", layout.path, item);
  return createProtected(client, zk, layout.path, "item-", id, item, "PERSISTENT_SEQUENTIAL");
}

/** After a lost session: the item's node if the earlier create happened, else a new create. */
export async function enqueueAgain(client: RecipeClient, zk: ZooKeeper, layout: QueueLayout,
  item: string, id: string): Promise<string> {
  const found = await findProtected(client, zk, layout.path, id);
  return found ?? enqueue(client, zk, layout, item, id);
}

/** What a consumer does with a taken item (its steps, for the crash points). */
export interface ConsumerOptions {
  /** Delete the item before processing it (the planted bug). */
  readonly deleteFirst: boolean;
  /** How long processing one item takes. */
  readonly processMs: (prng: Prng) => number;
  /** The consumer dies at this step of the next item (0: after locking, 1: after the first). */
  readonly crashAt: (prng: Prng) => number | null;
}

/** The consumer died at a crash point: its session is left to expire. */
export class ConsumerCrashed extends Error {
  constructor() {
    super("the consumer crashed");
    this.name = "ConsumerCrashed";
  }
}

/**
 * Locks `name` for this session: true when this session holds the lock. A CONNECTIONLOSS is
 * answered by looking at the lock: its ephemeralOwner says whose it is.
 */
async function lock(client: RecipeClient, zk: ZooKeeper, lockPath: string): Promise<boolean> {
  for (;;) {
    try {
      await zk.create(lockPath, "", undefined, "EPHEMERAL");
      return true;
    } catch (error) {
      const cause = lostOr(error, zk);
      if (hasCode(cause, "NODEEXISTS")) return false;
      if (!unknownOutcome(cause)) throw cause;
    }
    await client.sleep(LOSS_PAUSE_MS);
    const stat = await retrying(client, zk, () => zk.exists(lockPath));
    if (stat !== null) return stat.ephemeralOwner === zk.sessionId;
  }
}

/** Deletes `path` unless it is gone already (so a retry after CONNECTIONLOSS is harmless). */
async function remove(client: RecipeClient, zk: ZooKeeper, path: string): Promise<void> {
  await retrying(client, zk, () => codeOf(zk.delete(path), ["NONODE"]));
}

/**
 * Takes item `name` if it can (false when another consumer holds its lock): lock, read, then
 * process and delete in the recipe's order, then unlock.
 */
async function take(client: RecipeClient, zk: ZooKeeper, layout: QueueLayout, name: string,
  options: ConsumerOptions, prng: Prng): Promise<boolean> {
  const itemPath = `${layout.path}/${name}`;
  const lockPath = `${layout.lockPath}/${name}`;
  if (!(await lock(client, zk, lockPath))) return false;
  const crashAt = options.crashAt(prng);
  const read = await readText(client, zk, itemPath);
  if (read !== null) {
    const steps = options.deleteFirst
      ? [() => remove(client, zk, itemPath), () => process(client, layout, read, options, prng)]
      : [() => process(client, layout, read, options, prng), () => remove(client, zk, itemPath)];
    for (let step = 0; step < steps.length; step++) {
      if (crashAt === step) throw new ConsumerCrashed();
      await (steps[step] as () => Promise<void>)();
    }
  }
  await remove(client, zk, lockPath);
  return true;
}

async function process(client: RecipeClient, layout: QueueLayout, item: string,
  options: ConsumerOptions, prng: Prng): Promise<void> {
  await client.sleep(options.processMs(prng));
  client.record({ type: "queue-processed", queue: layout.path, item });
}

/** How long an idle consumer sleeps before it looks at its session again. */
const CONSUMER_POLL_MS = 1000;

/** One consumer session: take items in sequence order until the session goes. */
async function consume(client: RecipeClient, zk: ZooKeeper, wakeup: Wakeup, layout: QueueLayout,
  options: ConsumerOptions, prng: Prng): Promise<never> {
  for (;;) {
    wakeup.take();
    const children = await retrying(client, zk, () => zk.getChildren(layout.path,
      wakeup.watcher));
    const items = children.sort((a, b) => sequenceOf(a) - sequenceOf(b));
    let taken = 0;
    for (const name of items) {
      if (await take(client, zk, layout, name, options, prng)) taken++;
    }
    if (taken === 0) await wakeup.wait(client, CONSUMER_POLL_MS);
    if (zk.state === "CLOSED") throw new SessionLost();
  }
}

/** A consumer for ever; after a crash it sleeps `restartMs`, then starts on a new session. */
export async function runConsumer(client: RecipeClient, layout: QueueLayout,
  options: ConsumerOptions, prng: Prng, restartMs: number):
  Promise<never> {
  checkQueueLayout(layout);
  for (;;) {
    const wakeup = new Wakeup();
    const zk = client.connect(wakeup.watcher);
    try {
      await consume(client, zk, wakeup, layout, options, prng);
    } catch (error) {
      if (error instanceof ConsumerCrashed) await client.sleep(restartMs);
      else if (!(error instanceof SessionLost)) throw error;
    }
  }
}

/** A fresh protected id for an enqueue. */
export { protectedId as enqueueId };
