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
    const name = await createProtectedEphemeral(client, zk, this.path, NODE_PREFIX[mode],
      client.random);
    const path = `${this.path}/${name}`;
    const token = await czxidOf(client, zk, path);
    if (token === null) throw new SessionLost(path); // Our ephemeral is gone: expired.
    await this.waitForTurn(client, zk, name, mode);
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

  private async waitForTurn(client: RecipeClient, zk: ZooKeeper, name: string, mode: LockMode):
    Promise<void> {
    for (;;) {
      const children = bySequence(await retrying(client, zk, () => zk.getChildren(this.path)));
      const index = children.indexOf(name);
      if (index < 0) throw new SessionLost(`${this.path}/${name}`);
      const blocker = blockerOf(children, index, mode);
      if (blocker === undefined) return;
      let gone = false;
      await waitForChange(client, async (watcher) => {
        const path = `${this.path}/${blocker}`;
        const stat = await retrying(client, zk, () => zk.exists(path, (event) => {
          if (event.type === "NodeDeleted") gone = true;
          watcher(event);
        }));
        if (stat === null) gone = true;
        return stat !== null;
      });
      // The classic mistake: "my predecessor is gone, so the lock is mine".
      if (gone && this.options.skipRecheck === true && mode === "exclusive") return;
    }
  }
}
