/**
 * zabsim against recorded real ZooKeeper 3.8 results. Each file in test/golden/real/ holds a
 * scenario and the results a real standalone ZooKeeper 3.8.0 server gave for it (recorded by
 * scripts/zk-record.ts: hand-written scenarios/*.json and seeded generated scenarios, each
 * recorded only when two runs on fresh servers agreed). This test runs the same scenario through
 * zabsim's script runner (the code behind `zabsim script FILE`) and compares the two result
 * lists step by step after the spec's zxid normalization. No JVM is needed.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runScriptText } from "../../src/run/script.js";
import { compareResults, parseScenarioFile } from "../../src/script/index.js";
import type { StepResult } from "../../src/script/index.js";

const DIR = join(import.meta.dirname, "real");

interface Recording {
  readonly source: string;
  readonly zookeeper: string;
  readonly scenario: Record<string, unknown>;
  readonly results: StepResult[];
}

const files = readdirSync(DIR)
  .filter((file) => file.endsWith(".json"))
  .sort();

function load(file: string): Recording {
  return JSON.parse(readFileSync(join(DIR, file), "utf8")) as Recording;
}

describe("recordings of real ZooKeeper", () => {
  it("are present and well formed (one result per step)", () => {
    expect(files.length).toBeGreaterThan(10);
    for (const file of files) {
      const recording = load(file);
      const parsed = parseScenarioFile(JSON.stringify(recording.scenario));
      expect(parsed.ok ? "ok" : `${file}: ${parsed.error}`).toBe("ok");
      if (!parsed.ok || parsed.file.kind !== "single") continue;
      expect(recording.results.length).toBe(parsed.file.scenario.steps.length);
      expect(recording.zookeeper.startsWith("3.8")).toBe(true);
    }
  });

  it.each(files)("zabsim matches ZooKeeper on %s", (file) => {
    const recording = load(file);
    const text = JSON.stringify(recording.scenario);
    const parsed = parseScenarioFile(text);
    if (!parsed.ok || parsed.file.kind !== "single") throw new Error(`${file}: not a scenario`);
    const outcome = runScriptText(text);
    if (!outcome.ok) throw new Error(`${file}: zabsim refused the scenario: ${outcome.error}`);
    const results = outcome.lines.map((line) => JSON.parse(line) as StepResult);
    const comparison = compareResults(parsed.file.scenario, recording.results, results);
    if (!comparison.equal) {
      const step = parsed.file.scenario.steps[comparison.step];
      expect({
        step: comparison.step,
        request: step,
        result: comparison.actual,
      }).toEqual({ step: comparison.step, request: step, result: comparison.expected });
    }
    expect(comparison.equal).toBe(true);
  });
});
