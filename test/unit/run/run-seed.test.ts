/**
 * The one entry that runs a seed (src/run/run-seed.ts). A run whose options call for no API
 * tasks gives exactly runSimulation's report (same trace hash): the synchronous path is kept.
 * A run with tasks goes through runScenario: each task's seeded stream depends on the seed
 * alone, its recipe events land in the trace as `recipe` observations of its node and session,
 * and a task that throws fails the run with a `recipe-task` violation naming its node.
 */
import { describe, expect, test } from "vitest";
import type { ObservationRecord } from "../../../src/check/index.js";
import { KeeperError } from "../../../src/client/index.js";
import { runSeed, runSimulation } from "../../../src/run/index.js";
import type { RunOptions, ScenarioTask } from "../../../src/run/index.js";

const SHORT: Partial<RunOptions> = { durationMs: 2_000, livenessMs: 2_000 };

/** Calls `op` until it gets past CONNECTIONLOSS (the ensemble may still be electing). */
async function retried<T>(op: () => Promise<T>): Promise<T> {
  for (;;) {
    try {
      return await op();
    } catch (error) {
      if (!(error instanceof KeeperError) || error.code !== "CONNECTIONLOSS") throw error;
    }
  }
}

/** A task that records one seeded draw, then reads the root. */
const drawing: ScenarioTask = async (client) => {
  const zk = client.connect();
  const draw = client.random.intBetween(0, 1_000_000);
  await retried(() => zk.getChildren("/"));
  client.record({ type: "task-failed", message: `not really: ${draw}` });
};

function recipeRecords(records: readonly ObservationRecord[]): ObservationRecord[] {
  return records.filter((r) => r.observation.kind === "recipe");
}

describe("runSeed", () => {
  test("without tasks it is runSimulation: the same trace hash and verdict", async () => {
    const report = await runSeed(3, SHORT);
    const plain = runSimulation(3, SHORT);
    expect(report.traceHash).toBe(plain.traceHash);
    expect(report.violations).toEqual(plain.violations);
  });

  test("task streams are seeded: same seed, same draws and trace; another seed differs", async () => {
    const runs: ObservationRecord[][] = [];
    const hashes: string[] = [];
    for (const seed of [4, 4, 5]) {
      let records: readonly ObservationRecord[] = [];
      const report = await runSeed(seed, { ...SHORT, faults: "none", clients: 0 },
        { observationSink: (r) => { records = r; } }, [drawing, drawing]);
      runs.push(recipeRecords(records));
      hashes.push(report.traceHash);
    }
    expect(hashes[0]).toBe(hashes[1]);
    expect(hashes[2]).not.toBe(hashes[0]);
    const messages = (rs: ObservationRecord[]) => rs.map((r) =>
      r.observation.kind === "recipe" && r.observation.event.type === "task-failed"
        ? r.observation.event.message : "");
    expect(runs[0]?.length).toBe(2);
    expect(messages(runs[0] ?? [])).toEqual(messages(runs[1] ?? []));
    // Two tasks of one run draw from different forks.
    expect(new Set(messages(runs[0] ?? [])).size).toBe(2);
    expect(messages(runs[2] ?? [])).not.toEqual(messages(runs[0] ?? []));
    // Each record names its node and the session it spoke through.
    for (const r of runs[0] ?? []) {
      if (r.observation.kind !== "recipe") continue;
      expect(r.observation.node).toBeGreaterThan(100);
      expect(r.observation.session).toBeGreaterThan(0);
    }
  });

  test("a task that throws fails the run with its node and message", async () => {
    const failing: ScenarioTask = async (client) => {
      const zk = client.connect();
      await retried(() => zk.exists("/x"));
      throw new Error("the recipe lost its place");
    };
    const report = await runSeed(6, { ...SHORT, faults: "none", clients: 0 }, {}, [failing]);
    const violation = report.violations.find((v) => v.checker === "recipe-task");
    expect(violation?.message).toMatch(/client node \d+ threw: the recipe lost its place/);
  });
});
