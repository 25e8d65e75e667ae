/**
 * `zabsim run`: one seed, judged. Human output by default; `--json` prints the run file (one
 * object, shared/spec/cli.md); `--trace FILE` writes the trace as JSON lines. `--bug list`
 * prints the planted bugs' names, one a line, and nothing else.
 */
import { allBugNames } from "../../consensus/bugs.js";
import { runSimulation } from "../../run/index.js";
import type { RunOptions, RunReport } from "../../run/index.js";
import { intOf, parseOptions, renderHelp, textOf } from "../args.js";
import type { OptionSpec } from "../args.js";
import { colorsFor, runSummary } from "../format.js";
import type { CliIo } from "../io.js";
import {
  RUN_FLAG_SPECS, SEED_SPEC, jsonWanted, replayLine, runOptionsFromFlags,
} from "../run-flags.js";

const SPECS: readonly OptionSpec[] = [
  SEED_SPEC,
  ...RUN_FLAG_SPECS,
  { name: "json", kind: "flag", defaultValue: false, help: "print one JSON object (the run file)" },
  {
    name: "trace", kind: "text", defaultValue: null, placeholder: "FILE",
    help: "write the trace as JSON lines (same seed and options: same bytes)",
  },
];

const HELP = renderHelp("zabsim run [--seed N] [options] [--json] [--trace FILE]", [
  "Runs one seeded simulation of a ZooKeeper ensemble: a safety phase with faults, a heal,",
  "a liveness phase, then every checker. Exit 0 when every check held, 1 on a violation.",
], SPECS);

/** The run file: the report with wallMs after simTimeMs, in the contract's field order. */
export function runFileObject(report: RunReport, wallMs: number): Record<string, unknown> {
  return {
    seed: report.seed,
    options: report.options,
    traceHash: report.traceHash,
    events: report.events,
    simTimeMs: report.simTimeMs,
    wallMs: Math.round(wallMs),
    faults: report.faults,
    violations: report.violations,
    faultModel: report.faultModel,
    committed: report.committed,
    leaderChanges: report.leaderChanges,
    recoveryMs: report.recoveryMs,
    outcome: report.outcome,
    servers: report.servers,
    stats: report.stats,
    ...(report.adversary === undefined ? {} : { adversary: report.adversary }),
  };
}

/** Runs a seed, timing it and writing its trace when asked. */
export function timedRun(
  io: CliIo, seed: number, options: RunOptions, tracePath: string | null,
): { report: RunReport; wallMs: number } {
  const sink = tracePath === null ? undefined : io.openLines(tracePath);
  const started = io.wallMillis();
  try {
    const report = runSimulation(seed, options, sink === undefined ? {} : {
      traceSink: (line) => sink.write(line),
    });
    return { report, wallMs: io.wallMillis() - started };
  } finally {
    sink?.close();
  }
}

/** `zabsim run [--seed N] [run options] [--json] [--trace FILE]`. */
export function runCommand(argv: readonly string[], io: CliIo): number {
  const parsed = parseOptions("run", SPECS, argv, 0);
  if (parsed.help) {
    io.stdout(HELP);
    return 0;
  }
  if (textOf(parsed, "bug") === "list") {
    io.stdout(allBugNames().map((name) => `${name}\n`).join(""));
    return 0;
  }
  const seed = intOf(parsed, "seed");
  const { options, schedulePath } = runOptionsFromFlags(parsed, io);
  const { report, wallMs } = timedRun(io, seed, options, textOf(parsed, "trace"));
  if (jsonWanted(parsed)) {
    io.stdout(`${JSON.stringify(runFileObject(report, wallMs))}\n`);
  } else {
    const c = colorsFor(io);
    const lines = runSummary(c, report, wallMs);
    if (report.violations.length > 0) {
      lines.push(`replay: ${replayLine(seed, options, schedulePath)}`);
    }
    io.stdout(`${lines.join("\n")}\n`);
  }
  return report.violations.length === 0 ? 0 : 1;
}
