/**
 * `zabsim sweep --seeds A..B`: every seed in the range (or in one strided shard of it, --shard
 * K/N) with the same options, on --workers threads (src/cli/sweep/pool.ts). Human output lists
 * the failing seeds in seed order, each with its first violation and the exact command line that
 * reproduces it; progress goes to stderr (sweep/progress.ts). `--json` prints the SweepSummary
 * (sweep/summary.ts), which `zabsim merge` joins across shards. `--shrink` shrinks each failing
 * seed and saves it as a run file. Exit 1 when any seed fails.
 */
import { join } from "node:path";
import { UsageError, flagOf, intOf, parseOptions, renderHelp, seedsOf, textOf } from "../args.js";
import type { OptionSpec } from "../args.js";
import { colorsFor } from "../format.js";
import type { CliIo } from "../io.js";
import { RUN_FLAG_SPECS, jsonWanted, replayLine, runOptionsFromFlags } from "../run-flags.js";
import { refuseHugeSweep } from "../sweep-bound.js";
import { timedRun } from "./run.js";
import { zabsimVersion } from "../version.js";
import { coverageTable } from "../coverage-table.js";
import { CoverageCount } from "../../run/index.js";
import type { TaskRunner } from "../sweep/pool.js";
import { WORKERS_MAX, defaultWorkers, runInOrder, taskRunner } from "../sweep/pool.js";
import { progressFor } from "../sweep/progress.js";
import { WHOLE, parseShard, shardSeeds, shardSize } from "../sweep/shard.js";
import type { SeedOutcome, ShrunkSeed } from "../sweep/summary.js";
import { closingLines, failingLines, jsonText, summarize } from "../sweep/summary.js";
import type { RunOptionsInput } from "../../run/index.js";

/** Runs a shrink may spend per failing seed (zabsim shrink's default). */
const SHRINK_RUNS_MAX = 200;

const SPECS: readonly OptionSpec[] = [
  {
    name: "seeds", kind: "seeds", defaultValue: "1..100", help: "the inclusive range of seeds",
  },
  ...RUN_FLAG_SPECS,
  {
    name: "coverage", kind: "flag", defaultValue: false,
    help: "count, for each rare branch registered for these options, the seeds that reached it",
  },
  {
    name: "workers", kind: "int", defaultValue: defaultWorkers(), min: 1, max: WORKERS_MAX,
    help: "worker threads running seeds (the default is one per core)",
  },
  {
    name: "shard", kind: "text", defaultValue: null, placeholder: "K/N",
    help: "run only the K-th of N strided shards: seeds A+K-1, A+K-1+N, ...",
  },
  {
    name: "shrink", kind: "flag", defaultValue: false,
    help: "shrink each failing seed and save it as a run file",
  },
  {
    name: "shrink-dir", kind: "text", defaultValue: ".", placeholder: "DIR",
    help: "where --shrink writes shrunk-seed-N.json",
  },
  { name: "json", kind: "flag", defaultValue: false, help: "print one JSON object" },
];

const HELP = renderHelp("zabsim sweep --seeds A..B [run options] [--workers N] [--shard K/N] " +
  "[--shrink] [--json]", [
  "Runs every seed from A to B with the same options and lists the failing ones, each with",
  "the command line that reproduces it. Exit 0 when every seed passed, 1 otherwise.",
  "Shards' --json outputs join with `zabsim merge` into what one whole sweep prints.",
], SPECS, [
  "zabsim sweep --seeds 1..200",
  "zabsim sweep --seeds 1..300 --coverage",
  "zabsim sweep --seeds 1..50 --bug skip-trunc --json",
  "zabsim sweep --seeds 1..1000 --shard 1/4 --json > shard-1.json",
  "zabsim sweep --seeds 1..20 --bug skip-trunc --shrink --shrink-dir shrunk",
]);

/** Shrinks the failing seeds on the runner and writes a run file for each it could shrink. */
async function shrinkFailing(
  io: CliIo, runner: TaskRunner, inFlight: number, seeds: readonly number[],
  options: RunOptionsInput, flags: { dir: string; json: boolean },
): Promise<ShrunkSeed[]> {
  const shrunk: ShrunkSeed[] = [];
  const progress = progressFor(io, seeds.length, flags.json, "shrink");
  try {
    await runInOrder(seeds, inFlight,
      (seed) => runner.runShrink({ kind: "shrink", seed, options, runsMax: SHRINK_RUNS_MAX }),
      () => progress.seedDone(0),
      (outcome) => {
        const name = `shrunk-seed-${outcome.seed}.json`;
        const file = outcome.runFile === null ? null : join(flags.dir, name);
        if (file !== null) io.writeFile(file, `${JSON.stringify(outcome.runFile)}\n`);
        const { seed, runs, faultsBefore, faultsAfter } = outcome;
        shrunk.push({ seed, file, faultsBefore, faultsAfter, runs });
      });
  } finally {
    progress.stop();
  }
  return shrunk;
}

/** `zabsim sweep --seeds A..B [run options] [--workers N] [--shard K/N] [--shrink] [--json]`. */
export async function sweepCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const parsed = parseOptions("sweep", SPECS, argv, 0);
  if (parsed.help) {
    io.stdout(HELP);
    return 0;
  }
  const range = seedsOf(parsed, "seeds");
  if (parsed.given.has("shrink-dir") && !flagOf(parsed, "shrink")) {
    throw new UsageError("--shrink-dir is where --shrink writes its files: give --shrink too");
  }
  const shardFlag = textOf(parsed, "shard");
  const shard = shardFlag === null ? WHOLE : parseShard(shardFlag);
  const { input, options, schedulePath, given } = runOptionsFromFlags(parsed, io);
  await refuseHugeSweep(range, input,
    async (seed, o) => (await timedRun(io, seed, o, null)).wallMs);
  const workers = intOf(parsed, "workers");
  const json = jsonWanted(parsed);
  const coverage = flagOf(parsed, "coverage") ? new CoverageCount(input) : null;
  const c = colorsFor(io);
  const replay = (seed: number): string => replayLine(seed, options, schedulePath, given);
  const outcomes: SeedOutcome[] = [];
  let failingSoFar = 0;
  const started = io.wallMillis();
  const total = shardSize(range, shard);
  const runner = taskRunner(Math.min(workers, total));
  const inFlight = workers <= 1 ? 1 : 2 * workers;
  const progress = progressFor(io, total, json, "sweep");
  let shrunk: ShrunkSeed[] | undefined;
  try {
    await runInOrder(shardSeeds(range, shard), inFlight,
      (seed) => runner.runSeed({ kind: "seed", seed, options: input, coverage: coverage !== null }),
      (outcome) => progress.seedDone(failingSoFar += outcome.violations.length > 0 ? 1 : 0),
      (outcome) => {
        outcomes.push(outcome);
        coverage?.add(outcome.marks ?? []);
        if (json || outcome.violations.length === 0) return;
        progress.interrupt();
        const { seed, violations } = outcome;
        io.stdout(`${failingLines(c, { seed, violations, replay: replay(seed) }).join("\n")}\n`);
      });
    progress.stop();
    if (flagOf(parsed, "shrink")) {
      const failing = outcomes.filter((o) => o.violations.length > 0).map((o) => o.seed);
      const dir = textOf(parsed, "shrink-dir") ?? ".";
      shrunk = await shrinkFailing(io, runner, inFlight, failing, input, { dir, json });
    }
  } finally {
    progress.stop();
    await runner.close();
  }
  const header = { options, version: zabsimVersion(), range, shard };
  const base = summarize(header, outcomes, replay, io.wallMillis() - started);
  const summary = {
    ...base, ...(shrunk === undefined ? {} : { shrunk }),
    ...(coverage === null ? {} : { coverage: coverage.counts() }),
  };
  io.stdout(json ? jsonText(summary) : `${closingLines(c, summary).join("\n")}\n`);
  if (!json && coverage !== null) io.stdout(coverageTable(coverage.counts(), summary.seeds));
  return summary.failing.length === 0 ? 0 : 1;
}
