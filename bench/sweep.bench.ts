/**
 * Sweep throughput with 1 and 2 workers, in the same bench run: seeds per minute of
 * `zabsim sweep --seeds 1..N --workers K --json` (the default options), each in a fresh process
 * of the built CLI, so both pay what a user pays (process start, cold JIT; threads for K = 2).
 * Rounds alternate 1, 2, 1, 2 so a change in the machine's load hits both alike; the median of
 * each is kept, with the load average before and after (the machine is shared: read the speedup
 * against it). wallMs comes from the sweep's own JSON.
 */
import { execFileSync } from "node:child_process";
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

/** One sweep in a fresh process; its wallMs and its JSON without wallMs (to compare). */
function sweep(workers: number): { wallMs: number; rest: string } {
  const args = [join(ROOT, "dist", "cli", "main.js"), "sweep", "--seeds", `1..${SEEDS}`,
    "--workers", String(workers), "--json"];
  let stdout: string;
  try {
    stdout = execFileSync(process.execPath, args, {
      encoding: "utf8", stdio: ["ignore", "pipe", "ignore"],
    });
  } catch (error) {
    stdout = String((error as { stdout?: unknown }).stdout ?? ""); // exit 1: a seed failed
  }
  const { wallMs, ...rest } = JSON.parse(stdout) as { wallMs: number };
  return { wallMs, rest: JSON.stringify(rest) };
}

function workersRow(): BenchRow {
  buildDist();
  const load = loadavg()[0] ?? 0;
  const times: Record<number, number[]> = { 1: [], 2: [] };
  const results = new Set<string>();
  for (let round = 0; round < ROUNDS; round++) {
    for (const workers of [1, 2]) {
      const { wallMs, rest } = sweep(workers);
      times[workers]?.push(wallMs);
      results.add(rest);
    }
  }
  const perMinute = (ms: number): number => Math.round((SEEDS / ms) * 60_000);
  const one = perMinute(median(times[1] ?? []));
  const two = perMinute(median(times[2] ?? []));
  return {
    seeds: SEEDS,
    seedsPerMinute1: one,
    seedsPerMinute2: two,
    speedup: two / one,
    sameJson: results.size === 1 ? "yes" : "NO",
    load1Before: load,
    load1After: loadavg()[0] ?? 0,
  };
}

export const benchmarks: Benchmark[] = [{ name: "sweep/workers-1-vs-2", run: workersRow }];
