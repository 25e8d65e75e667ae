/**
 * Determinism, enforced rather than hoped for (shared/style.md rule 19):
 * - the same seed and options give byte-identical trace JSON lines and the same trace hash,
 *   through runSimulation, the path every CLI command takes;
 * - different seeds give different traces (the seed reaches the run);
 * - a run with the wall clock, Math.random, timers and OS randomness replaced by throwing stubs
 *   completes with the same hash (fast-check's "poisoning" idea): simulated code never reaches
 *   for them, and if it did, the stub's throw would fail the run (a failure in the report);
 * - an API-driven scenario (runScenario: async tasks on the promise API, one setImmediate per
 *   settling event) run twice under the same poisoned globals, setImmediate excepted, gives
 *   byte-identical traces; a task that awaits a real timer fails the run with its seed.
 */
import { afterEach, describe, expect, test } from "vitest";
import { KeeperError } from "../src/client/index.js";
import { ScenarioStalled, runScenario, runSimulation } from "../src/run/index.js";
import type { RunOptions, ScenarioTask } from "../src/run/index.js";

const SHORT: Partial<RunOptions> = { durationMs: 3_000, livenessMs: 3_000 };

function traced(seed: number, options: Partial<RunOptions> = SHORT) {
  const lines: string[] = [];
  const report = runSimulation(seed, options, { traceSink: (line) => lines.push(line) });
  return { report, text: lines.join("\n") };
}

type Poisonable = Record<string, unknown>;
const saved: [Poisonable, string, unknown][] = [];

function poison(target: Poisonable, name: string): void {
  saved.push([target, name, target[name]]);
  target[name] = () => {
    throw new Error(`determinism: simulated code called ${name}`);
  };
}

/** Date with a throwing now() and a throwing no-argument constructor (the wall clock). */
function poisonDate(): void {
  const RealDate = Date;
  class PoisonedDate extends RealDate {
    constructor(...args: unknown[]) {
      if (args.length === 0) throw new Error("determinism: simulated code called new Date()");
      super(...(args as [number]));
    }

    static override now(): number {
      throw new Error("determinism: simulated code called Date.now");
    }
  }
  saved.push([globalThis as unknown as Poisonable, "Date", RealDate]);
  (globalThis as unknown as Poisonable)["Date"] = PoisonedDate;
}

afterEach(() => {
  for (const [target, name, value] of saved.reverse()) target[name] = value;
  saved.length = 0;
});

describe("determinism", () => {
  test("same seed and options: byte-identical trace and equal hash", () => {
    const a = traced(7);
    const b = traced(7);
    expect(a.text.length).toBeGreaterThan(1000);
    expect(b.text).toBe(a.text);
    expect(b.report.traceHash).toBe(a.report.traceHash);
    expect(b.report).toEqual(a.report);
  });

  test("same seed with the standard fault mix and a planted schedule: identical", () => {
    const schedule = [{ atMicros: 1_500_000, fault: { kind: "crash" as const, node: 2 } }];
    const a = traced(11, { ...SHORT, schedule });
    const b = traced(11, { ...SHORT, schedule });
    expect(b.text).toBe(a.text);
  });

  test("different seeds give different traces", () => {
    const hashes = new Set([1, 2, 3, 4].map((seed) => traced(seed).report.traceHash));
    expect(hashes.size).toBe(4);
  });

  test("changing an option changes the hash", () => {
    expect(traced(5, { ...SHORT, clients: 2 }).report.traceHash)
      .not.toBe(traced(5, { ...SHORT, clients: 3 }).report.traceHash);
  });

  test("a run with poisoned globals completes with the same hash", () => {
    const clean = traced(9);
    const g = globalThis as unknown as Poisonable;
    poison(Math as unknown as Poisonable, "random");
    poison(performance as unknown as Poisonable, "now");
    for (const name of ["setTimeout", "setInterval", "setImmediate", "queueMicrotask"]) {
      poison(g, name);
    }
    poison(crypto as unknown as Poisonable, "getRandomValues");
    poison(process as unknown as Poisonable, "hrtime");
    poisonDate();
    const poisoned = traced(9);
    expect(poisoned.report.outcome).not.toBe("failed");
    expect(poisoned.report.violations.filter((v) => v.checker === "assertion")).toEqual([]);
    expect(poisoned.report.traceHash).toBe(clean.report.traceHash);
    expect(poisoned.text).toBe(clean.text);
  });
});

/** Two tasks: a watcher of /app that re-arms its watch, and a writer of /app. */
const SCENARIO: ScenarioTask[] = [
  async (client) => {
    const zk = client.connect();
    await zk.create("/app", "v0").catch(ignoreKeeperErrors);
    for (let i = 0; i < 15; i++) {
      await zk.getData("/app", () => undefined).catch(ignoreKeeperErrors);
      await client.sleep(90);
    }
    await zk.close();
  },
  async (client) => {
    const zk = client.connect();
    for (let i = 0; i < 20; i++) {
      await zk.setData("/app", `v${i}`).catch(ignoreKeeperErrors);
      await zk.create("/app/e-", null, undefined, "EPHEMERAL_SEQUENTIAL").catch(ignoreKeeperErrors);
      await client.sleep(60);
    }
  },
];

function ignoreKeeperErrors(error: unknown): undefined {
  if (!(error instanceof KeeperError)) throw error;
  return undefined;
}

async function tracedScenario(seed: number) {
  const lines: string[] = [];
  // The fixed world: the scenario's tasks are timed for it (a swarm world may be slower).
  const result = await runScenario(seed, { ...SHORT, clients: 1, swarm: false }, SCENARIO,
    { traceSink: (line) => lines.push(line) });
  return { ...result, text: lines.join("\n") };
}

describe("determinism of API-driven runs", () => {
  test("the same scenario twice under poisoned globals: byte-identical traces", async () => {
    const g = globalThis as unknown as Poisonable;
    poison(Math as unknown as Poisonable, "random");
    poison(performance as unknown as Poisonable, "now");
    for (const name of ["setTimeout", "setInterval", "queueMicrotask"]) poison(g, name);
    poisonDate();
    const a = await tracedScenario(4);
    const b = await tracedScenario(4);
    expect(a.tasks.map((t) => t.status)).toEqual(["done", "done"]);
    expect(a.report.violations).toEqual([]);
    expect(a.report.committed).toBeGreaterThan(20);
    expect(a.text.length).toBeGreaterThan(1000);
    expect(b.text).toBe(a.text);
    expect(b.report.traceHash).toBe(a.report.traceHash);
  });

  test("a task awaiting a real timer fails the run with its seed", async () => {
    const stalls: ScenarioTask = async () => {
      await new Promise<void>((resolve) => {
        globalThis.setTimeout(resolve, 60_000).unref();
      });
    };
    const run = runScenario(6, { ...SHORT, clients: 0 }, [stalls]);
    await expect(run).rejects.toBeInstanceOf(ScenarioStalled);
    await expect(run).rejects.toThrow(/seed 6/);
  });
});
