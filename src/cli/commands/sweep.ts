/**
 * `zabsim sweep --seeds A..B`: every seed in the range with the same options, one after another.
 * Human output lists the failing seeds with their first violation and the exact command line
 * that reproduces each; on a terminal a progress line counts up. `--json` prints
 * {seeds, passed, failing: [{seed, violations, replay}], wallMs}. Exit 1 when any seed fails.
 */
import { parseOptions, renderHelp, seedsOf } from "../args.js";
import type { OptionSpec } from "../args.js";
import { colorsFor, ms, violationLine } from "../format.js";
import type { CliIo } from "../io.js";
import { RUN_FLAG_SPECS, jsonWanted, replayLine, runOptionsFromFlags } from "../run-flags.js";
import { timedRun } from "./run.js";
import type { RunViolation } from "../../run/index.js";
import { defined } from "../../util/assert.js";

const SPECS: readonly OptionSpec[] = [
  {
    name: "seeds", kind: "seeds", defaultValue: "1..100", help: "the inclusive range of seeds",
  },
  ...RUN_FLAG_SPECS,
  { name: "json", kind: "flag", defaultValue: false, help: "print one JSON object" },
];

const HELP = renderHelp("zabsim sweep --seeds A..B [run options] [--json]", [
  "Runs every seed from A to B with the same options and lists the failing ones, each with",
  "the command line that reproduces it. Exit 0 when every seed passed, 1 otherwise.",
], SPECS);

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
  const { options, schedulePath } = runOptionsFromFlags(parsed, io);
  const json = jsonWanted(parsed);
  const c = colorsFor(io);
  const progress = io.isTTY && !json;
  const failing: Failing[] = [];
  const started = io.wallMillis();
  let events = 0;
  let simMs = 0;
  for (let seed = range.first; seed <= range.last; seed++) {
    const { report } = timedRun(io, seed, options, null);
    events += report.events;
    simMs += report.simTimeMs;
    if (report.violations.length > 0) {
      const replay = replayLine(seed, options, schedulePath);
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
      wallMs: Math.round(wallMs),
    })}\n`);
  } else {
    const verdict = failing.length === 0 ? c.green("PASS") : c.red("FAIL");
    io.stdout(`${verdict}: ${seeds - failing.length} of ${seeds} seeds passed ` +
      `(${range.first}..${range.last}) in ${ms(wallMs)}, ${events} events, ` +
      `${ms(simMs)} simulated\n`);
    if (failing.length > 0) io.stdout(`failing seeds: ${failing.map((f) => f.seed).join(", ")}\n`);
    const outside = failing.filter((f) => f.violations.some((v) => v.faultModel === "outside"));
    if (outside.length > 0) {
      const why = options.faults === "adversary"
        ? "were attacked on plain quorum traffic" : "corrupted synced records";
      io.stdout(`${c.yellow(`${outside.length} of them ${why}:`)} ` +
        "their violations lie outside ZAB's fault model\n");
    }
  }
  return failing.length === 0 ? 0 : 1;
}
