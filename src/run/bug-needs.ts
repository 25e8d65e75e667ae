/**
 * What each planted bug needs from a run's options to be exposed at all, so that `--bug NAME`
 * under options that can never catch it exits 2 naming what is missing instead of passing
 * silently (issue 22). Measured with `zabsim sweep --seeds 1..20 --bug NAME` plus one change:
 * with `--faults none` no bug was caught on any seed (every one needs a crash, a partition or
 * a power loss to matter); with `--clients 0` none was caught but reuse-old-epoch (6 of 20), as
 * the others lose or reorder client writes and a run without clients writes nothing.
 *
 * `options` is what a default sweep needs added to catch the bug (shared/spec/cli.md,
 * `--bug list --json`): empty for the protocol's bugs, as the defaults meet every need; the
 * secure channel's bugs need `--faults adversary`.
 */
import { BUG_NAMES, CHANNEL_BUG_NAMES } from "../consensus/bugs.js";
import type { BugName } from "../consensus/bugs.js";
import { KEY_BUG_DESCRIPTIONS, isKeyBug } from "../keys/index.js";
import { RECIPE_BUGS, isRecipeBugName } from "../recipes/index.js";
import type { RunOptions } from "./options.js";
import { runBugNames } from "./bugs.js";

/** One condition a bug needs, with the flags that meet it. */
interface BugNeed {
  /** The flags that meet it, as the refusal names them. */
  readonly flags: string;
  holds(options: RunOptions): boolean;
}

const FAULTS: BugNeed = {
  flags: "--faults standard (or corruption or adversary) or a --schedule of faults",
  holds: (options) => options.faults !== "none" || options.schedule.length > 0,
};

const CLIENTS: BugNeed = {
  flags: "--clients 1 or more",
  holds: (options) => options.clients > 0,
};

// The session bugs (issue 11) act on what only the sessions workload does (moves, watches,
// ephemerals, expiries); their needs follow from what each bug breaks rather than a sweep.
const SESSIONS: BugNeed = {
  flags: "--workload sessions (the default)",
  holds: (options) => options.workload === "sessions",
};

// The secure channel's bugs (CHANNEL_BUG_NAMES) only matter when frames are sealed and someone
// tampers with them: the adversary mix's attacker (which turns secure quorum on by default).
const ADVERSARY: BugNeed = {
  flags: "--faults adversary",
  holds: (options) => options.faults === "adversary",
};

const NEEDS: Readonly<Record<BugName, readonly BugNeed[]>> = {
  "commit-on-minority": [FAULTS, CLIENTS],
  "skip-trunc": [FAULTS, CLIENTS],
  "reuse-old-epoch": [FAULTS],
  "apply-before-commit": [FAULTS, CLIENTS],
  "stale-diff": [FAULTS, CLIENTS],
  "local-sync": [FAULTS, CLIENTS],
  "accept-ahead": [FAULTS, CLIENTS, SESSIONS],
  "late-watch": [CLIENTS, SESSIONS],
  "skip-close-ephemerals": [CLIENTS, SESSIONS],
  "no-session-restart": [FAULTS, CLIENTS, SESSIONS],
  "ack-before-fsync": [FAULTS, CLIENTS],
  "skip-frame-auth": [ADVERSARY],
  "replayable-counter": [ADVERSARY],
  "no-ephemeral-handshake": [ADVERSARY],
};

/**
 * A recipe bug lives in its recipe's clients, so it needs its workload (`mixed` runs every
 * recipe, each on fewer clients) and clients; the recipes' checkers then catch it with the
 * default faults.
 */
function recipeNeeds(name: string): readonly BugNeed[] {
  const workload = RECIPE_BUGS[name]?.workload ?? "";
  return [{
    flags: `--workload ${workload}`,
    holds: (options) => options.workload === workload,
  }, CLIENTS];
}

// The key service's bugs (src/keys/bugs.ts) live in the --encrypt run's service instances; a
// default sweep with --encrypt catches each (test/properties/run-encrypt.test.ts). Their
// checkers read the key tasks' observations, so nothing else is needed (no faults, no clients).
const ENCRYPT: BugNeed = {
  flags: "--encrypt",
  holds: (options) => options.encrypt,
};

/** What a planted bug needs, whichever list holds it. */
function needsOf(name: string): readonly BugNeed[] {
  if (isRecipeBugName(name)) return recipeNeeds(name);
  if (isKeyBug(name)) return [ENCRYPT];
  return Object.prototype.hasOwnProperty.call(NEEDS, name) ? NEEDS[name as BugName] : [];
}

/** The flags that meet each need of the planted bug that `options` miss (none: empty). */
export function unmetBugNeeds(options: RunOptions): string[] {
  const bug = options.bug;
  if (bug === null) return [];
  return needsOf(bug).filter((need) => !need.holds(options)).map((need) => need.flags);
}

/** One planted bug as `zabsim run --bug list --json` prints it. */
export interface BugListing {
  readonly name: string;
  /** Flags a default sweep needs added to catch it. */
  readonly options: readonly string[];
  readonly description: string;
  /** What a run must have for the bug to show at all (the defaults have it). */
  readonly requires: readonly string[];
}

/** Every planted bug, sorted by name. */
export function bugListing(): BugListing[] {
  return runBugNames().map((name) => ({
    name,
    options: sweepOptionsOf(name),
    description: descriptionOf(name),
    requires: needsOf(name).map((n) => n.flags),
  }));
}

/** The flags a default sweep needs added to catch `name`. */
function sweepOptionsOf(name: string): string[] {
  if (name in CHANNEL_BUG_NAMES) return ["--faults", "adversary"];
  if (isKeyBug(name)) return ["--encrypt"];
  const recipe = RECIPE_BUGS[name];
  return recipe === undefined ? [] : ["--workload", recipe.workload];
}

/** A planted bug's one-line description, from whichever list holds it. */
function descriptionOf(name: string): string {
  const recipe = RECIPE_BUGS[name];
  if (recipe !== undefined) return recipe.description;
  if (isKeyBug(name)) return KEY_BUG_DESCRIPTIONS[name];
  return Object.prototype.hasOwnProperty.call(BUG_NAMES, name)
    ? BUG_NAMES[name as keyof typeof BUG_NAMES]
    : CHANNEL_BUG_NAMES[name as keyof typeof CHANNEL_BUG_NAMES];
}
