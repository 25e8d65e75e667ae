/**
 * Swarm worlds (issue 19; TigerBeetle's VOPR `options_swarm`, FoundationDB's buggified knobs):
 * `zabsim run` and `sweep` draw each seed's world from the seed, so a sweep over seeds also
 * sweeps environments and reaches what one fixed world never does (several power losses per
 * run with slow, stalling fsyncs expose acknowledge-before-persist mistakes; a zxid counter
 * started near 2^32 - 1 forces the rollover re-election).
 *
 * The draw is a pure function of the seed's own "run/swarm" stream, so it shifts no other
 * randomness, and it draws every knob in a fixed order whatever the input gives, so a flag the
 * user sets changes that knob alone. Every field the input gives wins over the draw; a
 * RunOptions that gives every field (a run file, a report's options) is therefore replayed
 * exactly, swarm on or off. With `--faults none` nothing is drawn: the quiet world stays quiet.
 *
 * Everything drawn stays inside ZAB's fault model: links stay FIFO (TCP), the nemesis keeps
 * its majority promise, clocks drift at most DRIFT_PPM_SWARM_MAX (real quartz drifts under
 * 100 ppm; ZooKeeper's timeouts assume roughly equal rates), and every server is back from a
 * power loss before the next one.
 */
import { minorityOf } from "../sim/index.js";
import { Prng, ZXID_COUNTER_MAX } from "../util/index.js";
import type { RunOptionsInput } from "./options.js";
import { RUN_DEFAULTS } from "./options.js";

/** The largest clock drift the swarm draws, in parts per million. */
export const DRIFT_PPM_SWARM_MAX = 1_000;

/** How far below 2^32 - 1 a drawn rollover start lies (a few epochs' worth of writes). */
export const SWARM_ROLLOVER_BELOW = { min: 50, max: 1_000 } as const;

/** The chance that a seed's leaders start their zxid counter near 2^32 - 1. */
export const SWARM_ROLLOVER_PROBABILITY = 0.05;

/** Whole-ensemble power losses per run: relative weights of 0, 1, 2, 3 and 4. */
const POWER_LOSS_WEIGHTS = [30, 30, 20, 12, 8] as const;

/** Three decimals: keeps printed options short and exactly reproducible from their JSON. */
function roundTo(value: number): number {
  return Math.round(value * 1000) / 1000;
}

/** A probability in [0, max] for a `share` of the seeds, else 0 (both drawn either way). */
function sometimes(prng: Prng, share: number, max: number): number {
  const on = prng.chance(share);
  const value = roundTo(prng.nextFloat() * max);
  return on ? value : 0;
}

function drawNetwork(prng: Prng): NonNullable<RunOptionsInput["network"]> {
  const latencyMicrosMin = prng.intBetween(0, 5_000);
  return {
    latencyMicrosMin,
    latencyMicrosMax: latencyMicrosMin + prng.intBetween(0, 50_000),
    spikeProbability: sometimes(prng, 0.5, 0.05),
    spikeMicrosMax: prng.intBetween(10_000, 500_000),
    lossProbability: sometimes(prng, 0.5, 0.1),
    duplicateProbability: sometimes(prng, 1 / 3, 0.1),
  };
}

/**
 * fsync: most seeds a fast to spinning disk (0.1 ms up to ~22 ms), one in five a slow one (up
 * to 200 ms); a third of the seeds stall now and then (seconds: issue 14's stalled disk).
 */
function drawDisk(prng: Prng): NonNullable<RunOptionsInput["disk"]> {
  const fsyncMicrosMin = prng.intBetween(100, 2_000);
  const slow = prng.chance(0.2);
  const spread = prng.intBetween(0, slow ? 200_000 : 20_000);
  return {
    fsyncMicrosMin,
    fsyncMicrosMax: fsyncMicrosMin + spread,
    fsyncStallProbability: sometimes(prng, 1 / 3, 0.02),
    fsyncStallMicrosMax: prng.intBetween(500_000, 5_000_000),
    tornWriteProbability: sometimes(prng, 0.5, 1),
  };
}

function drawClock(prng: Prng): NonNullable<RunOptionsInput["clock"]> {
  const skew = prng.intBetween(1, 500_000);
  const drift = prng.intBetween(1, DRIFT_PPM_SWARM_MAX);
  return {
    skewMicrosMax: prng.chance(0.5) ? skew : 0,
    driftPpmMax: prng.chance(0.5) ? drift : 0,
  };
}

/** The nemesis's rate, crash bound (at most a minority of the voters) and restart delays. */
function drawNemesis(prng: Prng, voters: number): NonNullable<RunOptionsInput["nemesis"]> {
  const faultsPerSecond = roundTo(0.1 + prng.nextFloat() * 4.9);
  const minority = minorityOf(voters);
  const bound = prng.intBetween(1, Math.max(1, minority));
  const crashMax = minority > 0 && prng.chance(0.5) ? bound : null;
  return {
    faultsPerSecond,
    crashMax,
    restartDelayMicrosMin: prng.intBetween(10_000, 500_000),
    restartDelayMicrosMax: prng.intBetween(500_000, 5_000_000),
  };
}

function drawPowerLosses(prng: Prng): number {
  let total = 0;
  for (const weight of POWER_LOSS_WEIGHTS) total += weight;
  let draw = prng.intBetween(0, total - 1);
  for (let count = 0; count < POWER_LOSS_WEIGHTS.length; count++) {
    const weight = POWER_LOSS_WEIGHTS[count] ?? 0;
    if (draw < weight) return count;
    draw -= weight;
  }
  return 0;
}

function drawZxidCounterStart(prng: Prng): number {
  const on = prng.chance(SWARM_ROLLOVER_PROBABILITY);
  const below = prng.intBetween(SWARM_ROLLOVER_BELOW.min, SWARM_ROLLOVER_BELOW.max);
  return on ? ZXID_COUNTER_MAX - below : 0;
}

/** The knobs a swarm world draws for `seed` (before the input's own fields win). */
export function swarmDraw(seed: number, voters: number): RunOptionsInput {
  const prng = new Prng(seed, "run/swarm");
  return {
    network: drawNetwork(prng),
    disk: drawDisk(prng),
    clock: drawClock(prng),
    nemesis: drawNemesis(prng, voters),
    powerLosses: drawPowerLosses(prng),
    zxidCounterStart: drawZxidCounterStart(prng),
  };
}

/** True when a run with `input` draws its world (swarm on, and a fault mix to draw for). */
export function swarmOn(input: RunOptionsInput): boolean {
  const swarm = input.swarm ?? RUN_DEFAULTS.swarm;
  const faults = input.faults ?? RUN_DEFAULTS.faults;
  return swarm && faults !== "none";
}

/**
 * The input of seed `seed`'s run: with swarm on, the drawn knobs under every field `input`
 * gives (a section's fields one by one); otherwise `input` itself.
 */
export function swarmInput(seed: number, input: RunOptionsInput): RunOptionsInput {
  if (!swarmOn(input)) return input;
  const drawn = swarmDraw(seed, input.replicas ?? RUN_DEFAULTS.replicas);
  const out: Record<string, unknown> = { ...drawn, ...definedFields(input) };
  for (const section of ["network", "disk", "clock", "nemesis"] as const) {
    out[section] = { ...drawn[section], ...definedFields(input[section]) };
  }
  return out as RunOptionsInput;
}

/** The fields of a section that are set (an undefined field gives nothing). */
function definedFields(section: object | undefined): Record<string, unknown> {
  if (section === undefined) return {};
  return Object.fromEntries(Object.entries(section).filter(([, value]) => value !== undefined));
}
