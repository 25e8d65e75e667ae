/**
 * `zabsim show FILE`: renders a saved run file (re-running it, which is exact) or a trace file
 * (JSON lines from --trace) as the learner's timeline, filtered by node and event range, as a
 * Mermaid sequence diagram of its first messages (`--mermaid N`), or as a self-contained HTML
 * replay page (`--html OUT`). On a failing run the shortest story of the failure comes first.
 */
import { intOf, parseOptions, refuseSamePath, renderHelp, UsageError } from "../args.js";
import type { OptionSpec, Parsed } from "../args.js";
import { colorsFor } from "../format.js";
import { writeReplayPage } from "../html/page.js";
import type { CliIo } from "../io.js";
import { readText } from "../io.js";
import { inputKind, suggestion } from "../input-kind.js";
import { loadRunFile } from "../run-file.js";
import { describeLine, mermaid, parseTraceLines, timelineLine } from "../timeline.js";
import type { TraceLine } from "../timeline.js";
import type { Replay } from "../replay/replay.js";
import { markedText, replayOfRun, replayOfTrace } from "../replay/replay.js";
import { storyText } from "../replay/story-text.js";

const SPECS: readonly OptionSpec[] = [
  { name: "from", kind: "int", defaultValue: 0, help: "first event index to show" },
  { name: "limit", kind: "int", defaultValue: 200, min: 1, help: "lines to show at most" },
  { name: "node", kind: "int", defaultValue: null, help: "only lines about this node" },
  {
    name: "mermaid", kind: "int", defaultValue: null, min: 1, max: 10_000,
    help: "print a Mermaid sequence diagram of the first N messages instead",
  },
  {
    name: "html", kind: "text", defaultValue: null, placeholder: "OUT",
    help: "write a self-contained HTML replay of the run to OUT (open it in a browser)",
  },
];

const HELP = renderHelp(
  "zabsim show FILE [--from EVENT] [--limit N] [--node N] [--mermaid N] [--html OUT]", [
    "Shows a run: FILE is a run file (zabsim run --json, re-run exactly) or a trace file",
    "(zabsim run --trace FILE). A failing run file starts with the story of its failure.",
  ], SPECS, [
  "zabsim show run.json",
  "zabsim show run.json --node 2 --from 500 --limit 50",
  "zabsim show run.json --mermaid 40",
  "zabsim show run.json --html replay.html",
  "zabsim show trace.jsonl --node 101",
]);

/** The replay of FILE: a run file is re-run; anything else is read as JSON lines. */
async function replayOf(io: CliIo, path: string): Promise<Replay> {
  const text = readText(io, path);
  const kind = inputKind(text);
  if (kind === "empty" || kind === "scenario") throw new UsageError(suggestion(kind, path));
  const firstLine = text.split("\n", 1)[0] ?? "";
  const looksLikeRunFile = /^\s*\{/.test(text) && !/"i":\s*\d/.test(firstLine);
  if (looksLikeRunFile) {
    const file = loadRunFile(io, path);
    return replayOfRun(io, file.seed, file.options);
  }
  return replayOfTrace(parseTraceLines(text, path));
}

/**
 * Refuses filters that can select nothing: a node the run does not have, or a first event
 * past the trace's end (issue 22: show never answers silently).
 */
function refuseEmptyWindow(parsed: Parsed, lines: readonly TraceLine[]): void {
  const last = lines[lines.length - 1];
  if (last === undefined) throw new UsageError("the trace holds no lines: nothing to show");
  const from = intOf(parsed, "from");
  if (from > last.i) {
    throw new UsageError(`--from ${from} is past the end of the trace (its last event is ` +
      `${last.i})`);
  }
  const node = parsed.values.get("node");
  if (typeof node !== "number") return;
  const nodes = new Set(lines.map((line) => describeLine(line).node));
  if (!nodes.has(node)) {
    const known = [...nodes].filter((n): n is number => n !== null).sort((a, b) => a - b);
    throw new UsageError(`--node ${node} is not in this run (its nodes: ${known.join(", ")})`);
  }
}

/** Indexes of the lines the filters select. */
function selected(parsed: Parsed, lines: readonly TraceLine[]): number[] {
  const from = intOf(parsed, "from");
  const node = parsed.values.get("node");
  const out: number[] = [];
  lines.forEach((line, k) => {
    if (line.i >= from && (typeof node !== "number" || describeLine(line).node === node)) {
      out.push(k);
    }
  });
  return out;
}

/** `zabsim show FILE [--from EVENT] [--limit N] [--node N] [--mermaid N] [--html OUT]`. */
export async function showCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const parsed = parseOptions("show", SPECS, argv, 1);
  if (parsed.help) {
    io.stdout(HELP);
    return 0;
  }
  const path = parsed.positionals[0];
  if (path === undefined) throw new UsageError("show needs a FILE (a run file or a trace file)");
  const html = parsed.values.get("html");
  refuseSamePath(typeof html === "string" ? html : null, path, "--html", "the input");
  const replay = await replayOf(io, path);
  if (typeof html === "string") {
    const size = writeReplayPage(io, html, replay, path);
    io.stdout(`wrote ${html} (${Math.round(size / 1024)} KiB): open it in a browser\n`);
    return 0;
  }
  refuseEmptyWindow(parsed, replay.lines);
  const picked = selected(parsed, replay.lines);
  const count = parsed.values.get("mermaid");
  const indexOf = new Map(replay.lines.map((line, k) => [line, k]));
  if (typeof count === "number") {
    const lines = picked.map((k) => replay.lines[k] as TraceLine);
    io.stdout(mermaid(lines, count, (line) => markedText(replay, indexOf.get(line) ?? -1)));
    return 0;
  }
  const c = colorsFor(io);
  const story = storyText(c, replay);
  if (story.length > 0) io.stdout(`${story.join("\n")}\n`);
  const shown = picked.slice(0, intOf(parsed, "limit"));
  if (shown.length === 0) io.stdout(c.dim("no trace lines match --node and --from\n"));
  io.stdout(shown.map((k) =>
    `${timelineLine(c, replay.lines[k] as TraceLine, markedText(replay, k))}\n`).join(""));
  if (picked.length > shown.length) {
    io.stdout(c.dim(`... ${picked.length - shown.length} more lines (use --from / --limit)\n`));
  }
  return 0;
}
