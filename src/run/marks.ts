/**
 * The mark registry: every coverage mark (util/mark.ts) named once, with what reaches it. The
 * tidy test checks both directions: every mark() call in src/ names a mark registered here, and
 * every registered mark has a call. `zabsim sweep --coverage` counts, for every mark registered
 * for the sweep's options, the seeds that reached it; test/sweep-reach.test.ts asserts that a
 * sweep of each option set below reaches every mark registered for it within 200 seeds.
 *
 * What reaches a mark:
 * - "default": a sweep with a fault mix (any option set but --faults none); the reach test
 *   sweeps the default, swarm worlds;
 * - an option set: the corruption mix, torn writes, the zxid rollover knob, several power
 *   losses, the fixed world (--swarm off), a planted bug; a set the swarm draws (torn writes,
 *   rollover) is also registered for a swarm sweep that leaves its knob to the draw;
 * - "test": no run option reaches it today; the named test file does, by a scripted scenario
 *   (the tidy test checks that the file names the mark);
 * - "guard": a defensive branch a correct ensemble inside ZAB's fault model should not take
 *   (a protocol error, a packet out of phase); nothing aims at it, a sweep counts it if it runs.
 */
import type { BugName } from "../consensus/bugs.js";
import { ZXID_COUNTER_MAX } from "../util/index.js";
import type { RunOptions, RunOptionsInput } from "./options.js";
import { resolveRunOptions } from "./options.js";
import { swarmOn } from "./swarm.js";

/** A set of run options that reaches marks a default sweep does not. */
export interface MarkOptionSet {
  /** The flags a sweep adds for it ("--faults corruption"). */
  readonly flags: readonly string[];
  /** The same, as options (what the reach test runs). */
  readonly input: RunOptionsInput;
  /** True when a run's options include this set (its marks are then registered for them). */
  readonly applies: (options: RunOptions) => boolean;
  /**
   * True when a swarm sweep with this input draws the set for some of its seeds (run/swarm.ts:
   * the input leaves its knob to the draw), so its marks are registered for that sweep too.
   */
  readonly drawnBySwarm?: (input: RunOptionsInput) => boolean;
}

/** What reaches a mark (see the file comment). */
export type MarkReach =
  | { readonly by: "default" }
  | { readonly by: "options"; readonly set: MarkOptionSet }
  | { readonly by: "test"; readonly test: string }
  | { readonly by: "guard" };

/** One registered mark. */
export interface MarkDef {
  readonly name: string;
  readonly reach: MarkReach;
}

/** A start this close to 2^32 - 1 rolls over within one run's writes (about 1,000). */
export const ROLLOVER_HEADROOM = 1_000;

/** The option sets that reach marks beyond the default sweep's. */
export const MARK_OPTION_SETS = {
  corruption: {
    flags: ["--faults", "corruption"], input: { faults: "corruption" },
    applies: (o) => o.faults === "corruption",
  },
  tornWrites: {
    flags: ["--torn-writes", "0.5"], input: { disk: { tornWriteProbability: 0.5 } },
    applies: (o) => o.disk.tornWriteProbability > 0 && o.faults !== "none",
    drawnBySwarm: (input) => input.disk?.tornWriteProbability === undefined,
  },
  adversary: {
    flags: ["--faults", "adversary"], input: { faults: "adversary" },
    applies: (o) => o.faults === "adversary" && o.secureQuorum,
  },
  basicWorkload: {
    flags: ["--swarm", "off", "--workload", "basic"], input: { swarm: false, workload: "basic" },
    applies: (o) => !o.swarm && o.workload === "basic" && o.faults !== "none",
  },
  rollover: {
    flags: ["--zxid-counter-start", String(ZXID_COUNTER_MAX - 100)],
    input: { zxidCounterStart: ZXID_COUNTER_MAX - 100 },
    applies: (o) => ZXID_COUNTER_MAX - o.zxidCounterStart <= ROLLOVER_HEADROOM,
    drawnBySwarm: (input) => input.zxidCounterStart === undefined,
  },
  // Several power losses per run with slow fsyncs: what the acknowledge-before-persist
  // mistakes need, and the crash windows around NEWLEADER's and ACKEPOCH's persists.
  powerLosses: {
    flags: ["--power-losses", "4", "--fsync-ms", "1..200"],
    input: { powerLosses: 4, disk: { fsyncMicrosMin: 1_000, fsyncMicrosMax: 200_000 } },
    applies: (o) => (o.powerLosses ?? 0) >= 3 && o.faults !== "none",
  },
  fixedWorld: {
    flags: ["--swarm", "off"], input: { swarm: false },
    applies: (o) => !o.swarm && o.faults !== "none",
  },
} as const satisfies Record<string, MarkOptionSet>;

/** The option set of a planted bug. */
export function bugOptionSet(bug: BugName): MarkOptionSet {
  return { flags: ["--bug", bug], input: { bug }, applies: (o) => o.bug === bug };
}

const DEFAULT: MarkReach = { by: "default" };
const GUARD: MarkReach = { by: "guard" };
const withOptions = (set: MarkOptionSet): MarkReach => ({ by: "options", set });
const test = (file: string): MarkReach => ({ by: "test", test: file });
const TREE_TEST = "test/unit/tree/marks.test.ts";
const PLAN_TEST = "test/unit/consensus/sync-plan.test.ts";
/**
 * A write reaches the leader through a session's old server only after the session moved and
 * wrote through its new server: the client must have given up on the old connection (a read
 * timeout) while its request sat undelivered. No default seed in 1..400 does, nor one of
 * 1..120 with --spikes 0.05 --spike-ms 3000.
 */
const SERVED_TEST = "test/unit/consensus/sessions-served.test.ts";

/** Every mark, grouped by where it lives. */
export const MARKS: readonly MarkDef[] = [
  // Election (consensus/election.ts).
  { name: "election: notification timeout, re-sending", reach: DEFAULT },
  { name: "election: finalized after finalizeWait", reach: DEFAULT },
  { name: "election: settled server answers a LOOKING peer", reach: DEFAULT },
  { name: "election: better vote during finalizeWait", reach: DEFAULT },
  { name: "election: newer round adopted", reach: DEFAULT },
  { name: "election: joined an established ensemble", reach: DEFAULT },
  // Synchronization: the plan (consensus/sync-plan.ts) and what each side does with it.
  { name: "sync: TRUNC follower ahead of leader", reach: DEFAULT },
  { name: "sync: DIFF from the txn log beyond committedLog", reach: DEFAULT },
  { name: "sync: SNAP learner too far behind", reach: DEFAULT },
  { name: "sync: SNAP instead of TRUNC across an epoch", reach: DEFAULT },
  { name: "sync: TRUNC follower has extra txns inside history", reach: test(PLAN_TEST) },
  { name: "leader: DIFF sent", reach: DEFAULT },
  { name: "leader: TRUNC sent", reach: DEFAULT },
  { name: "leader: SNAP sent", reach: DEFAULT },
  { name: "learner: TRUNC applied", reach: DEFAULT },
  { name: "learner: SNAP installed", reach: DEFAULT },
  { name: "learner: NEWLEADER with uncommitted proposals in flight", reach: DEFAULT },
  { name: "learner: left its leader during synchronization", reach: DEFAULT },
  { name: "learner: LEADERINFO of the epoch already accepted", reach: DEFAULT },
  { name: "learner: proposal between NEWLEADER and UPTODATE", reach: DEFAULT },
  { name: "learner: COMMIT between NEWLEADER and UPTODATE", reach: DEFAULT },
  { name: "learner: TRUNC below the snapshot", reach: GUARD },
  { name: "learner: sync packet out of phase", reach: GUARD },
  { name: "learner: UPTODATE before NEWLEADER was durable", reach: GUARD },
  { name: "learner: leader's epoch is older than acceptedEpoch", reach: GUARD },
  // Leader: establishment, broadcast, learners (consensus/leader*.ts).
  { name: "leader: left the role before it was established", reach: DEFAULT },
  { name: "leader: abandoned before established", reach: DEFAULT },
  { name: "leader: timed out waiting for a quorum of learners", reach: DEFAULT },
  { name: "leader: follower ahead of the leader dropped", reach: DEFAULT },
  { name: "leader: learner closed its connection", reach: DEFAULT },
  // Reached by 2 of 300 seeds of the basic workload in the fixed world; the sessions workload's
  // runs reach it rarer, and swarm worlds did not in 200 seeds of the basic workload.
  { name: "leader: learner connection broke", reach: withOptions(MARK_OPTION_SETS.basicWorkload) },
  { name: "serve: an unknown session is answered as expired", reach: DEFAULT },
  { name: "learner: secure handshake complete", reach: withOptions(MARK_OPTION_SETS.adversary) },
  { name: "replica: message from outside the configuration dropped",
    reach: withOptions(MARK_OPTION_SETS.adversary) },
  { name: "serve: a learner asks its leader about an unknown session", reach: DEFAULT },
  // Seeds 1249 and 1369 of 1,400 at one voter (issue 19): too rare for a 200-seed sweep.
  {
    name: "serve: handshake answer for a connection that ended dropped",
    reach: test("test/unit/consensus/serve.test.ts"),
  },
  { name: "leader: container manager deletes a container or TTL node",
    reach: test("test/unit/consensus/sessions-served.test.ts") },
  { name: "bug: closeSession applied without its deletions",
    reach: withOptions(bugOptionSet("skip-close-ephemerals")) },
  { name: "leader: learner reconnected, old handler replaced", reach: DEFAULT },
  { name: "leader: learner silent past its limit dropped", reach: DEFAULT },
  { name: "leader: lost the synced quorum, stepping down", reach: DEFAULT },
  { name: "leader: session expired", reach: DEFAULT },
  { name: "leader: expired session owned ephemerals", reach: DEFAULT },
  {
    name: "leader: zxid counter rolled over", reach: withOptions(MARK_OPTION_SETS.rollover),
  },
  // The sessions workload sends sync (test/protocol/sync-request.test.ts scripts both too).
  { name: "leader: sync request", reach: DEFAULT },
  { name: "leader: sync waits for outstanding proposals", reach: DEFAULT },
  { name: "leader: packet on a closed connection ignored", reach: GUARD },
  { name: "leader: ACK from a different epoch ignored", reach: GUARD },
  { name: "leader: unexpected packet from a learner", reach: GUARD },
  { name: "leader: request queue full, request refused", reach: GUARD },
  { name: "leader: ACK for a future proposal ignored", reach: GUARD },
  { name: "leader: REQUEST before the learner is up to date dropped", reach: GUARD },
  {
    name: "leader: a write through a moved session's old server refused (SESSIONMOVED)",
    reach: test(SERVED_TEST),
  },
  // Learner's link to its leader (consensus/learner.ts).
  { name: "learner: FOLLOWERINFO re-sent", reach: DEFAULT },
  // 3 of 100 seeds of the fixed world; swarm worlds reached it in none of 200.
  {
    name: "learner: connection to the leader broke",
    reach: withOptions(MARK_OPTION_SETS.fixedWorld),
  },
  { name: "learner: the leader closed the connection", reach: DEFAULT },
  { name: "learner: leader silent past syncLimit", reach: DEFAULT },
  { name: "learner: no sync within initLimit", reach: DEFAULT },
  { name: "learner: unexpected packet from the leader", reach: GUARD },
  { name: "learner: COMMIT of an unknown proposal", reach: GUARD },
  // Disk, crashes and recovery (consensus/core.ts, recovery.ts, replica.ts; ensemble host).
  { name: "storage: local snapshot taken", reach: DEFAULT },
  { name: "persist: continuation of an old role dropped", reach: DEFAULT },
  { name: "host: crash with a persist in flight", reach: DEFAULT },
  {
    name: "host: crash before NEWLEADER's ACK was durable",
    reach: withOptions(MARK_OPTION_SETS.powerLosses),
  },
  {
    name: "host: crash before ACKEPOCH's epoch was durable",
    reach: withOptions(MARK_OPTION_SETS.powerLosses),
  },
  { name: "recovery: acceptedEpoch ahead of currentEpoch", reach: DEFAULT },
  {
    name: "recovery: torn last record ignored", reach: withOptions(MARK_OPTION_SETS.tornWrites),
  },
  {
    name: "recovery: corrupt record inside the data dir",
    reach: withOptions(MARK_OPTION_SETS.corruption),
  },
  {
    name: "replica: refused to start on a damaged data dir",
    reach: withOptions(MARK_OPTION_SETS.corruption),
  },
  // Serving clients (consensus/serve.ts).
  { name: "serve: connect refused, client has seen a later zxid", reach: DEFAULT },
  { name: "serve: a read waits behind its session's write", reach: DEFAULT },
  // The tree (src/tree).
  // The sessions workload closes sessions that own ephemerals, and expires some.
  { name: "tree: closeSession deletes ephemerals", reach: DEFAULT },
  { name: "tree: closeSession sees a pending ephemeral", reach: test(TREE_TEST) },
  { name: "tree: failed multi restores an earlier pending record", reach: DEFAULT },
  { name: "tree: replayed create finds its node", reach: test(TREE_TEST) },
  { name: "tree: sequential name from a wrapped cversion", reach: test(TREE_TEST) },
  { name: "tree: standard watch replaces a persistent one", reach: test(TREE_TEST) },
  // Planted bugs (consensus/bugs.ts): each reached by a sweep that plants it.
  { name: "bug: TRUNC ignored", reach: withOptions(bugOptionSet("skip-trunc")) },
  {
    name: "bug: proposal below a skipped TRUNC ignored",
    reach: withOptions(bugOptionSet("skip-trunc")),
  },
  {
    name: "bug: proposal applied before its commit",
    reach: withOptions(bugOptionSet("apply-before-commit")),
  },
];

/**
 * True when a sweep with `input` should reach the mark (it is registered for it). The input's
 * absent fields take their defaults; with swarm on, a set the swarm draws applies too.
 */
export function markApplies(def: MarkDef, input: RunOptionsInput): boolean {
  const options = resolveRunOptions(input);
  switch (def.reach.by) {
    case "default":
      return options.faults !== "none";
    case "options": {
      const set: MarkOptionSet = def.reach.set;
      if (set.applies(options)) return true;
      return swarmOn(input) && set.drawnBySwarm !== undefined && set.drawnBySwarm(input);
    }
    case "test":
    case "guard":
      return false;
  }
}

/** The marks registered for a sweep with `input`, in registry order. */
export function marksFor(input: RunOptionsInput): readonly string[] {
  return MARKS.filter((def) => markApplies(def, input)).map((def) => def.name);
}

/** The option sets the registry names, each once (flags joined as the key). */
export function markOptionSets(): readonly MarkOptionSet[] {
  const out = new Map<string, MarkOptionSet>();
  for (const def of MARKS) {
    if (def.reach.by === "options") out.set(def.reach.set.flags.join(" "), def.reach.set);
  }
  return [...out.values()];
}
