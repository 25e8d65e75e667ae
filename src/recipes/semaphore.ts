/**
 * A counting semaphore of `permits` leases, as Curator's InterProcessSemaphoreV2 builds it: a
 * contender first takes the semaphore's internal lock (`${path}/locks`, the herd-free lock of
 * lock.ts), then creates its protected ephemeral-sequential lease under `${path}/leases` and
 * reads the leases with a children watch; with at most `permits` it holds a lease, else it
 * waits for the watch (only the internal lock's holder waits there, so no herd) and reads
 * again. Then it gives the internal lock up. Releasing deletes the lease.
 */
import type { ZooKeeper } from "../client/index.js";
import type { RecipeClient } from "./context.js";
import { DistributedLock } from "./lock.js";
import type { Lease } from "./lock.js";
import { createProtectedEphemeral } from "./found-create.js";
import {
  checkCount, checkPath, czxidOf, deleteQuietly, retrying, SessionLost, waitForChange,
} from "./kit.js";

export class Semaphore {
  readonly path: string;
  readonly permits: number;
  private readonly mutex: DistributedLock;

  constructor(path: string, permits: number) {
    checkPath("semaphore path", path);
    this.path = path;
    this.permits = checkCount("permits", permits);
    this.mutex = new DistributedLock(`${this.path}/locks`);
  }

  /** Waits for a lease; SessionLost when the session expires meanwhile. */
  async acquire(client: RecipeClient, zk: ZooKeeper): Promise<Lease> {
    const internal = await this.mutex.acquire(client, zk);
    const leases = `${this.path}/leases`;
    const name = await createProtectedEphemeral(client, zk, leases, "lease-", client.random);
    const path = `${leases}/${name}`;
    const token = await czxidOf(client, zk, path);
    if (token === null) throw new SessionLost(path);
    for (;;) {
      let count = 0;
      await waitForChange(client, async (watcher) => {
        const children = await retrying(client, zk, () => zk.getChildren(leases, watcher));
        if (!children.includes(name)) throw new SessionLost(path);
        count = children.length;
        return count > this.permits;
      });
      if (count <= this.permits) break;
    }
    client.record({
      type: "acquired", lock: this.path, mode: "permit", holder: name, token,
      permits: this.permits,
    });
    await this.mutex.release(client, zk, internal);
    return { path, token };
  }

  /** Gives the lease back: the `releasing` event, then the delete. */
  async release(client: RecipeClient, zk: ZooKeeper, lease: Lease): Promise<void> {
    const holder = lease.path.slice(lease.path.lastIndexOf("/") + 1);
    client.record({ type: "releasing", lock: this.path, holder });
    await deleteQuietly(client, zk, lease.path);
  }
}
