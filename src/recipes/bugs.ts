/**
 * Planted recipe bugs: the classic mistakes of ZooKeeper's recipes, each a named switch the
 * recipe tests right where its rule lives, so a learner can watch the recipe's checker catch
 * it (`zabsim sweep --seeds 1..200 --workload W --bug NAME`). `workload` names the recipe
 * workload that exposes the bug.
 */

/** A recipe bug: the workload that runs the recipe, and the mistake in one line. */
export interface RecipeBug {
  readonly workload: string;
  readonly description: string;
}

/** Every planted recipe bug, by name. */
export const RECIPE_BUGS: Readonly<Record<string, RecipeBug>> = {
  "lock-no-predecessor-check": {
    workload: "lock",
    description: "a lock waiter whose watched predecessor goes away takes the lock without " +
      "reading the children again, though a holder may still be ahead of it",
  },
  "lock-no-fencing": {
    workload: "lock",
    description: "the lock's protected resource takes every write, so a holder whose session " +
      "expired during a pause overwrites a newer holder's work",
  },
  "election-herd": {
    workload: "election",
    description: "every election candidate watches the leader's node instead of its " +
      "predecessor, so each change of leader wakes them all (the herd effect)",
  },
  "cache-ignores-rewatch": {
    workload: "cache",
    description: "the cache ignores its watch's reset after a reconnect, so it never sees the " +
      "changes made while it was away",
  },
  "barrier-no-entry-wait": {
    workload: "barrier",
    description: "a barrier member goes through the entry once its own node exists, without " +
      "waiting for the others to arrive",
  },
  "queue-delete-before-process": {
    workload: "queue",
    description: "a consumer deletes an item before processing it: one that dies in between " +
      "loses the item",
  },
};

/** The recipe bugs' names, sorted. */
export function recipeBugNames(): string[] {
  return Object.keys(RECIPE_BUGS).sort();
}

/** True when `name` is a planted recipe bug. */
export function isRecipeBugName(name: string): boolean {
  return Object.prototype.hasOwnProperty.call(RECIPE_BUGS, name);
}
