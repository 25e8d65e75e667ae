/**
 * The distributed lock and the read-write lock of ZooKeeper's recipes page, as Curator builds
 * them (InterProcessMutex, LockInternals, InterProcessReadWriteLock): each contender creates a
 * protected ephemeral-sequential node under the lock's directory and reads the children; it
 * holds the lock when its node qualifies (the lowest for an exclusive lock or a writer; no
 * writer before it for a reader), else it watches the one node whose deletion can change that
 * (its predecessor; a reader, the last writer before it) and looks again. No herd: a release
 * wakes one waiter. The fencing token is the lock node's czxid.
 *
 * Planted bug lock-no-predecessor-check: a waiter whose watched predecessor goes away takes
 * the lock without reading the children again. A predecessor that was itself waiting (its
 * session expired) leaves while the holder still holds: two holders.
 */
import { KeeperError } from "../client/index.js";
import type { ZooKeeper } from "../client/index.js";
import type { RecipeClient } from "./context.js";
import { bySequence, createProtectedEphemeral } from "./found-create.js";
import {
  checkPath, czxidOf, deleteQuietly, retrying, SessionLost, waitForChange,
} from "./kit.js";

/** How a contender takes the lock. */
export type LockMode = "exclusive" | "read" | "write";

/** A lock held: its node's path and the fencing token (the node's czxid). */
export interface Lease {
  readonly path: string;
  readonly token: number;
}

/** Options of a lock (bugs are off unless named). */
export interface LockOptions {
  /** Planted bug lock-no-predecessor-check. */
  readonly skipRecheck?: boolean;
}

const NODE_PREFIX: Readonly<Record<LockMode, string>> = {
  exclusive: "lock-", read: "read-", write: "write-",
};

/** Which node a contender at `index` waits for; undefined when it holds the lock. */
export function blockerOf(children: readonly string[], index: number, mode: LockMode):
  string | undefined {
  if (mode !== "read") return index === 0 ? undefined : children[index - 1];
  for (let k = index - 1; k >= 0; k--) {
    if ((children[k] ?? "").includes(NODE_PREFIX.write)) return children[k];
  }
  return undefined;
}

export class DistributedLock {
  readonly path: string;

  constructor(path: string, readonly options: LockOptions = {}) {
    checkPath("lock path", path);
    this.path = path;
  }

  /**
   * Waits until this session holds the lock in `mode`; throws SessionLost when the session
   * expires meanwhile (its node is gone with it: start over).
   */
  async acquire(client: RecipeClient, zk: ZooKeeper, mode: LockMode = "exclusive"):
    Promise<Lease> {
    const lease = await this.tryAcquire(client, zk, Infinity, mode);
    if (lease === null) throw new Error("an acquire without a time limit gave up");
    return lease;
  }

  /**
   * Like `acquire`, but gives up after `waitMs` of waiting (Curator's acquire(time, unit)): it
   * deletes its own node and returns null, so a waiter leaves the queue while others wait.
   */
  async tryAcquire(client: RecipeClient, zk: ZooKeeper, waitMs: number,
    mode: LockMode = "exclusive"): Promise<Lease | null> {
    const giveUpAt = client.elapsedMs() + waitMs;
    const name = await createProtectedEphemeral(client, zk, this.path, NODE_PREFIX[mode],
      client.random);
    const path = `${this.path}/${name}`;
    const token = await czxidOf(client, zk, path);
    if (token === null) throw new SessionLost(path); // Our ephemeral is gone: expired.
    if (!await this.waitForTurn(client, zk, name, mode, giveUpAt)) {
      await deleteQuietly(client, zk, path);
      return null;
    }
    client.record({
      type: "acquired", lock: this.path, mode, holder: name, token, permits: 1,
    });
    return { path, token };
  }

  /** Gives the lock up: the `releasing` event first, then the delete. */
  async release(client: RecipeClient, zk: ZooKeeper, lease: Lease): Promise<void> {
    const holder = lease.path.slice(this.path.length + 1);
    client.record({ type: "releasing", lock: this.path, holder });
    await deleteQuietly(client, zk, lease.path);
  }

  /** True when this node's turn came; false when `giveUpAt` (elapsed ms) passed first. */
  private async waitForTurn(client: RecipeClient, zk: ZooKeeper, name: string, mode: LockMode,
    giveUpAt: number): Promise<boolean> {
    for (;;) {
      const children = bySequence(await retrying(client, zk, () => zk.getChildren(this.path)));
      const index = children.indexOf(name);
      if (index < 0) throw new SessionLost(`${this.path}/${name}`);
      const blocker = blockerOf(children, index, mode);
      if (blocker === undefined) return true;
      const leftMs = giveUpAt - client.elapsedMs();
      if (leftMs <= 0) return false;
      let gone = false;
      const change = waitForChange(client, async (watcher) => {
        const path = `${this.path}/${blocker}`;
        const stat = await retrying(client, zk, () => zk.exists(path, (event) => {
          if (event.type === "NodeDeleted") gone = true;
          watcher(event);
        }));
        if (stat === null) gone = true;
        return stat !== null;
      });
      await (leftMs === Infinity ? change
        : Promise.race([change, client.sleep(Math.ceil(leftMs))]));
      if (!gone && client.elapsedMs() >= giveUpAt) {
        // Giving up: the watch goes too, or the blocker's deletion would wake a non-waiter.
        await forgetWatch(client, zk, `${this.path}/${blocker}`);
        return false;
      }
      // The classic mistake: "my predecessor is gone, so the lock is mine".
      if (gone && this.options.skipRecheck === true && mode === "exclusive") return true;
    }
  }
}

/** Removes this session's data watch on `path` (NOWATCHER: it fired or was never set). */
async function forgetWatch(client: RecipeClient, zk: ZooKeeper, path: string):
  Promise<void> {
  try {
    await retrying(client, zk, () => zk.removeAllWatches(path, "Data"));
  } catch (error) {
    if (!(error instanceof KeeperError) || error.code !== "NOWATCHER") throw error;
  }
}
