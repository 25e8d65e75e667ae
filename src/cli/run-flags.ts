/**
 * The run options as command-line flags, shared by run, sweep, replay and shrink so that every
 * command spells them the same way, shows the same defaults, and builds the same replay line.
 */
import {
  DEFAULT_SEED, OPTION_TABLE, defaultsIn, fieldValue, readOption, resolveRunOptions,
  runOptionsProblem, showOption, unmetBugNeeds,
} from "../run/index.js";
import type { OptionDef, RunOptions, RunOptionsInput } from "../run/index.js";
import type { ScheduledFault } from "../sim/index.js";
import { UsageError, flagOf, textOf } from "./args.js";
import type { OptionSpec, Parsed } from "./args.js";
import type { CliIo } from "./io.js";
import { readText } from "./io.js";
import { SEED_MAX } from "../util/prng.js";

/** --seed: shared by run, replay, shrink and demo. */
export const SEED_SPEC: OptionSpec = {
  name: "seed", kind: "int", defaultValue: DEFAULT_SEED, min: 0, max: SEED_MAX,
  help: "the run's seed: the same seed and options give the same run",
};

/** How a table option appears among a command's flags (its value is read by the table). */
function specOf(def: OptionDef): OptionSpec {
  if (def.unit === "switch") {
    return { name: def.flag, kind: "flag", help: def.help, defaultValue: false };
  }
  const defaultText = def.unit === "bug" || def.unit === "schedule" ? null
    : showOption(def, def.defaults);
  return { name: def.flag, kind: "text", placeholder: def.placeholder, help: def.help,
    defaultValue: defaultText };
}

/** Flags for the run options, in the order --help lists them (from run/option-table.ts). */
export const RUN_FLAG_SPECS: readonly OptionSpec[] = OPTION_TABLE.map(specOf);

/** Run options read from flags, the schedule file's name and the flags given (for replay). */
export interface FlagRunOptions {
  /**
   * The fields the flags give and nothing else: what a run is given, so that with swarm on
   * the seed draws every other world knob (run/swarm.ts).
   */
  readonly input: RunOptionsInput;
  /** The input with the defaults filled in (no draw): validated, and what replay lines spell. */
  readonly options: RunOptions;
  readonly schedulePath: string | null;
  /** The run options' flags the user typed, default-valued or not. */
  readonly given: ReadonlySet<string>;
}

/** Sets a dotted field ("network.lossProbability") of an options record under construction. */
function setField(record: Record<string, unknown>, field: string, value: unknown): void {
  const [head, tail] = field.split(".");
  if (head === undefined) return;
  if (tail === undefined) {
    record[head] = value;
    return;
  }
  record[head] = { ...(record[head] as object), [tail]: value };
}

/** Builds and validates the run options given on the command line. */
export function runOptionsFromFlags(parsed: Parsed, io: CliIo): FlagRunOptions {
  const schedulePath = textOf(parsed, "schedule");
  const record: Record<string, unknown> = {};
  const given = new Set<string>();
  for (const def of OPTION_TABLE) {
    if (def.unit === "switch" && flagOf(parsed, def.flag)) {
      given.add(def.flag);
      def.fields.forEach((field) => setField(record, field, true));
      continue;
    }
    const text = textOf(parsed, def.flag);
    if (!parsed.given.has(def.flag) || text === null) continue;
    given.add(def.flag);
    if (def.unit === "schedule") continue;
    const read = readOption(def, text);
    if (!read.ok) throw new UsageError(read.message);
    def.fields.forEach((field, i) => setField(record, field, read.values[i]));
  }
  if (schedulePath !== null) record["schedule"] = readSchedule(io, schedulePath);
  const input = record as RunOptionsInput;
  // The defaults, implied ones included (the adversary mix's secure quorum), fill the rest.
  const options = resolveRunOptions(input);
  const problem = runOptionsProblem(options);
  if (problem !== undefined) {
    // A problem is reported against the flag the user typed, with the table's or world's reason.
    const def = OPTION_TABLE.find((d) => d.fields.some((f) => problem.field.startsWith(f)));
    const text = def === undefined ? null : textOf(parsed, def.flag);
    const typed = def !== undefined && def.unit !== "schedule" && given.has(def.flag);
    throw new UsageError(typed ? `--${def.flag} ${text ?? ""}: ${problem.message}`
      : problem.message);
  }
  const unmet = unmetBugNeeds(options);
  if (unmet.length > 0) {
    throw new UsageError(`--bug ${options.bug ?? ""} cannot show with these options: ` +
      `it needs ${unmet.join(", and ")}`);
  }
  return { input, options, schedulePath, given };
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
  const text = readText(io, path);
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
 * `--flag value` words for the table's options that `given` names or whose value in `options`
 * differs from the default; `only` limits them to some options (the world knobs, say).
 */
export function optionWords(
  options: RunOptions, given: ReadonlySet<string> = new Set(),
  only: (def: OptionDef) => boolean = () => true,
): string[] {
  const words: string[] = [];
  for (const def of OPTION_TABLE) {
    if (!only(def) || def.unit === "schedule") continue;
    const text = showOption(def, def.fields.map((field) => fieldValue(options, field)));
    if (def.unit === "switch") {
      if (text === "on") words.push(`--${def.flag}`); // off is the default: no word
    } else if (given.has(def.flag) || text !== showOption(def, defaultsIn(def, options))) {
      words.push(`--${def.flag}`, text);
    }
  }
  return words;
}

/** The world knobs (a section's fields) that differ from their defaults, as flag words. */
export function knobWords(options: RunOptions): string[] {
  return optionWords(options, new Set(), (def) => def.fields.some((f) => f.includes(".")));
}

/**
 * The exact command line that reproduces a run: `zabsim run --seed N` with every option the
 * user set (`given`, even at its default value) and every non-default one spelled out
 * (shared/spec/cli.md, sweep's `replay`), so a replay never draws a different world.
 */
export function replayLine(
  seed: number, options: RunOptions, schedulePath: string | null,
  given: ReadonlySet<string> = new Set(),
): string {
  const words = ["zabsim", "run", "--seed", String(seed), ...optionWords(options, given)];
  if (options.schedule.length > 0 || (given.has("schedule") && schedulePath !== null)) {
    words.push("--schedule", schedulePath ?? "FILE");
  }
  return words.map(shellWord).join(" ");
}

/** True when `--json` was given. */
export const jsonWanted = (parsed: Parsed): boolean => flagOf(parsed, "json");
