/**
 * What the data recipes (src/recipes: configuration, cache, queue, double barrier) report, so
 * that their checkers (src/check/recipes-data.ts) judge a run from the trace alone. Each event
 * is one fact a recipe's user would see, reported by a client node (the `recipe`
 * observation's `node`): a reader adopted a configuration, a cache's content changed, the
 * producer's enqueue was acknowledged, a consumer finished processing an item, a member
 * entered or left a barrier. The `*-final` events are the referee's reads after the run healed
 * and the writers stopped (a fresh session, sync, then reads): the state every live reader and
 * cache must converge to.
 */

/** A configuration entry: the key (a child of the config znode, "" for the znode itself). */
export interface ConfigEntry {
  readonly key: string;
  /** The writers' counter stored in the entry (it grows by one with every committed write). */
  readonly counter: number;
}

/** One mirrored node of a cache: its path and its data as text. */
export interface CacheEntry {
  readonly path: string;
  readonly data: string;
}

/** Events of configuration management. */
export type ConfigEvent =
  /** A reader adopted `counter` for entry `key` of `config` (read at `mzxid`). */
  | {
      readonly type: "config-adopt";
      readonly config: string;
      readonly key: string;
      readonly counter: number;
      readonly mzxid: number;
    }
  /** The referee's read of the whole configuration after the run settled. */
  | { readonly type: "config-final"; readonly config: string;
      readonly entries: readonly ConfigEntry[] };

/** Events of the cache. */
export type CacheEvent =
  /** A cache of `root`: its whole content after a change (sorted by path). */
  | { readonly type: "cache-content"; readonly root: string;
      readonly entries: readonly CacheEntry[] }
  /** The referee's read of `root`'s children after the run settled (sorted by path). */
  | { readonly type: "cache-final"; readonly root: string;
      readonly entries: readonly CacheEntry[] };

/** Events of the queue. */
export type QueueEvent =
  /** The producer's enqueue of `item` was acknowledged (the create's reply, or found again). */
  | { readonly type: "queue-enqueued"; readonly queue: string; readonly item: string }
  /** A consumer finished processing `item` (before deleting it: at least once). */
  | { readonly type: "queue-processed"; readonly queue: string; readonly item: string };

/**
 * Events of the double barrier: a member of `round` started entering (`enter`), passed the
 * entry (`entered`), started leaving (`leave`) or passed the exit (`left`); `members` is the
 * barrier's size.
 */
export interface BarrierEvent {
  readonly type: "barrier";
  readonly barrier: string;
  readonly step: "enter" | "entered" | "leave" | "left";
  readonly round: number;
  readonly members: number;
}

/** Every event of the data recipes. */
export type DataEvent = ConfigEvent | CacheEvent | QueueEvent | BarrierEvent;
