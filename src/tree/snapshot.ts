/**
 * Snapshots of the tree and the committed session table (ZooKeeper's FileSnap: DataTree
 * serialize plus the sessions map). A snapshot is plain data, nodes sorted by path and sessions by
 * id, so two equal trees give equal snapshots byte for byte. It records the digest, and restoring
 * checks it (DataTree.compareSnapshotDigests). zabsim's world is synchronous, so a snapshot is
 * exact at its zxid, never fuzzy.
 */
import { assert, byString } from "../util/index.js";
import type { Acl } from "./acl.js";
import { DataTree } from "./data-tree.js";
import { base64Decode, base64Encode } from "./base64.js";
import { DataNode } from "./znode.js";

/** One node in a snapshot: data, ACL and the stored stat (cversion stored, not reported). */
export interface SnapshotNode {
  readonly path: string;
  readonly data: Uint8Array | null;
  readonly acl: readonly Acl[];
  readonly czxid: number;
  readonly mzxid: number;
  readonly pzxid: number;
  readonly ctime: number;
  readonly mtime: number;
  readonly version: number;
  readonly cversion: number;
  readonly aversion: number;
  /** Stored owner encoding (create-mode.ts). */
  readonly ephemeralOwner: number;
}

/** A whole tree at one zxid. */
export interface Snapshot {
  readonly lastProcessedZxid: number;
  /** The tree digest at that zxid; restore verifies it. */
  readonly digest: number;
  readonly nodes: readonly SnapshotNode[];
  /** [sessionId, timeoutMs], ascending by id. */
  readonly sessions: ReadonlyArray<readonly [number, number]>;
}

/**
 * Takes a snapshot of `tree`. Data arrays are shared, not copied: the tree replaces a node's data
 * on setData and never edits an array in place.
 */
export function takeSnapshot(tree: DataTree): Snapshot {
  const nodes: SnapshotNode[] = [];
  for (const [path, node] of tree.entries()) {
    nodes.push({
      path, data: node.data, acl: node.acl, czxid: node.czxid, mzxid: node.mzxid,
      pzxid: node.pzxid, ctime: node.ctime, mtime: node.mtime, version: node.version,
      cversion: node.cversion, aversion: node.aversion, ephemeralOwner: node.ephemeralOwner,
    });
  }
  nodes.sort((a, b) => byString(a.path, b.path));
  const sessions = [...tree.sessionsWithTimeouts.entries()].sort((a, b) => a[0] - b[0]);
  return { lastProcessedZxid: tree.lastProcessedZxid, digest: tree.digest(), nodes, sessions };
}

/** Options of restoreSnapshot. */
export interface RestoreOptions {
  /** Check the recomputed digest against snapshot.digest (default true). */
  readonly verifyDigest?: boolean;
}

/**
 * Builds a tree from a snapshot, asserting that its digest matches the recorded one (a test may
 * turn the check off to restore a hand-edited snapshot; the digest is recomputed either way).
 */
export function restoreSnapshot(snapshot: Snapshot, options: RestoreOptions = {}): DataTree {
  const tree = new DataTree();
  const nodes = snapshot.nodes.map((entry): readonly [string, DataNode] => {
    const node = new DataNode(entry.data, entry.acl, entry.czxid, entry.ctime,
      entry.ephemeralOwner);
    node.mzxid = entry.mzxid;
    node.pzxid = entry.pzxid;
    node.mtime = entry.mtime;
    node.version = entry.version;
    node.cversion = entry.cversion;
    node.aversion = entry.aversion;
    return [entry.path, node];
  });
  tree.restore(nodes, snapshot.sessions, snapshot.lastProcessedZxid);
  if (options.verifyDigest === false) return tree;
  assert(tree.digest() === snapshot.digest, "snapshot digest mismatch", {
    expected: snapshot.digest, actual: tree.digest() });
  return tree;
}

/**
 * A snapshot as JSON text (data in base64); deterministic for equal trees. The same text as
 * encodeWithData gives, built without a replacer call per value: node data is the only place a
 * snapshot holds bytes, and the spread keeps each node's key order.
 */
export function encodeSnapshot(snapshot: Snapshot): string {
  const nodes = snapshot.nodes.map((node) =>
    node.data === null ? node : { ...node, data: { base64: base64Encode(node.data) } });
  return JSON.stringify({ ...snapshot, nodes });
}

/** The inverse of encodeSnapshot (the text must come from it). */
export function decodeSnapshot(text: string): Snapshot {
  const snapshot = JSON.parse(text) as { nodes: { data: unknown }[] };
  assert(Array.isArray(snapshot.nodes), "a snapshot text holds its nodes");
  for (const node of snapshot.nodes) {
    if (node.data === null) continue;
    const { base64 } = node.data as { base64?: unknown };
    assert(typeof base64 === "string", "snapshot node data is {base64} in the text form");
    const bytes = base64Decode(base64);
    assert(bytes !== undefined, "snapshot node data is valid base64");
    node.data = bytes;
  }
  return snapshot as unknown as Snapshot;
}
