/**
 * A double barrier (ZooKeeper's recipes page, "double barriers"; Curator's
 * DistributedDoubleBarrier): `members` processes enter together and leave together. Entering,
 * a member creates its ephemeral node under the round's barrier znode and counts the children;
 * the one that sees them all creates the ready node, and everyone waits for ready (an exists
 * watch). Leaving, a member deletes its node and waits until no child is left. Ready is only
 * created once every member's node exists, so no member passes the entry before every member
 * has arrived. Each round has its own barrier znode, so ready never needs clearing.
 *
 * A member whose session expires starts its step over on a new session (its node went with the
 * old one). The exit inherits the ephemeral nodes' weakness, as Curator's does: a member whose
 * session expires in the middle of the round no longer holds anyone back.
 */
import type { ZooKeeper } from "../client/index.js";
import type { BarrierEvent } from "../observe/index.js";
import type { RecipeClient } from "./kit.js";
import {
  LOSS_PAUSE_MS, SessionLost, Wakeup, badArgument, checkName, checkPath, codeOf, hasCode, lostOr,
  retrying, unknownOutcome,
} from "./kit.js";
import { ensureNode } from "./found-create.js";

/** A barrier: where it lives, how many members, this member's name. */
export interface BarrierOptions {
  readonly path: string;
  readonly members: number;
  readonly name: string;
  /** Planted bug barrier-no-entry-wait: a member is through once its own node exists. */
  readonly noEntryWait?: boolean;
}

/** The largest barrier (the run's clients bound it anyway). */
export const BARRIER_MEMBERS_MAX = 1000;

/** Checks the options before anything is written: BADARGUMENTS for a bad path, name or size. */
export function checkBarrier(options: BarrierOptions): void {
  checkPath("barrier path", options.path);
  checkName("barrier member", options.path, options.name);
  const n = options.members;
  if (!Number.isSafeInteger(n) || n < 1 || n > BARRIER_MEMBERS_MAX) {
    throw badArgument("barrier members", `${n} is not in 1..${BARRIER_MEMBERS_MAX}`);
  }
}

function roundPath(options: BarrierOptions, round: number): string {
  return `${options.path}/r${round}`;
}

/** How long a waiting member sleeps before it looks at its session again. */
const BARRIER_POLL_MS = 1000;

/** Creates this member's ephemeral node unless this session has it already. */
async function createMember(client: RecipeClient, zk: ZooKeeper, path: string): Promise<void> {
  for (;;) {
    try {
      await zk.create(path, "", undefined, "EPHEMERAL");
      return;
    } catch (error) {
      const cause = lostOr(error, zk);
      if (!hasCode(cause, "NODEEXISTS") && !unknownOutcome(cause)) throw cause;
    }
    await client.sleep(LOSS_PAUSE_MS);
    const stat = await retrying(client, zk, () => zk.exists(path));
    if (stat !== null && stat.ephemeralOwner === zk.sessionId) return;
  }
}

/** The entry of one round on one session (DistributedDoubleBarrier.internalEnter). */
async function enterOnce(client: RecipeClient, zk: ZooKeeper, wakeup: Wakeup,
  options: BarrierOptions, round: number): Promise<void> {
  const base = roundPath(options, round);
  const ready = `${base}-ready`;
  await ensureNode(client, zk, options.path);
  await ensureNode(client, zk, base);
  await createMember(client, zk, `${base}/${options.name}`);
  // The classic mistake: "I am in, so I may go on", before the others arrived.
  if (options.noEntryWait === true) return;
  for (;;) {
    wakeup.take();
    if (await retrying(client, zk, () => zk.exists(ready, wakeup.watcher)) !== null) return;
    const children = await retrying(client, zk, () => zk.getChildren(base));
    if (children.length >= options.members) {
      await retrying(client, zk, () => codeOf(zk.create(ready, ""), ["NODEEXISTS"]));
      return;
    }
    await wakeup.wait(client, BARRIER_POLL_MS);
    if (zk.state === "CLOSED") throw new SessionLost();
  }
}

/** The exit of one round on one session (DistributedDoubleBarrier.internalLeave, simplified). */
async function leaveOnce(client: RecipeClient, zk: ZooKeeper, wakeup: Wakeup,
  options: BarrierOptions, round: number): Promise<void> {
  const base = roundPath(options, round);
  await retrying(client, zk, () => codeOf(zk.delete(`${base}/${options.name}`), ["NONODE"]));
  for (;;) {
    wakeup.take();
    const children = await retrying(client, zk, () => zk.getChildren(base, wakeup.watcher));
    if (children.length === 0) return;
    await wakeup.wait(client, BARRIER_POLL_MS);
    if (zk.state === "CLOSED") throw new SessionLost();
  }
}

/** A member's session: the current one, replaced when it is lost. */
export interface MemberSession {
  zk: ZooKeeper;
  wakeup: Wakeup;
}

/** Opens a member session. */
export function openMember(client: RecipeClient): MemberSession {
  const wakeup = new Wakeup();
  return { zk: client.connect(wakeup.watcher), wakeup };
}

/** Runs `step` until it completes, on a new session each time the session is lost. */
async function onSession(client: RecipeClient, session: MemberSession,
  step: (zk: ZooKeeper, wakeup: Wakeup) => Promise<void>): Promise<void> {
  for (;;) {
    try {
      await step(session.zk, session.wakeup);
      return;
    } catch (error) {
      if (!(error instanceof SessionLost)) throw error;
      const fresh = openMember(client);
      session.zk = fresh.zk;
      session.wakeup = fresh.wakeup;
    }
  }
}

function recordStep(client: RecipeClient, options: BarrierOptions, round: number,
  step: BarrierEvent["step"]): void {
  client.record({ type: "barrier", barrier: options.path, step, round, members: options.members });
}

/** Enters round `round`: resolves once every member has arrived. */
export async function enterBarrier(client: RecipeClient, session: MemberSession,
  options: BarrierOptions, round: number): Promise<void> {
  checkBarrier(options);
  recordStep(client, options, round, "enter");
  await onSession(client, session, (zk, wakeup) => enterOnce(client, zk, wakeup, options, round));
  recordStep(client, options, round, "entered");
}

/** Leaves round `round`: resolves once every member has left. */
export async function leaveBarrier(client: RecipeClient, session: MemberSession,
  options: BarrierOptions, round: number): Promise<void> {
  checkBarrier(options);
  recordStep(client, options, round, "leave");
  await onSession(client, session, (zk, wakeup) => leaveOnce(client, zk, wakeup, options, round));
  recordStep(client, options, round, "left");
}
