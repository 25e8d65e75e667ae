/**
 * The nemesis draws a fault plan from the seed before the run starts. Drawing it up front (from
 * its own stream) makes the plan plain data: it goes in the report, and feeding it back as an
 * explicit schedule with mix "none" replays the same faults at the same times.
 *
 * The standard mix stays inside what ZAB tolerates: at most a minority of voters (and at most
 * `crashMax` servers) down at once; partitions of any shape, symmetric or one way; clogs; bursts
 * of loss and duplication; clock jumps; and bit flips in synced records only when opted in.
 * Faults arrive as a Poisson process of rate `faultsPerSecond` in [startMicros, untilMicros).
 */
import { assertNever } from "../util/assert.js";
import type { Prng } from "../util/prng.js";
import type { Fault, NodeId, ScheduledFault } from "./faults.js";
import type { NemesisOptions } from "./options.js";
import { minorityOf } from "./options.js";
import type { Topology } from "./validate.js";

type DrawnKind =
  | "crash" | "partition" | "clog" | "swizzle" | "loss-burst" | "clock-jump" | "corrupt";

/** Relative weights of the standard mix (crashes are the richest source of ZAB bugs). */
const STANDARD_WEIGHTS: readonly (readonly [DrawnKind, number])[] = [
  ["crash", 4], ["partition", 3], ["clog", 2], ["swizzle", 1], ["loss-burst", 2], ["clock-jump", 1],
  ["corrupt", 1],
];

const SECOND = 1_000_000;

interface Outage {
  readonly node: NodeId;
  readonly voter: boolean;
  readonly untilMicros: number;
}

/** The plan for one run: drawn faults (per the mix) merged with the explicit schedule. */
export function planFaults(
  options: NemesisOptions, topology: Topology, prng: Prng,
): ScheduledFault[] {
  const plan = options.mix === "none" ? [] : drawStandard(options, topology, prng);
  // Pauses draw from a fork, which leaves the mix's own stream where it was.
  if (options.mix !== "none") plan.push(...drawPauses(options, prng.fork("pause")));
  if (options.healAtMicros !== null) {
    plan.push({ atMicros: options.healAtMicros, fault: { kind: "heal" } });
  }
  // One push per entry: spreading a schedule of any length would overflow the call stack.
  for (const entry of options.schedule) plan.push(entry);
  // A stable sort: faults at the same time keep drawn-then-explicit order.
  return plan.map((entry, i) => ({ entry, i }))
    .sort((a, b) => a.entry.atMicros - b.entry.atMicros || a.i - b.i)
    .map(({ entry }) => entry);
}

function drawStandard(options: NemesisOptions, topology: Topology, prng: Prng): ScheduledFault[] {
  const plan: ScheduledFault[] = [];
  const outages: Outage[] = [];
  if (options.faultsPerSecond <= 0 || topology.servers.length === 0) return plan;
  const meanGapMicros = SECOND / options.faultsPerSecond;
  let at = options.startMicros;
  for (let drawn = 0; drawn < 1_000_000; drawn++) {
    // Exponential gaps make a Poisson process; 1 - U is in (0, 1], so the log is finite.
    at += Math.max(1, Math.round(-Math.log(1 - prng.nextFloat()) * meanGapMicros));
    if (at >= options.untilMicros) break;
    const kind = pickKind(prng, options.corruptSynced);
    const fault = drawFault(kind, at, options, topology, prng, outages);
    if (fault !== undefined) plan.push(...fault);
  }
  return plan;
}

/**
 * Process pauses (a client's or a server's long GC stall) as a Poisson process of rate
 * `pausesPerSecond`, each 0.2 to 8 s: long enough, often, for a session to expire meanwhile
 * (a pause is a slow process, inside ZAB's fault model; what it breaks is a client that acts
 * on an old belief, such as a lock it no longer holds).
 */
function drawPauses(options: NemesisOptions, prng: Prng): ScheduledFault[] {
  const plan: ScheduledFault[] = [];
  if (options.pausesPerSecond <= 0 || options.pauseNodes.length === 0) return plan;
  const meanGapMicros = SECOND / options.pausesPerSecond;
  let at = options.startMicros;
  for (let drawn = 0; drawn < 1_000_000; drawn++) {
    at += Math.max(1, Math.round(-Math.log(1 - prng.nextFloat()) * meanGapMicros));
    if (at >= options.untilMicros) break;
    const node = prng.pick(options.pauseNodes);
    const durationMicros = prng.intBetween(SECOND / 5, 8 * SECOND);
    plan.push({ atMicros: at, fault: { kind: "pause", node, durationMicros } });
  }
  return plan;
}

function pickKind(prng: Prng, corruptSynced: boolean): DrawnKind {
  const weights = STANDARD_WEIGHTS.filter(([kind]) => corruptSynced || kind !== "corrupt");
  let total = 0;
  for (const [, weight] of weights) total += weight;
  let draw = prng.intBetween(0, total - 1);
  for (const [kind, weight] of weights) {
    if (draw < weight) return kind;
    draw -= weight;
  }
  return "crash";
}

function drawFault(
  kind: DrawnKind, at: number, options: NemesisOptions, topology: Topology, prng: Prng,
  outages: Outage[],
): ScheduledFault[] | undefined {
  const servers = topology.servers;
  switch (kind) {
    case "crash":
      return drawCrash(at, options, topology, prng, outages);
    case "partition": {
      const [side, rest] = split(servers, prng);
      if (side.length === 0 || rest.length === 0) return undefined;
      const oneWay = prng.chance(0.3);
      const heal = at + prng.intBetween(SECOND / 5, 3 * SECOND);
      return [
        { atMicros: at, fault: { kind: "partition", from: side, to: rest, oneWay } },
        { atMicros: heal, fault: { kind: "heal-partitions" } },
      ];
    }
    case "clog": {
      const [side, rest] = split(servers, prng);
      if (side.length === 0 || rest.length === 0) return undefined;
      const durationMicros = prng.intBetween(10_000, 2 * SECOND);
      const oneWay = prng.chance(0.5);
      const fault: Fault = { kind: "clog", from: side, to: rest, oneWay, durationMicros };
      return [{ atMicros: at, fault }];
    }
    case "swizzle":
      return servers.length < 2 ? undefined : drawSwizzle(at, options.untilMicros, servers, prng);
    case "loss-burst": {
      const lossProbability = Math.round(prng.nextFloat() * 300) / 1000;
      const duplicateProbability = Math.round(prng.nextFloat() * 200) / 1000;
      const durationMicros = prng.intBetween(SECOND / 10, 2 * SECOND);
      const fault: Fault = {
        kind: "loss-burst", lossProbability, duplicateProbability, durationMicros,
      };
      return [{ atMicros: at, fault }];
    }
    case "clock-jump": {
      const node = prng.pick(servers);
      const deltaMicros = prng.intBetween(-2 * SECOND, 2 * SECOND);
      return [{ atMicros: at, fault: { kind: "clock-jump", node, deltaMicros } }];
    }
    case "corrupt":
      const fault: Fault = { kind: "corrupt", node: prng.pick(servers), pick: prng.nextUint32() };
      return [{ atMicros: at, fault }];
    default:
      return assertNever(kind, "fault kind");
  }
}

function drawCrash(
  at: number, options: NemesisOptions, topology: Topology, prng: Prng, outages: Outage[],
): ScheduledFault[] | undefined {
  const down = outages.filter((o) => o.untilMicros > at);
  const votersDown = down.filter((o) => o.voter).length;
  const voters = topology.voters.length;
  const voterLimit = options.keepMajority ? minorityOf(voters) : voters;
  const serverLimit = options.crashMax ?? minorityOf(topology.voters.length);
  if (down.length >= serverLimit) return undefined;
  const candidates = topology.servers.filter((node) => {
    if (down.some((o) => o.node === node)) return false;
    return !topology.voters.includes(node) || votersDown < voterLimit;
  });
  if (candidates.length === 0) return undefined;
  const node = prng.pick(candidates);
  const delay = prng.intBetween(options.restartDelayMicrosMin, options.restartDelayMicrosMax);
  const back = at + delay + 1;
  outages.push({ node, voter: topology.voters.includes(node), untilMicros: back });
  const crash: Fault = { kind: "crash", node };
  return [{ atMicros: at, fault: crash }, { atMicros: back, fault: { kind: "restart", node } }];
}

/**
 * FoundationDB's swizzle-clogging (RandomClogging.cpp, "the reigning champion" fault): clog the
 * links of a random subset of servers one by one, then let the clogs end one by one in another
 * random order, so connectivity comes and goes in patterns no single partition makes.
 */
function drawSwizzle(
  at: number, untilMicros: number, servers: readonly NodeId[], prng: Prng,
): ScheduledFault[] {
  const chosen = prng.shuffled(servers).slice(0, Math.max(1, Math.floor(servers.length / 2)));
  const gap = prng.intBetween(50_000, 500_000);
  const lastStart = at + gap * (chosen.length - 1);
  const endOrder = prng.shuffled(chosen);
  return chosen.map((node, i) => {
    const start = at + gap * i;
    const end = lastStart + gap * (endOrder.indexOf(node) + 1);
    const others = servers.filter((other) => other !== node);
    const fault: Fault = {
      kind: "clog", from: [node], to: others, oneWay: false, durationMicros: end - start,
    };
    return { atMicros: start, fault };
  }).filter((entry) => entry.atMicros < untilMicros);
}

/** A random split of `nodes` into two sides (either may be empty; the caller checks). */
function split(nodes: readonly NodeId[], prng: Prng): [NodeId[], NodeId[]] {
  const side: NodeId[] = [];
  const rest: NodeId[] = [];
  for (const node of nodes) (prng.chance(0.5) ? side : rest).push(node);
  return [side, rest];
}
