/**
 * Command-line parsing for `zabsim`: every option of every command is declared once here with
 * its kind, default and help line, so that parsing, validation and `--help` cannot disagree.
 * Bad input becomes a UsageError with one line saying what is wrong and how to fix it; main
 * prints it after "zabsim: " and exits 2 (shared/spec/cli.md).
 */
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import type { ParseArgsConfig } from "node:util";
import { SEED_MAX } from "../util/prng.js";

/** Bad usage or bad input: printed as one line, exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

/** How an option's value is read. */
export type OptionKind =
  /** A whole number in [min, max]. */
  | "int"
  /** One of `choices`. */
  | "choice"
  /** Any non-empty text (a file name, a bug name checked later). */
  | "text"
  /** Present or absent; takes no value. */
  | "flag"
  /** An inclusive seed range A..B. */
  | "seeds";

/** One option of one command. */
export interface OptionSpec {
  /** The long name without dashes: "seed" for --seed. */
  readonly name: string;
  readonly kind: OptionKind;
  /** Shown in --help; null means "not set". */
  readonly defaultValue: number | string | boolean | null;
  readonly help: string;
  /** The value's placeholder in --help ("N", "FILE"). */
  readonly placeholder?: string;
  readonly min?: number;
  readonly max?: number;
  readonly choices?: readonly string[];
}

/** An inclusive range of seeds. */
export interface SeedRange {
  readonly first: number;
  readonly last: number;
}

/** A parsed option value. */
export type OptionValue = number | string | boolean | SeedRange | null;

/** One command's parsed options (every declared option, defaults filled) and positionals. */
export interface Parsed {
  readonly values: ReadonlyMap<string, OptionValue>;
  /** Names of the options given on the command line (the rest hold defaults). */
  readonly given: ReadonlySet<string>;
  readonly positionals: readonly string[];
  readonly help: boolean;
}

const WHOLE = /^(0|[1-9][0-9]*)$/;

/** Reads a whole number in [min, max] or throws the contract's one-line error. */
export function parseWhole(flag: string, text: string, min: number, max: number): number {
  const value = WHOLE.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new UsageError(`${flag} takes a whole number from ${min} to ${max}, got "${text}"`);
  }
  return value;
}

/** Reads "A..B" (whole numbers, A <= B) or a single seed "A". */
export function parseSeedRange(flag: string, text: string): SeedRange {
  const match = /^([0-9]+)(?:\.\.([0-9]+))?$/.exec(text);
  const first = match?.[1] === undefined ? Number.NaN : Number(match[1]);
  const last = match?.[2] === undefined ? first : Number(match[2]);
  const ok = [first, last].every((n) => Number.isSafeInteger(n) && n >= 0 && n <= SEED_MAX);
  if (match === null || !ok || first > last) {
    throw new UsageError(
      `${flag} takes a range A..B of seeds (whole numbers from 0 to ${SEED_MAX}, A <= B), ` +
      `got "${text}"`);
  }
  return { first, last };
}

function readValue(spec: OptionSpec, text: string): OptionValue {
  const flag = `--${spec.name}`;
  switch (spec.kind) {
    case "int":
      return parseWhole(flag, text, spec.min ?? 0, spec.max ?? SEED_MAX);
    case "seeds":
      return parseSeedRange(flag, text);
    case "choice": {
      const choices = spec.choices ?? [];
      if (!choices.includes(text)) {
        throw new UsageError(`${flag} takes one of ${choices.join(", ")}, got "${text}"`);
      }
      return text;
    }
    case "text":
      if (text === "") throw new UsageError(`${flag} needs a non-empty value`);
      return text;
    case "flag":
      throw new UsageError(`${flag} takes no value`);
  }
}

/** Node's parseArgs configuration for `specs`: every value is read as text, then judged. */
function parseArgsConfig(specs: readonly OptionSpec[]): ParseArgsConfig["options"] {
  const options: NonNullable<ParseArgsConfig["options"]> = {
    help: { type: "boolean", short: "h" },
  };
  for (const spec of specs) {
    options[spec.name] = { type: spec.kind === "flag" ? "boolean" : "string" };
  }
  return options;
}

/**
 * Parses the arguments after the command name against `specs` with Node's util.parseArgs
 * (which accepts `--name value`, `--name=value`, and `--` ending the options), then judges its
 * tokens: an unknown option, a repeated one, a missing value or a value given to a flag is a
 * one-line UsageError. `--help`/`-h` anywhere asks for help; `-` is a positional (stdin/stdout).
 */
export function parseOptions(
  command: string, specs: readonly OptionSpec[], argv: readonly string[], positionalsMax: number,
): Parsed {
  const byName = new Map(specs.map((spec) => [spec.name, spec]));
  const values = new Map<string, OptionValue>(specs.map((s) => [s.name, s.defaultValue]));
  const given = new Set<string>();
  const positionals: string[] = [];
  let help = false;
  const { tokens } = parseArgs({
    args: [...argv], options: parseArgsConfig(specs), strict: false, allowPositionals: true,
    tokens: true,
  });
  for (const token of tokens) {
    if (token.kind === "positional") positionals.push(token.value);
    if (token.kind !== "option") continue;
    if (token.name === "help") {
      help = true;
      continue;
    }
    const spec = token.rawName.startsWith("--") ? byName.get(token.name) : undefined;
    if (spec === undefined) {
      throw new UsageError(`unknown option ${token.rawName} for "zabsim ${command}" ` +
        `(see zabsim ${command} --help)`);
    }
    if (given.has(spec.name)) throw new UsageError(`--${spec.name} is given twice`);
    given.add(spec.name);
    values.set(spec.name, optionValue(spec, token.value, token.inlineValue === true));
  }
  if (!help && positionals.length > positionalsMax) {
    const extra = positionals[positionalsMax] ?? "";
    throw new UsageError(`unexpected argument "${extra}" for "zabsim ${command}" ` +
      `(see zabsim ${command} --help)`);
  }
  return { values, given, positionals, help };
}

/** One option token's value, judged against its spec. */
function optionValue(spec: OptionSpec, text: string | undefined, inline: boolean): OptionValue {
  if (spec.kind === "flag") {
    if (inline || text !== undefined) throw new UsageError(`--${spec.name} takes no value`);
    return true;
  }
  if (text === undefined) {
    throw new UsageError(`--${spec.name} needs a value (${helpValue(spec)})`);
  }
  return readValue(spec, text);
}

/** The value placeholder shown in help and in "needs a value" errors. */
function helpValue(spec: OptionSpec): string {
  if (spec.placeholder !== undefined) return spec.placeholder;
  switch (spec.kind) {
    case "int":
      return "N";
    case "seeds":
      return "A..B";
    case "choice":
      return (spec.choices ?? []).join("|");
    case "text":
      return "TEXT";
    case "flag":
      return "";
  }
}

/**
 * The lines of a command's --help: usage, summary, every option with its default, then
 * examples to paste (each a command line, optionally followed by "  # why").
 */
export function renderHelp(
  usage: string, summary: readonly string[], specs: readonly OptionSpec[],
  examples: readonly string[] = [],
): string {
  const rows = specs.map((spec) => {
    const value = helpValue(spec);
    const left = `  --${spec.name}${value === "" ? "" : ` ${value}`}`;
    const fallback = spec.kind === "flag" ? "" : `  (default: ${showDefault(spec)})`;
    return [left, `${spec.help}${fallback}`] as const;
  });
  const width = Math.max(20, ...rows.map(([left]) => left.length)) + 2;
  const lines = [`usage: ${usage}`, "", ...summary, "", "options:"];
  for (const [left, right] of rows) lines.push(`${left.padEnd(width)}${right}`);
  lines.push(`${"  --help".padEnd(width)}show this help`);
  if (examples.length > 0) lines.push("", "examples:", ...examples.map((e) => `  ${e}`));
  return `${lines.join("\n")}\n`;
}

function showDefault(spec: OptionSpec): string {
  const value = spec.defaultValue;
  if (value === null) return "none";
  return String(value);
}

/** The typed accessors commands use on parsed values. */
export function intOf(parsed: Parsed, name: string): number {
  const value = parsed.values.get(name);
  if (typeof value !== "number") throw new UsageError(`--${name} is missing`);
  return value;
}

/** A text option's value, or null when unset. */
export function textOf(parsed: Parsed, name: string): string | null {
  const value = parsed.values.get(name);
  return typeof value === "string" ? value : null;
}

/** True when a flag was given. */
export function flagOf(parsed: Parsed, name: string): boolean {
  return parsed.values.get(name) === true;
}

/** A seed range option's value (its default may be written as "A..B"). */
export function seedsOf(parsed: Parsed, name: string): SeedRange {
  const value = parsed.values.get(name);
  if (typeof value === "string") return parseSeedRange(`--${name}`, value);
  if (value === null || typeof value !== "object") throw new UsageError(`--${name} is missing`);
  return value;
}

/**
 * Refuses an output path that is also an input path (writing would destroy what is read);
 * `-` (standard input or output) is never the same file.
 */
export function refuseSamePath(
  output: string | null, input: string | null | undefined, outFlag: string, inFlag: string,
): void {
  if (output === null || input === null || input === undefined) return;
  if (output === "-" || input === "-") return;
  if (resolve(output) === resolve(input)) {
    throw new UsageError(`${outFlag} ${output} is also ${inFlag}: ` +
      "writing it would destroy the input; choose another file");
  }
}
