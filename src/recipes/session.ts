/**
 * What every recipe shares: Curator's handling of ZooKeeper's two connection errors, a
 * protected ephemeral-sequential create, and the arguments a recipe checks before it writes.
 *
 * - CONNECTIONLOSS: the outcome is unknown and the session lives; the client reconnects by
 *   itself, so the recipe retries the operation (Curator's RetryLoop). A create that may have
 *   happened is found again instead of made twice (`protectedCreate`).
 * - SESSIONEXPIRED: the session and its ephemerals are gone; the recipe throws `SessionLost`
 *   and its caller starts over on a new session (Curator's ConnectionState.LOST).
 */
import { KeeperError, pathProblem } from "../client/index.js";
import type { Watcher, ZooKeeper } from "../client/index.js";
import type { Prng } from "../util/index.js";
import type { RecipeClient } from "./context.js";

/** The session expired (or closed): the recipe must start over on a new one. */
export class SessionLost extends Error {
  constructor(readonly path: string | undefined) {
    super(`session lost${path === undefined ? "" : ` at ${path}`}`);
    this.name = "SessionLost";
  }
}

/** Milliseconds a waiter sleeps between rechecks when no watch fires (a safety net). */
export const RECHECK_MS = 3_000;

/** Curator's RetryLoop.shouldRetry codes on a live session: the outcome is unknown. */
const RETRIED: readonly string[] = ["CONNECTIONLOSS", "OPERATIONTIMEOUT", "SESSIONMOVED"];

/** Runs `op` until it gets past CONNECTIONLOSS; SESSIONEXPIRED becomes SessionLost. */
export async function retrying<T>(op: () => Promise<T>): Promise<T> {
  for (;;) {
    try {
      return await op();
    } catch (error) {
      if (!(error instanceof KeeperError)) throw error;
      if (RETRIED.includes(error.code)) continue;
      if (error.code === "SESSIONEXPIRED") {
        throw new SessionLost(error.path);
      }
      throw error;
    }
  }
}

/** The error's ZooKeeper code when it is a KeeperError (undefined otherwise). */
export function codeOf(error: unknown): string | undefined {
  return error instanceof KeeperError ? error.code : undefined;
}

/** Creates `path` and its missing ancestors as persistent nodes (NODEEXISTS is fine). */
export async function ensurePath(zk: ZooKeeper, path: string): Promise<void> {
  const parts = path.split("/").filter((part) => part.length > 0);
  let at = "";
  for (const part of parts) {
    at += `/${part}`;
    const here = at;
    try {
      await retrying(() => zk.create(here, new Uint8Array(0)));
    } catch (error) {
      if (codeOf(error) !== "NODEEXISTS") throw error;
    }
  }
}

/** The protection marker of Curator's CreateBuilder.withProtection: `_c_` + a GUID + `-`. */
export function protectionPrefix(random: Prng): string {
  const hex = (): string => random.nextUint32().toString(16).padStart(8, "0");
  return `_c_${hex()}${hex()}-${hex()}${hex()}-`;
}

/**
 * Creates an ephemeral-sequential node `${dir}/${marker}${name}NNNNNNNNNN` and returns its
 * name (without the directory). On CONNECTIONLOSS the create may have happened: the marker,
 * unique to this attempt, finds it among the children (Curator's findProtectedNodeInForeground)
 * rather than creating a second node that this client would never delete.
 */
export async function protectedCreate(
  zk: ZooKeeper, dir: string, name: string, random: Prng, data = "",
): Promise<string> {
  const marker = protectionPrefix(random);
  for (;;) {
    try {
      const path = await zk.create(`${dir}/${marker}${name}`, data, undefined,
        "EPHEMERAL_SEQUENTIAL");
      return path.slice(dir.length + 1);
    } catch (error) {
      const code = codeOf(error);
      if (code === "NONODE") await ensurePath(zk, dir);
      else if (code === "SESSIONEXPIRED") throw new SessionLost(dir);
      else if (!RETRIED.includes(code ?? "")) throw error;
      if (RETRIED.includes(code ?? "")) {
        const found = (await childrenOrNone(zk, dir)).find((child) => child.startsWith(marker));
        if (found !== undefined) return found;
      }
    }
  }
}

/** The children of `dir`, or none when it does not exist yet. */
async function childrenOrNone(zk: ZooKeeper, dir: string): Promise<string[]> {
  try {
    return await retrying(() => zk.getChildren(dir));
  } catch (error) {
    if (codeOf(error) === "NONODE") return [];
    throw error;
  }
}

/** The sequence number of a sequential node's name (its last ten digits). */
export function sequenceOf(name: string): number {
  return Number(name.slice(-10));
}

/** Children ordered by sequence number (the protection marker differs per node). */
export function bySequence(children: readonly string[]): string[] {
  return [...children].sort((a, b) => sequenceOf(a) - sequenceOf(b) || (a < b ? -1 : 1));
}

/** The czxid of `path` (this client's own node): the fencing token or leader epoch. */
export async function czxidOf(zk: ZooKeeper, path: string): Promise<number | null> {
  const stat = await retrying(() => zk.exists(path));
  return stat === null ? null : stat.czxid;
}

/** Deletes `path`, retrying CONNECTIONLOSS; NONODE means it is already gone. */
export async function deleteQuietly(zk: ZooKeeper, path: string): Promise<void> {
  try {
    await retrying(() => zk.delete(path));
  } catch (error) {
    if (codeOf(error) !== "NONODE") throw error;
  }
}

/**
 * Resolves when `arm` registers a watch that fires (true) or the node is already gone (false
 * from `arm`), or after RECHECK_MS: Curator waits on the watch alone; the recheck only keeps a
 * lost notification from stalling a waiter forever, and costs no notification.
 */
export async function waitForChange(
  client: RecipeClient, arm: (watcher: Watcher) => Promise<boolean>,
): Promise<void> {
  let wake: () => void = () => undefined;
  const fired = new Promise<void>((resolve) => { wake = resolve; });
  const armed = await arm(() => wake());
  if (!armed) return;
  await Promise.race([fired, client.sleep(RECHECK_MS)]);
}

/** A recipe's argument is refused before anything is written (BADARGUMENTS). */
export function checkRecipePath(path: unknown, what: string): string {
  const problem = pathProblem(path);
  if (problem !== undefined || path === "/") {
    throw new KeeperError("BADARGUMENTS", typeof path === "string" ? path : undefined,
      `${what}: ${problem ?? "the root cannot hold a recipe"}`);
  }
  return path as string;
}

/** A positive whole count (permits, members), or BADARGUMENTS before anything is written. */
export function checkCount(value: unknown, what: string): number {
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 1) {
    throw new KeeperError("BADARGUMENTS", undefined,
      `${what} must be a whole number >= 1, got ${String(value)}`);
  }
  return value;
}

/** A non-empty name without "/" (a lock node's prefix, a member's name). */
export function checkName(value: unknown, what: string): string {
  if (typeof value !== "string" || value.length === 0 || value.includes("/")) {
    throw new KeeperError("BADARGUMENTS", undefined,
      `${what} must be a non-empty name without "/", got ${JSON.stringify(value)}`);
  }
  return value;
}
