/**
 * The watches a client believes it holds: ZooKeeper's ZKWatchManager. The server forgets a
 * connection's watches when the connection drops; these lists are what brings them back (the
 * setWatches of ClientCnxn.primeConnection), and what decides which watchers a notification
 * calls. A watcher is a number the API maps to a callback (0 is the default watcher).
 *
 * Rules kept from ZooKeeper 3.8:
 * - registration follows the reply's code (WatchRegistration.shouldAddWatch): getData and
 *   getChildren on OK; exists on OK (data watch) or NONODE (exist watch); addWatch on OK or
 *   NONODE, into the persistent or persistent-recursive list;
 * - materialize: NodeCreated/NodeDataChanged take the path's data and exist watches,
 *   NodeChildrenChanged its child watches, NodeDeleted all three; every event also calls the
 *   persistent watchers of the path and the recursive watchers of the path and its ancestors,
 *   which stay; an event of type None (a session state change) calls the default watcher and
 *   every registered one, and removes nothing (auto watch reset is on).
 */
import type { ErrorCode, EventType, Request, SetWatchesRequest } from "../tree/index.js";
import { assert, byNumber, byString } from "../util/index.js";

/** The default watcher's id (the Watcher given to the ZooKeeper constructor). */
export const DEFAULT_WATCHER = 0;

type PathWatchers = Map<string, Set<number>>;

/** The five lists of ZKWatchManager, as sorted paths (ZooKeeper.getDataWatches and friends). */
export interface WatchLists {
  readonly dataWatches: readonly string[];
  readonly existWatches: readonly string[];
  readonly childWatches: readonly string[];
  readonly persistentWatches: readonly string[];
  readonly persistentRecursiveWatches: readonly string[];
}


function copyFrom(table: PathWatchers, path: string, out: Set<number>): void {
  const watchers = table.get(path);
  if (watchers !== undefined) for (const watcher of watchers) out.add(watcher);
}

/** PathParentIterator.forAll: the path, then each ancestor up to "/". */
function selfAndAncestors(path: string): string[] {
  const chain = [path];
  let current = path;
  while (current.length > 1) {
    const slash = current.lastIndexOf("/");
    current = slash <= 0 ? "/" : current.substring(0, slash);
    chain.push(current);
  }
  return chain;
}

function sortedPaths(table: PathWatchers): string[] {
  return [...table.keys()].sort(byString);
}

/** One session's registered watches. */
export class WatchRegistry {
  private readonly data: PathWatchers = new Map();
  private readonly exist: PathWatchers = new Map();
  private readonly child: PathWatchers = new Map();
  private readonly persistent: PathWatchers = new Map();
  private readonly recursive: PathWatchers = new Map();
  /** How many (list, path) entries hold each watcher, so the API can forget unused ones. */
  private readonly holders = new Map<number, number>();

  /** True while some list still holds `watcher`. */
  holds(watcher: number): boolean {
    return this.holders.has(watcher);
  }

  private addTo(table: PathWatchers, path: string, watcher: number): void {
    let watchers = table.get(path);
    if (watchers === undefined) {
      watchers = new Set();
      table.set(path, watchers);
    }
    if (watchers.has(watcher)) return;
    watchers.add(watcher);
    this.holders.set(watcher, (this.holders.get(watcher) ?? 0) + 1);
  }

  private takeFrom(table: PathWatchers, path: string, out: Set<number>): void {
    const watchers = table.get(path);
    if (watchers === undefined) return;
    table.delete(path);
    for (const watcher of watchers) {
      out.add(watcher);
      const held = (this.holders.get(watcher) ?? 0) - 1;
      assert(held >= 0, "holder count stays non-negative", { watcher });
      if (held === 0) this.holders.delete(watcher);
      else this.holders.set(watcher, held);
    }
  }

  /** WatchRegistration.register: records `watcher` for `request`, given the reply's code. */
  register(request: Request, watcher: number, err: ErrorCode): void {
    assert(Number.isSafeInteger(watcher) && watcher >= 0, "a watcher is an id", { watcher });
    switch (request.type) {
      case "getData":
        if (err === "OK") this.addTo(this.data, request.path, watcher);
        return;
      case "exists":
        if (err === "OK") this.addTo(this.data, request.path, watcher);
        else if (err === "NONODE") this.addTo(this.exist, request.path, watcher);
        return;
      case "getChildren":
      case "getChildren2":
        if (err === "OK") this.addTo(this.child, request.path, watcher);
        return;
      case "addWatch":
        if (err !== "OK" && err !== "NONODE") return;
        this.addTo(request.mode === "PERSISTENT" ? this.persistent : this.recursive, request.path,
          watcher);
        return;
      default:
        assert(false, "no watch registration for this request", { type: request.type });
    }
  }

  /** ZKWatchManager.materialize for a node event: the watchers to call, ascending. */
  materialize(type: EventType, path: string): number[] {
    const result = new Set<number>();
    switch (type) {
      case "NodeCreated":
      case "NodeDataChanged":
        this.takeFrom(this.data, path, result);
        this.takeFrom(this.exist, path, result);
        break;
      case "NodeChildrenChanged":
        this.takeFrom(this.child, path, result);
        break;
      case "NodeDeleted":
        this.takeFrom(this.data, path, result);
        this.takeFrom(this.exist, path, result);
        this.takeFrom(this.child, path, result);
        break;
    }
    copyFrom(this.persistent, path, result);
    for (const ancestor of selfAndAncestors(path)) copyFrom(this.recursive, ancestor, result);
    return [...result].sort(byNumber);
  }

  /** materialize(None): the default watcher and every registered one; nothing is removed. */
  everyWatcher(): number[] {
    const result = new Set<number>([DEFAULT_WATCHER]);
    for (const table of [this.data, this.exist, this.child, this.persistent, this.recursive]) {
      for (const watchers of table.values()) for (const watcher of watchers) result.add(watcher);
    }
    return [...result].sort(byNumber);
  }

  /** The five lists, sorted (ZooKeeper.getDataWatches, getExistWatches, ...). */
  lists(): WatchLists {
    return {
      dataWatches: sortedPaths(this.data),
      existWatches: sortedPaths(this.exist),
      childWatches: sortedPaths(this.child),
      persistentWatches: sortedPaths(this.persistent),
      persistentRecursiveWatches: sortedPaths(this.recursive),
    };
  }

  /** True when primeConnection sends no setWatches. */
  isEmpty(): boolean {
    return this.data.size === 0 && this.exist.size === 0 && this.child.size === 0 &&
      this.persistent.size === 0 && this.recursive.size === 0;
  }

  /**
   * The setWatches primeConnection sends after a reconnect: every list, relative to the last
   * zxid seen. ZooKeeper splits it into 128 KiB batches (SET_WATCHES_MAX_LENGTH); the simulation
   * has no frame limit on it, so one request carries all.
   */
  setWatches(relativeZxid: number): SetWatchesRequest {
    return { type: "setWatches", relativeZxid, ...this.lists() };
  }

  /**
   * ZKWatchManager.removeWatches with local removal after the server said OK: every watcher of
   * `path` of the given kind ("Data" takes data, exist and persistent ones, "Children" child and
   * persistent ones, "Any" all). Returns the watchers removed, ascending.
   */
  removeAll(path: string, kind: "Children" | "Data" | "Any"): number[] {
    const removed = new Set<number>();
    if (kind !== "Children") {
      this.takeFrom(this.data, path, removed);
      this.takeFrom(this.exist, path, removed);
    }
    if (kind !== "Data") this.takeFrom(this.child, path, removed);
    this.takeFrom(this.persistent, path, removed);
    this.takeFrom(this.recursive, path, removed);
    return [...removed].sort(byNumber);
  }
}
