/**
 * Recordings of real ZooKeeper 3.8 ensembles (test/golden/ensemble/, written by
 * `npm run zk-record -- --servers N`): each holds an ensemble scenario (the spec's example,
 * and scenarios from generateEnsembleScenario) and the results a real ensemble of N servers gave,
 * recorded only when two runs on fresh ensembles agreed with raw zxids. ensemble-sim.test.ts
 * replays them on zabsim's simulated ensemble; this file checks that the recordings are what the
 * spec says results are, and that they obey what ZooKeeper guarantees:
 * - every result has the keys the spec gives its op, and no others;
 * - a `stable` names a server 1..N as leader, its zxid's high half is its epoch, and epochs never
 *   go down; NOQUORUM exactly when fewer than a quorum of servers run.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseScenarioFile } from "../../src/script/index.js";
import type { Scenario, Step, StepResult } from "../../src/script/index.js";

const DIR = join(import.meta.dirname, "ensemble");
const EPOCH_UNIT = 2 ** 32;

interface Recording {
  readonly source: string;
  readonly zookeeper: string;
  readonly scenario: Record<string, unknown>;
  readonly results: StepResult[];
}

const files = readdirSync(DIR).filter((file) => file.endsWith(".json")).sort();

function load(file: string): { recording: Recording; scenario: Scenario } {
  const recording = JSON.parse(readFileSync(join(DIR, file), "utf8")) as Recording;
  const parsed = parseScenarioFile(JSON.stringify(recording.scenario));
  if (!parsed.ok) throw new Error(`${file}: ${parsed.error}`);
  if (parsed.file.kind !== "single") throw new Error(`${file}: not a single scenario`);
  return { recording, scenario: parsed.file.scenario };
}

const REQUEST_KEYS = ["err", "path", "data", "children", "stat", "results", "reconnected",
  "events"];

/** The keys the spec allows in the result of `step`. */
function allowedKeys(step: Step, result: StepResult): string[] {
  switch (step.op) {
    case "start":
    case "stop":
    case "sleep":
    case "move":
      return ["err", "events"];
    case "stable":
      return result.err === "OK" ? ["err", "leader", "epoch", "zxid", "events"] : ["err", "events"];
    case "openSession":
      return ["err", "session", "events"];
    default:
      return REQUEST_KEYS;
  }
}

/** The first broken rule of one recording, or undefined. */
function brokenRule(scenario: Scenario, results: readonly StepResult[]): string | undefined {
  const servers = scenario.servers ?? 0;
  const quorum = Math.floor(servers / 2) + 1;
  const running = new Set<number>();
  let lastEpoch = 0;
  for (let index = 0; index < scenario.steps.length; index++) {
    const step = scenario.steps[index];
    const result = results[index];
    if (step === undefined || result === undefined) return `step ${index}: no result`;
    const extra = Object.keys(result).filter((key) => !allowedKeys(step, result).includes(key));
    if (extra.length > 0) return `step ${index} (${step.op}): unexpected ${extra.join(", ")}`;
    if (step.op === "start") running.add(step.server);
    if (step.op === "stop") running.delete(step.server);
    if (step.op !== "stable") continue;
    if ((result.err === "NOQUORUM") !== (running.size < quorum)) {
      return `step ${index}: ${result.err} with ${running.size} of ${servers} running`;
    }
    if (result.err !== "OK") continue;
    const { leader = 0, epoch = 0, zxid = 0 } = result;
    if (!running.has(leader)) return `step ${index}: leader ${leader} is not running`;
    if (Math.floor(zxid / EPOCH_UNIT) !== epoch) return `step ${index}: zxid ${zxid} vs ${epoch}`;
    if (epoch < lastEpoch) return `step ${index}: epoch ${epoch} after ${lastEpoch}`;
    lastEpoch = epoch;
  }
  return undefined;
}

describe("recordings of real ZooKeeper ensembles", () => {
  it("are present at 3 and 5 servers, including the spec's example", () => {
    const sizes = files.map((file) => load(file).scenario.servers);
    expect(sizes.filter((size) => size === 3).length).toBeGreaterThanOrEqual(100);
    expect(sizes.filter((size) => size === 5).length).toBeGreaterThanOrEqual(50);
    expect(files).toContain("spec-example.json");
  });

  it.each(files)("%s is a well-formed recording of ZooKeeper 3.8", (file) => {
    const { recording, scenario } = load(file);
    expect(scenario.servers).toBeDefined();
    expect(recording.zookeeper.startsWith("3.8")).toBe(true);
    expect(recording.results).toHaveLength(scenario.steps.length);
    expect(brokenRule(scenario, recording.results)).toBeUndefined();
  });

  it("the rule checker catches a doctored recording", () => {
    const { recording, scenario } = load("spec-example.json");
    const stableAt = scenario.steps.findIndex((step) => step.op === "stable");
    const doctor = (patch: Partial<StepResult>, replace = false): StepResult[] =>
      recording.results.map((result, index) => {
        if (index !== stableAt) return result;
        return replace ? { err: "OK", ...patch } : { ...result, ...patch };
      });
    expect(brokenRule(scenario, recording.results)).toBeUndefined();
    expect(brokenRule(scenario, doctor({ epoch: 7 }))).toMatch(/zxid/);
    expect(brokenRule(scenario, doctor({ leader: 3 }))).toMatch(/not running/);
    expect(brokenRule(scenario, doctor({ err: "NOQUORUM" }, true))).toMatch(/NOQUORUM with 2 of 3/);
    expect(brokenRule(scenario, doctor({ session: "s9" }))).toMatch(/unexpected session/);
  });
});
