/**
 * One znode (ZooKeeper's DataNode plus its StatPersisted), kept flat for memory: a million nodes
 * must fit, so the stored stat fields sit on the node itself, the ACL list is shared between nodes
 * that have the same one (as ReferenceCountedACLCache does), and a leaf has no children set.
 */
import { assert } from "../util/index.js";
import type { Acl } from "./acl.js";
import { clientEphemeralOwner } from "./create-mode.js";
import type { EphemeralOwner } from "./create-mode.js";
import type { Stat } from "./stat.js";

/** A znode. Fields are mutated only by DataTree's apply path. */
export class DataNode {
  /** The data; null when created with null (distinct from an empty array). */
  data: Uint8Array | null;
  /** The node's ACL list, shared and never mutated in place. */
  acl: readonly Acl[];
  /** Child names; null while the node has none (saves a Set per leaf). */
  children: Set<string> | null = null;
  /** Zxid of the creating txn. */
  czxid: number;
  /** Zxid of the last setData (or the create). */
  mzxid: number;
  /** Zxid of the last child create or delete (delete only raises it). */
  pzxid: number;
  /** Creation time (ms) from the creating txn's header. */
  ctime: number;
  /** Time (ms) of the last setData, from its txn's header. */
  mtime: number;
  /** Data version (Java int arithmetic). */
  version = 0;
  /** Stored cversion: the number of child creations (DataTree.createNode raises it). */
  cversion = 0;
  /** ACL version (Java int arithmetic). */
  aversion = 0;
  /** Stored owner encoding (create-mode.ts): 0, session id, container or TTL. */
  readonly ephemeralOwner: EphemeralOwner;
  /** Cached node digest (DataNode.digest / digestCached); -1 when stale. */
  digestCache = -1;

  /** DataTree.createStat: all three zxids and both times from the creating txn. */
  constructor(
    data: Uint8Array | null,
    acl: readonly Acl[],
    zxid: number,
    timeMs: number,
    ephemeralOwner: EphemeralOwner,
  ) {
    this.data = data;
    this.acl = acl;
    this.czxid = zxid;
    this.mzxid = zxid;
    this.pzxid = zxid;
    this.ctime = timeMs;
    this.mtime = timeMs;
    this.ephemeralOwner = ephemeralOwner;
  }

  /** Current number of children. */
  get numChildren(): number {
    return this.children === null ? 0 : this.children.size;
  }

  /** DataNode.addChild; a name is added once (the tree checks NODEEXISTS first). */
  addChild(name: string): void {
    if (this.children === null) this.children = new Set();
    assert(!this.children.has(name), `child ${name} already present`);
    this.children.add(name);
  }

  /** Removes a child if present (DataNode.removeChild tolerates a missing one). */
  removeChild(name: string): void {
    if (this.children === null) return;
    this.children.delete(name);
    if (this.children.size === 0) this.children = null;
  }

  /** DataNode.copyStat: reported cversion = 2 * stored - numChildren, owner 0 unless NORMAL. */
  copyStat(): Stat {
    const numChildren = this.numChildren;
    return {
      czxid: this.czxid,
      mzxid: this.mzxid,
      ctime: this.ctime,
      mtime: this.mtime,
      version: this.version,
      cversion: (this.cversion * 2 - numChildren) | 0,
      aversion: this.aversion,
      ephemeralOwner: clientEphemeralOwner(this.ephemeralOwner),
      dataLength: this.data === null ? 0 : this.data.length,
      numChildren,
      pzxid: this.pzxid,
    };
  }
}
