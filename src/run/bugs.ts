/**
 * Every planted bug a run accepts under `--bug`: the protocol's and the secure channel's
 * (src/consensus/bugs.ts, planted in the replicas) and the recipes' (src/recipes/bugs.ts,
 * planted in the recipe clients), in one sorted list.
 */
import { allBugNames, isBugName } from "../consensus/bugs.js";
import { isRecipeBugName, recipeBugNames } from "../recipes/index.js";

/** Every planted bug's name, sorted. */
export function runBugNames(): string[] {
  return [...allBugNames(), ...recipeBugNames()].sort();
}

/** True when `name` is a planted bug a run accepts. */
export function isRunBugName(name: string): boolean {
  return isBugName(name) || isRecipeBugName(name);
}
