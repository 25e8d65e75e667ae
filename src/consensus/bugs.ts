/**
 * Planted bugs: named protocol mistakes a replica can be told to make, so that the checkers can
 * prove they catch them (`zabsim run --bug NAME`). Each one removes a rule that ZooKeeper relies
 * on; the code that honours the rule tests `bugs.has(name)` right where the rule lives.
 *
 * BUG_NAMES lists the bugs a default sweep catches (shared/spec/cli.md: `zabsim sweep --seeds
 * 1..200 --bug NAME` must catch each). `ack-before-fsync` loses an acknowledged write only when a
 * quorum loses its unsynced writes at once: one crash at a time never does, since the other
 * acker's fsync lands within milliseconds. The standard fault mix therefore draws a power loss
 * (every server crashes at one instant) in half its runs (src/run/simulate.ts).
 */

/** Every planted bug a default sweep catches, with a one-line description of the mistake. */
export const BUG_NAMES = {
  "commit-on-minority": "the leader commits a proposal as soon as it has its own ack",
  "skip-trunc": "a learner told to TRUNC keeps its extra, uncommitted transactions",
  "reuse-old-epoch":
    "a new leader proposes the highest accepted epoch instead of one above it, " +
    "and learners accept an epoch equal to their own",
  "apply-before-commit": "a follower applies a PROPOSAL to its tree before the COMMIT arrives",
  "stale-diff":
    "the leader answers a lagging learner with a bare DIFF, without the committed " +
    "transactions it missed",
  "local-sync":
    "a follower answers sync() at once from its own tree, without the round trip to the " +
    "leader, so a read after the sync can miss a write already acknowledged",
  "ack-before-fsync":
    "learners ACK proposals, ACKEPOCH and NEWLEADER, and the leader counts its own ack, " +
    "before the write is durable",
  "accept-ahead":
    "a server takes a session whose client has seen a later zxid than the server's own",
  "late-watch": "a server sends a watch notification only after its next reply to that client",
  "skip-close-ephemerals":
    "a learner applies a closeSession without deleting the session's ephemerals",
  "no-session-restart":
    "a newly established leader keeps no grace for sessions: each starts its timeout as if " +
    "the last contact were a full timeout ago",
} as const;

/**
 * Planted bugs in the secure quorum channel (channel-end.ts, connection.ts). They only matter
 * when frames are sealed and someone tampers with them: `zabsim sweep --seeds 1..200 --faults
 * adversary --bug NAME` catches each (the adversary mix turns secure quorum on).
 */
export const CHANNEL_BUG_NAMES = {
  "skip-frame-auth":
    "a receiver decrypts sealed frames without checking their Poly1305 tag",
  "replayable-counter":
    "a receiver delivers an authentic frame whose counter it has already passed",
  "no-ephemeral-handshake":
    "the handshake derives a connection's keys from the static keys alone, without ephemeral " +
    "keys, so every connection between two servers shares them",
} as const;

/** The name of a planted bug. */
export type BugName = keyof typeof BUG_NAMES | keyof typeof CHANNEL_BUG_NAMES;

/** The names a run accepts (BUG_NAMES), sorted. */
export function bugNames(): (keyof typeof BUG_NAMES)[] {
  return (Object.keys(BUG_NAMES) as (keyof typeof BUG_NAMES)[]).sort();
}

/** The secure channel's planted bugs (CHANNEL_BUG_NAMES), sorted. */
export function channelBugNames(): (keyof typeof CHANNEL_BUG_NAMES)[] {
  return (Object.keys(CHANNEL_BUG_NAMES) as (keyof typeof CHANNEL_BUG_NAMES)[]).sort();
}

/** Every planted bug a run accepts: the protocol's and the secure channel's, sorted. */
export function allBugNames(): BugName[] {
  return [...bugNames(), ...channelBugNames()].sort();
}

/** True when `name` is a planted bug's name a run accepts. */
export function isBugName(name: string): name is BugName {
  return Object.prototype.hasOwnProperty.call(BUG_NAMES, name) ||
    Object.prototype.hasOwnProperty.call(CHANNEL_BUG_NAMES, name);
}
