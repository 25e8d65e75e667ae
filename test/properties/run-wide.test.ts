/**
 * The full run length (10 s of standard faults, 20 s healed: what `zabsim run` and `sweep` do)
 * at 5 and 7 voters with observers, seed by seed. The short runs of the swarm and run-safety
 * miss what needs a long faulty phase: seed 262 at five voters reached a late-established
 * epoch-2 leader only after several rounds of crashes and clogs (test/protocol/late-leader.txt
 * has that situation as a script). Each seed must pass every checker and commit a write after
 * the heal; the failing seed's replay line is in the assertion message.
 */
import { describe, expect, test } from "vitest";
import { runSimulation } from "../../src/run/index.js";

const SHAPES: [string, number, number][] = [
  ["5 voters and an observer", 5, 1],
  ["7 voters and 2 observers", 7, 2],
];
const SEEDS = 10;

describe("full-length runs of wider ensembles", () => {
  test.each(SHAPES)("%s, seeds 1..10", (_, replicas, observers) => {
    for (let seed = 1; seed <= SEEDS; seed++) {
      const report = runSimulation(seed, { replicas, observers });
      const replay = `zabsim run --seed ${seed} --replicas ${replicas} --observers ${observers}`;
      expect(report.violations, replay).toEqual([]);
      expect(report.outcome, replay).toBe("reached");
      expect(report.recoveryMs, replay).not.toBeNull();
    }
  });
});
