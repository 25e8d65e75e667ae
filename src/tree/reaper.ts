/**
 * The container and TTL reaper (ContainerManager.getCandidates): which nodes the leader would ask
 * to delete at time `nowMs`. The server issues one deleteContainer request per path (each its own
 * zxid, through prep, so a node that gained a child meanwhile fails with NOTEMPTY and stays).
 */
import { assert } from "../util/index.js";
import { ephemeralTypeOf, ttlOfOwner } from "./create-mode.js";
import type { DataTree } from "./data-tree.js";
import { javaHashSetOrder } from "./java-hash.js";

/** ContainerManager's knobs. */
export interface ReaperOptions {
  /**
   * znode.container.maxNeverUsedIntervalMs: also delete containers that never had a child once
   * they are older than this (by mtime); 0, the default, keeps them forever.
   */
  readonly maxNeverUsedIntervalMs?: number;
}

/**
 * DataTree.getContainers()/getTtls() return `new HashSet<>(set)` of a ConcurrentHashMap-backed
 * set: its iteration order, from the creation order the tree keeps.
 */
function javaSetCopyOrder(paths: readonly string[]): string[] {
  return javaHashSetOrder(javaHashSetOrder(paths, "ConcurrentHashSet"), "HashSetCopy");
}

/**
 * ContainerManager.getCandidates: empty containers whose stored cversion > 0 (they once had a
 * child), or, with maxNeverUsedIntervalMs, never-used ones older than that; and childless TTL
 * nodes with nowMs - mtime > ttl. Returned in the order ZooKeeper's HashSet iterates them.
 */
export function containerCandidates(tree: DataTree, nowMs: number, options: ReaperOptions = {})
  : string[] {
  assert(Number.isSafeInteger(nowMs), "bad time", { nowMs });
  const maxNeverUsed = options.maxNeverUsedIntervalMs ?? 0;
  const candidates: string[] = [];
  for (const path of javaSetCopyOrder(tree.getContainers())) {
    const node = tree.getNode(path);
    if (node === undefined || node.numChildren > 0) continue;
    if (node.cversion > 0) candidates.push(path);
    else if (maxNeverUsed !== 0 && nowMs - node.mtime > maxNeverUsed) candidates.push(path);
  }
  for (const path of javaSetCopyOrder(tree.getTtls())) {
    const node = tree.getNode(path);
    if (node === undefined || node.numChildren > 0) continue;
    if (ephemeralTypeOf(node.ephemeralOwner) !== "TTL") continue;
    const ttl = ttlOfOwner(node.ephemeralOwner);
    if (ttl !== 0 && nowMs - node.mtime > ttl) candidates.push(path);
  }
  return javaHashSetOrder(candidates);
}
