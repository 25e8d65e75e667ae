/**
 * Swarm testing (TigerBeetle's VOPR `options_swarm`, FoundationDB's buggified knobs): instead of
 * one fixed world, each seed draws its own network, disk, clock and fault-rate parameters, so a
 * sweep over seeds also sweeps the space of environments and finds bugs that only some mix of
 * conditions exposes. The draw comes from the seed's own "swarm" stream, so the options are a pure
 * function of (seed, base); the report prints them, so a failing seed replays without --swarm.
 *
 * Everything drawn stays inside what ZAB tolerates: links stay FIFO (ZooKeeper's quorum channels
 * are TCP) unless the base options turn reordering on, and the nemesis keeps its majority promise.
 */
import { Prng } from "../util/prng.js";
import type { SimOptionsInput } from "./options.js";

/** Draws a world for `seed` on top of `base` (fields set in base win over drawn ones). */
export function swarmSimOptions(seed: number, base: SimOptionsInput = {}): SimOptionsInput {
  const prng = new Prng(seed, "swarm");
  const sometimes = (p: number, draw: () => number): number => (prng.chance(p) ? draw() : 0);
  const latencyMicrosMin = prng.intBetween(0, 5_000);
  const fsyncMicrosMin = prng.intBetween(100, 2_000);
  const skewMicrosMax = sometimes(0.5, () => prng.intBetween(1, 500_000));
  const driftPpmMax = sometimes(0.5, () => prng.intBetween(1, 1_000));
  return {
    network: {
      latencyMicrosMin,
      latencyMicrosMax: latencyMicrosMin + prng.intBetween(0, 50_000),
      spikeProbability: sometimes(0.5, () => roundTo(prng.nextFloat() * 0.05)),
      spikeMicrosMax: prng.intBetween(10_000, 500_000),
      lossProbability: sometimes(0.5, () => roundTo(prng.nextFloat() * 0.1)),
      duplicateProbability: sometimes(0.3, () => roundTo(prng.nextFloat() * 0.1)),
      ...base.network,
    },
    disk: {
      fsyncMicrosMin,
      fsyncMicrosMax: fsyncMicrosMin + prng.intBetween(0, 20_000),
      tornWriteProbability: sometimes(0.5, () => roundTo(prng.nextFloat())),
      ...base.disk,
    },
    clock: { skewMicrosMax, driftPpmMax, ...base.clock },
    nemesis: {
      faultsPerSecond: roundTo(0.1 + prng.nextFloat() * 4.9),
      restartDelayMicrosMin: prng.intBetween(10_000, 500_000),
      restartDelayMicrosMax: prng.intBetween(500_000, 5_000_000),
      ...base.nemesis,
    },
    ...(base.limits === undefined ? {} : { limits: base.limits }),
    ...(base.trace === undefined ? {} : { trace: base.trace }),
  };
}

/** Three decimals: keeps printed options short and exactly reproducible from their JSON. */
function roundTo(value: number): number {
  return Math.round(value * 1000) / 1000;
}
