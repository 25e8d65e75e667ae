/**
 * Runs a data recipe workload (`--workload config|cache|queue|barrier`) through runSeed, the
 * entry every CLI command uses, with the standard fault mix, and returns its report, the
 * recipe events its trace holds, and the task outcomes' summary.
 */
import type { DataEvent, RecipeObservation } from "../../src/observe/index.js";
import { runSeed } from "../../src/run/index.js";
import type { RunOptions, RunReport } from "../../src/run/index.js";

export type DataWorkloadName = "config" | "cache" | "queue" | "barrier";

export interface DataRun {
  readonly report: RunReport;
  /** The recipe observations of the trace, in order. */
  readonly observations: RecipeObservation[];
  /** Their data events, in order. */
  readonly events: DataEvent[];
}

export async function runDataWorkload(workload: DataWorkloadName, seed: number,
  bug: string | null = null, options: Partial<RunOptions> = {}): Promise<DataRun> {
  const observations: RecipeObservation[] = [];
  const report = await runSeed(seed, { workload, bug, ...options }, {
    traceSink: (line) => {
      if (!line.includes('"kind":"recipe"')) return;
      const parsed = JSON.parse(line) as { observation?: RecipeObservation };
      if (parsed.observation?.kind === "recipe") observations.push(parsed.observation);
    },
  });
  return { report, observations, events: observations.map((o) => o.event as DataEvent) };
}
