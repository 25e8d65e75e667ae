/**
 * The swarm: hundreds of random (seed, ensemble shape, client load) combinations, each a full run
 * under the standard fault mix (crashes and restarts, power loss, partitions, loss, duplication,
 * clogs, clock jumps), then a heal and a liveness phase, judged by every checker. The property:
 * a correct ensemble has zero violations and commits a write after the heal, whatever the seed.
 * Runs are kept short (3 s of faults, 6 s healed) so that 300 of them fit in CI; longer and wider
 * sweeps belong to `zabsim sweep`. fast-check prints the failing case; `zabsim run --seed N` with
 * the same options replays it. The generator's seed is fixed so that CI is reproducible; set
 * ZABSIM_SWARM_SEED to explore other cases locally.
 */
import { describe, expect } from "vitest";
import { test, fc } from "@fast-check/vitest";
import { runSimulation } from "../../src/run/index.js";

const shape = fc.record({
  seed: fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }),
  replicas: fc.constantFrom(1, 3, 5, 7),
  observers: fc.integer({ min: 0, max: 2 }),
  clients: fc.integer({ min: 1, max: 4 }),
});

const swarmSeed = Number(process.env["ZABSIM_SWARM_SEED"] ?? 20261125);

describe("swarm: random seeds x ensemble shapes x the standard fault mix", () => {
  test.prop([shape], { numRuns: 300, seed: swarmSeed })(
    "no checker finds a violation, and writes commit after the heal",
    ({ seed, replicas, observers, clients }) => {
      const report = runSimulation(seed, {
        replicas, observers, clients, faults: "standard", durationMs: 3_000, livenessMs: 6_000,
      });
      const replay = `zabsim run --seed ${seed} --replicas ${replicas} --observers ${observers} ` +
        `--clients ${clients} --duration-ms 3000 --liveness-ms 6000`;
      expect(report.violations, replay).toEqual([]);
      expect(report.outcome, replay).toBe("reached");
      expect(report.recoveryMs, replay).not.toBeNull();
    },
  );
});
