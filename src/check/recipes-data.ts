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
import type { CacheEntry, ConfigEntry, DataEvent } from "../observe/index.js";
import { violationAt } from "./types.js";
import type { ObservationRecord, TracePoint, Violation } from "./types.js";

/** One data recipe event with its client node and its place in the trace. */
interface Reported<E extends DataEvent> extends TracePoint {
  readonly node: number;
  readonly event: E;
}

const DATA_TYPES: ReadonlySet<string> = new Set([
  "config-adopt", "config-final", "cache-content", "cache-final", "queue-enqueued",
  "queue-processed", "barrier",
]);

/** The recipe observations whose event is of one of `types`. */
function select<E extends DataEvent>(records: readonly ObservationRecord[],
  types: readonly E["type"][]): Array<Reported<E>> {
  const out: Array<Reported<E>> = [];
  for (const r of records) {
    const o = r.observation;
    if (o.kind !== "recipe" || !DATA_TYPES.has(o.event.type)) continue;
    if (!(types as readonly string[]).includes(o.event.type)) continue;
    out.push({ index: r.index, timeMicros: r.timeMicros, node: o.node, event: o.event as E });
  }
  return out;
}

function lastPoint(records: readonly TracePoint[]): TracePoint {
  const last = records[records.length - 1];
  return last === undefined ? { index: 0, timeMicros: 0 } : last;
}

type Config = Extract<DataEvent, { type: "config-adopt" | "config-final" }>;
type Cache = Extract<DataEvent, { type: "cache-content" | "cache-final" }>;
type Queue = Extract<DataEvent, { type: "queue-enqueued" | "queue-processed" }>;
type Barrier = Extract<DataEvent, { type: "barrier" }>;

/** Readers never go back; each reader ends on the referee's configuration. */
export function checkConfigRecipe(records: readonly ObservationRecord[]): Violation[] {
  const events = select<Config>(records, ["config-adopt", "config-final"]);
  if (events.length === 0) return [];
  const violations: Violation[] = [];
  const held = new Map<string, { counter: number; mzxid: number }>();
  const readers = new Map<number, Map<string, number>>();
  let final: readonly ConfigEntry[] | undefined;
  for (const r of events) {
    const e = r.event;
    if (e.type === "config-final") {
      final = e.entries;
      continue;
    }
    const client = r.node;
    const id = `${client} ${e.key}`;
    const before = held.get(id);
    if (before !== undefined && (e.counter < before.counter || e.mzxid <= before.mzxid)) {
      violations.push(violationAt("recipe-config", r, `client ${client} adopted ` +
        `configuration ${e.counter} of "${e.key}" after ${before.counter} (out of order)`));
    }
    held.set(id, { counter: e.counter, mzxid: e.mzxid });
    const view = readers.get(client) ?? new Map<string, number>();
    view.set(e.key, e.counter);
    readers.set(client, view);
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
export function checkCacheRecipe(records: readonly ObservationRecord[]): Violation[] {
  const events = select<Cache>(records, ["cache-content", "cache-final"]);
  if (events.length === 0) return [];
  const caches = new Map<number, readonly CacheEntry[]>();
  let final: readonly CacheEntry[] | undefined;
  for (const r of events) {
    if (r.event.type === "cache-final") final = r.event.entries;
    else caches.set(r.node, r.event.entries);
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
export function checkQueueRecipe(records: readonly ObservationRecord[]): Violation[] {
  const events = select<Queue>(records, ["queue-enqueued", "queue-processed"]);
  const processed = new Set<string>();
  for (const r of events) {
    if (r.event.type === "queue-processed") processed.add(`${r.event.queue} ${r.event.item}`);
  }
  const violations: Violation[] = [];
  for (const r of events) {
    const e = r.event;
    if (e.type === "queue-enqueued" && !processed.has(`${e.queue} ${e.item}`)) {
      violations.push(violationAt("recipe-queue", r, `item ${e.item} of ${e.queue}, enqueued ` +
        `by client ${r.node}, was never processed (lost)`));
    }
  }
  return violations;
}

/** Nobody passes the entry of a round before all its members started entering. */
export function checkBarrierRecipe(records: readonly ObservationRecord[]): Violation[] {
  const arrived = new Map<string, Set<number>>();
  const violations: Violation[] = [];
  for (const r of select<Barrier>(records, ["barrier"])) {
    const e = r.event;
    const key = `${e.barrier} ${e.round}`;
    const round = arrived.get(key) ?? new Set<number>();
    arrived.set(key, round);
    if (e.step === "enter") round.add(r.node);
    if (e.step === "entered" && round.size < e.members) {
      violations.push(violationAt("recipe-barrier", r, `client ${r.node} passed the entry ` +
        `of round ${e.round} when ${round.size} of ${e.members} members had arrived`));
    }
  }
  return violations;
}

/** Every data recipe's checker. */
export function checkRecipesData(records: readonly ObservationRecord[]): Violation[] {
  return [
    ...checkConfigRecipe(records), ...checkCacheRecipe(records), ...checkQueueRecipe(records),
    ...checkBarrierRecipe(records),
  ];
}
