/**
 * Watch bookkeeping of one server (ZooKeeper's WatchManager + WatcherModeManager +
 * PathParentIterator). A DataTree has two: data watches (getData, exists, addWatch) and child
 * watches (getChildren, addWatch). A watcher is a session id: ZooKeeper keys watches by the
 * connection, and each session has one.
 *
 * Semantics kept from ZooKeeper:
 * - a standard watch is one-shot: removed when it fires;
 * - one mode per (watcher, path): registering a standard watch where a persistent one was
 *   downgrades it (WatcherModeManager.setWatcherMode);
 * - a persistent watch fires for its own path and stays;
 * - a recursive watch fires for its path and every descendant, never for NodeChildrenChanged;
 * - ancestors are walked only while some recursive watch exists (getPathParentIterator);
 * - one trigger notifies a watcher at most once, and a caller may suppress watchers already
 *   notified by the data-watch trigger of the same delete.
 */
import { assert, mark } from "../util/index.js";

/** The events a txn can trigger (Watcher.Event.EventType). */
export type EventType = "NodeCreated" | "NodeDeleted" | "NodeDataChanged" | "NodeChildrenChanged";

/** A notification for one session. */
export interface WatchEvent {
  /** The session whose watch fired. */
  readonly sessionId: number;
  readonly type: EventType;
  /** The path that changed (for a recursive watch, a descendant of the watched path). */
  readonly path: string;
  /** The zxid of the txn that fired it; for setWatches, the tree's lastProcessedZxid. */
  readonly zxid: number;
}

/** WatcherMode: STANDARD is the one-shot default; the others come from addWatch. */
export type WatcherMode = "STANDARD" | "PERSISTENT" | "PERSISTENT_RECURSIVE";

/** The addWatch mode of ZooDefs.AddWatchModes (0 persistent, 1 persistent recursive). */
export type AddWatchMode = "PERSISTENT" | "PERSISTENT_RECURSIVE";

function modeKey(watcher: number, path: string): string {
  return `${watcher}\u0000${path}`;
}

/** PathParentIterator: the path, then each ancestor up to "/" (root's "" ends the walk). */
function parentChain(path: string, all: boolean): string[] {
  const chain: string[] = [];
  let current = path;
  while (current.length > 0) {
    chain.push(current);
    if (!all) break;
    if (current === "/") current = "";
    else {
      current = current.substring(0, current.lastIndexOf("/"));
      if (current.length === 0) current = "/";
    }
  }
  return chain;
}

/** What triggerWatch returns when no watch is registered at all (the common case). */
const NO_WATCHERS: ReadonlySet<number> = new Set<number>();

/** One watch manager (data or child). */
export class WatchManager {
  private readonly watchTable = new Map<string, Set<number>>();
  private readonly watch2Paths = new Map<number, Set<string>>();
  private readonly modes = new Map<string, WatcherMode>();
  private recursiveCount = 0;

  /** WatchManager.addWatch: registers `watcher` on `path` in `mode`. */
  addWatch(path: string, watcher: number, mode: WatcherMode): void {
    assert(Number.isSafeInteger(watcher), "bad watcher", { watcher });
    let watchers = this.watchTable.get(path);
    if (watchers === undefined) {
      watchers = new Set();
      this.watchTable.set(path, watchers);
    }
    watchers.add(watcher);
    let paths = this.watch2Paths.get(watcher);
    if (paths === undefined) {
      paths = new Set();
      this.watch2Paths.set(watcher, paths);
    }
    paths.add(path);
    if (mode === "STANDARD" && this.modeOf(watcher, path) !== "STANDARD") {
      mark("tree: standard watch replaces a persistent one");
    }
    this.setMode(watcher, path, mode);
  }

  private setMode(watcher: number, path: string, mode: WatcherMode): void {
    const key = modeKey(watcher, path);
    const old = this.modes.get(key) ?? "STANDARD";
    if (mode === "STANDARD") this.modes.delete(key);
    else this.modes.set(key, mode);
    if (old === "PERSISTENT_RECURSIVE") this.recursiveCount--;
    if (mode === "PERSISTENT_RECURSIVE") this.recursiveCount++;
    assert(this.recursiveCount >= 0, "negative recursive watch count");
  }

  private modeOf(watcher: number, path: string): WatcherMode {
    return this.modes.get(modeKey(watcher, path)) ?? "STANDARD";
  }

  /**
   * WatchManager.triggerWatch: collects the watchers to notify for `type` at `path`, removes the
   * one-shot ones, and appends one event per watcher (ascending session id, skipping `suppress`)
   * to `out`. Returns every watcher that matched, for the caller's suppress set.
   */
  triggerWatch(
    path: string,
    type: EventType,
    zxid: number,
    out: WatchEvent[],
    suppress?: ReadonlySet<number>,
  ): ReadonlySet<number> {
    if (this.watchTable.size === 0) return NO_WATCHERS;
    const matched = new Set<number>();
    const chain = parentChain(path, this.recursiveCount > 0);
    for (let level = 0; level < chain.length; level++) {
      const localPath = chain[level] ?? "";
      const watchers = this.watchTable.get(localPath);
      if (watchers === undefined) continue;
      for (const watcher of [...watchers]) {
        const mode = this.modeOf(watcher, localPath);
        if (mode === "PERSISTENT_RECURSIVE") {
          if (type !== "NodeChildrenChanged") matched.add(watcher);
        } else if (level === 0) {
          matched.add(watcher);
          if (mode === "STANDARD") this.dropOne(localPath, watcher, watchers);
        }
      }
      if (watchers.size === 0) this.watchTable.delete(localPath);
    }
    const notified = [...matched].sort((a, b) => a - b);
    for (const sessionId of notified) {
      if (suppress !== undefined && suppress.has(sessionId)) continue;
      out.push({ sessionId, type, path, zxid });
    }
    return matched;
  }

  private dropOne(path: string, watcher: number, watchers: Set<number>): void {
    watchers.delete(watcher);
    const paths = this.watch2Paths.get(watcher);
    if (paths !== undefined) {
      paths.delete(path);
      if (paths.size === 0) this.watch2Paths.delete(watcher);
    }
  }

  /** WatchManager.removeWatcher(watcher): every watch of a closed connection/session. */
  removeWatcher(watcher: number): void {
    const paths = this.watch2Paths.get(watcher);
    if (paths === undefined) return;
    this.watch2Paths.delete(watcher);
    for (const path of paths) {
      const watchers = this.watchTable.get(path);
      if (watchers !== undefined) {
        watchers.delete(watcher);
        if (watchers.size === 0) this.watchTable.delete(path);
      }
      this.setMode(watcher, path, "STANDARD");
    }
  }

  /** WatchManager.removeWatcher(path, watcher): true when a watch was removed. */
  removeWatch(path: string, watcher: number): boolean {
    const paths = this.watch2Paths.get(watcher);
    if (paths === undefined || !paths.has(path)) return false;
    const watchers = this.watchTable.get(path);
    if (watchers !== undefined) {
      watchers.delete(watcher);
      if (watchers.size === 0) this.watchTable.delete(path);
    }
    paths.delete(path);
    if (paths.size === 0) this.watch2Paths.delete(watcher);
    this.setMode(watcher, path, "STANDARD");
    return true;
  }

  /** WatchManager.containsWatcher. */
  containsWatcher(path: string, watcher: number): boolean {
    const paths = this.watch2Paths.get(watcher);
    return paths !== undefined && paths.has(path);
  }

  /** The paths `watcher` watches here with their modes, sorted by path (for tests and dumps). */
  watchesOf(watcher: number): Array<{ path: string; mode: WatcherMode }> {
    const paths = [...(this.watch2Paths.get(watcher) ?? [])].sort();
    return paths.map((path) => ({ path, mode: this.modeOf(watcher, path) }));
  }

  /** Total (watcher, path) registrations (WatchManager.size). */
  size(): number {
    let total = 0;
    for (const watchers of this.watchTable.values()) total += watchers.size;
    return total;
  }
}
