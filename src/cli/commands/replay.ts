/**
 * `zabsim replay FILE` runs a saved run file again and compares the trace hash with the saved
 * one; `zabsim replay --seed N [options]` runs the seed twice and compares the two (the
 * determinism self-check of FoundationDB's unseed check and madsim's CHECK_DETERMINISM). Either
 * way it prints the trace window leading to the first violation. Exit 1 when the hashes differ.
 */
import { intOf, parseOptions, refuseSamePath, renderHelp, textOf } from "../args.js";
import type { OptionSpec } from "../args.js";
import { colorsFor, runSummary } from "../format.js";
import type { CliIo } from "../io.js";
import {
  RUN_FLAG_SPECS, SEED_SPEC, jsonWanted, replayLine, runOptionsFromFlags,
} from "../run-flags.js";
import { loadRunFile, refuseFlagsBesideRunFile } from "../run-file.js";
import { ZABSIM_VERSION } from "../version.js";
import { timelineLine } from "../timeline.js";
import { tracedRun, windowOf } from "../traced.js";
import { timedRun } from "./run.js";

const SPECS: readonly OptionSpec[] = [
  SEED_SPEC,
  ...RUN_FLAG_SPECS,
  {
    name: "limit", kind: "int", defaultValue: 30, min: 0, max: 1_000_000,
    help: "trace lines to show (those leading to the first violation)",
  },
  { name: "json", kind: "flag", defaultValue: false, help: "print one JSON object" },
  {
    name: "trace", kind: "text", defaultValue: null, placeholder: "FILE",
    help: "write the whole trace as JSON lines",
  },
];

const HELP = renderHelp("zabsim replay (RUN_FILE | --seed N [run options]) [--limit N] [--json]", [
  "Runs a saved run again (the JSON of zabsim run --json) and checks that its trace hash is",
  "unchanged, or runs a seed twice and checks the two hashes agree; then shows the trace",
  "leading to the first violation. Exit 1 when the hashes differ.",
], SPECS, [
  "zabsim replay run.json",
  "zabsim replay --seed 7                # the seed twice, hashes compared",
  `zabsim run --seed 7 --json | zabsim replay -   # "-" reads standard input`,
]);

/** Why a saved hash may differ: the file was made by another zabsim version. */
function versionNote(saved: string | null): string {
  if (saved === ZABSIM_VERSION) return "";
  const maker = saved === null ? "a zabsim that did not record its version" : `zabsim ${saved}`;
  return ` (the run file was made by ${maker}, this is zabsim ${ZABSIM_VERSION}: ` +
    "a different version may simulate the same seed differently)";
}

/** `zabsim replay (RUN_FILE | --seed N [run options])`. */
export async function replayCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const parsed = parseOptions("replay", SPECS, argv, 1);
  if (parsed.help) {
    io.stdout(HELP);
    return 0;
  }
  const path = parsed.positionals[0];
  if (path !== undefined) refuseFlagsBesideRunFile("replay", parsed.given);
  refuseSamePath(textOf(parsed, "trace"), path, "--trace", "the run file");
  const fromFile = path === undefined ? undefined : loadRunFile(io, path);
  const seed = fromFile?.seed ?? intOf(parsed, "seed");
  const flags = fromFile === undefined ? runOptionsFromFlags(parsed, io) : undefined;
  const options = fromFile?.options ?? flags?.input;
  if (options === undefined) throw new Error("replay: no options");
  const run = await tracedRun(io, seed, options, textOf(parsed, "trace"));
  const expected = fromFile?.traceHash ??
    (await timedRun(io, seed, options, null)).report.traceHash;
  const same = expected === run.report.traceHash;
  if (jsonWanted(parsed)) {
    io.stdout(`${JSON.stringify({
      seed, options: run.report.options, expectedHash: expected,
      traceHash: run.report.traceHash, same,
      violations: run.report.violations,
    })}\n`);
    return same ? 0 : 1;
  }
  const c = colorsFor(io);
  const lines = runSummary(c, run.report, run.wallMs);
  lines.push(same
    ? c.green(`replayed: trace hash ${run.report.traceHash} matches ` +
      (fromFile === undefined ? "a second run" : path))
    : c.red(`DIFFERENT: trace hash ${run.report.traceHash}, expected ${expected}` +
      versionNote(fromFile?.version ?? null)));
  const limit = intOf(parsed, "limit");
  if (limit > 0) {
    const first = run.report.violations[0];
    lines.push(first === undefined ? `first ${limit} trace lines:`
      : `trace up to the first violation (event ${first.event}):`);
    for (const line of windowOf(run, limit)) lines.push(timelineLine(c, line));
  }
  const schedulePath = flags?.schedulePath ?? path ?? null;
  const spelled = fromFile?.options ?? flags?.options ?? run.report.options;
  lines.push(`run it: ${replayLine(seed, spelled, schedulePath, flags?.given)}`);
  io.stdout(`${lines.join("\n")}\n`);
  return same ? 0 : 1;
}
