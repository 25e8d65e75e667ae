/**
 * Swarm options: a pure function of (seed, base), always valid, different across seeds, and
 * base fields win over drawn ones. Links stay FIFO unless the base turns reordering on.
 */
import { describe, expect, it } from "vitest";
import { fc, test } from "@fast-check/vitest";
import { resolveSimOptions } from "../../../src/sim/options.js";
import { swarmSimOptions } from "../../../src/sim/swarm.js";
import { validateSimOptions } from "../../../src/sim/validate.js";
import { World } from "../../../src/sim/world.js";
import { counterCluster, hashCounterObservation } from "../../fixture/index.js";

const seeds = fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER });
const TOPOLOGY = { voters: [1, 2, 3], servers: [1, 2, 3], nodes: [1, 2, 3, 101] };

describe("swarmSimOptions", () => {
  test.prop([seeds])("is valid, FIFO and a pure function of the seed", (seed) => {
    const options = resolveSimOptions(swarmSimOptions(seed, { nemesis: { mix: "standard" } }));
    expect(validateSimOptions(options, TOPOLOGY)).toEqual([]);
    expect(options.network.reorder).toBe(false);
    expect(options.nemesis.mix).toBe("standard");
    expect(swarmSimOptions(seed)).toEqual(swarmSimOptions(seed));
  });

  it("draws different worlds for different seeds", () => {
    const draws = Array.from({ length: 20 }, (_, seed) => JSON.stringify(swarmSimOptions(seed)));
    const drawn = new Set(draws);
    expect(drawn.size).toBe(20);
  });

  test.prop([seeds, fc.integer({ min: 0, max: 1000 })])("base fields win", (seed, latency) => {
    const options = swarmSimOptions(seed, {
      network: { latencyMicrosMin: latency, latencyMicrosMax: latency, reorder: true },
    });
    expect(options.network?.latencyMicrosMin).toBe(latency);
    expect(options.network?.latencyMicrosMax).toBe(latency);
    expect(options.network?.reorder).toBe(true);
  });
});

describe("swarm worlds", () => {
  test.prop([seeds], { numRuns: 5 })("run the fixture protocol without a failure", (seed) => {
    const options = swarmSimOptions(seed, { nemesis: { mix: "standard", startMicros: 100_000 } });
    const world = new World({ seed, options, hosts: counterCluster({ servers: 3, clients: 2 }),
      hashObservation: hashCounterObservation,
    });
    world.runUntil(1_000_000);
    expect(world.failure).toBeNull();
    expect(world.events).toBeGreaterThan(0);
  });
});
