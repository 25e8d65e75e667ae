/**
 * What the data recipes (src/recipes: configuration, cache, queue, double barrier) report, so
 * that their checkers (src/check/recipes-data.ts) judge a run from reports alone. Each event is
 * one fact a recipe's user would see: a reader adopted a configuration, a cache's content
 * changed, the producer's enqueue was acknowledged, a consumer finished processing an item, a
 * member entered or left a barrier. The `final` events are the referee's reads after the run
 * healed and the writers stopped (a fresh session, sync, then reads): the state every live
 * reader and cache must converge to.
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

/** The events of the data recipes, tagged by recipe. `client` is the reporting client node. */
export type RecipeDataEvent =
  /** A configuration reader adopted `counter` for `key` (read at `mzxid`). */
  | {
      readonly recipe: "config";
      readonly event: "adopt";
      readonly client: number;
      readonly key: string;
      readonly counter: number;
      readonly mzxid: number;
    }
  /** The referee's read of the whole configuration after the run settled. */
  | {
      readonly recipe: "config";
      readonly event: "final";
      readonly client: number;
      readonly entries: readonly ConfigEntry[];
    }
  /** A cache's whole content after a change (sorted by path). */
  | {
      readonly recipe: "cache";
      readonly event: "content";
      readonly client: number;
      readonly entries: readonly CacheEntry[];
    }
  /** The referee's read of the cached subtree after the run settled (sorted by path). */
  | {
      readonly recipe: "cache";
      readonly event: "final";
      readonly client: number;
      readonly entries: readonly CacheEntry[];
    }
  /** The producer's enqueue of `item` was acknowledged (the create's reply, or found again). */
  | { readonly recipe: "queue"; readonly event: "enqueued"; readonly client: number;
      readonly item: string }
  /** A consumer finished processing `item` (before deleting it: at least once). */
  | { readonly recipe: "queue"; readonly event: "processed"; readonly client: number;
      readonly item: string }
  /**
   * A barrier member of `round` started entering (`enter`), passed the entry (`entered`),
   * started leaving (`leave`) or passed the exit (`left`); `members` is the barrier's size.
   */
  | {
      readonly recipe: "barrier";
      readonly event: "enter" | "entered" | "leave" | "left";
      readonly client: number;
      readonly round: number;
      readonly members: number;
    };

/** The recipes whose events are RecipeDataEvents. */
export type RecipeDataName = RecipeDataEvent["recipe"];
