/**
 * Planted bugs: named protocol mistakes a replica can be told to make, so that the checkers can
 * prove they catch them (`zabsim run --bug NAME`). Each one removes a rule that ZooKeeper relies
 * on; the code that honours the rule tests `bugs.has(name)` right where the rule lives.
 */

/** Every planted bug with a one-line description of the mistake. */
export const BUG_NAMES = {
  "ack-before-fsync":
    "learners ACK proposals, ACKEPOCH and NEWLEADER, and the leader counts its own ack, " +
    "before the write is durable",
  "commit-on-minority": "the leader commits a proposal as soon as it has its own ack",
  "skip-trunc": "a learner told to TRUNC keeps its extra, uncommitted transactions",
  "reuse-old-epoch":
    "a new leader proposes the highest accepted epoch instead of one above it, " +
    "and learners accept an epoch equal to their own",
  "apply-before-commit": "a follower applies a PROPOSAL to its tree before the COMMIT arrives",
  "stale-diff":
    "the leader answers a lagging learner with a bare DIFF, without the committed " +
    "transactions it missed",
} as const;

/** The name of a planted bug. */
export type BugName = keyof typeof BUG_NAMES;

/** All bug names, sorted. */
export function bugNames(): BugName[] {
  return (Object.keys(BUG_NAMES) as BugName[]).sort();
}

/** True when `name` is a planted bug's name. */
export function isBugName(name: string): name is BugName {
  return Object.prototype.hasOwnProperty.call(BUG_NAMES, name);
}
