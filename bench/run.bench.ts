/**
 * Whole-run benchmarks: what `runSimulation` (src/run) achieves end to end, world, replicas,
 * workload, disks and checkers together. The figures a user feels: committed writes per
 * wall-second with 3 and 5 replicas and no faults, simulated seconds per wall-second of an idle
 * ensemble (elections, pings and timers only), seeds per minute of the default options (the
 * standard fault mix, checkers included) and the event rate of a default run.
 *
 * Each measurement runs two other seeds untimed first so the JIT has compiled the hot paths (a
 * sweep of many seeds in one process is the case that matters; module loading is not a run's
 * cost), then times the same seeds three times and keeps the median.
 */
import { RUN_DEFAULTS, runSimulation } from "../src/run/index.js";
import type { RunOptions, RunReport } from "../src/run/index.js";
import type { Benchmark, BenchRow } from "./main.js";

const SWEEP_SEEDS = 10;

function wallMs(): number {
  return performance.now(); // wall-clock-ok: bench code measures real time.
}

const ROUNDS = 3;

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

/**
 * Runs seeds first..first+count-1 with `options` ROUNDS times after a warm-up of two other
 * seeds; the reports (equal every round: runs are deterministic) and the median wall time.
 */
export function timeSeeds(
  first: number, count: number, options: Partial<RunOptions>,
): { reports: RunReport[]; seconds: number } {
  for (let seed = first + 1000; seed < first + 1002; seed++) runSimulation(seed, options);
  let reports: RunReport[] = [];
  const rounds: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    reports = [];
    const start = wallMs();
    for (let seed = first; seed < first + count; seed++) {
      reports.push(runSimulation(seed, options));
    }
    rounds.push((wallMs() - start) / 1000);
  }
  return { reports, seconds: median(rounds) };
}

export function sum(reports: readonly RunReport[], field: (r: RunReport) => number): number {
  return reports.reduce((total, report) => total + field(report), 0);
}

/** Committed txns per wall-second of a fault-free ensemble of `replicas` under the workload. */
function writesRow(replicas: number): BenchRow {
  const options: Partial<RunOptions> = { replicas, faults: "none" };
  const { reports, seconds } = timeSeeds(1, 3, options);
  const committed = sum(reports, (r) => r.committed);
  return {
    replicas,
    clients: RUN_DEFAULTS.clients,
    runs: reports.length,
    committed,
    committedPerWallSec: Math.round(committed / seconds),
    eventsPerWallSec: Math.round(sum(reports, (r) => r.events) / seconds),
    wallMs: Math.round(seconds * 1000),
  };
}

/** Simulated seconds per wall-second of an idle ensemble: no clients, no faults. */
function idleRow(): BenchRow {
  const options: Partial<RunOptions> = { clients: 0, faults: "none", durationMs: 60_000 };
  const { reports, seconds } = timeSeeds(1, 3, options);
  const simSeconds = sum(reports, (r) => r.simTimeMs) / 1000;
  return {
    replicas: RUN_DEFAULTS.replicas,
    runs: reports.length,
    simSeconds,
    simSecPerWallSec: Math.round(simSeconds / seconds),
    eventsPerWallSec: Math.round(sum(reports, (r) => r.events) / seconds),
    wallMs: Math.round(seconds * 1000),
  };
}

/** The default options (standard faults) over SWEEP_SEEDS seeds: seeds/min and events/s. */
function sweepRow(): BenchRow {
  const { reports, seconds } = timeSeeds(1, SWEEP_SEEDS, {});
  const events = sum(reports, (r) => r.events);
  return {
    seeds: reports.length,
    eventsPerSeed: Math.round(events / reports.length),
    seedsPerMinute: Math.round((reports.length / seconds) * 60),
    eventsPerWallSec: Math.round(events / seconds),
    failing: reports.filter((r) => r.violations.length > 0).length,
    wallMs: Math.round(seconds * 1000),
  };
}

/** One default run (seed 1), warm: its events per wall-second and its wall time. */
function defaultRunRow(): BenchRow {
  const { reports, seconds } = timeSeeds(1, 1, {});
  const events = sum(reports, (r) => r.events);
  return {
    seed: 1,
    events,
    eventsPerWallSec: Math.round(events / seconds),
    wallMs: Math.round(seconds * 1000),
  };
}

export const benchmarks: Benchmark[] = [
  { name: "run/writes-3-replicas", run: () => writesRow(3) },
  { name: "run/writes-5-replicas", run: () => writesRow(5) },
  { name: "run/idle-ensemble", run: idleRow },
  { name: "run/default-sweep", run: sweepRow },
  { name: "run/default-run", run: defaultRunRow },
];
