/**
 * Configuration management (ZooKeeper's recipes page, "configuration management"; Curator's
 * NodeCache per entry): a configuration znode and its children, each holding the writers'
 * counter. Writers change an entry with a versioned setData (read, then setData at the version
 * read), so the counter grows by one with every committed write, in zxid order, even when a
 * write lost in a CONNECTIONLOSS lands late: a stale versioned write fails with BADVERSION
 * instead of putting an older configuration back. Readers watch every entry and adopt what they
 * read only when its mzxid is newer than what they hold, so a reader that starts a new session
 * on a server that is behind never goes back to an older configuration.
 */
import type { ZooKeeper } from "../client/index.js";
import type { ConfigEntry } from "../observe/recipe-data.js";
import type { RecipeClient } from "./kit.js";
import {
  LOSS_PAUSE_MS, SessionLost, Wakeup, checkName, checkPath, hasCode, lostOr, retrying, text,
  unknownOutcome,
} from "./kit.js";
import { ensureNode } from "./found-create.js";

/** Where a configuration lives: the znode and its entries (children). */
export interface ConfigLayout {
  readonly path: string;
  /** The children's names; "" (the znode itself) is always an entry too. */
  readonly keys: readonly string[];
}

/** Checks a layout before anything is written: BADARGUMENTS for a bad path or name. */
export function checkConfigLayout(layout: ConfigLayout): void {
  checkPath("config path", layout.path);
  for (const key of layout.keys) checkName("config key", layout.path, key);
}

/** Every entry's key, the znode itself first. */
export function configKeys(layout: ConfigLayout): string[] {
  return ["", ...layout.keys];
}

function entryPath(layout: ConfigLayout, key: string): string {
  return key === "" ? layout.path : `${layout.path}/${key}`;
}

/** An entry's data: the counter, the writer and the write's own tag. */
export function configData(counter: number, writer: number, tag: string): string {
  return `c=${counter};w=${writer};t=${tag}`;
}

/** The counter in an entry's data (0 for data no writer wrote). */
export function counterOf(data: string): number {
  const match = /^c=(\d+);/.exec(data);
  return match === null ? 0 : Number(match[1]);
}

/** Creates the configuration znode and its entries (counter 0) unless they exist. */
export async function setUpConfig(client: RecipeClient, zk: ZooKeeper, layout: ConfigLayout):
  Promise<void> {
  checkConfigLayout(layout);
  for (const key of configKeys(layout)) {
    await ensureNode(client, zk, entryPath(layout, key), configData(0, 0, "init"));
  }
}

/**
 * Writes the next counter of entry `key` and returns it: read, setData at the version read;
 * BADVERSION (another writer came first) reads again. After a CONNECTIONLOSS the entry is read
 * again: carrying this write's tag, it happened; otherwise the write is tried again at the
 * version now read, so a late copy of the lost one can only fail.
 */
export async function writeConfig(client: RecipeClient, zk: ZooKeeper, layout: ConfigLayout,
  key: string, tag: string): Promise<number> {
  const path = entryPath(layout, key);
  for (;;) {
    const { data, stat } = await retrying(client, zk, () => zk.getData(path));
    const current = text(data);
    if (current.endsWith(`;t=${tag}`)) return counterOf(current);
    const next = counterOf(current) + 1;
    try {
      await zk.setData(path, configData(next, client.node, tag), stat.version);
      return next;
    } catch (error) {
      const cause = lostOr(error, zk);
      if (unknownOutcome(cause)) await client.sleep(LOSS_PAUSE_MS);
      else if (!hasCode(cause, "BADVERSION")) throw cause;
    }
  }
}

/** What a reader holds: per key, the counter adopted and the mzxid it was read at. */
export type ConfigView = Map<string, { readonly counter: number; readonly mzxid: number }>;

/**
 * Reads entry `key` with a watch and adopts it when it is newer than the view's; a missing
 * entry leaves an exists watch (NodeCreated wakes the reader).
 */
async function readEntry(client: RecipeClient, zk: ZooKeeper, layout: ConfigLayout, key: string,
  view: ConfigView, wakeup: Wakeup): Promise<void> {
  const path = entryPath(layout, key);
  const read = await retrying(client, zk, async () => {
    // An entry created between the getData and the exists is read again: its exists watch
    // would fire only at its next change, which may never come.
    for (;;) {
      try {
        return await zk.getData(path, wakeup.watcher);
      } catch (error) {
        if (!hasCode(error, "NONODE")) throw error;
        if (await zk.exists(path, wakeup.watcher) === null) return null;
      }
    }
  });
  if (read === null) return;
  const held = view.get(key);
  if (held !== undefined && held.mzxid >= read.stat.mzxid) return;
  const counter = counterOf(text(read.data));
  view.set(key, { counter, mzxid: read.stat.mzxid });
  client.record({ type: "config-adopt", config: layout.path, key, counter,
    mzxid: read.stat.mzxid });
}

/** How long a waiting reader sleeps before it looks at its session again. */
const READER_POLL_MS = 1000;

/**
 * A configuration reader, for ever: read every entry with a watch, then re-read the entries
 * whose watches fire. On a new session (the old one expired) it reads everything again; the
 * view survives, so it never adopts an older configuration.
 */
export async function runConfigReader(client: RecipeClient, layout: ConfigLayout):
  Promise<never> {
  checkConfigLayout(layout);
  const view: ConfigView = new Map();
  for (;;) {
    const wakeup = new Wakeup();
    const zk = client.connect(wakeup.watcher);
    try {
      for (const key of configKeys(layout)) {
        await readEntry(client, zk, layout, key, view, wakeup);
      }
      await followEntries(client, zk, layout, view, wakeup);
    } catch (error) {
      if (!(error instanceof SessionLost)) throw error;
    }
  }
}

async function followEntries(client: RecipeClient, zk: ZooKeeper, layout: ConfigLayout,
  view: ConfigView, wakeup: Wakeup): Promise<never> {
  const keys = configKeys(layout);
  for (;;) {
    await wakeup.wait(client, READER_POLL_MS);
    if (zk.state === "CLOSED") throw new SessionLost();
    for (const event of wakeup.take()) {
      const key = keys.find((k) => entryPath(layout, k) === event.path);
      if (key !== undefined) await readEntry(client, zk, layout, key, view, wakeup);
    }
  }
}

/** The referee's read of every entry (after sync), for the convergence check. */
export async function readWholeConfig(client: RecipeClient, zk: ZooKeeper,
  layout: ConfigLayout): Promise<ConfigEntry[]> {
  await retrying(client, zk, () => zk.sync(layout.path));
  const entries: ConfigEntry[] = [];
  for (const key of configKeys(layout)) {
    const { data } = await retrying(client, zk, () => zk.getData(entryPath(layout, key)));
    entries.push({ key, counter: counterOf(text(data)) });
  }
  return entries;
}
