/**
 * The fixture protocol is a real replicated counter, so the kernel's tests and benchmark run a
 * protocol that works: over seeds, with every message fault, torn writes, clock skew and the
 * standard fault mix, then a heal, (1) a log index never carries two different entries among
 * delivered ones, (2) each server delivers indexes 1, 2, 3 … in order from each (re)start,
 * (3) every answer a client got names an entry some server delivered at that index,
 * (4) clients get answers again after the heal, and (5) every answered entry survives: the
 * primary has delivered it again since its last restart by the end of the run.
 */
import { describe, expect } from "vitest";
import { fc, test } from "@fast-check/vitest";
import { counterCluster, hashCounterObservation } from "../../fixture/index.js";
import { World } from "../../../src/sim/world.js";

const HEAL = 3_000_000;

function run(seed: number) {
  const world = new World({
    seed,
    hosts: counterCluster({ servers: 3, clients: 3 }),
    hashObservation: hashCounterObservation,
    options: {
      network: {
        lossProbability: 0.05, duplicateProbability: 0.05, reorder: true, spikeProbability: 0.02,
      },
      disk: { tornWriteProbability: 0.5 },
      clock: { skewMicrosMax: 100_000, driftPpmMax: 500 },
      nemesis: {
        mix: "standard", faultsPerSecond: 3, startMicros: 200_000, untilMicros: HEAL,
        healAtMicros: HEAL,
      },
    },
  });
  world.runUntil(HEAL + 3_000_000);
  return world;
}

describe("fixture protocol", () => {
  const seeds = fc.integer({ min: 0, max: 2 ** 40 });
  test.prop([seeds], { numRuns: 10 })("replicates a counter safely", (seed) => {
    const world = run(seed);
    expect(world.failure).toBeNull();
    const txnAt = new Map<number, string>();
    const next = new Map<number, number>();
    let answeredAfterHeal = 0;
    const answered: string[] = [];
    let primarySinceRestart = new Set<string>();
    for (const { observation: o, timeMicros } of world.observations) {
      if (o.kind === "restore") next.set(o.node, 1);
      if (o.kind === "restore" && o.node === 1) primarySinceRestart = new Set();
      if (o.kind === "deliver" && o.node === 1) primarySinceRestart.add(`${o.zxid} ${o.txn}`);
      if (o.kind === "deliver") {
        expect(txnAt.get(o.zxid) ?? o.txn).toBe(o.txn);
        txnAt.set(o.zxid, o.txn);
        expect(o.zxid).toBe(next.get(o.node) ?? 1);
        next.set(o.node, o.zxid + 1);
      }
      if (o.kind === "complete") {
        expect(txnAt.get(o.zxid)).toBe(o.txn);
        if (timeMicros > HEAL) answeredAfterHeal++;
        answered.push(`${o.zxid} ${o.txn}`);
      }
    }
    expect(answeredAfterHeal).toBeGreaterThan(0);
    expect(answered.filter((entry) => !primarySinceRestart.has(entry))).toEqual([]);
  });
});
