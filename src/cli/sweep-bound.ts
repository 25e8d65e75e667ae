/**
 * A sweep too large to finish is refused before it starts, with an estimate of how long it
 * would take (issue 22: a sweep of billions of seeds is a typo, not a plan). The estimate comes
 * from timing the range's first seed here, so it holds for these options on this machine.
 */
import type { RunOptionsInput } from "../run/index.js";
import { UsageError } from "./args.js";
import type { SeedRange } from "./args.js";

/** The most seeds one sweep runs; beyond it, split the range (or shard it). */
export const SWEEP_SEEDS_MAX = 1_000_000;

/** "3.2 hours", "41 years": a duration in the largest unit that keeps it readable. */
export function humanDuration(ms: number): string {
  const units: [string, number][] = [
    ["years", 365 * 86_400_000], ["days", 86_400_000], ["hours", 3_600_000],
    ["minutes", 60_000], ["seconds", 1000],
  ];
  for (const [name, size] of units) {
    if (ms >= size) return `${Number((ms / size).toPrecision(2))} ${name}`;
  }
  return `${Math.round(ms)} ms`;
}

/** Refuses a range of more than SWEEP_SEEDS_MAX seeds, naming how long it would take. */
export async function refuseHugeSweep(
  range: SeedRange, options: RunOptionsInput,
  timeOne: (seed: number, options: RunOptionsInput) => number | Promise<number>,
): Promise<void> {
  const seeds = range.last - range.first + 1;
  if (seeds <= SWEEP_SEEDS_MAX) return;
  const perSeedMs = Math.max(1, await timeOne(range.first, options));
  throw new UsageError(`--seeds ${range.first}..${range.last} is ${seeds} seeds: at the ` +
    `${Math.round(perSeedMs)} ms seed ${range.first} took here, about ` +
    `${humanDuration(perSeedMs * seeds)} on one core; sweep at most ${SWEEP_SEEDS_MAX} seeds ` +
    "at a time");
}
