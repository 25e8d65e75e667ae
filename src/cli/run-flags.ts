/**
 * The run options as command-line flags, shared by run, sweep, replay and shrink so that every
 * command spells them the same way, shows the same defaults, and builds the same replay line.
 */
import { allBugNames, isBugName } from "../consensus/bugs.js";
import {
  DEFAULT_SEED, RUN_DEFAULTS, RUN_FAULT_MIXES, RUN_LIMITS, runOptionsProblem,
} from "../run/index.js";
import type { RunOptions } from "../run/index.js";
import type { ScheduledFault } from "../sim/index.js";
import { UsageError, flagOf, intOf, textOf } from "./args.js";
import type { OptionSpec, Parsed } from "./args.js";
import type { CliIo } from "./io.js";
import { KNOB_FLAG_SPECS, knobFlagOf, knobSections, knobWords } from "./knob-flags.js";
import { SEED_MAX } from "../util/prng.js";

/** --seed: shared by run, replay, shrink and demo. */
export const SEED_SPEC: OptionSpec = {
  name: "seed", kind: "int", defaultValue: DEFAULT_SEED, min: 0, max: SEED_MAX,
  help: "the run's seed: the same seed and options give the same run",
};

/** Flags for the run options, in the order --help lists them. */
export const RUN_FLAG_SPECS: readonly OptionSpec[] = [
  {
    name: "replicas", kind: "int", defaultValue: RUN_DEFAULTS.replicas, min: 1,
    max: RUN_LIMITS.replicasMax, help: "voting servers (ZooKeeper participants)",
  },
  {
    name: "observers", kind: "int", defaultValue: RUN_DEFAULTS.observers, min: 0,
    max: RUN_LIMITS.observersMax, help: "non-voting servers (observers)",
  },
  {
    name: "clients", kind: "int", defaultValue: RUN_DEFAULTS.clients, min: 0,
    max: RUN_LIMITS.clientsMax, help: "workload clients issuing reads and writes",
  },
  {
    name: "duration-ms", kind: "int", defaultValue: RUN_DEFAULTS.durationMs, min: 1,
    max: RUN_LIMITS.durationMsMax, help: "simulated length of the safety phase (faults on)",
  },
  {
    name: "liveness-ms", kind: "int", defaultValue: RUN_DEFAULTS.livenessMs, min: 0,
    max: RUN_LIMITS.durationMsMax,
    help: "simulated length of the healed phase; a write must commit within it",
  },
  {
    name: "faults", kind: "choice", defaultValue: RUN_DEFAULTS.faults,
    choices: RUN_FAULT_MIXES,
    help: "the safety phase's fault mix (corruption: standard + bit flips of synced records;" +
      " adversary: standard + an attacker on the wire between servers)",
  },
  {
    name: "secure-quorum", kind: "choice", defaultValue: null, choices: ["on", "off"],
    help: "authenticated, encrypted server-to-server traffic, like ZooKeeper's sslQuorum " +
      "(default: off, on with --faults adversary)",
  },
  {
    name: "bug", kind: "text", defaultValue: null, placeholder: "NAME",
    help: "plant a known protocol bug (--bug list prints the names)",
  },
  {
    name: "schedule", kind: "text", defaultValue: null, placeholder: "FILE",
    help: "explicit faults to add: a JSON list of {atMicros, fault}, or a run file",
  },
  ...KNOB_FLAG_SPECS,
];

/** Run options read from flags, and the schedule file's name (for the replay line). */
export interface FlagRunOptions {
  readonly options: RunOptions;
  readonly schedulePath: string | null;
}

/** Builds and validates the run options given on the command line. */
export function runOptionsFromFlags(parsed: Parsed, io: CliIo): FlagRunOptions {
  const schedulePath = textOf(parsed, "schedule");
  const bug = textOf(parsed, "bug");
  if (bug !== null && !isBugName(bug)) {
    throw new UsageError(`--bug takes one of ${allBugNames().join(", ")} (or list), got "${bug}"`);
  }
  const faults = RUN_FAULT_MIXES.find((mix) => mix === textOf(parsed, "faults"));
  const secure = textOf(parsed, "secure-quorum");
  const options: RunOptions = {
    replicas: intOf(parsed, "replicas"),
    observers: intOf(parsed, "observers"),
    clients: intOf(parsed, "clients"),
    durationMs: intOf(parsed, "duration-ms"),
    livenessMs: intOf(parsed, "liveness-ms"),
    faults: faults ?? RUN_DEFAULTS.faults,
    bug,
    secureQuorum: secure === null ? faults === "adversary" : secure === "on",
    schedule: schedulePath === null ? [] : readSchedule(io, schedulePath),
    ...knobSections(parsed.given, (name) => textOf(parsed, name)),
  };
  const problem = runOptionsProblem(options);
  if (problem !== undefined) {
    // A knob's problem is reported against the flag the user typed, with the sim's reason.
    const flag = knobFlagOf(problem.field);
    const text = flag === undefined ? null : textOf(parsed, flag);
    const given = flag !== undefined && parsed.given.has(flag);
    throw new UsageError(given ? `--${flag} ${text ?? ""}: ${problem.message}` : problem.message);
  }
  return { options, schedulePath };
}

/** Reads a schedule: a JSON list of scheduled faults, or a run file's options.schedule. */
export function readSchedule(io: CliIo, path: string): ScheduledFault[] {
  const value = readJson(io, path);
  if (Array.isArray(value)) return value as ScheduledFault[];
  const options = (value as { options?: { schedule?: unknown } } | null)?.options;
  if (options !== undefined && Array.isArray(options.schedule)) {
    return options.schedule as ScheduledFault[];
  }
  throw new UsageError(`${path}: a schedule is a JSON list of {atMicros, fault} or a run file`);
}

/** Parses a JSON file or throws a one-line UsageError naming it. */
export function readJson(io: CliIo, path: string): unknown {
  let text: string;
  try {
    text = io.readFile(path);
  } catch (error) {
    const code = (error as { code?: string }).code;
    throw new UsageError(`cannot read ${path}${code === undefined ? "" : ` (${code})`}`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new UsageError(`${path} is not valid JSON`);
  }
}

/** Quotes an argument for a POSIX shell when it needs it. */
function shellWord(word: string): string {
  return /^[A-Za-z0-9_./:=,@+-]+$/.test(word) ? word : `'${word.replaceAll("'", "'\\''")}'`;
}

/**
 * The exact command line that reproduces a run: `zabsim run --seed N` with every non-default
 * option spelled out (shared/spec/cli.md, sweep's `replay`).
 */
export function replayLine(seed: number, options: RunOptions, schedulePath: string | null): string {
  const words = ["zabsim", "run", "--seed", String(seed)];
  const d = RUN_DEFAULTS;
  const add = (flag: string, value: string | number) => words.push(`--${flag}`, String(value));
  if (options.replicas !== d.replicas) add("replicas", options.replicas);
  if (options.observers !== d.observers) add("observers", options.observers);
  if (options.clients !== d.clients) add("clients", options.clients);
  if (options.durationMs !== d.durationMs) add("duration-ms", options.durationMs);
  if (options.livenessMs !== d.livenessMs) add("liveness-ms", options.livenessMs);
  if (options.faults !== d.faults) add("faults", options.faults);
  if (options.bug !== null) add("bug", options.bug);
  if (options.secureQuorum !== (options.faults === "adversary")) {
    add("secure-quorum", options.secureQuorum ? "on" : "off");
  }
  if (options.schedule.length > 0) add("schedule", schedulePath ?? "FILE");
  words.push(...knobWords(options));
  return words.map(shellWord).join(" ");
}

/** True when `--json` was given. */
export const jsonWanted = (parsed: Parsed): boolean => flagOf(parsed, "json");
