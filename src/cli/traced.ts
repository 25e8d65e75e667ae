/**
 * Running a seed again with its trace kept in memory, for the commands that show it (replay,
 * show, demo, shrink's report). The trace arrives as the same JSON lines `--trace FILE` writes.
 */
import { runSeed } from "../run/index.js";
import type { RunOptionsInput, RunReport } from "../run/index.js";
import type { CliIo } from "./io.js";
import type { TraceLine } from "./timeline.js";

/** A run with its trace lines. */
export interface TracedRun {
  readonly report: RunReport;
  readonly lines: readonly TraceLine[];
  readonly wallMs: number;
}

/** Runs `seed` with `options`, keeping every trace line (and writing them to `tracePath`). */
export async function tracedRun(
  io: CliIo, seed: number, options: RunOptionsInput, tracePath: string | null = null,
): Promise<TracedRun> {
  const lines: TraceLine[] = [];
  const file = tracePath === null ? undefined : io.openLines(tracePath);
  const started = io.wallMillis();
  try {
    const report = await runSeed(seed, options, {
      traceSink: (line) => {
        lines.push(JSON.parse(line) as TraceLine);
        file?.write(line);
      },
    });
    return { report, lines, wallMs: io.wallMillis() - started };
  } finally {
    file?.close();
  }
}

/**
 * The window of the trace worth showing first: the `limit` lines before and at the first
 * violation's event, or the first `limit` lines when the run passed.
 */
export function windowOf(run: TracedRun, limit: number): readonly TraceLine[] {
  const first = run.report.violations[0];
  if (first === undefined) return run.lines.slice(0, limit);
  let end = run.lines.findIndex((line) => line.i > first.event);
  if (end < 0) end = run.lines.length;
  return run.lines.slice(Math.max(0, end - limit), end);
}
