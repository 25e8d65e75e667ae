/**
 * `zabsim merge FILES… [--json]`: joins the `sweep --json` outputs of a sweep's shards (run on
 * one machine or many: a CI matrix, a Kubernetes indexed Job, see docs/sweeps.md) into what one
 * sweep over the whole range prints, wallMs aside (src/cli/sweep/merge.ts). Exit 0 when every
 * seed passed, 1 when any failed, 2 when the files are not the shards of one sweep.
 */
import { flagOf, parseOptions, renderHelp } from "../args.js";
import type { OptionSpec } from "../args.js";
import { colorsFor } from "../format.js";
import type { CliIo } from "../io.js";
import { mergeSummaries } from "../sweep/merge.js";
import { humanText, jsonText } from "../sweep/summary.js";
import { loadSweepFile } from "../sweep/sweep-file.js";

const SPECS: readonly OptionSpec[] = [
  { name: "json", kind: "flag", defaultValue: false, help: "print one JSON object" },
];

const HELP = renderHelp("zabsim merge FILE... [--json]", [
  "Joins the --json outputs of `zabsim sweep --shard K/N` into what one sweep over the whole",
  "range prints (wallMs becomes the shards' total). Refuses (exit 2) files of different",
  "versions, options or ranges, overlapping shards, and shards that leave seeds unrun.",
  "Exit 0 when every seed passed, 1 when any failed.",
], SPECS, [
  "zabsim merge shard-1.json shard-2.json shard-3.json shard-4.json",
  "zabsim merge s*.json --json > whole.json",
]);

/** Positional arguments merge accepts at most (a file per shard). */
const FILES_MAX = 100_000;

/** `zabsim merge FILE... [--json]`. */
export function mergeCommand(argv: readonly string[], io: CliIo): number {
  const parsed = parseOptions("merge", SPECS, argv, FILES_MAX);
  if (parsed.help) {
    io.stdout(HELP);
    return 0;
  }
  const files = parsed.positionals.map((path) => ({ path, summary: loadSweepFile(io, path) }));
  const summary = mergeSummaries(files);
  io.stdout(flagOf(parsed, "json") ? jsonText(summary) : humanText(colorsFor(io), summary));
  return summary.failing.length === 0 ? 0 : 1;
}
