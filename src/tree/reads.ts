/**
 * Reads, served from a server's local tree (FinalRequestProcessor and the DataTree getters). They
 * consume no zxid. Checks are ZooKeeper 3.8.0's, which differ from the write path: exists rejects
 * only a NUL and checks no ACL (the READ check on exists came in 3.8.4), registers its watch even
 * when the node is missing, and getData/getChildren validate nothing (so "" reads the root's
 * alias). A session check, where the server wants one, is the caller's (SessionTracker).
 */
import { assert, assertNever, byString } from "../util/index.js";
import { Perms, checkACL, maskDigestIds } from "./acl.js";
import type { Acl } from "./acl.js";
import type { DataTree } from "./data-tree.js";
import type { ErrorCode } from "./errors.js";
import type { ReadRequest, RequestMeta, SetWatchesRequest, WatchesRequest } from "./request.js";
import type { Stat } from "./stat.js";
import type { WatchEvent } from "./watches.js";

/** The answer to a read; which fields are set depends on the request type (see each field). */
export interface ReadResult {
  readonly err: ErrorCode;
  /** getData: the node's data (null if created with null); shared with the tree: never mutate. */
  readonly data?: Uint8Array | null;
  /** getData, exists, getChildren2, getACL. */
  readonly stat?: Stat;
  /** getChildren, getChildren2: child names, sorted by UTF-16 code units. */
  readonly children?: readonly string[];
  /** getAllChildrenNumber. */
  readonly count?: number;
  /** getACL (digest ids masked to "user:x" without ADMIN). */
  readonly acl?: readonly Acl[];
  /** getEphemerals: the caller's ephemeral paths, sorted. */
  readonly paths?: readonly string[];
  /** sync: the path echoed. */
  readonly path?: string;
  /** setWatches: notifications fired at once, for the caller's session. */
  readonly events?: readonly WatchEvent[];
}

const NONODE: ReadResult = { err: "NONODE" };
const NOAUTH: ReadResult = { err: "NOAUTH" };

function sortedChildren(children: ReadonlySet<string> | null): string[] {
  return children === null ? [] : [...children].sort(byString);
}

/** getData / getChildren / getChildren2 / getAllChildrenNumber / getACL: NONODE, then ACL. */
function readNode(tree: DataTree, meta: RequestMeta, request: ReadRequest & { path: string }):
  ReadResult {
  const node = tree.getNode(request.path);
  if (node === undefined) return NONODE;
  const watcher = meta.sessionId;
  assert(Number.isSafeInteger(watcher), "a watcher is a session id");
  switch (request.type) {
    case "getData":
      if (!checkACL(node.acl, Perms.READ, meta.authInfo)) return NOAUTH;
      if (request.watch) tree.dataWatches.addWatch(request.path, watcher, "STANDARD");
      return { err: "OK", data: node.data, stat: node.copyStat() };
    case "getChildren":
    case "getChildren2": {
      if (!checkACL(node.acl, Perms.READ, meta.authInfo)) return NOAUTH;
      const stat = node.copyStat();
      const children = sortedChildren(node.children);
      if (request.watch) tree.childWatches.addWatch(request.path, watcher, "STANDARD");
      return request.type === "getChildren" ? { err: "OK", children } : { err: "OK", children,
        stat };
    }
    case "getAllChildrenNumber":
      if (!checkACL(node.acl, Perms.READ, meta.authInfo)) return NOAUTH;
      return { err: "OK", count: tree.getAllChildrenNumber(request.path) };
    case "getACL": {
      if (!checkACL(node.acl, Perms.READ | Perms.ADMIN, meta.authInfo)) return NOAUTH;
      const admin = checkACL(node.acl, Perms.ADMIN, meta.authInfo);
      return { err: "OK", acl: admin ? [...node.acl] : maskDigestIds(node.acl),
        stat: node.copyStat() };
    }
    default:
      return { err: "SYSTEMERROR" };
  }
}

/** DataTree.statNode (exists): NUL is BADARGUMENTS; the watch is set before the lookup. */
function exists(tree: DataTree, meta: RequestMeta, path: string, watch: boolean): ReadResult {
  if (path.includes("\u0000")) return { err: "BADARGUMENTS" };
  if (watch) tree.dataWatches.addWatch(path, meta.sessionId, "STANDARD");
  const node = tree.getNode(path);
  return node === undefined ? NONODE : { err: "OK", stat: node.copyStat() };
}

/**
 * DataTree.setWatches (reconnect): data watches fire NodeDeleted (gone) or NodeDataChanged
 * (mzxid > relativeZxid), exist watches NodeCreated (now there), child watches NodeDeleted or
 * NodeChildrenChanged (pzxid > relativeZxid); the rest are re-armed. Persistent ones re-register.
 */
function setWatches(tree: DataTree, watcher: number, request: SetWatchesRequest): ReadResult {
  assert(Number.isSafeInteger(request.relativeZxid), "relativeZxid is a zxid");
  const events: WatchEvent[] = [];
  const zxid = tree.lastProcessedZxid;
  const fire = (type: WatchEvent["type"], path: string): void => {
    events.push({ sessionId: watcher, type, path, zxid });
  };
  for (const path of request.dataWatches) {
    const node = tree.getNode(path);
    if (node === undefined) fire("NodeDeleted", path);
    else if (node.mzxid > request.relativeZxid) fire("NodeDataChanged", path);
    else tree.dataWatches.addWatch(path, watcher, "STANDARD");
  }
  for (const path of request.existWatches) {
    if (tree.getNode(path) !== undefined) fire("NodeCreated", path);
    else tree.dataWatches.addWatch(path, watcher, "STANDARD");
  }
  for (const path of request.childWatches) {
    const node = tree.getNode(path);
    if (node === undefined) fire("NodeDeleted", path);
    else if (node.pzxid > request.relativeZxid) fire("NodeChildrenChanged", path);
    else tree.childWatches.addWatch(path, watcher, "STANDARD");
  }
  for (const path of request.persistentWatches) {
    tree.childWatches.addWatch(path, watcher, "PERSISTENT");
    tree.dataWatches.addWatch(path, watcher, "PERSISTENT");
  }
  for (const path of request.persistentRecursiveWatches) {
    tree.childWatches.addWatch(path, watcher, "PERSISTENT_RECURSIVE");
    tree.dataWatches.addWatch(path, watcher, "PERSISTENT_RECURSIVE");
  }
  return { err: "OK", events };
}

/** removeWatches / checkWatches: NOWATCHER when nothing matched. */
function watchesRequest(tree: DataTree, watcher: number, request: WatchesRequest): ReadResult {
  const { path, watcherType } = request;
  const remove = request.type === "removeWatches";
  let found = false;
  if (watcherType === "Children" || watcherType === "Any") {
    found = (remove ? tree.childWatches.removeWatch(path, watcher)
      : tree.childWatches.containsWatcher(path, watcher)) || found;
  }
  if (watcherType === "Data" || watcherType === "Any") {
    found = (remove ? tree.dataWatches.removeWatch(path, watcher)
      : tree.dataWatches.containsWatcher(path, watcher)) || found;
  }
  return { err: found ? "OK" : "NOWATCHER" };
}

/** getEphemerals: all of the caller's ephemerals, or those starting with the prefix. */
function getEphemerals(tree: DataTree, sessionId: number, prefixPath: string): ReadResult {
  const all = tree.getEphemerals(sessionId);
  const prefix = prefixPath.replace(/^[\u0000-\u0020]+|[\u0000-\u0020]+$/g, "");
  if (prefix.length === 0 || prefix === "/") return { err: "OK", paths: all };
  return { err: "OK", paths: all.filter((path) => path.startsWith(prefixPath)) };
}

/** Serves a read request from the local tree, registering watches for meta.sessionId. */
export function processRead(tree: DataTree, meta: RequestMeta, request: ReadRequest): ReadResult {
  switch (request.type) {
    case "exists":
      return exists(tree, meta, request.path, request.watch);
    case "getData":
    case "getChildren":
    case "getChildren2":
    case "getAllChildrenNumber":
    case "getACL":
      return readNode(tree, meta, request);
    case "sync":
      return { err: "OK", path: request.path };
    case "getEphemerals":
      return getEphemerals(tree, meta.sessionId, request.prefixPath);
    case "addWatch":
      tree.dataWatches.addWatch(request.path, meta.sessionId, request.mode);
      tree.childWatches.addWatch(request.path, meta.sessionId, request.mode);
      return { err: "OK" };
    case "setWatches":
      return setWatches(tree, meta.sessionId, request);
    case "removeWatches":
    case "checkWatches":
      return watchesRequest(tree, meta.sessionId, request);
    default:
      return assertNever(request, "read request");
  }
}
