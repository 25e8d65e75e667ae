/**
 * Power loss: every server of the ensemble crashes at the same instant and restarts a moment
 * later, the way a rack or a data centre loses power (FoundationDB's killDataCenter, Jepsen's
 * `:kill :all`). Zab is a crash-recovery protocol: it must stay safe when every server crashes
 * at once, as long as each fsyncs before it acknowledges. That is the rule the disk discipline
 * exists for (ZOOKEEPER-3911, 4394, 4643, 4646), and the one fault that tests it: with a
 * minority down at a time, a write acknowledged before its fsync survives in some live server's
 * memory. The nemesis keeps a majority up (a liveness promise), so the standard mix adds
 * power losses here, drawn from the run's own stream ("run/power") so the nemesis's draws do
 * not shift.
 */
import type { ScheduledFault } from "../sim/index.js";
import { Prng } from "../util/prng.js";

/** Chance that a run with the standard mix has a power loss in its safety phase. */
export const POWER_LOSS_PROBABILITY = 0.5;

/** Each server restarts this long after the power loss, drawn per server. */
const RESTART_MICROS_MIN = 100_000;
const RESTART_MICROS_MAX = 2_000_000;

/**
 * The crash and restart faults of the power losses in [startMicros, untilMicros): with `count`
 * null (the fixed world), one loss in half the runs; else `count` losses (the swarm draws 0 to
 * several), each in its own slice of the window so every server is back before the next one.
 * A window too short for all of them holds as many as fit. Restarts land before untilMicros;
 * the heal restarts anything still down anyway.
 */
export function drawPowerLoss(
  seed: number, servers: readonly number[], startMicros: number, untilMicros: number,
  count: number | null = null,
): ScheduledFault[] {
  const prng = new Prng(seed, "run/power");
  if (count === null && !prng.chance(POWER_LOSS_PROBABILITY)) return [];
  const slice = RESTART_MICROS_MAX + 1;
  const fits = Math.floor((untilMicros - startMicros - 1) / slice);
  const losses = Math.min(count ?? 1, Math.max(0, fits));
  if (servers.length === 0 || losses === 0) return [];
  // Slices share the window evenly; each loss lands early enough in its slice for its restarts.
  const width = Math.floor((untilMicros - startMicros) / losses);
  const faults: ScheduledFault[] = [];
  for (let i = 0; i < losses; i++) {
    const from = startMicros + i * width;
    faults.push(...oneLoss(prng, servers, from, from + width - slice));
  }
  return faults.sort((a, b) => a.atMicros - b.atMicros);
}

/** One power loss at a time drawn in [from, latest], each server back within the restart range. */
function oneLoss(
  prng: Prng, servers: readonly number[], from: number, latest: number,
): ScheduledFault[] {
  const atMicros = prng.intBetween(from, Math.max(from, latest));
  const faults: ScheduledFault[] = servers.map((node) => ({
    atMicros, fault: { kind: "crash", node },
  }));
  for (const node of servers) {
    const back = atMicros + prng.intBetween(RESTART_MICROS_MIN, RESTART_MICROS_MAX);
    faults.push({ atMicros: back, fault: { kind: "restart", node } });
  }
  return faults;
}
