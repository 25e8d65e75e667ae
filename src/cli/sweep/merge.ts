/**
 * Joining shard results into the summary one sweep over the whole range would have printed
 * (wallMs aside: it becomes the shards' wall time added up). Files that are not parts of one
 * sweep are refused with a one-line UsageError (exit 2): a different zabsim version, different
 * options, a different range, with and without --shrink or coverage, two files that ran the
 * same seed, and a set that leaves seeds of the range unrun (the first of them named).
 */
import { UsageError } from "../args.js";
import { WHOLE, shardHolds, shardSeeds, shardSize, shardText } from "./shard.js";
import type { Shard } from "./shard.js";
import type { SweepSummary } from "./summary.js";

/** A loaded file and the name it was given on the command line. */
export interface NamedSummary {
  readonly path: string;
  readonly summary: SweepSummary;
}

/** JSON with object keys sorted, so that equal options compare equal whatever their order. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (typeof value === "object" && value !== null) {
    const record = value as Record<string, unknown>;
    const keys = Object.keys(record).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical(record[k])}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

/** The first option that differs between two options records, as "replicas: 3 vs 5". */
function optionDifference(a: object, b: object): string {
  const left = a as Record<string, unknown>;
  const right = b as Record<string, unknown>;
  const keys = [...new Set([...Object.keys(left), ...Object.keys(right)])].sort();
  const key = keys.find((k) => canonical(left[k]) !== canonical(right[k])) ?? "?";
  const show = (value: unknown): string => canonical(value) ?? "absent";
  return `options.${key}: ${show(left[key])} vs ${show(right[key])}`;
}

/** Refuses files that are not parts of the first file's sweep. */
function checkTogether(files: readonly NamedSummary[]): void {
  const [head, ...rest] = files;
  if (head === undefined) throw new UsageError("merge needs at least one sweep --json file");
  const h = head.summary;
  for (const { path, summary: s } of rest) {
    const against = `${path} and ${head.path}`;
    if (s.version !== h.version) {
      throw new UsageError(`${against} come from different zabsim versions ` +
        `(${s.version} vs ${h.version}); rerun the shards with one version`);
    }
    if (canonical(s.options) !== canonical(h.options)) {
      throw new UsageError(`${against} ran with different options ` +
        `(${optionDifference(s.options, h.options)})`);
    }
    if (s.range.first !== h.range.first || s.range.last !== h.range.last) {
      throw new UsageError(`${against} sweep different ranges ` +
        `(${s.range.first}..${s.range.last} vs ${h.range.first}..${h.range.last})`);
    }
    if (("shrunk" in s) !== ("shrunk" in h) || ("coverage" in s) !== ("coverage" in h)) {
      throw new UsageError(`${against} differ in --shrink or --coverage; rerun them alike`);
    }
  }
}

/** The first seed two shards of one range both hold, if any. */
function sharedSeed(s: SweepSummary, t: SweepSummary): number | undefined {
  const sSmaller = shardSize(s.range, s.shard) <= shardSize(t.range, t.shard);
  const [small, large] = sSmaller ? [s, t] : [t, s];
  for (const seed of shardSeeds(small.range, small.shard)) {
    if (shardHolds(large.range, large.shard, seed)) return seed;
  }
  return undefined;
}

/** Refuses overlapping shards, then shards that leave seeds unrun (naming the first ones). */
function checkCoverage(files: readonly NamedSummary[]): void {
  for (let i = 0; i < files.length; i++) {
    for (let j = i + 1; j < files.length; j++) {
      const [a, b] = [files[i], files[j]];
      if (a === undefined || b === undefined) continue;
      const seed = sharedSeed(a.summary, b.summary);
      if (seed === undefined) continue;
      throw new UsageError(`${a.path} (shard ${shardText(a.summary.shard)}) and ${b.path} ` +
        `(shard ${shardText(b.summary.shard)}) both ran seed ${seed}: overlapping shards`);
    }
  }
  const range = files[0]?.summary.range ?? { first: 0, last: 0 };
  const shards: Shard[] = files.map((f) => f.summary.shard);
  const covered = shards.reduce((sum, shard) => sum + shardSize(range, shard), 0);
  const unrun = range.last - range.first + 1 - covered;
  if (unrun === 0) return;
  const named: number[] = [];
  for (let seed = range.first; seed <= range.last && named.length < 10; seed++) {
    if (!shards.some((shard) => shardHolds(range, shard, seed))) named.push(seed);
  }
  throw new UsageError(`the shards leave ${unrun} seeds of ${range.first}..${range.last} unrun: ` +
    `${named.join(", ")}${unrun > named.length ? ", ..." : ""} (merge every shard's file)`);
}

/** Sums coverage counts by mark name (first file's order, then any new names). */
function sumCoverage(files: readonly NamedSummary[]): Record<string, number> {
  const total: Record<string, number> = {};
  for (const { summary } of files) {
    for (const [mark, count] of Object.entries(summary.coverage ?? {})) {
      total[mark] = (total[mark] ?? 0) + count;
    }
  }
  return total;
}

/** Joins shard results into the whole sweep's summary; throws UsageError when they do not fit. */
export function mergeSummaries(files: readonly NamedSummary[]): SweepSummary {
  checkTogether(files);
  checkCoverage(files);
  const all = files.map((f) => f.summary);
  const head = all[0];
  if (head === undefined) throw new UsageError("merge needs at least one sweep --json file");
  const sum = (of: (s: SweepSummary) => number): number => all.reduce((t, s) => t + of(s), 0);
  const micros = sum((s) => Math.round(s.simTimeMs * 1000));
  const merged: SweepSummary = {
    seeds: sum((s) => s.seeds),
    passed: sum((s) => s.passed),
    failing: all.flatMap((s) => s.failing).sort((a, b) => a.seed - b.seed),
    unknown: all.flatMap((s) => s.unknown).sort((a, b) => a - b),
    options: head.options,
    events: sum((s) => s.events),
    simTimeMs: micros / 1000,
    wallMs: sum((s) => s.wallMs),
    version: head.version,
    range: head.range,
    shard: WHOLE,
  };
  const shrunk = "shrunk" in head
    ? { shrunk: all.flatMap((s) => s.shrunk ?? []).sort((a, b) => a.seed - b.seed) } : {};
  const coverage = "coverage" in head ? { coverage: sumCoverage(files) } : {};
  return { ...merged, ...shrunk, ...coverage };
}
