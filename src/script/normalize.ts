/**
 * Comparing a scenario's results from two implementations (script-format.md, "Comparing with
 * real ZooKeeper"). Implementations may consume zxids differently, so every czxid, mzxid and
 * pzxid of every stat in the scenario (step stats and multi result stats) is replaced by its
 * dense rank among the distinct non-zero values; 0 stays 0 (nodes older than the scenario).
 * The rest is compared as JSON values with key order ignored, with two relaxations the spec
 * grants: event order across sessions carries no meaning, and for closeSession and sleep steps
 * events for different paths form a multiset (ZooKeeper kills ephemerals in hash-set order).
 */
import type { EventResult, MultiOpResult, Scenario, StatResult, StepResult } from "./format.js";

function statsOf(result: StepResult): StatResult[] {
  const stats: StatResult[] = [];
  if (result.stat !== undefined) stats.push(result.stat);
  for (const entry of result.results ?? []) {
    if ("stat" in entry) stats.push(entry.stat);
  }
  return stats;
}

function renumberStat(stat: StatResult, rank: ReadonlyMap<number, number>): StatResult {
  const map = (zxid: number): number => (zxid === 0 ? 0 : (rank.get(zxid) ?? zxid));
  return { ...stat, czxid: map(stat.czxid), mzxid: map(stat.mzxid), pzxid: map(stat.pzxid) };
}

function renumberEntry(entry: MultiOpResult, rank: ReadonlyMap<number, number>): MultiOpResult {
  return "stat" in entry ? { ...entry, stat: renumberStat(entry.stat, rank) } : entry;
}

/** The results with every stat zxid replaced by its dense rank among the scenario's zxids. */
export function normalizeZxids(results: readonly StepResult[]): StepResult[] {
  const zxids = new Set<number>();
  for (const result of results) {
    for (const stat of statsOf(result)) {
      for (const zxid of [stat.czxid, stat.mzxid, stat.pzxid]) if (zxid !== 0) zxids.add(zxid);
    }
  }
  const sorted = [...zxids].sort((a, b) => a - b);
  const rank = new Map(sorted.map((zxid, index) => [zxid, index + 1]));
  return results.map((result) => {
    let out: StepResult = result;
    if (result.stat !== undefined) out = { ...out, stat: renumberStat(result.stat, rank) };
    if (result.results !== undefined) {
      out = { ...out, results: result.results.map((entry) => renumberEntry(entry, rank)) };
    }
    return out;
  });
}

/** JSON text with object keys sorted, so equal values give equal text whatever the key order. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (typeof value === "object" && value !== null) {
    const record = value as Record<string, unknown>;
    const keys = Object.keys(record)
      .filter((key) => record[key] !== undefined)
      .sort();
    const fields = keys.map((key) => `${JSON.stringify(key)}:${canonicalJson(record[key])}`);
    return `{${fields.join(",")}}`;
  }
  return JSON.stringify(value);
}

/** Events in a canonical order: by slot (stable), and by path too where paths form a multiset. */
function canonicalEvents(events: readonly EventResult[], byPath: boolean): EventResult[] {
  return [...events].sort((a, b) => {
    if (a.s !== b.s) return a.s - b.s;
    if (!byPath || a.path === b.path) return 0;
    return a.path < b.path ? -1 : 1;
  });
}

function canonicalStep(result: StepResult, byPath: boolean): string {
  if (result.events === undefined) return canonicalJson(result);
  return canonicalJson({ ...result, events: canonicalEvents(result.events, byPath) });
}

/** The first step whose normalized results differ, or `equal`. */
export type Comparison =
  | { readonly equal: true }
  | {
      readonly equal: false;
      /** The index of the first differing step. */
      readonly step: number;
      /** The normalized results at that step (undefined when that list is shorter). */
      readonly expected: StepResult | undefined;
      readonly actual: StepResult | undefined;
    };

/** How to compare: `raw` keeps zxids as they are (no normalization). */
export interface CompareOptions {
  readonly raw?: boolean;
}

/**
 * Compares two result lists of `scenario` after zxid normalization (unless `raw`) and reports
 * the first step that differs. `expected` is typically a real recording, `actual` zabsim's.
 */
export function compareResults(
  scenario: Scenario,
  expected: readonly StepResult[],
  actual: readonly StepResult[],
  options: CompareOptions = {},
): Comparison {
  const left = options.raw === true ? expected : normalizeZxids(expected);
  const right = options.raw === true ? actual : normalizeZxids(actual);
  const steps = Math.max(left.length, right.length);
  for (let index = 0; index < steps; index++) {
    const a = left[index];
    const b = right[index];
    const op = scenario.steps[index]?.op;
    const byPath = op === "closeSession" || op === "sleep";
    const same = a !== undefined && b !== undefined
      && canonicalStep(a, byPath) === canonicalStep(b, byPath);
    if (!same) {
      return { equal: false, step: index, expected: a, actual: b };
    }
  }
  return { equal: true };
}
