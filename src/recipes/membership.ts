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
import {
  checkName, checkRecipePath, deleteQuietly, protectedCreate, retrying,
} from "./session.js";

/** This client's membership: its node's name under the group. */
export interface Registration {
  readonly member: string;
}

export class GroupMembership {
  readonly path: string;

  constructor(path: string) {
    this.path = checkRecipePath(path, "group path");
  }

  /** Registers `name` (the member node's data); SessionLost if the session expires. */
  async join(client: RecipeClient, zk: ZooKeeper, name: string): Promise<Registration> {
    checkName(name, "member name");
    const member = await protectedCreate(zk, this.path, "m_", client.random, name);
    client.record({ type: "joined", group: this.path, member });
    return { member };
  }

  /** Leaves the group: the `leaving` event, then the delete. */
  async leave(client: RecipeClient, zk: ZooKeeper, registration: Registration): Promise<void> {
    client.record({ type: "leaving", group: this.path, member: registration.member });
    await deleteQuietly(zk, `${this.path}/${registration.member}`);
  }

  /** The members as this client reads them after a sync, reported as a `view`, sorted. */
  async view(client: RecipeClient, zk: ZooKeeper): Promise<string[]> {
    await retrying(() => zk.sync(this.path));
    const { children, stat } = await retrying(() => zk.getChildren2(this.path));
    const members = [...children].sort();
    client.record({ type: "view", group: this.path, zxid: stat.pzxid, members });
    return members;
  }
}
