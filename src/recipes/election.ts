/**
 * Leader election among clients (ZooKeeper's recipes page; Curator's LeaderLatch): each
 * candidate creates a protected ephemeral-sequential node under the group's directory; the
 * lowest leads, and every other candidate watches only its predecessor, looking again when it
 * goes. The leader epoch is the leader's node czxid, which grows with every new leader, so a
 * resource fenced by it refuses a deposed leader that still believes it leads.
 *
 * Planted bug election-herd: every candidate watches the leader's node instead of its
 * predecessor, so each change of leader wakes every candidate (the herd effect).
 */
import type { ZooKeeper } from "../client/index.js";
import type { RecipeClient } from "./context.js";
import { bySequence, createProtectedEphemeral } from "./found-create.js";
import {
  checkPath, czxidOf, deleteQuietly, retrying, SessionLost, waitForChange,
} from "./kit.js";

/** A leadership won: the candidate node and the leader epoch (its czxid). */
export interface Leadership {
  readonly path: string;
  readonly epoch: number;
}

/** Options of an election (bugs are off unless named). */
export interface ElectionOptions {
  /** Planted bug election-herd. */
  readonly watchLeader?: boolean;
}

export class LeaderElection {
  readonly path: string;

  constructor(path: string, readonly options: ElectionOptions = {}) {
    checkPath("election path", path);
    this.path = path;
  }

  /** Joins the election and waits until this session leads; SessionLost if it expires. */
  async lead(client: RecipeClient, zk: ZooKeeper): Promise<Leadership> {
    const name = await createProtectedEphemeral(client, zk, this.path, "n_", client.random);
    const path = `${this.path}/${name}`;
    const epoch = await czxidOf(client, zk, path);
    if (epoch === null) throw new SessionLost(path);
    for (;;) {
      const children = bySequence(await retrying(client, zk, () => zk.getChildren(this.path)));
      const index = children.indexOf(name);
      if (index < 0) throw new SessionLost(path);
      if (index === 0) break;
      const watched = this.options.watchLeader === true ? children[0] : children[index - 1];
      await waitForChange(client, async (watcher) => {
        const path = `${this.path}/${watched ?? ""}`;
        const stat = await retrying(client, zk, () => zk.exists(path, watcher));
        return stat !== null;
      });
    }
    client.record({ type: "leader", group: this.path, epoch, candidate: name });
    return { path, epoch };
  }

  /** Steps down: the `resign` event, then the delete that wakes the next candidate. */
  async resign(client: RecipeClient, zk: ZooKeeper, leadership: Leadership): Promise<void> {
    client.record({ type: "resign", group: this.path, epoch: leadership.epoch });
    await deleteQuietly(client, zk, leadership.path);
  }
}
