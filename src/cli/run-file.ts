/**
 * Run files: the object `zabsim run --json` prints, saved. It holds the seed and every option in
 * force, so it is all replay, shrink and show need to run the seed again; its traceHash is what
 * replay compares against. Loading checks the shape and the options, and names the file and the
 * field in a one-line UsageError (exit 2) when something is wrong.
 */
import {
  OPTION_TABLE, RUN_OPTION_KEYS, RUN_SECTIONS, resolveRunOptions, validateRunOptions,
} from "../run/index.js";
import type { RunOptions, RunOptionsInput } from "../run/index.js";
import { SEED_MAX } from "../util/prng.js";
import { UsageError } from "./args.js";
import type { CliIo } from "./io.js";
import { readJson } from "./run-flags.js";

/** What a run file gives back. */
export interface RunFile {
  readonly seed: number;
  readonly options: RunOptions;
  /** The hash the run had when it was saved (absent in a hand-written file). */
  readonly traceHash: string | null;
  /** The zabsim version that saved it (absent in files saved before versions were recorded). */
  readonly version: string | null;
}


/** Loads and validates a run file. */
export function loadRunFile(io: CliIo, path: string): RunFile {
  const value = readJson(io, path);
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new UsageError(
      `${path} is not a run file (expected the object "zabsim run --json" prints)`);
  }
  const record = value as Record<string, unknown>;
  const seed = record["seed"];
  if (typeof seed !== "number" || !Number.isSafeInteger(seed) || seed < 0 || seed > SEED_MAX) {
    throw new UsageError(`${path}: "seed" must be a whole number from 0 to ${SEED_MAX}`);
  }
  const raw = record["options"] ?? {};
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    throw new UsageError(`${path}: "options" must be an object`);
  }
  const given: Record<string, unknown> = {};
  for (const key of Object.keys(raw).sort()) {
    if (!RUN_OPTION_KEYS.includes(key)) {
      throw new UsageError(`${path}: unknown option "${key}" in "options"`);
    }
    const field = (raw as Record<string, unknown>)[key];
    if (RUN_SECTIONS.has(key) &&
      (typeof field !== "object" || field === null || Array.isArray(field))) {
      throw new UsageError(`${path}: options.${key} must be an object`);
    }
    given[key] = field;
  }
  // A file saved before swarm worlds (no "swarm") ran the fixed world: it must not draw now.
  if (given["swarm"] === undefined) given["swarm"] = false;
  const options = resolveRunOptions(given as RunOptionsInput);
  const problem = validateRunOptions(options);
  if (problem !== undefined) throw new UsageError(`${path}: options.${problem}`);
  const hash = record["traceHash"];
  if (hash !== undefined && typeof hash !== "string") {
    throw new UsageError(`${path}: "traceHash" must be a string`);
  }
  const version = record["version"];
  if (version !== undefined && typeof version !== "string") {
    throw new UsageError(`${path}: "version" must be a string`);
  }
  return { seed, options, traceHash: hash ?? null, version: version ?? null };
}

/**
 * Refuses run-option flags beside a run file: the file holds the seed and every option, so a
 * flag given with it could not be honoured and must not be silently ignored (issue 22).
 */
export function refuseFlagsBesideRunFile(command: string, given: ReadonlySet<string>): void {
  const flag = ["seed", ...OPTION_TABLE.map((def) => def.flag)].find((name) => given.has(name));
  if (flag === undefined) return;
  throw new UsageError(`zabsim ${command} FILE takes the seed and every option from FILE, so ` +
    `--${flag} cannot be honoured beside it (drop it, or give --seed N and options instead of ` +
    "a file)");
}
