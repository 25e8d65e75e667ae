/**
 * `zabsim shrink (RUN_FILE | --seed N [options])`: minimises the fault plan of a failing run by
 * delta debugging (src/run/shrink.ts), prints the smaller plan and writes it as a run file whose
 * replay line reproduces the failure. Exit 1 when a failing run was shrunk (the result still
 * fails a check), 2 when the given run does not fail.
 */
import {
  intOf, parseOptions, refuseSamePath, renderHelp, textOf, UsageError,
} from "../args.js";
import type { OptionSpec } from "../args.js";
import { colorsFor, faultLine, violationLine } from "../format.js";
import type { CliIo } from "../io.js";
import {
  RUN_FLAG_SPECS, SEED_SPEC, jsonWanted, replayLine, runOptionsFromFlags,
} from "../run-flags.js";
import { loadRunFile, refuseFlagsBesideRunFile } from "../run-file.js";
import { shrinkFaults } from "../../run/index.js";
import { runFileObject } from "./run.js";

const SPECS: readonly OptionSpec[] = [
  SEED_SPEC,
  ...RUN_FLAG_SPECS,
  {
    name: "runs-max", kind: "int", defaultValue: 200, min: 2, max: 100_000,
    help: "simulation runs to spend at most",
  },
  {
    name: "out", kind: "text", defaultValue: null, placeholder: "FILE",
    help: "where to write the shrunk run file (default: shrunk-seed-N.json)",
  },
  { name: "json", kind: "flag", defaultValue: false, help: "print one JSON object" },
];

const HELP = renderHelp("zabsim shrink (RUN_FILE | --seed N [run options]) [--runs-max N]", [
  "Minimises the faults of a failing run (delta debugging over its explicit fault schedule)",
  "while it still fails the same checker, then writes the smaller run as a run file.",
], SPECS, [
  "zabsim sweep --seeds 1..20 --bug skip-trunc   # find a failing seed, then:",
  "zabsim shrink --seed 1 --bug skip-trunc --out small.json",
  "zabsim shrink fail.json --out small.json",
]);

/** `zabsim shrink (RUN_FILE | --seed N [run options])`. */
export async function shrinkCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const parsed = parseOptions("shrink", SPECS, argv, 1);
  if (parsed.help) {
    io.stdout(HELP);
    return 0;
  }
  const path = parsed.positionals[0];
  if (path !== undefined) refuseFlagsBesideRunFile("shrink", parsed.given);
  const file = path === undefined ? undefined : loadRunFile(io, path);
  const seed = file?.seed ?? intOf(parsed, "seed");
  const out = textOf(parsed, "out") ?? `shrunk-seed-${seed}.json`;
  refuseSamePath(out, path, "--out", "the run file");
  refuseSamePath(out, textOf(parsed, "schedule"), "--out", "--schedule");
  const options = file?.options ?? runOptionsFromFlags(parsed, io).input;
  const c = colorsFor(io);
  const progress = io.isTTY && !jsonWanted(parsed);
  const result = await shrinkFaults(seed, options, intOf(parsed, "runs-max"), (runs) => {
    if (progress) io.stdout(`\r\u001b[Kshrinking: run ${runs}`);
  });
  if (progress) io.stdout("\r\u001b[K");
  if (result.original.violations.length === 0) {
    throw new UsageError(`seed ${seed} passes every check with these options: nothing to shrink`);
  }
  const shrunk = result.shrunk;
  if (shrunk === null) {
    io.stdout(`${c.yellow("could not reproduce the failure from its explicit fault schedule")}; ` +
      `nothing shrunk (${result.runs} runs)\n`);
    return 1;
  }
  io.writeFile(out, `${JSON.stringify(runFileObject(shrunk, 0))}\n`);
  const replay = replayLine(seed, shrunk.options, out);
  if (jsonWanted(parsed)) {
    io.stdout(`${JSON.stringify({
      seed, runs: result.runs, exhausted: result.exhausted,
      faultsBefore: result.faultsBefore.length, faultsAfter: shrunk.options.schedule.length,
      schedule: shrunk.options.schedule, violations: shrunk.violations, file: out, replay,
    })}\n`);
    return 1;
  }
  const lines = [
    `shrunk seed ${seed} from ${result.faultsBefore.length} faults to ` +
      `${shrunk.options.schedule.length} in ${result.runs} runs` +
      (result.exhausted ? c.yellow(" (budget spent; it may shrink further)") : ""),
    ...shrunk.options.schedule.map((entry) => faultLine(entry)),
    "still fails:",
    ...shrunk.violations.slice(0, 3).map((v) => violationLine(c, v)),
    `wrote ${out}`,
    `replay: zabsim replay ${out}`,
    `    or: ${replay}`,
  ];
  io.stdout(`${lines.join("\n")}\n`);
  return 1;
}
