/**
 * Recipe benchmarks (docs/recipes.md, "Figures"): lock acquisitions per simulated second and
 * per wall second with 3, 10 and 50 clients contending for the lock workload's lock under the
 * standard mix (pauses included), with the watch notifications per acquisition (the herd-free
 * recipe stays at or below 2); and seeds per minute of each recipe workload with the defaults.
 */
import type { ObservationRecord } from "../src/check/index.js";
import { runSeed } from "../src/run/index.js";
import type { RunOptions } from "../src/run/index.js";
import type { Benchmark, BenchRow } from "./main.js";

function wallMs(): number {
  return performance.now(); // wall-clock-ok: bench code measures real time.
}

const SEEDS = 3;

async function lockRow(clients: number): Promise<BenchRow> {
  let acquisitions = 0;
  let notifications = 0;
  let simSeconds = 0;
  const start = wallMs();
  for (let seed = 1; seed <= SEEDS; seed++) {
    const report = await runSeed(seed, { workload: "lock", clients }, {
      observationSink: (records: readonly ObservationRecord[]) => {
        for (const { observation: o } of records) {
          if (o.kind === "recipe" && o.event.type === "acquired" &&
            o.event.lock === "/recipes/lock") acquisitions++;
          if (o.kind === "notify" && o.path.startsWith("/recipes/lock/")) notifications++;
        }
      },
    });
    simSeconds += report.simTimeMs / 1000;
  }
  const seconds = (wallMs() - start) / 1000;
  return {
    clients, acquisitions,
    perSimSec: Number((acquisitions / simSeconds).toFixed(2)),
    perWallSec: Number((acquisitions / seconds).toFixed(1)),
    notificationsPerAcquisition: Number((notifications / Math.max(1, acquisitions)).toFixed(2)),
  };
}

async function seedsRow(workload: RunOptions["workload"]): Promise<BenchRow> {
  const start = wallMs();
  let failing = 0;
  for (let seed = 1; seed <= SEEDS; seed++) {
    if ((await runSeed(seed, { workload })).violations.length > 0) failing++;
  }
  const seconds = (wallMs() - start) / 1000;
  return { workload, seedsPerMin: Math.round((SEEDS * 60) / seconds), failing };
}

export const benchmarks: Benchmark[] = [
  ...[3, 10, 50].map((clients): Benchmark => ({
    name: `recipes/lock-${clients}-clients`, run: () => lockRow(clients),
  })),
  ...(["lock", "rwlock", "semaphore", "election", "membership", "mixed"] as const).map(
    (workload): Benchmark => ({ name: `recipes/seeds-${workload}`, run: () => seedsRow(workload) }),
  ),
];
