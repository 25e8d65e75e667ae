/**
 * `zabsim sweep --seeds A..B`: every seed in the range with the same options, one after another.
 * Human output lists the failing seeds with their first violation and the exact command line
 * that reproduces each; on a terminal a progress line counts up. `--json` prints
 * {seeds, passed, failing: [{seed, violations, replay}], wallMs}. Exit 1 when any seed fails.
 */
import { flagOf, parseOptions, renderHelp, seedsOf } from "../args.js";
import type { OptionSpec } from "../args.js";
import { colorsFor, ms, violationLine } from "../format.js";
import type { CliIo } from "../io.js";
import { RUN_FLAG_SPECS, jsonWanted, replayLine, runOptionsFromFlags } from "../run-flags.js";
import { refuseHugeSweep } from "../sweep-bound.js";
import { timedRun } from "./run.js";
import { coverageTable } from "../coverage-table.js";
import { CoverageCount } from "../../run/index.js";
import type { RunViolation } from "../../run/index.js";
import { defined } from "../../util/assert.js";

const SPECS: readonly OptionSpec[] = [
  {
    name: "seeds", kind: "seeds", defaultValue: "1..100", help: "the inclusive range of seeds",
  },
  ...RUN_FLAG_SPECS,
  {
    name: "coverage", kind: "flag", defaultValue: false,
    help: "count, for each rare branch registered for these options, the seeds that reached it",
  },
  { name: "json", kind: "flag", defaultValue: false, help: "print one JSON object" },
];

const HELP = renderHelp("zabsim sweep --seeds A..B [run options] [--json]", [
  "Runs every seed from A to B with the same options and lists the failing ones, each with",
  "the command line that reproduces it. Exit 0 when every seed passed, 1 otherwise.",
], SPECS, [
  "zabsim sweep --seeds 1..200",
  "zabsim sweep --seeds 1..50 --bug skip-trunc --json",
  "zabsim sweep --seeds 1..300 --coverage",
]);

interface Failing {
  readonly seed: number;
  readonly violations: readonly RunViolation[];
  readonly replay: string;
}

/** `zabsim sweep --seeds A..B [run options] [--json]`. */
export function sweepCommand(argv: readonly string[], io: CliIo): number {
  const parsed = parseOptions("sweep", SPECS, argv, 0);
  if (parsed.help) {
    io.stdout(HELP);
    return 0;
  }
  const range = seedsOf(parsed, "seeds");
  const { options, schedulePath, given } = runOptionsFromFlags(parsed, io);
  refuseHugeSweep(range, options, (seed, o) => timedRun(io, seed, o, null).wallMs);
  const json = jsonWanted(parsed);
  const c = colorsFor(io);
  const progress = io.isTTY && !json;
  const failing: Failing[] = [];
  const started = io.wallMillis();
  let events = 0;
  let simMs = 0;
  const coverage = flagOf(parsed, "coverage") ? new CoverageCount(options) : null;
  for (let seed = range.first; seed <= range.last; seed++) {
    const run = () => timedRun(io, seed, options, null);
    const { report } = coverage === null ? run() : coverage.record(run);
    events += report.events;
    simMs += report.simTimeMs;
    if (report.violations.length > 0) {
      const replay = replayLine(seed, options, schedulePath, given);
      failing.push({ seed, violations: report.violations, replay });
      if (!json) {
        if (progress) io.stdout("\r\u001b[K");
        const first = violationLine(c, defined(report.violations[0]));
        io.stdout(`${c.red(`seed ${seed} FAILED`)}\n${first}\n  replay: ${replay}\n`);
      }
    }
    if (progress) {
      const done = seed - range.first + 1;
      const total = range.last - range.first + 1;
      io.stdout(`\r\u001b[Kseed ${seed} (${done}/${total}), ${failing.length} failing`);
    }
  }
  if (progress) io.stdout("\r\u001b[K");
  const seeds = range.last - range.first + 1;
  const wallMs = io.wallMillis() - started;
  if (json) {
    io.stdout(`${JSON.stringify({
      seeds, passed: seeds - failing.length, failing, options, events, simTimeMs: simMs,
      wallMs: Math.round(wallMs), ...(coverage === null ? {} : { coverage: coverage.counts() }),
    })}\n`);
  } else {
    const verdict = failing.length === 0 ? c.green("PASS") : c.red("FAIL");
    io.stdout(`${verdict}: ${seeds - failing.length} of ${seeds} seeds passed ` +
      `(${range.first}..${range.last}) in ${ms(wallMs)}, ${events} events, ` +
      `${ms(simMs)} simulated\n`);
    if (failing.length > 0) {
      io.stdout(`failing seeds: ${failing.map((f) => f.seed).join(", ")}\n` +
        `next: save one as a run file (${failing[0]?.replay ?? ""} --json > run.json), then ` +
        "zabsim shrink run.json or zabsim show run.json\n");
    }
    if (coverage !== null) io.stdout(coverageTable(coverage.counts(), seeds));
    const outside = failing.filter((f) => f.violations.some((v) => v.faultModel === "outside"));
    if (outside.length > 0) {
      io.stdout(`${c.yellow(`${outside.length} of them corrupted synced records:`)} ` +
        "their violations lie outside ZAB's fault model\n");
    }
  }
  return failing.length === 0 ? 0 : 1;
}
