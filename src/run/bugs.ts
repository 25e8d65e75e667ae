/**
 * Every planted bug a run accepts under `--bug`: the protocol's and the secure channel's
 * (src/consensus/bugs.ts, planted in the replicas) and the recipes' (src/recipes/bugs.ts,
 * planted in the recipe clients) and the key service's (src/keys/bugs.ts, planted in the
 * `--encrypt` run's service instances), in one sorted list.
 */
import { allBugNames, isBugName } from "../consensus/bugs.js";
import { KEY_BUGS, isKeyBug } from "../keys/index.js";
import { isRecipeBugName, recipeBugNames } from "../recipes/index.js";

/** Every planted bug's name, sorted. */
export function runBugNames(): string[] {
  return [...allBugNames(), ...recipeBugNames(), ...KEY_BUGS].sort();
}

/** True when `name` is a planted bug a run accepts. */
export function isRunBugName(name: string): boolean {
  return isBugName(name) || isRecipeBugName(name) || isKeyBug(name);
}
