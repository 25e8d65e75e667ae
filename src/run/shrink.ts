/**
 * Shrinking a failing run: delta debugging (Zeller and Hildebrandt, "Simplifying and Isolating
 * Failure-Inducing Input", TSE 2002) over the run's explicit fault schedule. The nemesis draws
 * its plan up front and applying a fault draws no randomness, so the faults a run reports,
 * replayed with the mix turned off, give the same run; a subset of them gives a run that
 * differs only by the missing faults. A candidate "still fails" when it has a violation of the
 * same checker as the original's first violation, so shrinking cannot slide to another bug.
 * Then the safety phase is cut short: the run before the heal does not depend on when the heal
 * comes, so a violation seen before a shorter phase ends is seen again, in a shorter trace.
 * Runs go through runSeed, so a recipe workload's runs (API tasks) shrink like the others; a
 * run without tasks is still computed synchronously inside.
 */
import type { CheckerName } from "../check/index.js";
import type { ScheduledFault } from "../sim/index.js";
import type { RunOptions, RunOptionsInput } from "./options.js";
import { runSeed } from "./run-seed.js";
import type { RunReport } from "./simulate.js";

/** The outcome of a shrink. */
export interface ShrinkResult {
  /** The original run (mix and schedule as given). */
  readonly original: RunReport;
  /** The explicit faults of the original run, before shrinking. */
  readonly faultsBefore: readonly ScheduledFault[];
  /** The smallest failing run found (mix "none", explicit schedule), or null when none. */
  readonly shrunk: RunReport | null;
  /** Runs spent, the original included. */
  readonly runs: number;
  /** True when the budget ran out before delta debugging finished (the result may shrink more). */
  readonly exhausted: boolean;
}

/** Options for a run of exactly these faults and nothing drawn. */
export function explicitOptions(
  options: RunOptions, faults: readonly ScheduledFault[],
): RunOptions {
  return { ...options, faults: "none", schedule: faults };
}

/** The faults a run injected, minus the final heal (the run adds that one itself). */
export function injectedFaults(report: RunReport): ScheduledFault[] {
  return report.faults.filter((entry) => entry.fault.kind !== "heal");
}

/**
 * Minimises the fault schedule of a failing run within `runsMax` runs, then its safety phase.
 * Returns shrunk = null when the original passes or when its faults, replayed explicitly, do not
 * reproduce the failure.
 */
export async function shrinkFaults(
  seed: number, input: RunOptionsInput, runsMax: number, onRun?: (runs: number) => void,
): Promise<ShrinkResult> {
  let runs = 1;
  const original = await runSeed(seed, input);
  // The options in force (a swarm world's drawn knobs included): every candidate gives them
  // all, so it runs the same world with fewer faults.
  const options = original.options;
  const faultsBefore = injectedFaults(original);
  const target = original.violations[0]?.checker;
  const result = { original, faultsBefore, runs, exhausted: false };
  if (target === undefined) return { ...result, shrunk: null };
  /** Runs `candidate` if the budget allows; the report when it still fails the target. */
  const attempt = async (candidate: RunOptions): Promise<RunReport | undefined> => {
    if (runs >= runsMax) return undefined;
    runs++;
    onRun?.(runs);
    const report = await runSeed(seed, candidate);
    return report.violations.some((v) => v.checker === target) ? report : undefined;
  };
  let best: RunReport | undefined;
  const fails = async (faults: readonly ScheduledFault[]): Promise<boolean> => {
    const report = await attempt(explicitOptions(options, faults));
    if (report === undefined) return false;
    if (best === undefined || faults.length <= best.options.schedule.length) best = report;
    return true;
  };
  if (!await fails(faultsBefore)) return { ...result, runs, shrunk: null };
  if (!await fails([])) await deltaDebug(faultsBefore, fails);
  const shortest = best === undefined || target === "liveness"
    ? best : await shrinkTime(best, target, attempt);
  return { ...result, runs, exhausted: runs >= runsMax, shrunk: shortest ?? null };
}

/**
 * A shorter safety phase: everything before the heal is the same run, so a violation seen by
 * then is seen again. Tries the phase ending just after the first violation, then doubling that,
 * and keeps the first candidate that still fails (faults past the new end are dropped).
 */
async function shrinkTime(
  failing: RunReport, target: CheckerName,
  attempt: (candidate: RunOptions) => Promise<RunReport | undefined>,
): Promise<RunReport> {
  const first = failing.violations.find((v) => v.checker === target);
  if (first === undefined) return failing;
  const original = failing.options.durationMs;
  for (let durationMs = Math.ceil(first.simTimeMs) + 1; durationMs < original; durationMs *= 2) {
    const until = durationMs * 1000;
    const schedule = failing.options.schedule.filter((entry) => entry.atMicros < until);
    const report = await attempt({ ...failing.options, durationMs, schedule });
    if (report !== undefined) return report;
  }
  return failing;
}

/**
 * ddmin: tries each of n chunks, then each complement; halves the granularity when neither
 * fails, until chunks are single faults. `fails` must be true for `items` itself. It may be
 * asynchronous (a recipe run's candidates are); candidates are tried one at a time, in order.
 */
export async function deltaDebug<T>(
  items: readonly T[], fails: (subset: readonly T[]) => boolean | Promise<boolean>,
): Promise<T[]> {
  let current = items.slice();
  let granularity = 2;
  while (current.length >= 2) {
    const chunks = split(current, granularity);
    const smaller = await firstFailing(chunks, fails);
    if (smaller !== undefined) {
      current = smaller;
      granularity = 2;
      continue;
    }
    const complement = chunks.length > 2
      ? await firstFailing(chunks.map((_, i) => chunks.filter((__, k) => k !== i).flat()), fails)
      : undefined;
    if (complement !== undefined) {
      current = complement;
      granularity = Math.max(granularity - 1, 2);
      continue;
    }
    if (granularity >= current.length) break;
    granularity = Math.min(current.length, granularity * 2);
  }
  return current;
}

/** The first candidate that still fails, trying them in order (undefined: none). */
async function firstFailing<T>(
  candidates: readonly T[][], fails: (subset: readonly T[]) => boolean | Promise<boolean>,
): Promise<T[] | undefined> {
  for (const candidate of candidates) if (await fails(candidate)) return candidate;
  return undefined;
}

/** Splits `items` into `parts` contiguous chunks of near-equal size (none empty). */
function split<T>(items: readonly T[], parts: number): T[][] {
  const out: T[][] = [];
  let start = 0;
  for (let i = 0; i < parts; i++) {
    const end = Math.round(((i + 1) * items.length) / parts);
    if (end > start) out.push(items.slice(start, end));
    start = end;
  }
  return out;
}
