/**
 * Reading a saved `sweep --json` output for `zabsim merge`: checks its shape and that it is
 * consistent with itself (its seed count is its shard's size, its failing seeds are its shard's,
 * in order, once each), and names the file and the field in a one-line UsageError (exit 2)
 * otherwise. Whether several files belong together is merge.ts's business.
 */
import type { RunOptions } from "../../run/index.js";
import { SEED_MAX } from "../../util/prng.js";
import { UsageError } from "../args.js";
import type { CliIo } from "../io.js";
import { readJson } from "../run-flags.js";
import { SHARD_COUNT_MAX, shardHolds, shardSize, shardText } from "./shard.js";
import type { FailingSeed, ShrunkSeed, SweepSummary } from "./summary.js";

type Fields = Record<string, unknown>;

const isObject = (value: unknown): value is Fields =>
  typeof value === "object" && value !== null && !Array.isArray(value);

const isWhole = (value: unknown, max = SEED_MAX): value is number =>
  typeof value === "number" && Number.isSafeInteger(value) && value >= 0 && value <= max;

/** Reads field `name` of `record`, checked by `ok`, or throws naming the file and field. */
function field<T>(
  path: string, record: Fields, name: string, ok: (v: unknown) => v is T, what: string,
): T {
  const value = record[name];
  if (!ok(value)) throw new UsageError(`${path}: "${name}" must be ${what}`);
  return value;
}

const isFailing = (value: unknown): value is FailingSeed =>
  isObject(value) && isWhole(value["seed"]) && typeof value["replay"] === "string" &&
  Array.isArray(value["violations"]) && value["violations"].length > 0 &&
  value["violations"].every((v) => isObject(v) && typeof v["checker"] === "string");

const isShrunk = (value: unknown): value is ShrunkSeed =>
  isObject(value) && isWhole(value["seed"]) && isWhole(value["runs"]) &&
  (value["file"] === null || typeof value["file"] === "string");

const isCoverage = (value: unknown): value is Record<string, number> =>
  isObject(value) && Object.values(value).every((count) => isWhole(count));

const listOf = <T>(ok: (v: unknown) => v is T) =>
  (value: unknown): value is T[] => Array.isArray(value) && value.every(ok);

/** The range and shard of a file, checked. */
function placeOf(path: string, record: Fields): Pick<SweepSummary, "range" | "shard"> {
  const range = field(path, record, "range", isObject, "an object {first, last}");
  const shard = field(path, record, "shard", isObject, "an object {index, count}");
  const [first, last] = [range["first"], range["last"]];
  if (!isWhole(first) || !isWhole(last) || first > last) {
    throw new UsageError(`${path}: "range" must be {first, last} with seeds first <= last`);
  }
  const [index, count] = [shard["index"], shard["count"]];
  if (!isWhole(index, SHARD_COUNT_MAX) || !isWhole(count, SHARD_COUNT_MAX) || index < 1 ||
    index > count) {
    throw new UsageError(`${path}: "shard" must be {index, count} with 1 <= index <= count`);
  }
  return { range: { first, last }, shard: { index, count } };
}

/** Checks the seeds a file claims against its shard. */
function checkSeeds(path: string, summary: SweepSummary): void {
  const { range, shard, failing } = summary;
  const size = shardSize(range, shard);
  if (summary.seeds !== size || summary.passed + failing.length !== size) {
    throw new UsageError(`${path}: shard ${shardText(shard)} of ${range.first}..${range.last} ` +
      `holds ${size} seeds, but the file counts ${summary.seeds} (${summary.passed} passed, ` +
      `${failing.length} failing)`);
  }
  let previous = -1;
  for (const { seed } of failing) {
    if (!shardHolds(range, shard, seed) || seed <= previous) {
      throw new UsageError(`${path}: failing seed ${seed} is not a seed of shard ` +
        `${shardText(shard)} of ${range.first}..${range.last} (or is out of order)`);
    }
    previous = seed;
  }
}

/** Loads one `sweep --json` output. */
export function loadSweepFile(io: CliIo, path: string): SweepSummary {
  const record = readJson(io, path);
  if (!isObject(record) || !("failing" in record) || !("shard" in record)) {
    throw new UsageError(`${path} is not a sweep result (expected what "zabsim sweep --json" ` +
      `prints, from a zabsim that records "range" and "shard")`);
  }
  const number = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);
  const summary: SweepSummary = {
    seeds: field(path, record, "seeds", isWhole, "a whole number"),
    passed: field(path, record, "passed", isWhole, "a whole number"),
    failing: field(path, record, "failing", listOf(isFailing), "a list of {seed, violations, " +
      "replay}"),
    unknown: field(path, record, "unknown", listOf((v): v is number => isWhole(v)),
      "a list of seeds"),
    options: field(path, record, "options", isObject, "an object") as unknown as RunOptions,
    events: field(path, record, "events", (v) => isWhole(v, Number.MAX_SAFE_INTEGER),
      "a whole number"),
    simTimeMs: field(path, record, "simTimeMs", number, "a number"),
    wallMs: field(path, record, "wallMs", number, "a number"),
    version: field(path, record, "version", (v) => typeof v === "string", "a string"),
    ...placeOf(path, record),
    ...("shrunk" in record
      ? { shrunk: field(path, record, "shrunk", listOf(isShrunk), "a list of shrunk seeds") }
      : {}),
    ...("coverage" in record
      ? { coverage: field(path, record, "coverage", isCoverage, "an object of seed counts") }
      : {}),
  };
  checkSeeds(path, summary);
  return summary;
}
