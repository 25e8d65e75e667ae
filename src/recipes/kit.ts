/**
 * What every data recipe stands on: the two rules of Curator's error handling, and the small
 * tools the recipes share. CONNECTIONLOSS means "unknown outcome, same session": a read or an
 * idempotent write is tried again on the same session (the client reconnects by itself); a
 * create that may have happened is looked up, never sent twice. SESSIONEXPIRED means the
 * session and its ephemerals and watches are gone: the recipe starts over on a new session
 * (SessionLost carries that up to the recipe's loop). A recipe's client (context.ts) opens
 * sessions, sleeps in simulated time, draws seeded choices and records the recipe's events.
 */
import { KeeperError, pathProblem } from "../client/index.js";
import type { WatchedEvent, Watcher, ZooKeeper } from "../client/index.js";
import type { RecipeClient } from "./context.js";

export type { RecipeClient } from "./context.js";


/** The session is gone (SESSIONEXPIRED, or CLOSED): the recipe starts over on a new one. */
export class SessionLost extends Error {
  constructor() {
    super("the session expired");
    this.name = "SessionLost";
  }
}

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

/** SessionLost when `error` says the session is gone, else `error` itself. */
export function lostOr(error: unknown, zk: ZooKeeper): unknown {
  if (hasCode(error, "SESSIONEXPIRED") || zk.state === "CLOSED") return new SessionLost();
  return error;
}

/**
 * Runs `call` again while it fails with CONNECTIONLOSS: only for reads and for writes whose
 * repetition is harmless (the recipe checks the outcome itself). SESSIONEXPIRED becomes
 * SessionLost; other errors propagate.
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
