/**
 * Determinism of the world, running the fixture protocol under the standard fault mix with every
 * message fault on: the same seed and options give the same trace hash and byte-identical JSON
 * lines; different seeds give different traces; and a run with Math.random, Date, performance.now
 * and the timer functions replaced by throwing stubs completes, proving the world and the fixture
 * never call them. The fault plan a run reports, fed back as an explicit schedule, replays it.
 */
import { describe, expect } from "vitest";
import { fc, test } from "@fast-check/vitest";
import { counterCluster, describeCounterMessage, hashCounterObservation } from "../fixture/index.js";
import type { SimOptionsInput } from "../../src/sim/options.js";
import { World } from "../../src/sim/world.js";

const OPTIONS: SimOptionsInput = {
  network: {
    lossProbability: 0.02, duplicateProbability: 0.02, spikeProbability: 0.01, reorder: true,
  },
  disk: { tornWriteProbability: 0.5 },
  clock: { skewMicrosMax: 50_000, driftPpmMax: 200 },
  nemesis: { mix: "standard", faultsPerSecond: 4, startMicros: 100_000, untilMicros: 1_500_000 },
};
const UNTIL = 2_000_000;

function run(seed: number, options: SimOptionsInput = OPTIONS) {
  const lines: string[] = [];
  const world = new World({
    seed,
    options,
    hosts: counterCluster({ servers: 3, clients: 2 }),
    describeMessage: describeCounterMessage,
    hashObservation: hashCounterObservation,
    traceSink: (line) => lines.push(line),
  });
  world.runUntil(UNTIL);
  return { world, report: world.report(), lines };
}

const seedArb = fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER });

describe("determinism", () => {
  test.prop([seedArb], { numRuns: 8 })("same seed, same trace hash and bytes", (seed) => {
    const a = run(seed);
    const b = run(seed);
    expect(a.report.failure).toBeNull();
    expect(a.report.events).toBeGreaterThan(100);
    expect(b.report.traceHash).toBe(a.report.traceHash);
    expect(b.lines).toEqual(a.lines);
    expect(b.report).toEqual(a.report);
    // The scheduler never runs time backwards: trace times and event indexes never decrease.
    const parsed = a.lines.map((line) => JSON.parse(line) as { i: number; t: number });
    for (let k = 1; k < parsed.length; k++) {
      const [before, after] = [parsed[k - 1], parsed[k]];
      expect((after?.t ?? 0) >= (before?.t ?? 0) && (after?.i ?? 0) >= (before?.i ?? 0)).toBe(true);
    }
  });

  test.prop([seedArb], { numRuns: 8 })("neighbouring seeds differ", (seed) => {
    const next = seed === Number.MAX_SAFE_INTEGER ? seed - 1 : seed + 1;
    expect(run(next).report.traceHash).not.toBe(run(seed).report.traceHash);
  });

  test.prop([seedArb], { numRuns: 5 })("the reported fault plan replays the run", (seed) => {
    const original = run(seed);
    fc.pre(original.report.faults.length > 0); // about 1% of seeds draw no applicable fault
    const replay = run(seed, {
      ...OPTIONS,
      nemesis: { ...OPTIONS.nemesis, mix: "none", schedule: original.report.faults },
    });
    expect(replay.report.traceHash).toBe(original.report.traceHash);
  });

  test("a run never reads wall time, Math.random or timers", () => {
    const reference = run(42).report.traceHash;
    const poison = (name: string) => () => {
      throw new Error(`simulated code called ${name}`);
    };
    const saved = {
      random: Math.random, Date: globalThis.Date, now: performance.now,
      setTimeout: globalThis.setTimeout, setInterval: globalThis.setInterval,
      setImmediate: globalThis.setImmediate, queueMicrotask: globalThis.queueMicrotask,
    };
    const PoisonedDate = new Proxy(saved.Date, {
      construct: poison("new Date"),
      apply: poison("Date()"),
      get: (target, key) => (key === "now" ? poison("Date.now") : Reflect.get(target, key)),
    });
    let poisoned: string;
    try {
      Math.random = poison("Math.random");
      globalThis.Date = PoisonedDate;
      performance.now = poison("performance.now");
      globalThis.setTimeout = poison("setTimeout") as unknown as typeof setTimeout;
      globalThis.setInterval = poison("setInterval") as unknown as typeof setInterval;
      globalThis.setImmediate = poison("setImmediate") as unknown as typeof setImmediate;
      globalThis.queueMicrotask = poison("queueMicrotask");
      const { report } = run(42);
      poisoned = report.failure === null ? report.traceHash : report.failure.message;
    } finally {
      Math.random = saved.random;
      globalThis.Date = saved.Date;
      performance.now = saved.now;
      globalThis.setTimeout = saved.setTimeout;
      globalThis.setInterval = saved.setInterval;
      globalThis.setImmediate = saved.setImmediate;
      globalThis.queueMicrotask = saved.queueMicrotask;
    }
    expect(poisoned).toBe(reference);
  });
});
