/**
 * `zabsim show FILE`: renders a saved run file (re-running it, which is exact) or a trace file
 * (JSON lines from --trace) as a readable timeline, filtered by node and event range, or as a
 * Mermaid sequence diagram of its first messages (`--mermaid N`).
 */
import { intOf, parseOptions, renderHelp, UsageError } from "../args.js";
import type { OptionSpec, Parsed } from "../args.js";
import { colorsFor } from "../format.js";
import type { CliIo } from "../io.js";
import { loadRunFile } from "../run-file.js";
import { describeLine, mermaid, parseTraceLines, timelineLine } from "../timeline.js";
import type { TraceLine } from "../timeline.js";
import { tracedRun } from "../traced.js";

const SPECS: readonly OptionSpec[] = [
  { name: "from", kind: "int", defaultValue: 0, help: "first event index to show" },
  { name: "limit", kind: "int", defaultValue: 200, min: 1, help: "lines to show at most" },
  { name: "node", kind: "int", defaultValue: null, help: "only lines about this node" },
  {
    name: "mermaid", kind: "int", defaultValue: null, min: 1, max: 10_000,
    help: "print a Mermaid sequence diagram of the first N messages instead",
  },
];

const HELP = renderHelp("zabsim show FILE [--from EVENT] [--limit N] [--node N] [--mermaid N]", [
  "Shows a run: FILE is a run file (zabsim run --json, re-run exactly) or a trace file",
  "(zabsim run --trace FILE).",
], SPECS);

/** The trace lines of FILE: a run file is re-run; anything else is read as JSON lines. */
function linesOf(io: CliIo, path: string): readonly TraceLine[] {
  let text: string;
  try {
    text = io.readFile(path);
  } catch (error) {
    const code = (error as { code?: string }).code;
    throw new UsageError(`cannot read ${path}${code === undefined ? "" : ` (${code})`}`);
  }
  const firstLine = text.split("\n", 1)[0] ?? "";
  const looksLikeRunFile = /^\s*\{/.test(text) && !/"i":\s*\d/.test(firstLine);
  if (looksLikeRunFile) {
    const file = loadRunFile(io, path);
    return tracedRun(io, file.seed, file.options).lines;
  }
  return parseTraceLines(text, path);
}

function selected(parsed: Parsed, lines: readonly TraceLine[]): TraceLine[] {
  const from = intOf(parsed, "from");
  const node = parsed.values.get("node");
  return lines.filter((line) =>
    line.i >= from && (typeof node !== "number" || describeLine(line).node === node));
}

/** `zabsim show FILE [--from EVENT] [--limit N] [--node N] [--mermaid N]`. */
export function showCommand(argv: readonly string[], io: CliIo): number {
  const parsed = parseOptions("show", SPECS, argv, 1);
  if (parsed.help) {
    io.stdout(HELP);
    return 0;
  }
  const path = parsed.positionals[0];
  if (path === undefined) throw new UsageError("show needs a FILE (a run file or a trace file)");
  const lines = selected(parsed, linesOf(io, path));
  const count = parsed.values.get("mermaid");
  if (typeof count === "number") {
    io.stdout(mermaid(lines, count));
    return 0;
  }
  const c = colorsFor(io);
  const shown = lines.slice(0, intOf(parsed, "limit"));
  io.stdout(shown.map((line) => `${timelineLine(c, line)}\n`).join(""));
  if (lines.length > shown.length) {
    io.stdout(c.dim(`... ${lines.length - shown.length} more lines (use --from / --limit)\n`));
  }
  return 0;
}
