/**
 * Golden scenarios: every hand-written file in scenarios/ runs through zabsim's script runner
 * and must give exactly the results in test/golden/scenarios/<name>.jsonl, raw zxids included.
 * Those expected lines were written by reasoning from ZooKeeper 3.8's source (PrepRequestProcessor,
 * DataTree, FinalRequestProcessor, NIOServerCnxn, ContainerManager), not copied from zabsim's
 * output. Events of closeSession and sleep steps compare as a multiset per path, as the spec
 * allows (ZooKeeper deletes a session's ephemerals in hash-set order); nothing else is relaxed.
 */
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runScriptText } from "../../../src/run/script.js";
import { compareResults, parseScenarioFile } from "../../../src/script/index.js";
import type { StepResult } from "../../../src/script/index.js";

const SCENARIOS = "scenarios";
const EXPECTED = join("test", "golden", "scenarios");

const names = readdirSync(SCENARIOS)
  .filter((file) => file.endsWith(".json"))
  .map((file) => file.slice(0, -".json".length))
  .sort();

function lines(text: string): StepResult[] {
  const nonEmpty = text.split("\n").filter((line) => line.trim() !== "");
  return nonEmpty.map((line) => JSON.parse(line) as StepResult);
}

describe("hand-written scenarios match ZooKeeper 3.8 exactly", () => {
  it("has scenarios to check", () => {
    expect(names.length).toBeGreaterThanOrEqual(10);
  });

  for (const name of names) {
    it(name, () => {
      const text = readFileSync(join(SCENARIOS, `${name}.json`), "utf8");
      const parsed = parseScenarioFile(text);
      if (!parsed.ok || parsed.file.kind !== "single") {
        throw new Error(`${name} must be one scenario`);
      }
      const expected = lines(readFileSync(join(EXPECTED, `${name}.jsonl`), "utf8"));
      const outcome = runScriptText(text);
      if (!outcome.ok) throw new Error(outcome.error);
      const actual = outcome.lines.map((line) => JSON.parse(line) as StepResult);
      const comparison = compareResults(parsed.file.scenario, expected, actual, { raw: true });
      expect(comparison).toEqual({ equal: true });
    });
  }
});
