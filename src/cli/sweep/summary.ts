/**
 * A sweep's result: the object `sweep --json` prints, and the human rendering of it. Both sweep
 * and merge build a SweepSummary and print it with the same functions, so a merge of shards
 * prints exactly what one sweep over the whole range prints (wallMs aside). Every list is in
 * seed order and every sum is exact (simulated time is summed in integer microseconds), so the
 * result does not depend on the order in which workers or shards finished.
 */
import type { RunOptions, RunViolation } from "../../run/index.js";
import type { SeedRange } from "../args.js";
import type { Colors } from "../format.js";
import { ms, violationLine } from "../format.js";
import type { Shard } from "./shard.js";
import { WHOLE, shardText } from "./shard.js";

/** What one seed's run contributes to a sweep (what a worker sends back). */
export interface SeedOutcome {
  readonly seed: number;
  readonly violations: readonly RunViolation[];
  readonly events: number;
  /** Simulated time in whole microseconds (summed exactly, unlike milliseconds). */
  readonly simTimeMicros: number;
  /** The linearizability search's verdict (unknown: its budget ran out; reported, not failing). */
  readonly linearizability: "valid" | "invalid" | "unknown";
  /** The coverage marks the run reached (only with sweep --coverage). */
  readonly marks?: readonly string[];
}

/** A failing seed as sweep --json lists it. */
export interface FailingSeed {
  readonly seed: number;
  readonly violations: readonly RunViolation[];
  /** The exact command line that reproduces the seed (run-flags.ts replayLine). */
  readonly replay: string;
}

/** A failing seed shrunk by `sweep --shrink`. */
export interface ShrunkSeed {
  readonly seed: number;
  /** The run file written, or null when the failure did not reproduce from explicit faults. */
  readonly file: string | null;
  readonly faultsBefore: number;
  readonly faultsAfter: number | null;
  /** Simulation runs the shrink spent. */
  readonly runs: number;
}

/**
 * The object `sweep --json` prints, in its field order. Invariant: passed + failing.length ===
 * seeds; failing is sorted by seed; every seed listed belongs to `shard` of `range`.
 */
export interface SweepSummary {
  readonly seeds: number;
  readonly passed: number;
  readonly failing: readonly FailingSeed[];
  /** Seeds whose linearizability search ran out of budget (reported, not failing). */
  readonly unknown: readonly number[];
  readonly options: RunOptions;
  readonly events: number;
  readonly simTimeMs: number;
  /** The only wall-clock field: may differ between runs, worker counts and merges. */
  readonly wallMs: number;
  readonly version: string;
  /** The whole range A..B, also for a shard of it. */
  readonly range: SeedRange;
  readonly shard: Shard;
  /** Present only with `sweep --shrink`. */
  readonly shrunk?: readonly ShrunkSeed[];
  /** Present only when the sweep counted coverage marks: seeds that reached each mark. */
  readonly coverage?: Readonly<Record<string, number>>;
}

/** Everything but the seeds' outcomes: what the sweep was asked to do. */
export interface SweepHeader {
  readonly options: RunOptions;
  readonly version: string;
  readonly range: SeedRange;
  readonly shard: Shard;
}

/** Sums outcomes (in any order) into a summary; `replay` builds a failing seed's command. */
export function summarize(
  header: SweepHeader, outcomes: readonly SeedOutcome[], replay: (seed: number) => string,
  wallMs: number,
): SweepSummary {
  const sorted = [...outcomes].sort((a, b) => a.seed - b.seed);
  const failing = sorted.filter((o) => o.violations.length > 0)
    .map((o) => ({ seed: o.seed, violations: o.violations, replay: replay(o.seed) }));
  let events = 0;
  let micros = 0;
  for (const outcome of sorted) {
    events += outcome.events;
    micros += outcome.simTimeMicros;
  }
  return {
    seeds: sorted.length, passed: sorted.length - failing.length, failing,
    unknown: sorted.filter((o) => o.linearizability === "unknown").map((o) => o.seed),
    options: header.options, events, simTimeMs: micros / 1000, wallMs: Math.round(wallMs),
    version: header.version, range: header.range, shard: header.shard,
  };
}

/** The lines a failing seed prints as soon as it is known (in seed order). */
export function failingLines(c: Colors, failing: FailingSeed): string[] {
  const first = failing.violations[0];
  return [
    c.red(`seed ${failing.seed} FAILED`),
    ...(first === undefined ? [] : [violationLine(c, first)]),
    `  replay: ${failing.replay}`,
  ];
}

/** The closing lines: verdict, failing seeds, the fault-model note, shrunk files. */
export function closingLines(c: Colors, summary: SweepSummary): string[] {
  const { range, shard, failing } = summary;
  const verdict = failing.length === 0 ? c.green("PASS") : c.red("FAIL");
  const where = shard.count === WHOLE.count ? "" : `, shard ${shardText(shard)}`;
  const lines = [`${verdict}: ${summary.passed} of ${summary.seeds} seeds passed ` +
    `(${range.first}..${range.last}${where}) in ${ms(summary.wallMs)}, ` +
    `${summary.events} events, ${ms(summary.simTimeMs)} simulated`];
  if (failing.length > 0) {
    lines.push(`failing seeds: ${failing.map((f) => f.seed).join(", ")}`,
      `next: save one as a run file (${failing[0]?.replay ?? ""} --json > run.json), then ` +
      "zabsim shrink run.json or zabsim show run.json");
  }
  if (summary.unknown.length > 0) {
    lines.push(`linearizability unknown (search budget ran out): ${summary.unknown.join(", ")}`);
  }
  const outside = failing.filter((f) => f.violations.some((v) => v.faultModel === "outside"));
  if (outside.length > 0) {
    const why = summary.options.faults === "adversary"
      ? "were attacked on plain quorum traffic" : "corrupted synced records";
    lines.push(`${c.yellow(`${outside.length} of them ${why}:`)} ` +
      "their violations lie outside ZAB's fault model");
  }
  for (const s of summary.shrunk ?? []) {
    lines.push(s.file === null
      ? `seed ${s.seed}: ${c.yellow("not shrunk")} (the failure did not reproduce from its ` +
        `explicit faults; ${s.runs} runs)`
      : `seed ${s.seed}: shrunk from ${s.faultsBefore} to ${s.faultsAfter ?? 0} faults in ` +
        `${s.runs} runs, wrote ${s.file} (zabsim replay ${s.file})`);
  }
  return lines;
}

/** The whole human output of a finished sweep, as merge prints it. */
export function humanText(c: Colors, summary: SweepSummary): string {
  const lines = summary.failing.flatMap((f) => failingLines(c, f));
  return `${[...lines, ...closingLines(c, summary)].join("\n")}\n`;
}

/** The one JSON line of `sweep --json` (and `merge --json`). */
export function jsonText(summary: SweepSummary): string {
  return `${JSON.stringify(summary)}\n`;
}
