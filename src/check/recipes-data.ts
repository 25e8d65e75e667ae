/**
 * The guarantees of the data recipes (src/recipes), judged from what the recipes reported:
 *
 * - config: a reader never adopts an entry's configuration older than one it adopted before
 *   (counters and mzxids only grow per reader and key), and every reader's last adoption of
 *   each entry is the referee's settled read.
 * - cache: every cache's last content is the referee's settled read of the subtree.
 * - queue: every item whose enqueue was acknowledged was processed by some consumer (at least
 *   once).
 * - barrier: no member passes the entry of a round before every member of it started entering.
 *
 * The referee reads after the run healed and the writers stopped; without its read the
 * convergence checks cannot judge, and say so.
 */
import type { CacheEntry, ConfigEntry, RecipeDataEvent } from "../observe/recipe-data.js";
import { violationAt } from "./types.js";
import type { TracePoint, Violation } from "./types.js";

/** One recipe event with its place in the trace. */
export interface RecipeDataRecord extends TracePoint {
  readonly event: RecipeDataEvent;
}

type Of<R extends RecipeDataEvent["recipe"]> = Extract<RecipeDataEvent, { recipe: R }>;

function select<R extends RecipeDataEvent["recipe"]>(records: readonly RecipeDataRecord[],
  recipe: R): Array<TracePoint & { readonly event: Of<R> }> {
  return records.filter((r): r is TracePoint & { readonly event: Of<R> } =>
    r.event.recipe === recipe);
}

function lastPoint(records: readonly TracePoint[]): TracePoint {
  const last = records[records.length - 1];
  return last === undefined ? { index: 0, timeMicros: 0 } : last;
}

/** Readers never go back; each reader ends on the referee's configuration. */
export function checkConfigRecipe(records: readonly RecipeDataRecord[]): Violation[] {
  const events = select(records, "config");
  if (events.length === 0) return [];
  const violations: Violation[] = [];
  const held = new Map<string, { counter: number; mzxid: number }>();
  const readers = new Map<number, Map<string, number>>();
  let final: readonly ConfigEntry[] | undefined;
  for (const r of events) {
    const e = r.event;
    if (e.event === "final") {
      final = e.entries;
      continue;
    }
    const id = `${e.client} ${e.key}`;
    const before = held.get(id);
    if (before !== undefined && (e.counter < before.counter || e.mzxid <= before.mzxid)) {
      violations.push(violationAt("recipe-config", r, `client ${e.client} adopted ` +
        `configuration ${e.counter} of "${e.key}" after ${before.counter} (out of order)`));
    }
    held.set(id, { counter: e.counter, mzxid: e.mzxid });
    const view = readers.get(e.client) ?? new Map<string, number>();
    view.set(e.key, e.counter);
    readers.set(e.client, view);
  }
  const end = lastPoint(events);
  if (final === undefined) {
    return [...violations, violationAt("recipe-config", end,
      "no settled read of the configuration (the referee never finished)")];
  }
  for (const [client, view] of readers) {
    for (const entry of final) {
      const last = view.get(entry.key);
      if (last !== entry.counter) {
        violations.push(violationAt("recipe-config", end, `client ${client} ends on ` +
          `configuration ${last ?? "none"} of "${entry.key}", not the last written ` +
          `${entry.counter}`));
      }
    }
  }
  return violations;
}

function showEntries(entries: readonly CacheEntry[]): string {
  const shown = entries.map((e) => `${e.path}=${e.data}`).join(", ");
  return `{${shown.length > 160 ? `${shown.slice(0, 160)}...` : shown}}`;
}

/** Every cache ends on the referee's read of the subtree. */
export function checkCacheRecipe(records: readonly RecipeDataRecord[]): Violation[] {
  const events = select(records, "cache");
  if (events.length === 0) return [];
  const caches = new Map<number, readonly CacheEntry[]>();
  let final: readonly CacheEntry[] | undefined;
  for (const r of events) {
    if (r.event.event === "final") final = r.event.entries;
    else caches.set(r.event.client, r.event.entries);
  }
  const end = lastPoint(events);
  if (final === undefined) {
    return [violationAt("recipe-cache", end,
      "no settled read of the subtree (the referee never finished)")];
  }
  const truth = showEntries(final);
  const violations: Violation[] = [];
  for (const [client, entries] of caches) {
    const shown = showEntries(entries);
    if (shown !== truth) {
      violations.push(violationAt("recipe-cache", end,
        `the cache of client ${client} ends as ${shown}, the tree holds ${truth}`));
    }
  }
  return violations;
}

/** Every acknowledged item was processed. */
export function checkQueueRecipe(records: readonly RecipeDataRecord[]): Violation[] {
  const events = select(records, "queue");
  const processed = new Set<string>();
  for (const r of events) if (r.event.event === "processed") processed.add(r.event.item);
  const violations: Violation[] = [];
  for (const r of events) {
    if (r.event.event === "enqueued" && !processed.has(r.event.item)) {
      violations.push(violationAt("recipe-queue", r, `item ${r.event.item}, enqueued by ` +
        `client ${r.event.client}, was never processed (lost)`));
    }
  }
  return violations;
}

/** Nobody passes the entry of a round before all its members started entering. */
export function checkBarrierRecipe(records: readonly RecipeDataRecord[]): Violation[] {
  const arrived = new Map<number, Set<number>>();
  const violations: Violation[] = [];
  for (const r of select(records, "barrier")) {
    const e = r.event;
    const round = arrived.get(e.round) ?? new Set<number>();
    arrived.set(e.round, round);
    if (e.event === "enter") round.add(e.client);
    if (e.event === "entered" && round.size < e.members) {
      violations.push(violationAt("recipe-barrier", r, `client ${e.client} passed the entry ` +
        `of round ${e.round} when ${round.size} of ${e.members} members had arrived`));
    }
  }
  return violations;
}

/** Every data recipe's checker. */
export function checkRecipesData(records: readonly RecipeDataRecord[]): Violation[] {
  return [
    ...checkConfigRecipe(records), ...checkCacheRecipe(records), ...checkQueueRecipe(records),
    ...checkBarrierRecipe(records),
  ];
}
