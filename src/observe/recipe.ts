/**
 * What recipe clients report (src/recipes): the facts a recipe's checker needs to judge its
 * guarantee from the trace alone. A recipe observation is `{ kind: "recipe", node, session,
 * event }`: the client node, the session it spoke through (0 before its first connection), and
 * one event of the union below. Each recipe's events are their own union; the data recipes
 * (configuration, cache, queue, barrier) add theirs to `DataRecipeEvent`.
 *
 * Tokens and epochs are czxids: the zxid that created the lock node or the candidate node,
 * which only grows over a run, so an older holder always has the smaller token (ZooKeeper's
 * recipes page, and Kleppmann's fencing argument). Paths are the lock's or group's directory.
 */

/** Events of the lock recipes: the lock, the read-write lock, the semaphore, and the resource. */
export type LockEvent =
  /**
   * `holder` (this client's lock node) became a holder of `lock` in `mode` with fencing token
   * `token` (its czxid). For the semaphore, `permits` is the lock's limit; 1 otherwise.
   */
  | {
      readonly type: "acquired";
      readonly lock: string;
      readonly mode: "exclusive" | "read" | "write" | "permit";
      readonly holder: string;
      readonly token: number;
      readonly permits: number;
    }
  /** The holder begins to give the lock up (before its delete is sent). */
  | { readonly type: "releasing"; readonly lock: string; readonly holder: string }
  /**
   * A write to the protected resource `resource` with fencing token `token`: `accepted` unless
   * the resource had already accepted a newer token (or, without fencing, always).
   */
  | {
      readonly type: "resource";
      readonly resource: string;
      readonly token: number;
      readonly accepted: boolean;
      /** The newest token the resource had accepted before (0: none). */
      readonly newest: number;
    };

/** Events of leader election among clients. */
export type ElectionEvent =
  /** This client leads `group` for leader epoch `epoch` (its candidate node's czxid). */
  | { readonly type: "leader"; readonly group: string; readonly epoch: number;
      readonly candidate: string }
  /** This client stops leading `group` (it resigns; sent before its node is deleted). */
  | { readonly type: "resign"; readonly group: string; readonly epoch: number };

/** Events of group membership. */
export type MembershipEvent =
  /** This client registered as `member` of `group` (an ephemeral-sequential node). */
  | { readonly type: "joined"; readonly group: string; readonly member: string }
  /** This client leaves `group` (sent before its node is deleted). */
  | { readonly type: "leaving"; readonly group: string; readonly member: string }
  /**
   * This client's view of `group` after the run settled: the members it read at zxid `zxid`
   * (a sync then getChildren), sorted.
   */
  | { readonly type: "view"; readonly group: string; readonly zxid: number;
      readonly members: readonly string[] };

/**
 * Events of the data recipes (configuration, cache, queue, barrier): part B of issue 14 adds
 * its unions here, as `ConfigEvent | CacheEvent | QueueEvent | BarrierEvent`.
 */
export type DataRecipeEvent = never;

/** A task of a recipe run failed (it threw): the run fails with this message. */
export interface TaskFailedEvent {
  readonly type: "task-failed";
  readonly message: string;
}

/** Every event a recipe client reports. */
export type RecipeEvent =
  | LockEvent | ElectionEvent | MembershipEvent | DataRecipeEvent | TaskFailedEvent;

/** A recipe client's report, as the trace holds it. */
export interface RecipeObservation {
  readonly kind: "recipe";
  /** The client node. */
  readonly node: number;
  /** The session the client spoke through (0 before its first connection). */
  readonly session: number;
  readonly event: RecipeEvent;
}
