/**
 * The znode tree of one server (ZooKeeper's DataTree): nodes by path, the ephemerals of each
 * session, the container and TTL sets, both watch managers, the committed session table
 * (ZKDatabase.sessionsWithTimeouts) and the incremental digest. Only apply.ts mutates it, through
 * the methods below, each of which mirrors the DataTree method of the same name.
 */
import { assert } from "../util/index.js";
import { OPEN_ACL_UNSAFE, READ_ACL_UNSAFE } from "./acl.js";
import type { Acl } from "./acl.js";
import { ephemeralTypeOf } from "./create-mode.js";
import type { EphemeralOwner } from "./create-mode.js";
import { addDigest, nodeDigest, removeDigest } from "./digest.js";
import { CONFIG_PATH, QUOTA_PATH, ROOT_PATH, ZOOKEEPER_PATH, childNameOf } from "./path.js";
import { watchPathOfParent } from "./path.js";
import { WatchManager } from "./watches.js";
import type { WatchEvent } from "./watches.js";
import { DataNode } from "./znode.js";

/** The outcome of a DataTree mutation: ZooKeeper throws NoNode/NodeExists here. */
export type TreeOutcome = "OK" | "NONODE" | "NODEEXISTS";

function aclKey(acl: readonly Acl[]): string {
  let key = "";
  for (const entry of acl) {
    key += `${entry.perms}:${entry.id.scheme.length}:${entry.id.scheme}${entry.id.id.length}:`;
    key += entry.id.id;
  }
  return key;
}

/** The replicated znode tree plus this server's watches. */
export class DataTree {
  private readonly nodes = new Map<string, DataNode>();
  private root: DataNode;
  private readonly ephemerals = new Map<number, Set<string>>();
  private readonly containers = new Set<string>();
  private readonly ttls = new Set<string>();
  private readonly aclCache = new Map<string, readonly Acl[]>();
  /** Interned lists by the identity of the list last interned (txns often share one). */
  private lastAclIn: readonly Acl[] | undefined;
  private lastAclOut: readonly Acl[] = [];
  private treeDigest = 0;
  /** Data watches: getData, exists, addWatch. */
  readonly dataWatches = new WatchManager();
  /** Child watches: getChildren, addWatch. */
  readonly childWatches = new WatchManager();
  /** Committed sessions and their timeouts (ZKDatabase.sessionsWithTimeouts). */
  readonly sessionsWithTimeouts = new Map<number, number>();
  /** Zxid of the last applied txn. Invariant: never decreases. */
  lastProcessedZxid = 0;

  /** A fresh tree: "/", "/zookeeper", "/zookeeper/quota", "/zookeeper/config" (DataTree()). */
  constructor() {
    this.root = this.systemNode(ROOT_PATH, OPEN_ACL_UNSAFE);
    this.systemNode(ZOOKEEPER_PATH, OPEN_ACL_UNSAFE);
    this.systemNode(QUOTA_PATH, OPEN_ACL_UNSAFE);
    const config = this.systemNode(CONFIG_PATH, READ_ACL_UNSAFE);
    // DataTree.addConfigNode runs setACL(config, READ_ACL_UNSAFE, -1): aversion becomes -1.
    this.preChange(CONFIG_PATH, config);
    config.aversion = -1;
    this.postChange(CONFIG_PATH, config);
  }

  private systemNode(path: string, acl: readonly Acl[]): DataNode {
    const node = new DataNode(new Uint8Array(0), this.internAcl(acl), 0, 0, 0);
    if (path !== ROOT_PATH) this.getParentOrFail(path).addChild(childNameOf(path));
    this.nodes.set(path, node);
    this.addNodeDigest(path, node);
    return node;
  }

  private getParentOrFail(path: string): DataNode {
    const parent = this.getNode(path.substring(0, path.lastIndexOf("/")));
    assert(parent !== undefined, `no parent for ${path}`);
    return parent;
  }

  /** Shares equal ACL lists between nodes (ReferenceCountedACLCache, without the counts). */
  internAcl(acl: readonly Acl[]): readonly Acl[] {
    if (acl === this.lastAclIn || acl === this.lastAclOut) return this.lastAclOut;
    const key = aclKey(acl);
    let interned = this.aclCache.get(key);
    if (interned === undefined) {
      interned = Object.freeze(acl.map((entry) => Object.freeze({ ...entry })));
      this.aclCache.set(key, interned);
    }
    this.lastAclIn = acl;
    this.lastAclOut = interned;
    return interned;
  }

  /** DataTree.getNode; "" is the root's alias, as in ZooKeeper's node map. */
  getNode(path: string): DataNode | undefined {
    return path === "" ? this.root : this.nodes.get(path);
  }

  /** Number of znodes, the four system nodes included. */
  get nodeCount(): number {
    return this.nodes.size;
  }

  /** The tree digest (NodeHashMapImpl.getDigest): sum of node digests, O(1). */
  digest(): number {
    return this.treeDigest;
  }

  private hashOf(path: string, node: DataNode): number {
    if (node.digestCache < 0) node.digestCache = nodeDigest(path, node.data, node);
    return node.digestCache;
  }

  private addNodeDigest(path: string, node: DataNode): void {
    if (path.startsWith("/zookeeper/")) return;
    this.treeDigest = addDigest(this.treeDigest, this.hashOf(path, node));
  }

  /** NodeHashMap.preChange: take the node's old hash out before editing it. */
  private preChange(path: string, node: DataNode): void {
    if (path.startsWith("/zookeeper/")) return;
    this.treeDigest = removeDigest(this.treeDigest, this.hashOf(path, node));
  }

  /** NodeHashMap.postChange: put the edited node's hash back. */
  private postChange(path: string, node: DataNode): void {
    node.digestCache = -1;
    this.addNodeDigest(path, node);
  }

  /** The path a parent is hashed under ("" for the root is "/" in this map). */
  private static keyOf(parentPath: string): string {
    return parentPath === "" ? ROOT_PATH : parentPath;
  }

  /**
   * DataTree.createNode. Raises the parent's stored cversion to parentCVersion (and pzxid with
   * it) only if larger, indexes the new node by owner kind, then fires NodeCreated on the path
   * and NodeChildrenChanged on the parent.
   */
  createNode(
    path: string,
    data: Uint8Array | null,
    acl: readonly Acl[],
    ephemeralOwner: EphemeralOwner,
    parentCVersion: number,
    zxid: number,
    timeMs: number,
    events: WatchEvent[],
  ): TreeOutcome {
    assert(zxid > 0 && Number.isSafeInteger(timeMs), "create needs a zxid and a time");
    assert(path.lastIndexOf("/") >= 0 && path !== ROOT_PATH, `cannot create ${path}`);
    const parentName = path.substring(0, path.lastIndexOf("/"));
    const childName = childNameOf(path);
    const parent = this.getNode(parentName);
    if (parent === undefined) return "NONODE";
    if (parent.children !== null && parent.children.has(childName)) return "NODEEXISTS";
    assert(!this.nodes.has(path), `node ${path} indexed but not a child`);
    const parentKey = DataTree.keyOf(parentName);
    this.preChange(parentKey, parent);
    if (parentCVersion > parent.cversion) {
      parent.cversion = parentCVersion;
      parent.pzxid = zxid;
    }
    parent.addChild(childName);
    this.postChange(parentKey, parent);
    const child = new DataNode(data, this.internAcl(acl), zxid, timeMs, ephemeralOwner);
    this.nodes.set(path, child);
    this.addNodeDigest(path, child);
    this.indexOwner(path, ephemeralOwner);
    this.dataWatches.triggerWatch(path, "NodeCreated", zxid, events);
    this.childWatches.triggerWatch(
      watchPathOfParent(parentName), "NodeChildrenChanged", zxid, events);
    return "OK";
  }

  private indexOwner(path: string, owner: EphemeralOwner): void {
    const kind = ephemeralTypeOf(owner);
    if (kind === "CONTAINER") this.containers.add(path);
    else if (kind === "TTL") this.ttls.add(path);
    else if (kind === "NORMAL") {
      let paths = this.ephemerals.get(owner);
      if (paths === undefined) {
        paths = new Set();
        this.ephemerals.set(owner, paths);
      }
      paths.add(path);
    }
  }

  private unindexOwner(path: string, owner: EphemeralOwner): void {
    const kind = ephemeralTypeOf(owner);
    if (kind === "CONTAINER") this.containers.delete(path);
    else if (kind === "TTL") this.ttls.delete(path);
    else if (kind === "NORMAL") {
      const paths = this.ephemerals.get(owner);
      if (paths !== undefined) {
        paths.delete(path);
        if (paths.size === 0) this.ephemerals.delete(owner);
      }
    }
  }

  /**
   * DataTree.deleteNode. The parent loses the child and its pzxid is raised to zxid if larger
   * (stored cversion unchanged), even when the child is already gone; then NodeDeleted fires on
   * the path's data watches and, for watchers not yet told, its child watches, and
   * NodeChildrenChanged on the parent.
   */
  deleteNode(path: string, zxid: number, events: WatchEvent[]): TreeOutcome {
    assert(zxid > 0, "delete needs a zxid");
    assert(path.lastIndexOf("/") >= 0, `cannot delete ${path}`);
    const parentName = path.substring(0, path.lastIndexOf("/"));
    const parent = this.getNode(parentName);
    if (parent === undefined) return "NONODE";
    const parentKey = DataTree.keyOf(parentName);
    this.preChange(parentKey, parent);
    parent.removeChild(childNameOf(path));
    if (zxid > parent.pzxid) parent.pzxid = zxid;
    this.postChange(parentKey, parent);
    const node = path === "" ? undefined : this.nodes.get(path);
    if (node === undefined) return "NONODE";
    assert(node !== this.root, "the root is never deleted");
    assert(node.numChildren === 0, `deleting ${path} with children`);
    this.preChange(path, node);
    this.nodes.delete(path);
    this.unindexOwner(path, node.ephemeralOwner);
    const told = this.dataWatches.triggerWatch(path, "NodeDeleted", zxid, events);
    this.childWatches.triggerWatch(path, "NodeDeleted", zxid, events, told);
    this.childWatches.triggerWatch(
      watchPathOfParent(parentName), "NodeChildrenChanged", zxid, events);
    return "OK";
  }

  /** DataTree.setData: new data, mtime, mzxid and the version prep computed; NodeDataChanged. */
  setData(
    path: string,
    data: Uint8Array | null,
    version: number,
    zxid: number,
    timeMs: number,
    events: WatchEvent[],
  ): DataNode | undefined {
    assert(zxid > 0 && Number.isSafeInteger(timeMs), "setData needs a zxid and a time");
    const node = this.getNode(path);
    if (node === undefined) return undefined;
    const key = DataTree.keyOf(path);
    this.preChange(key, node);
    node.data = data;
    node.mtime = timeMs;
    node.mzxid = zxid;
    node.version = version;
    this.postChange(key, node);
    this.dataWatches.triggerWatch(path, "NodeDataChanged", zxid, events);
    return node;
  }

  /** DataTree.setACL: new ACL and aversion; fires no watch. */
  setACL(path: string, acl: readonly Acl[], version: number): DataNode | undefined {
    assert(Number.isInteger(version), "aversion is an int");
    const node = this.getNode(path);
    if (node === undefined) return undefined;
    const key = DataTree.keyOf(path);
    this.preChange(key, node);
    node.acl = this.internAcl(acl);
    node.aversion = version;
    this.postChange(key, node);
    return node;
  }

  /**
   * DataTree.setCversionPzxid: used when replaying a create finds the node already there (fuzzy
   * snapshot); raises cversion and pzxid only if the new cversion is larger.
   */
  setCversionPzxid(path: string, newCversion: number, zxid: number): TreeOutcome {
    const trimmed = path.endsWith("/") ? path.substring(0, path.length - 1) : path;
    const node = this.getNode(trimmed);
    if (node === undefined) return "NONODE";
    const version = newCversion === -1 ? node.cversion + 1 : newCversion;
    if (version > node.cversion) {
      const key = DataTree.keyOf(trimmed);
      this.preChange(key, node);
      node.cversion = version;
      node.pzxid = zxid;
      this.postChange(key, node);
    }
    return "OK";
  }

  /**
   * DataTree.killSession: deletes the paths named in the closeSession txn, then any other
   * ephemeral still owned by the session (none, when prep saw everything), ignoring NoNode.
   */
  killSession(sessionId: number, zxid: number, paths2Delete: readonly string[],
    events: WatchEvent[]): void {
    const local = this.ephemerals.get(sessionId);
    const leftover = local === undefined ? [] : [...local];
    this.ephemerals.delete(sessionId);
    for (const path of paths2Delete) this.deleteNode(path, zxid, events);
    const named = new Set(paths2Delete);
    for (const path of leftover.sort()) if (!named.has(path)) this.deleteNode(path, zxid, events);
  }

  /** DataTree.getEphemerals: the session's ephemeral paths, sorted. */
  getEphemerals(sessionId: number): string[] {
    return [...(this.ephemerals.get(sessionId) ?? [])].sort();
  }

  /** Sessions that own at least one ephemeral, ascending. */
  sessionsWithEphemerals(): number[] {
    return [...this.ephemerals.keys()].sort((a, b) => a - b);
  }

  /**
   * DataTree.getContainers: container paths in creation order (by czxid, so a tree restored from
   * a snapshot lists them exactly as the tree that took it).
   */
  getContainers(): string[] {
    return this.byCreation(this.containers);
  }

  /** DataTree.getTtls: TTL node paths in creation order (by czxid). */
  getTtls(): string[] {
    return this.byCreation(this.ttls);
  }

  private byCreation(paths: ReadonlySet<string>): string[] {
    const czxidOf = (path: string): number => this.getNode(path)?.czxid ?? 0;
    return [...paths].sort((a, b) => czxidOf(a) - czxidOf(b) || (a < b ? -1 : a > b ? 1 : 0));
  }

  /** Every path with its node, in map order (creation order); snapshot sorts. */
  entries(): IterableIterator<[string, DataNode]> {
    return this.nodes.entries();
  }

  /** DataTree.getAllChildrenNumber: every descendant, "/" excluding the root itself. */
  getAllChildrenNumber(path: string): number {
    if (path === ROOT_PATH) return this.nodes.size - 1;
    const prefix = `${path}/`;
    let count = 0;
    for (const key of this.nodes.keys()) if (key.startsWith(prefix)) count++;
    return count;
  }

  /**
   * Replaces the whole tree with restored nodes (snapshot.ts). `nodes` must hold the root and be
   * sorted by path, so every parent comes before its children. Watches are kept: they belong to
   * the server's connections, not to the data.
   */
  restore(nodes: ReadonlyArray<readonly [string, DataNode]>,
    sessions: ReadonlyArray<readonly [number, number]>, lastProcessedZxid: number): void {
    const first = nodes[0];
    assert(first !== undefined && first[0] === ROOT_PATH, "a snapshot starts at the root");
    this.nodes.clear();
    this.ephemerals.clear();
    this.containers.clear();
    this.ttls.clear();
    this.treeDigest = 0;
    this.root = first[1];
    for (const [path, node] of nodes) {
      assert(!this.nodes.has(path), `duplicate path ${path}`);
      node.acl = this.internAcl(node.acl);
      node.children = null;
      node.digestCache = -1;
      if (path !== ROOT_PATH) this.getParentOrFail(path).addChild(childNameOf(path));
      this.nodes.set(path, node);
      this.indexOwner(path, node.ephemeralOwner);
    }
    for (const [path, node] of nodes) this.addNodeDigest(path, node);
    this.sessionsWithTimeouts.clear();
    for (const [sessionId, timeoutMs] of sessions) {
      this.sessionsWithTimeouts.set(sessionId, timeoutMs);
    }
    this.lastProcessedZxid = lastProcessedZxid;
  }

  /**
   * Checks the tree's cross-field invariants in O(n) (tests and debugging, not the apply path):
   * every node but the root is listed as a child of its parent and every child exists; the
   * owner indexes list exactly the ephemeral, container and TTL nodes; the digest equals the
   * sum recomputed from scratch.
   */
  checkInvariants(): void {
    let digest = 0;
    let ephemeralCount = 0;
    for (const [path, node] of this.nodes) {
      digest = addDigest(digest, path.startsWith("/zookeeper/") ? 0
        : nodeDigest(path, node.data, node));
      if (node.children !== null) {
        assert(node.children.size > 0, `empty children set kept on ${path}`);
        for (const child of node.children) {
          const childPath = path === ROOT_PATH ? `/${child}` : `${path}/${child}`;
          assert(this.nodes.has(childPath), `child ${childPath} missing`);
        }
      }
      if (path !== ROOT_PATH) {
        const parent = this.getNode(path.substring(0, path.lastIndexOf("/")));
        assert(parent?.children?.has(childNameOf(path)) === true, `${path} not in its parent`);
      }
      const kind = ephemeralTypeOf(node.ephemeralOwner);
      if (kind === "NORMAL") {
        ephemeralCount++;
        assert(this.ephemerals.get(node.ephemeralOwner)?.has(path) === true, `${path} unindexed`);
        assert(node.numChildren === 0, `ephemeral ${path} has children`);
      }
      assert(this.containers.has(path) === (kind === "CONTAINER"), `container index ${path}`);
      assert(this.ttls.has(path) === (kind === "TTL"), `ttl index ${path}`);
    }
    let indexed = 0;
    for (const paths of this.ephemerals.values()) indexed += paths.size;
    assert(indexed === ephemeralCount, "ephemeral index lists a deleted node");
    assert(digest === this.treeDigest, "incremental digest drifted", {
      incremental: this.treeDigest, recomputed: digest });
  }

  /** WatchManager.removeWatcher on both managers: the session's connection is gone. */
  removeWatcher(sessionId: number): void {
    this.dataWatches.removeWatcher(sessionId);
    this.childWatches.removeWatcher(sessionId);
  }
}
