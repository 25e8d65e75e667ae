/**
 * Curator's protected create (CreateBuilder.withProtection), for sequential nodes: the name
 * starts with `_c_<id>-`, an id drawn once per logical create. A CONNECTIONLOSS leaves the
 * outcome unknown, so before sending the create again the recipe lists the parent and looks
 * for a child carrying its id (CreateBuilderImpl.findProtectedNodeInForeground): found, the
 * create happened and its name is the answer; not found, it is sent again under the same id.
 * A sequential create sent twice blindly would leave two nodes, one of them orphaned. Every
 * recipe that creates a sequential node (locks, election, membership, the semaphore's leases,
 * the queue's items) creates it here.
 */
import type { ZooKeeper } from "../client/index.js";
import { OPEN_ACL_UNSAFE } from "../client/index.js";
import type { Prng } from "../util/index.js";
import type { RecipeClient } from "./kit.js";
import { LOSS_PAUSE_MS, SessionLost, hasCode, lostOr, retrying, unknownOutcome } from "./kit.js";

/** A create mode (the tree's CreateMode, as the API takes it). */
type CreateMode = NonNullable<Parameters<ZooKeeper["create"]>[3]>;

/** Curator's protected prefix for `id` (ZKPaths.PROTECTED_PREFIX "_c_"). */
export function protectedPrefix(id: string): string {
  return `_c_${id}-`;
}

/** A fresh protected id from the task's seeded stream (Curator uses a random UUID). */
export function protectedId(prng: Prng): string {
  const word = (): string => prng.nextUint32().toString(16).padStart(8, "0");
  return `${word()}${word()}`;
}

/** The creates tried before the recipe gives its session up. */
const CREATES_MAX = 100;

/**
 * Creates `${parent}/${prefix}${name}` (sequential `mode`) with protection `id` and returns the
 * created path, found again after a CONNECTIONLOSS instead of created twice. A missing parent
 * is made first (creatingParentsIfNeeded). SESSIONEXPIRED is SessionLost: for an ephemeral
 * node the answer is gone with the session; for a persistent one the caller may look again on
 * its new session (`findProtected`).
 */
export async function createProtected(client: RecipeClient, zk: ZooKeeper, parent: string,
  name: string, id: string, data: string, mode: CreateMode): Promise<string> {
  for (let tries = 0; tries < CREATES_MAX; tries++) {
    try {
      return await zk.create(`${parent}/${protectedPrefix(id)}${name}`, data, OPEN_ACL_UNSAFE,
        mode);
    } catch (error) {
      const cause = lostOr(error, zk);
      if (hasCode(cause, "NONODE")) {
        await ensurePath(client, zk, parent);
        continue;
      }
      if (!unknownOutcome(cause)) throw cause;
    }
    await client.sleep(LOSS_PAUSE_MS);
    const found = await findProtected(client, zk, parent, id);
    if (found !== undefined) return found;
  }
  throw new SessionLost();
}

/**
 * A protected ephemeral-sequential node under `dir` (a lock contender, a candidate, a member, a
 * lease) with a fresh id from `random`; returns its name without the directory.
 */
export async function createProtectedEphemeral(client: RecipeClient, zk: ZooKeeper, dir: string,
  name: string, random: Prng, data = ""): Promise<string> {
  const path = await createProtected(client, zk, dir, name, protectedId(random), data,
    "EPHEMERAL_SEQUENTIAL");
  return path.slice(dir.length + 1);
}

/** The child of `parent` created under protection `id`, as a full path, or undefined. */
export async function findProtected(client: RecipeClient, zk: ZooKeeper, parent: string,
  id: string): Promise<string | undefined> {
  let children: string[];
  try {
    children = await retrying(client, zk, () => zk.getChildren(parent));
  } catch (error) {
    if (hasCode(error, "NONODE")) return undefined;
    throw error;
  }
  const prefix = protectedPrefix(id);
  const child = children.find((c) => c.startsWith(prefix));
  return child === undefined ? undefined : `${parent}/${child}`;
}

/** The sequence number ZooKeeper appended to a sequential node's name (its last 10 digits). */
export function sequenceOf(name: string): number {
  return Number(name.slice(-10));
}

/** Children ordered by sequence number (the protection marker differs per node). */
export function bySequence(children: readonly string[]): string[] {
  return [...children].sort((a, b) => sequenceOf(a) - sequenceOf(b) || (a < b ? -1 : 1));
}

/** Creates `path` as a persistent node unless it exists (idempotent, so retried on loss). */
export async function ensureNode(client: RecipeClient, zk: ZooKeeper, path: string,
  data = ""): Promise<void> {
  await retrying(client, zk, async () => {
    try {
      await zk.create(path, data);
    } catch (error) {
      if (!hasCode(error, "NODEEXISTS")) throw error;
    }
  });
}

/** Creates `path` and its missing ancestors as persistent nodes (ZKPaths.mkdirs). */
export async function ensurePath(client: RecipeClient, zk: ZooKeeper, path: string):
  Promise<void> {
  let at = "";
  for (const part of path.split("/").filter((p) => p.length > 0)) {
    at += `/${part}`;
    await ensureNode(client, zk, at);
  }
}
