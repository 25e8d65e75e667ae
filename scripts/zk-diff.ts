/**
 * Differential testing of zabsim against a real ZooKeeper 3.8 (Debian's `zookeeper` package):
 *
 *   npm run zk-diff -- --seeds 1..500 [--jobs 2] [--out zk-diff-out] [--no-hand] [--verbose]
 *   npm run zk-diff -- --servers 3 [--seeds 1..100] [--no-hand] [--verbose]
 *
 * Every scenario (the hand-written scenarios/*.json, then one generated scenario per seed) runs
 * on its own throwaway standalone server on 127.0.0.1 and on zabsim; the two result lists are
 * compared after zxid normalization (src/script/normalize.ts). The first differing step of each
 * scenario is reported, and the scenario is saved as a file `zabsim script` replays (with the
 * real results and the difference beside it). A scenario whose result depends on the container
 * manager's timing gets a second real run before it counts as a difference. Exit 1 when any
 * scenario differs or fails, 2 on bad usage. Every server started is stopped by its pid.
 *
 * With `--servers N` the scenarios are ensemble scenarios (scenarios/ensemble/*.json with N
 * servers, then generateEnsembleScenario(seed, N)), each run on a fresh real ensemble of N
 * servers (one ensemble at a time: --jobs is 1) and on zabsim through the same runScriptText,
 * compared with raw zxids (the spec's "Zxids are compared raw" in an ensemble).
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { compareResults } from "../src/script/index.js";
import type { StepResult } from "../src/script/index.js";
import { allStopped, isTimed, runOnFreshServer } from "./lib/real-run.js";
import { ensembleItems, parseServers } from "./lib/ensemble-items.js";
import { generated, handWritten, parseSeeds } from "./lib/scenarios.js";
import type { NamedScenario } from "./lib/scenarios.js";
import { loadSimRunner, runOnZabsim } from "./lib/sim-run.js";
import { ensureInstalled } from "./lib/zk-server.js";

interface Options {
  readonly seeds: number[];
  readonly jobs: number;
  readonly out: string;
  readonly hand: boolean;
  readonly verbose: boolean;
  /** Ensemble size, or undefined for standalone scenarios. */
  readonly servers: number | undefined;
}

function usage(message: string): never {
  process.stderr.write(`zk-diff: ${message}\n`);
  process.stderr.write(
    "usage: npm run zk-diff -- [--servers N] --seeds A..B [--jobs N] [--out DIR] [--no-hand]" +
      " [--verbose]\n",
  );
  process.exit(2);
}

function parseOptions(argv: readonly string[]): Options {
  let seeds: number[] = parseSeeds("1..100") ?? [];
  let jobs = 2;
  let out = "zk-diff-out";
  let hand = true;
  let verbose = false;
  let servers: number | undefined;
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = (): string => argv[++i] ?? usage(`${flag} needs a value`);
    if (flag === "--seeds") {
      const text = value();
      const parsed = parseSeeds(text);
      seeds = parsed ?? usage(`--seeds takes A..B (whole numbers, A <= B), got "${text}"`);
    } else if (flag === "--jobs") {
      const text = value();
      jobs = Number(text);
      const good = Number.isInteger(jobs) && jobs >= 1 && jobs <= 16;
      if (!good) usage(`--jobs takes 1..16, got "${text}"`);
    } else if (flag === "--servers") {
      const text = value();
      servers = parseServers(text) ?? usage(`--servers takes 1..7, got "${text}"`);
    } else if (flag === "--out") out = value();
    else if (flag === "--no-hand") hand = false;
    else if (flag === "--verbose") verbose = true;
    else usage(`unknown flag "${flag}"`);
  }
  // An ensemble is N JVMs on a machine shared with others: one at a time.
  if (servers !== undefined) jobs = 1;
  return { seeds, jobs, out, hand, verbose, servers };
}

/** What happened to one scenario. */
type Outcome =
  | { kind: "equal"; steps: number; wallMs: number; version: string; flaky: boolean }
  | { kind: "differ"; steps: number; wallMs: number; version: string; line: string }
  | { kind: "error"; wallMs: number; line: string };

function short(result: StepResult | undefined): string {
  return result === undefined ? "(no result)" : JSON.stringify(result);
}

function saveDifference(
  options: Options,
  item: NamedScenario,
  real: readonly StepResult[],
  zabsim: readonly StepResult[],
  step: number,
): string {
  mkdirSync(options.out, { recursive: true });
  const file = join(options.out, `${item.name}.json`);
  const annotated = {
    ...item.json,
    zkDiff: { firstDifferingStep: step, realResults: real, zabsimResults: zabsim },
  };
  writeFileSync(file, `${JSON.stringify(annotated, null, 1)}\n`);
  return file;
}

async function diffOne(options: Options, item: NamedScenario): Promise<Outcome> {
  const started = Date.now();
  try {
    // zabsim first: a scenario it refuses costs no real run (an ensemble run takes seconds).
    const sim = await runOnZabsim(item.text);
    if (!sim.ok) {
      const line = `ERROR ${item.name}: ${sim.error}`;
      return { kind: "error", wallMs: Date.now() - started, line };
    }
    let real = await runOnFreshServer(item.scenario);
    const wallMs = Date.now() - started;
    const raw = item.scenario.servers !== undefined;
    let comparison = compareResults(item.scenario, real.results, sim.results, { raw });
    let flaky = false;
    if (!comparison.equal && isTimed(item.scenario) && !raw) {
      // Reaping runs on the server's wall clock: give a timing-sensitive scenario one more try.
      real = await runOnFreshServer(item.scenario);
      comparison = compareResults(item.scenario, real.results, sim.results);
      flaky = comparison.equal;
    }
    const steps = item.scenario.steps.length;
    if (comparison.equal) return { kind: "equal", steps, wallMs, version: real.version, flaky };
    const step = comparison.step;
    const op = item.scenario.steps[step]?.op ?? "?";
    const file = saveDifference(options, item, real.results, sim.results, step);
    const line =
      `DIFF ${item.name} step ${step} (${op})\n  real:   ${short(comparison.expected)}\n` +
      `  zabsim: ${short(comparison.actual)}\n  saved:  ${file}`;
    return { kind: "differ", steps, wallMs, version: real.version, line };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { kind: "error", wallMs: Date.now() - started, line: `ERROR ${item.name}: ${message}` };
  }
}

/** Runs `items` with `jobs` workers; prints differences as they come. */
async function runAll(options: Options, items: readonly NamedScenario[]): Promise<Outcome[]> {
  const outcomes: Outcome[] = new Array<Outcome>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    for (;;) {
      const index = next++;
      const item = items[index];
      if (item === undefined) return;
      const outcome = await diffOne(options, item);
      outcomes[index] = outcome;
      if (outcome.kind !== "equal") process.stdout.write(`${outcome.line}\n`);
      else if (options.verbose) {
        const note = outcome.flaky ? " (equal on the second real run)" : "";
        const took = `${outcome.steps} steps, ${outcome.wallMs} ms`;
        process.stdout.write(`ok ${item.name} (${took})${note}\n`);
      }
    }
  };
  await Promise.all(Array.from({ length: options.jobs }, () => worker()));
  return outcomes;
}

function summarize(outcomes: readonly Outcome[], wallMs: number, jobs: number): boolean {
  let steps = 0;
  let busyMs = 0;
  let version = "unknown";
  const count = { equal: 0, differ: 0, error: 0, flaky: 0 };
  for (const outcome of outcomes) {
    count[outcome.kind]++;
    busyMs += outcome.wallMs;
    if (outcome.kind !== "error") {
      steps += outcome.steps;
      version = outcome.version.split(/[-\s]/)[0] ?? outcome.version;
    }
    if (outcome.kind === "equal" && outcome.flaky) count.flaky++;
  }
  const perScenario = outcomes.length === 0 ? 0 : busyMs / outcomes.length / 1000;
  process.stdout.write(
    `zk-diff: ${outcomes.length} scenarios, ${steps} steps compared with ZooKeeper ${version}: ` +
      `${count.equal} equal (${count.flaky} after a timing retry), ${count.differ} differ, ` +
      `${count.error} errors; ${perScenario.toFixed(2)} s per scenario, ` +
      `${(wallMs / 1000).toFixed(1)} s wall with ${jobs} jobs\n`,
  );
  return count.differ === 0 && count.error === 0;
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  ensureInstalled();
  await loadSimRunner();
  const items = options.servers !== undefined
    ? ensembleItems(options.servers, options.seeds, options.hand)
    : [
      ...(options.hand ? handWritten("scenarios") : []),
      ...options.seeds.map((seed) => generated(seed)),
    ];
  const started = Date.now();
  const outcomes = await runAll(options, items);
  await allStopped();
  const ok = summarize(outcomes, Date.now() - started, options.jobs);
  process.exit(ok ? 0 : 1);
}

main().catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`zk-diff: ${message.split("\n")[0] ?? ""}\n`);
  process.exit(1);
});
