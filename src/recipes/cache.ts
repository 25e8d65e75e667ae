/**
 * A cache mirroring the children of a znode and their data, in the shape of Curator's
 * CuratorCache: one persistent recursive watch (addWatch) on the root, every node event
 * answered by a fresh read of that node, and a full rebuild whenever the watch is (re)set. The
 * rebuild matters: ZooKeeper re-registers a persistent watch after a reconnect (setWatches) but
 * fires nothing for what changed while the client was away, and after an expiry the new
 * session has no watch at all. Curator's PersistentWatcher resets on every RECONNECTED and
 * CuratorCache rebuilds on each reset; so does this cache. The planted bug
 * `cache-ignores-rewatch` skips both after a reconnect and misses those changes for good.
 */
import type { WatchedEvent, ZooKeeper } from "../client/index.js";
import type { CacheEntry } from "../observe/recipe-data.js";
import type { RecipeClient } from "./kit.js";
import { SessionLost, Wakeup, checkPath, hasCode, readText, retrying } from "./kit.js";

/** The mirrored nodes: child name -> data. */
export type CacheContent = Map<string, string>;

/** The content as the report carries it: entries sorted by path. */
export function cacheEntries(root: string, content: CacheContent): CacheEntry[] {
  return [...content.entries()].map(([name, data]) => ({ path: `${root}/${name}`, data }))
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** How long a waiting cache sleeps before it looks at its session again. */
const CACHE_POLL_MS = 1000;

/** What a running cache holds. */
interface CacheRun {
  readonly client: RecipeClient;
  readonly root: string;
  readonly content: CacheContent;
  readonly ignoreRewatch: boolean;
  /** The content last reported, as text (a report goes out only when it changes). */
  reported: string;
}

/**
 * Runs a cache of `root`'s children for ever, reporting its whole content after every change.
 * On SESSIONEXPIRED it opens a new session and starts over (a new watch, a rebuild) unless
 * `ignoreRewatch` (the planted bug) makes it skip the reset.
 */
export async function runCache(client: RecipeClient, root: string, ignoreRewatch = false):
  Promise<never> {
  checkPath("cache path", root);
  const run: CacheRun = { client, root, content: new Map(), ignoreRewatch, reported: "" };
  let first = true;
  for (;;) {
    const wakeup = new Wakeup();
    const zk = client.connect(wakeup.watcher);
    try {
      if (first || !ignoreRewatch) await reset(run, zk, wakeup);
      first = false;
      await follow(run, zk, wakeup);
    } catch (error) {
      if (!(error instanceof SessionLost)) throw error;
    }
  }
}

/** Sets the persistent recursive watch, then reads every child again (CuratorCache.rebuild). */
async function reset(run: CacheRun, zk: ZooKeeper, wakeup: Wakeup): Promise<void> {
  await retrying(run.client, zk, () =>
    zk.addWatch(run.root, wakeup.watcher, "PERSISTENT_RECURSIVE"));
  const children = await retrying(run.client, zk, async () => {
    try {
      return await zk.getChildren(run.root);
    } catch (error) {
      if (hasCode(error, "NONODE")) return [];
      throw error;
    }
  });
  for (const name of [...run.content.keys()]) {
    if (!children.includes(name)) run.content.delete(name);
  }
  for (const name of children) await refresh(run, zk, name);
  publish(run);
}

/** Reads child `name` again: its data, or its absence. */
async function refresh(run: CacheRun, zk: ZooKeeper, name: string): Promise<void> {
  const data = await readText(run.client, zk, `${run.root}/${name}`);
  if (data === null) run.content.delete(name);
  else run.content.set(name, data);
}

/** Answers watch events: node events re-read their child, a reconnect resets the watch. */
async function follow(run: CacheRun, zk: ZooKeeper, wakeup: Wakeup): Promise<never> {
  let disconnected = false;
  for (;;) {
    await wakeup.wait(run.client, CACHE_POLL_MS);
    if (zk.state === "CLOSED") throw new SessionLost();
    for (const event of wakeup.take()) {
      if (event.type === "None") {
        if (event.state === "Disconnected") disconnected = true;
        if (event.state === "SyncConnected" && disconnected && !run.ignoreRewatch) {
          await reset(run, zk, wakeup);
        }
        if (event.state === "SyncConnected") disconnected = false;
        continue;
      }
      const name = childName(run.root, event);
      if (name === undefined) continue;
      if (event.type === "NodeDeleted") run.content.delete(name);
      else await refresh(run, zk, name);
    }
    publish(run);
  }
}

/** The child of `root` an event is about, or undefined (the root itself, or deeper nodes). */
function childName(root: string, event: WatchedEvent): string | undefined {
  const path = event.path;
  if (path === null || !path.startsWith(`${root}/`)) return undefined;
  const name = path.slice(root.length + 1);
  return name.includes("/") ? undefined : name;
}

/** Reports the content when it changed since the last report. */
function publish(run: CacheRun): void {
  const entries = cacheEntries(run.root, run.content);
  const shown = JSON.stringify(entries);
  if (shown === run.reported) return;
  run.reported = shown;
  run.client.record({ type: "cache-content", root: run.root, entries });
}

/** The referee's read of `root`'s children and their data (after sync). */
export async function readSubtree(client: RecipeClient, zk: ZooKeeper, root: string):
  Promise<CacheEntry[]> {
  await retrying(client, zk, () => zk.sync(root));
  const children = await retrying(client, zk, () => zk.getChildren(root));
  const content: CacheContent = new Map();
  for (const name of children) {
    const data = await readText(client, zk, `${root}/${name}`);
    if (data !== null) content.set(name, data);
  }
  return cacheEntries(root, content);
}
