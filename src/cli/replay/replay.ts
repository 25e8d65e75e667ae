/**
 * A run made ready to be shown: its trace lines, the learner's sentence for each, the lines where
 * each violation became visible, and (for a run file, re-run exactly) the run's report and the
 * extras the trace leaves out. `show`, `demo` and the HTML page all start from one of these.
 */
import type { RunReport, RunViolation } from "../../run/index.js";
import type { RunOptions } from "../../run/index.js";
import type { CliIo } from "../io.js";
import type { TraceLine } from "../timeline.js";
import type { Extras } from "./capture.js";
import { capturedRun, traceOnlyExtras } from "./capture.js";
import { narrateAll } from "./narrator.js";

/** Everything the views need. */
export interface Replay {
  readonly seed: number | null;
  readonly lines: readonly TraceLine[];
  /** The learner's sentence for each line (same indexes as `lines`). */
  readonly texts: readonly string[];
  /** Line index -> the violations that became visible at that line. */
  readonly marks: ReadonlyMap<number, readonly RunViolation[]>;
  readonly report: RunReport | null;
  readonly extras: Extras;
  readonly voters: number;
  readonly wallMs: number;
}

/** Where each violation became visible: its event's observations (or the event's last line). */
export function markViolations(
  lines: readonly TraceLine[], violations: readonly RunViolation[],
): Map<number, RunViolation[]> {
  const marks = new Map<number, RunViolation[]>();
  const add = (k: number, v: RunViolation) => marks.set(k, [...(marks.get(k) ?? []), v]);
  for (const violation of violations) {
    let last = -1;
    let marked = false;
    for (let k = 0; k < lines.length; k++) {
      const line = lines[k] as TraceLine;
      if (line.i > violation.event) break;
      if (line.i !== violation.event) continue;
      last = k;
      if (line.kind === "observe") {
        add(k, violation);
        marked = true;
      }
    }
    if (!marked && last >= 0) add(last, violation);
  }
  return marks;
}

/** Voting members seen in a trace: servers that ever reported a state other than OBSERVING. */
function votersIn(lines: readonly TraceLine[]): number {
  const voters = new Set<number>();
  for (const line of lines) {
    const o = line["observation"] as Record<string, unknown> | undefined;
    if (o?.["kind"] === "state" && o["state"] !== "OBSERVING") voters.add(Number(o["node"]));
  }
  return Math.max(1, voters.size);
}

/** A run re-run from its seed and options, with everything captured. */
export async function replayOfRun(
  io: CliIo, seed: number, options: RunOptions,
): Promise<Replay> {
  const run = await capturedRun(io, seed, options);
  const voters = options.replicas;
  const texts = narrateAll(run.lines, { extras: run.extras, voters });
  return {
    seed, lines: run.lines, texts, marks: markViolations(run.lines, run.report.violations),
    report: run.report, extras: run.extras, voters, wallMs: run.wallMs,
  };
}

/** A saved trace (no verdict, no txn contents: labels come from client completions). */
export function replayOfTrace(lines: readonly TraceLine[]): Replay {
  const extras = traceOnlyExtras(lines);
  const voters = votersIn(lines);
  const texts = narrateAll(lines, { extras, voters });
  return {
    seed: null, lines, texts, marks: new Map(), report: null, extras, voters, wallMs: 0,
  };
}

/** The sentence for line `k` with its violations first, as every view marks them. */
export function markedText(replay: Replay, k: number): string {
  const text = replay.texts[k] ?? "";
  const found = replay.marks.get(k);
  if (found === undefined) return text;
  const checkers = [...new Set(found.map((v) => v.checker))];
  return `VIOLATION (${checkers.join(", ")}): ${text}`;
}
