/**
 * Sweep throughput with 1 and 2 workers, in the same bench run: seeds per minute of
 * `zabsim sweep --seeds 1..N --workers K --json` (the default options), each in a fresh process
 * of the built CLI, so both pay what a user pays (process start, cold JIT; threads for K = 2).
 * Rounds alternate 1, 2, 1, 2 so a change in the machine's load hits both alike; the median of
 * each is kept, with the load average before and after (the machine is shared: read the speedup
 * against it). wallMs comes from the sweep's own JSON; the CPU time (all threads of the child,
 * process.cpuUsage at its exit) gives the CPU cost per seed, and from it the speedup two
 * workers reach when the two cores are theirs alone (cpuBoundSpeedup = 2 x cost with one
 * worker / cost with two): on a loaded machine the wall-clock speedup says little.
 */
import { spawnSync } from "node:child_process";
import { loadavg } from "node:os";
import { join } from "node:path";
import { ROOT, buildDist } from "../scripts/lib/build-dist.js";
import type { Benchmark, BenchRow } from "./main.js";

const SEEDS = 100;
const ROUNDS = 2;

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

/** Preloaded into the child: prints its CPU time (every thread) as JSON on fd 3 at exit. */
const CPU_AT_EXIT = "data:text/javascript,import{writeSync}from'node:fs';" +
  "process.on('exit',()=>writeSync(3,JSON.stringify(process.cpuUsage())))";

/** One sweep in a fresh process: wallMs, CPU ms, and its JSON without wallMs (to compare). */
function sweep(workers: number): { wallMs: number; cpuMs: number; rest: string } {
  const args = ["--import", CPU_AT_EXIT, join(ROOT, "dist", "cli", "main.js"), "sweep",
    "--seeds", `1..${SEEDS}`, "--workers", String(workers), "--json"];
  const child = spawnSync(process.execPath, args, {
    encoding: "utf8", stdio: ["ignore", "pipe", "ignore", "pipe"],
  });
  const { wallMs, ...rest } = JSON.parse(child.stdout) as { wallMs: number };
  const cpu = JSON.parse(String(child.output[3] ?? "")) as { user: number; system: number };
  return { wallMs, cpuMs: (cpu.user + cpu.system) / 1000, rest: JSON.stringify(rest) };
}

function workersRow(): BenchRow {
  buildDist();
  const load = loadavg()[0] ?? 0;
  const times: Record<number, number[]> = { 1: [], 2: [] };
  const cpus: Record<number, number[]> = { 1: [], 2: [] };
  const results = new Set<string>();
  for (let round = 0; round < ROUNDS; round++) {
    for (const workers of [1, 2]) {
      const { wallMs, cpuMs, rest } = sweep(workers);
      times[workers]?.push(wallMs);
      cpus[workers]?.push(cpuMs);
      results.add(rest);
    }
  }
  const perMinute = (ms: number): number => Math.round((SEEDS / ms) * 60_000);
  const one = perMinute(median(times[1] ?? []));
  const two = perMinute(median(times[2] ?? []));
  const cpuPerSeed1 = median(cpus[1] ?? []) / SEEDS;
  const cpuPerSeed2 = median(cpus[2] ?? []) / SEEDS;
  return {
    seeds: SEEDS,
    seedsPerMinute1: one,
    seedsPerMinute2: two,
    speedup: two / one,
    cpuMsPerSeed1: Math.round(cpuPerSeed1),
    cpuMsPerSeed2: Math.round(cpuPerSeed2),
    cpuBoundSpeedup: (2 * cpuPerSeed1) / cpuPerSeed2,
    sameJson: results.size === 1 ? "yes" : "NO",
    load1Before: load,
    load1After: loadavg()[0] ?? 0,
  };
}

export const benchmarks: Benchmark[] = [{ name: "sweep/workers-1-vs-2", run: workersRow }];
