/**
 * `zabsim run`: one seed, judged. Human output by default; `--json` prints the run file (one
 * object, shared/spec/cli.md); `--trace FILE` writes the trace as JSON lines. `--bug list`
 * prints the planted bugs' names, one a line, and nothing else.
 */
import type { ObservationRecord } from "../../check/index.js";
import { clientOps, jepsenEventsOf } from "../../check/linear/index.js";
import { runSeed } from "../../run/index.js";
import type { RunOptionsInput, RunReport } from "../../run/index.js";
import { bugListing, runBugNames } from "../../run/index.js";
import { intOf, parseOptions, refuseSamePath, renderHelp, textOf, UsageError } from "../args.js";
import type { OptionSpec } from "../args.js";
import { colorsFor, runSummary } from "../format.js";
import { writeJepsenHistory } from "../edn-history.js";
import type { CliIo } from "../io.js";
import { ZABSIM_VERSION } from "../version.js";
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
  {
    name: "history", kind: "text", defaultValue: null, placeholder: "FILE",
    help: "write the clients' history as Jepsen EDN (docs/linearizability.md)",
  },
];

const HELP = renderHelp(
  "zabsim run [--seed N] [options] [--json] [--trace FILE] [--history FILE]", [
  "Runs one seeded simulation of a ZooKeeper ensemble: a safety phase with faults, a heal,",
  "a liveness phase, then every checker. Exit 0 when every check held, 1 on a violation.",
], SPECS, [
  "zabsim run --seed 7",
  "zabsim run --seed 7 --json > run.json    # save the run file",
  "zabsim run --seed 7 --trace trace.jsonl",
  "zabsim run --replicas 5 --faults none --loss 0.01",
  "zabsim run --bug list --json",
]);

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
    linearizability: report.linearizability,
    allowed: report.allowed,
    outcome: report.outcome,
    servers: report.servers,
    stats: report.stats,
    ...(report.adversary === undefined ? {} : { adversary: report.adversary }),
    version: ZABSIM_VERSION,
  };
}

/**
 * What to do next after a failing run: the replay line, how to save the run file, and the
 * shrink line that minimises its faults.
 */
export function nextSteps(replay: string): string[] {
  const save = `${replay} --json > run.json`;
  return [
    `replay: ${replay}`,
    `save the run file: ${save}`,
    "then: zabsim shrink run.json     (minimise its faults)",
    "      zabsim show run.json       (the story of the failure, then the timeline)",
  ];
}

/** Runs a seed, timing it and writing its trace (and client history) when asked. */
export async function timedRun(
  io: CliIo, seed: number, options: RunOptionsInput, tracePath: string | null,
  historyPath: string | null = null,
): Promise<{ report: RunReport; wallMs: number }> {
  const sink = tracePath === null ? undefined : io.openLines(tracePath);
  const started = io.wallMillis();
  try {
    const report = await runSeed(seed, options, {
      ...(sink === undefined ? {} : { traceSink: (line: string) => sink.write(line) }),
      ...(historyPath === null ? {} : {
        observationSink: (records: readonly ObservationRecord[]) => io.writeFile(historyPath,
          writeJepsenHistory(jepsenEventsOf(clientOps(records)))),
      }),
    });
    return { report, wallMs: io.wallMillis() - started };
  } finally {
    sink?.close();
  }
}

/** `zabsim run [--seed N] [run options] [--json] [--trace FILE]`. */
export async function runCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const parsed = parseOptions("run", SPECS, argv, 0);
  if (parsed.help) {
    io.stdout(HELP);
    return 0;
  }
  if (textOf(parsed, "bug") === "list") {
    io.stdout(jsonWanted(parsed) ? `${JSON.stringify(bugListing())}\n`
      : runBugNames().map((name) => `${name}\n`).join(""));
    return 0;
  }
  const seed = intOf(parsed, "seed");
  const { input, options, schedulePath, given } = runOptionsFromFlags(parsed, io);
  const tracePath = textOf(parsed, "trace");
  refuseSamePath(tracePath, schedulePath, "--trace", "--schedule");
  if (tracePath === "-" && jsonWanted(parsed)) {
    throw new UsageError("--trace - and --json both write standard output: give --trace a FILE");
  }
  const historyPath = textOf(parsed, "history");
  refuseSamePath(historyPath, schedulePath, "--history", "--schedule");
  const { report, wallMs } = await timedRun(io, seed, input, tracePath, historyPath);
  if (jsonWanted(parsed)) {
    io.stdout(`${JSON.stringify(runFileObject(report, wallMs))}\n`);
  } else {
    const c = colorsFor(io);
    const lines = runSummary(c, report, wallMs);
    if (report.violations.length > 0) {
      lines.push(...nextSteps(replayLine(seed, options, schedulePath, given)));
    }
    io.stdout(`${lines.join("\n")}\n`);
  }
  return report.violations.length === 0 ? 0 : 1;
}
