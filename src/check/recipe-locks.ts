/**
 * The lock recipes' guarantees, judged from recipe observations and the replicas' own
 * `session-closed` facts (src/recipes; docs/recipes.md):
 *
 * - lock-exclusion: holders of one lock never overlap in a way their modes forbid (exclusive
 *   and write alone; reads together; at most `permits` leases of a semaphore). A holding lasts
 *   from its `acquired` event until its `releasing` event or until some replica applied its
 *   session's closeSession, whichever is first: a lock is a lease on a session, and after the
 *   ensemble ended the session the next holder may legitimately go ahead even if the old one,
 *   paused, still believes it holds. An `acquired` of an already closed session is such a
 *   belief and holds nothing.
 * - fencing: a protected resource never accepts a token older than one it accepted before.
 * - herd: a lock node's or candidate node's deletion wakes at most one client (each waiter
 *   watches only its predecessor). Read-write locks and semaphores are left out: a writer's
 *   release rightly wakes every reader waiting on it.
 */
import type { LockEvent } from "../observe/index.js";
import { ViolationList } from "./limits.js";
import { violationAt } from "./types.js";
import type { ObservationRecord, Violation } from "./types.js";

type Acquired = Extract<LockEvent, { type: "acquired" }>;

interface Holding {
  readonly event: Acquired;
  readonly node: number;
  readonly session: number;
}

/** Whether `next` may hold `lock` beside every holding in `held`, or why not. */
function conflictOf(held: readonly Holding[], next: Acquired): Holding | undefined {
  if (next.mode === "permit") {
    return held.length + 1 > next.permits ? held[0] : undefined;
  }
  return held.find((h) => next.mode !== "read" || h.event.mode !== "read");
}

/** Checks lock-exclusion over every lock of the run. */
export function checkLockExclusion(records: readonly ObservationRecord[]): Violation[] {
  const found = new ViolationList<Violation>();
  const holders = new Map<string, Holding[]>();
  const closed = new Set<number>();
  for (const record of records) {
    const o = record.observation;
    if (o.kind === "session-closed") {
      if (closed.has(o.session)) continue;
      closed.add(o.session);
      for (const [lock, held] of holders) {
        holders.set(lock, held.filter((h) => h.session !== o.session));
      }
      continue;
    }
    if (o.kind !== "recipe") continue;
    const event = o.event;
    if (event.type === "releasing") {
      const held = holders.get(event.lock) ?? [];
      holders.set(event.lock, held.filter((h) => h.event.holder !== event.holder));
    }
    if (event.type !== "acquired" || closed.has(o.session)) continue;
    const held = holders.get(event.lock) ?? [];
    const other = conflictOf(held, event);
    if (other !== undefined) {
      found.add(violationAt("lock-exclusion", record,
        `client ${o.node} took ${event.lock} (${event.mode}, token ${event.token}) while ` +
        `client ${other.node} held it (${other.event.mode}, token ${other.event.token})` +
        (event.mode === "permit" ? ` with ${held.length} of ${event.permits} permits out` : "")));
    }
    holders.set(event.lock, [...held, { event, node: o.node, session: o.session }]);
  }
  return found.items;
}

/** Checks fencing: accepted tokens of each resource never go back. */
export function checkFencing(records: readonly ObservationRecord[]): Violation[] {
  const found = new ViolationList<Violation>();
  const newest = new Map<string, { token: number; node: number }>();
  for (const record of records) {
    const o = record.observation;
    if (o.kind !== "recipe" || o.event.type !== "resource" || !o.event.accepted) continue;
    const { resource, token } = o.event;
    const before = newest.get(resource);
    if (before !== undefined && token < before.token) {
      found.add(violationAt("fencing", record,
        `${resource} accepted client ${o.node}'s write with token ${token} after client ` +
        `${before.node}'s with the newer token ${before.token}`));
      continue;
    }
    newest.set(resource, { token, node: o.node });
  }
  return found.items;
}

/** The directories of exclusive locks and elections (their nodes are watched one to one). */
function herdFreeDirs(records: readonly ObservationRecord[]): Set<string> {
  const dirs = new Set<string>();
  for (const record of records) {
    const o = record.observation;
    if (o.kind !== "recipe") continue;
    if (o.event.type === "acquired" && o.event.mode === "exclusive") dirs.add(o.event.lock);
    if (o.event.type === "leader") dirs.add(o.event.group);
  }
  return dirs;
}

/** Checks herd: one deletion of a lock or candidate node wakes one session at most. */
export function checkHerd(records: readonly ObservationRecord[]): Violation[] {
  const found = new ViolationList<Violation>();
  const dirs = herdFreeDirs(records);
  if (dirs.size === 0) return found.items;
  const woken = new Map<string, Set<number>>();
  for (const record of records) {
    const o = record.observation;
    if (o.kind !== "notify" || o.type !== "NodeDeleted") continue;
    const parent = o.path.slice(0, o.path.lastIndexOf("/"));
    if (!dirs.has(parent)) continue;
    const sessions = woken.get(o.path) ?? new Set<number>();
    sessions.add(o.session);
    woken.set(o.path, sessions);
    if (sessions.size === 2) {
      found.add(violationAt("herd", record,
        `the deletion of ${o.path} woke ${sessions.size} clients' sessions (client ` +
        `${o.client} among them): each waiter should watch only its predecessor`));
    }
  }
  return found.items;
}
