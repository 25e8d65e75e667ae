/**
 * What every recipe stands on (locks, election, membership, and the data recipes): the two
 * rules of Curator's error handling, and the small tools the recipes share. CONNECTIONLOSS
 * means "unknown outcome, same session": a read or an idempotent write is tried again on the
 * same session (the client reconnects by itself); a create that may have happened is looked
 * up, never sent twice. SESSIONEXPIRED means the
 * session and its ephemerals and watches are gone: the recipe starts over on a new session
 * (SessionLost carries that up to the recipe's loop). A recipe's client (context.ts) opens
 * sessions, sleeps in simulated time, draws seeded choices and records the recipe's events.
 */
import { KeeperError, pathProblem } from "../client/index.js";
import type { WatchedEvent, Watcher, ZooKeeper } from "../client/index.js";
import type { RecipeClient } from "./context.js";

export type { RecipeClient } from "./context.js";

/**
 * The session is gone (SESSIONEXPIRED or CLOSED), or the recipe's own ephemeral
 * node is: the recipe starts over on a new session (Curator's ConnectionState.LOST).
 */
export class SessionLost extends Error {
  constructor(readonly path?: string) {
    super(`session lost${path === undefined ? "" : ` at ${path}`}`);
    this.name = "SessionLost";
  }
}

/** Milliseconds a waiter sleeps between rechecks when no watch fires (a safety net). */
export const RECHECK_MS = 3_000;

/** A recipe's own argument check failed (KeeperError BADARGUMENTS, before anything is sent). */
export function badArgument(what: string, detail: string): KeeperError {
  return new KeeperError("BADARGUMENTS", undefined, `${what}: ${detail}`);
}

/** True when `error` is a KeeperError with `code`. */
export function hasCode(error: unknown, code: KeeperError["code"]): boolean {
  return error instanceof KeeperError && error.code === code;
}

/**
 * True when `error` leaves the outcome unknown on a live session, the codes Curator's
 * RetryLoop.shouldRetry retries besides SESSIONEXPIRED: CONNECTIONLOSS, OPERATIONTIMEOUT and
 * SESSIONMOVED (the session lives on at another server; this call's fate is unknown).
 */
export function unknownOutcome(error: unknown): boolean {
  return hasCode(error, "CONNECTIONLOSS") || hasCode(error, "OPERATIONTIMEOUT")
    || hasCode(error, "SESSIONMOVED");
}

/** Pause between tries after a CONNECTIONLOSS: the session is reconnecting meanwhile. */
export const LOSS_PAUSE_MS = 100;
/** A call is tried at most this often before the recipe gives its session up. */
const TRIES_MAX = 300;

/**
 * SessionLost when `error` says the session is gone (SESSIONEXPIRED, a closed handle), else
 * `error` itself. SESSIONMOVED is not: the session lives on (unknownOutcome).
 */
export function lostOr(error: unknown, zk: ZooKeeper): unknown {
  if (hasCode(error, "SESSIONEXPIRED")) {
    return new SessionLost((error as KeeperError).path);
  }
  if (zk.state === "CLOSED") return new SessionLost();
  return error;
}

/**
 * Runs `call` again while it fails with CONNECTIONLOSS (Curator's RetryLoop, a pause between
 * tries): only for reads and for writes whose repetition is harmless (the recipe checks the
 * outcome itself). SESSIONEXPIRED becomes SessionLost; other errors propagate.
 */
export async function retrying<T>(client: RecipeClient, zk: ZooKeeper, call: () => Promise<T>):
  Promise<T> {
  for (let tries = 1; ; tries++) {
    try {
      return await call();
    } catch (error) {
      const cause = lostOr(error, zk);
      if (!unknownOutcome(cause)) throw cause;
      if (tries >= TRIES_MAX) throw new SessionLost();
      await client.sleep(LOSS_PAUSE_MS);
    }
  }
}

/** The outcome of a call whose expected failures are values (NODEEXISTS, NONODE, ...). */
export async function codeOf(call: Promise<unknown>, expected: readonly string[]):
  Promise<string> {
  try {
    await call;
    return "OK";
  } catch (error) {
    if (error instanceof KeeperError && expected.includes(error.code)) return error.code;
    throw error;
  }
}

/**
 * Wakes a waiting task when a watch fires: `watcher` is the one callback a recipe registers,
 * the events it saw are kept in order until `take`. `wait` resolves at the next event (at once
 * when one came since the last take) or after `ms`, whichever is first, so a waiting task
 * always waits on the simulation (a pending sleep).
 */
export class Wakeup {
  private events: WatchedEvent[] = [];
  private wake: (() => void) | undefined;

  readonly watcher: Watcher = (event) => {
    this.events.push(event);
    const wake = this.wake;
    this.wake = undefined;
    if (wake !== undefined) wake();
  };

  /** Resolves at the next event or after `ms` of simulated time. */
  async wait(client: RecipeClient, ms: number): Promise<void> {
    if (this.events.length > 0) return;
    const woken = new Promise<void>((resolve) => {
      this.wake = resolve;
    });
    await Promise.race([woken, client.sleep(ms)]);
    this.wake = undefined;
  }

  /** The events seen since the last take, oldest first. */
  take(): WatchedEvent[] {
    const events = this.events;
    this.events = [];
    return events;
  }
}

/**
 * Resolves when `arm` registers a watch that fires, at once when `arm` finds nothing to wait
 * for (false), or after RECHECK_MS: Curator waits on the watch alone; the recheck only keeps a
 * lost notification from stalling a waiter forever, and costs no notification.
 */
export async function waitForChange(
  client: RecipeClient, arm: (watcher: Watcher) => Promise<boolean>,
): Promise<void> {
  const wakeup = new Wakeup();
  if (!(await arm(wakeup.watcher))) return;
  await wakeup.wait(client, RECHECK_MS);
}

/** A flag that turns true after `ms` of the task's simulated time (from its creation). */
export class Deadline {
  private passedFlag = false;
  /** Resolves when the deadline passes. */
  readonly done: Promise<void>;

  constructor(client: RecipeClient, ms: number) {
    this.done = client.sleep(ms).then(() => {
      this.passedFlag = true;
    });
  }

  get passed(): boolean {
    return this.passedFlag;
  }
}

/** Checks a recipe's znode path: BADARGUMENTS (PathUtils' message) unless it is valid. */
export function checkPath(what: string, path: unknown): asserts path is string {
  const problem = pathProblem(path);
  if (problem !== undefined) throw badArgument(what, problem);
  if (path === "/") throw badArgument(what, "the root cannot hold a recipe");
}

/** A positive whole count (permits, members), or BADARGUMENTS before anything is written. */
export function checkCount(what: string, value: unknown): number {
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 1) {
    throw badArgument(what, `must be a whole number >= 1, got ${String(value)}`);
  }
  return value;
}

/** Checks a child name: non-empty, no slash, and a valid path under `parent`. */
export function checkName(what: string, parent: string, name: unknown): asserts name is string {
  if (typeof name !== "string" || name.length === 0) throw badArgument(what, "empty name");
  if (name.includes("/")) throw badArgument(what, `name "${name}" holds a slash`);
  const problem = pathProblem(`${parent}/${name}`);
  if (problem !== undefined) throw badArgument(what, problem);
}

/** The data of `path` as text, or null when there is no such node (reads retried on loss). */
export async function readText(client: RecipeClient, zk: ZooKeeper, path: string):
  Promise<string | null> {
  return retrying(client, zk, async () => {
    try {
      return text((await zk.getData(path)).data);
    } catch (error) {
      if (hasCode(error, "NONODE")) return null;
      throw error;
    }
  });
}

/** Data as text (null for no data). */
export function text(data: Uint8Array | null): string {
  return data === null ? "" : decoder.decode(data);
}

const decoder = new TextDecoder();

/** The czxid of `path` (this client's own node): the fencing token or leader epoch. */
export async function czxidOf(client: RecipeClient, zk: ZooKeeper, path: string):
  Promise<number | null> {
  const stat = await retrying(client, zk, () => zk.exists(path));
  return stat === null ? null : stat.czxid;
}

/** Deletes `path`, retrying CONNECTIONLOSS; NONODE means it is already gone. */
export async function deleteQuietly(client: RecipeClient, zk: ZooKeeper, path: string):
  Promise<void> {
  await retrying(client, zk, async () => {
    try {
      await zk.delete(path);
    } catch (error) {
      if (!hasCode(error, "NONODE")) throw error;
    }
  });
}
