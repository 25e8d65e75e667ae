/**
 * Secure quorum's cost and the adversary mix's speed (docs/security.md). Committed writes per
 * wall-second of a fault-free ensemble of 3 and of 5 replicas, with quorum traffic plain and
 * sealed, measured side by side in this one bench run (every packet of a sealed run is encoded
 * to bytes and boxed, every notification too, so this is the price of the channel); and seeds
 * per minute of `--faults adversary` (the standard mix, the attacker, secure quorum on,
 * checkers included). Timing as run.bench.ts: a warm-up, then the median of three rounds.
 */
import type { RunOptions } from "../src/run/index.js";
import type { Benchmark, BenchRow } from "./main.js";
import { sum, timeSeeds } from "./run.bench.js";

const ADVERSARY_SEEDS = 10;

/** Committed txns per wall-second, secure quorum `secure`, `replicas` voters, no faults. */
function writesRow(replicas: number, secure: boolean): BenchRow {
  const options: Partial<RunOptions> = { replicas, faults: "none", secureQuorum: secure };
  const { reports, seconds } = timeSeeds(1, 3, options);
  const committed = sum(reports, (r) => r.committed);
  return {
    replicas,
    secureQuorum: secure ? "on" : "off",
    committed,
    committedPerWallSec: Math.round(committed / seconds),
    eventsPerWallSec: Math.round(sum(reports, (r) => r.events) / seconds),
    wallMs: Math.round(seconds * 1000),
  };
}

/** The adversary mix over ADVERSARY_SEEDS seeds: seeds per minute, attacks and refusals. */
function adversaryRow(): BenchRow {
  const { reports, seconds } = timeSeeds(1, ADVERSARY_SEEDS, { faults: "adversary" });
  return {
    seeds: reports.length,
    seedsPerMinute: Math.round((reports.length / seconds) * 60),
    attacks: sum(reports, (r) => {
      const a = r.adversary;
      return a === undefined ? 0 : a.tampered + a.replayed + a.forged + a.impersonated;
    }),
    rejected: sum(reports, (r) => r.adversary?.rejected ?? 0),
    failing: reports.filter((r) => r.violations.length > 0).length,
    wallMs: Math.round(seconds * 1000),
  };
}

export const benchmarks: Benchmark[] = [
  { name: "secure/writes-3-plain", run: () => writesRow(3, false) },
  { name: "secure/writes-3-sealed", run: () => writesRow(3, true) },
  { name: "secure/writes-5-plain", run: () => writesRow(5, false) },
  { name: "secure/writes-5-sealed", run: () => writesRow(5, true) },
  { name: "secure/adversary-sweep", run: adversaryRow },
];
