/**
 * Group membership (Curator's GroupMember, PersistentNode with an ephemeral-sequential mode):
 * a member registers as a protected ephemeral-sequential node under the group's directory,
 * holding its name; the group is the directory's children. A member whose session expires
 * leaves with it and registers again on a new session. After changes settle every member
 * reads the same group: the view is a sync then a getChildren (a read served by a follower
 * may lag; sync makes it catch up with the leader first).
 */
import type { ZooKeeper } from "../client/index.js";
import type { RecipeClient } from "./context.js";
import { createProtectedEphemeral } from "./found-create.js";
import { checkName, checkPath, deleteQuietly, retrying } from "./kit.js";

/** This client's membership: its node's name under the group. */
export interface Registration {
  readonly member: string;
}

export class GroupMembership {
  readonly path: string;

  constructor(path: string) {
    checkPath("group path", path);
    this.path = path;
  }

  /** Registers `name` (the member node's data); SessionLost if the session expires. */
  async join(client: RecipeClient, zk: ZooKeeper, name: string): Promise<Registration> {
    checkName("member name", this.path, name);
    const member = await createProtectedEphemeral(client, zk, this.path, "m_", client.random,
      name);
    client.record({ type: "joined", group: this.path, member });
    return { member };
  }

  /** Leaves the group: the `leaving` event, then the delete. */
  async leave(client: RecipeClient, zk: ZooKeeper, registration: Registration): Promise<void> {
    client.record({ type: "leaving", group: this.path, member: registration.member });
    await deleteQuietly(client, zk, `${this.path}/${registration.member}`);
  }

  /** The members as this client reads them after a sync, reported as a `view`, sorted. */
  async view(client: RecipeClient, zk: ZooKeeper): Promise<string[]> {
    await retrying(client, zk, () => zk.sync(this.path));
    const { children, stat } = await retrying(client, zk, () => zk.getChildren2(this.path));
    const members = [...children].sort();
    client.record({ type: "view", group: this.path, zxid: stat.pzxid, members });
    return members;
  }
}
