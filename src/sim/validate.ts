/**
 * validateSimOptions: checks a SimOptions record (usually built from CLI flags or a run file) and
 * returns one typed error per bad field, naming it by its dotted path ("network.latencyMicrosMin")
 * so that the CLI can print one clear line and exit with code 2. An empty list means valid.
 */
import type { Fault, ScheduledFault } from "./faults.js";
import { FAULT_KINDS } from "./faults.js";
import type { SimOptions } from "./options.js";
import { minorityOf } from "./options.js";

/** One bad option. */
export interface SimOptionsError {
  readonly code: "BAD_OPTION";
  /** Dotted path of the field, e.g. "nemesis.schedule[2].fault.node". */
  readonly field: string;
  readonly message: string;
}

/** Who is in the world, when known: lets validation check node ids and the majority promise. */
export interface Topology {
  /** Voting servers (ZooKeeper participants). */
  readonly voters: readonly number[];
  /** Every server: voters and observers. */
  readonly servers: readonly number[];
  /** Every node, servers and clients. */
  readonly nodes: readonly number[];
}

/** The largest drift a clock may have: 10%, far beyond real quartz, and it keeps time monotone. */
export const DRIFT_PPM_LIMIT = 100_000;
/** The highest mean rate of drawn faults, per simulated second. */
export const FAULTS_PER_SECOND_LIMIT = 1000;
/** Times are bounded so that any sum of them stays an exact integer. */
const MICROS_LIMIT = 2 ** 50;

type Errors = SimOptionsError[];

function bad(errors: Errors, field: string, message: string): void {
  errors.push({ code: "BAD_OPTION", field, message: `${field} ${message}` });
}

function micros(errors: Errors, field: string, value: unknown): void {
  if (typeof value !== "number" || !Number.isInteger(value) || value < 0 || value > MICROS_LIMIT) {
    bad(errors, field, `must be a whole number of microseconds >= 0, got ${String(value)}`);
  }
}

function probability(errors: Errors, field: string, value: unknown): void {
  if (typeof value !== "number" || !(value >= 0 && value <= 1)) {
    bad(errors, field, `must be a probability in [0, 1], got ${String(value)}`);
  }
}

function range(errors: Errors, field: string, min: unknown, max: unknown): void {
  micros(errors, `${field}Min`, min);
  micros(errors, `${field}Max`, max);
  if (typeof min === "number" && typeof max === "number" && min > max) {
    bad(errors, `${field}Min`, `(${min}) must not exceed ${field}Max (${max})`);
  }
}

function flag(errors: Errors, field: string, value: unknown): void {
  if (typeof value !== "boolean") bad(errors, field, `must be true or false, got ${String(value)}`);
}

/** Returns every problem with `options`; empty when they are valid. */
export function validateSimOptions(options: SimOptions, topology?: Topology): SimOptionsError[] {
  const errors: Errors = [];
  validateNetwork(errors, options);
  validateDisk(errors, options);
  validateClock(errors, options, topology);
  validateNemesis(errors, options, topology);
  const { eventsMax, queueMax } = options.limits;
  if (!Number.isSafeInteger(eventsMax) || eventsMax < 1) {
    bad(errors, "limits.eventsMax", `must be a whole number >= 1, got ${String(eventsMax)}`);
  }
  if (!Number.isSafeInteger(queueMax) || queueMax < 1) {
    bad(errors, "limits.queueMax", `must be a whole number >= 1, got ${String(queueMax)}`);
  }
  flag(errors, "trace.keepEvents", options.trace.keepEvents);
  return errors;
}

function validateNetwork(errors: Errors, options: SimOptions): void {
  const n = options.network;
  range(errors, "network.latencyMicros", n.latencyMicrosMin, n.latencyMicrosMax);
  probability(errors, "network.spikeProbability", n.spikeProbability);
  micros(errors, "network.spikeMicrosMax", n.spikeMicrosMax);
  probability(errors, "network.lossProbability", n.lossProbability);
  probability(errors, "network.duplicateProbability", n.duplicateProbability);
  flag(errors, "network.reorder", n.reorder);
  if (!Array.isArray(n.links)) {
    bad(errors, "network.links", "must be a list");
    return;
  }
  n.links.forEach((link, i) => {
    const field = `network.links[${i}]`;
    range(errors, `${field}.latencyMicros`, link.latencyMicrosMin, link.latencyMicrosMax);
    if (!Number.isSafeInteger(link.from)) bad(errors, `${field}.from`, "must be a node id");
    if (!Number.isSafeInteger(link.to)) bad(errors, `${field}.to`, "must be a node id");
  });
}

function validateDisk(errors: Errors, options: SimOptions): void {
  const d = options.disk;
  range(errors, "disk.fsyncMicros", d.fsyncMicrosMin, d.fsyncMicrosMax);
  probability(errors, "disk.fsyncStallProbability", d.fsyncStallProbability);
  micros(errors, "disk.fsyncStallMicrosMax", d.fsyncStallMicrosMax);
  probability(errors, "disk.tornWriteProbability", d.tornWriteProbability);
}

function validateClock(errors: Errors, options: SimOptions, topology?: Topology): void {
  const c = options.clock;
  micros(errors, "clock.skewMicrosMax", c.skewMicrosMax);
  const drift = c.driftPpmMax;
  if (typeof drift !== "number" || !Number.isInteger(drift) || drift < 0 ||
    drift > DRIFT_PPM_LIMIT) {
    bad(errors, "clock.driftPpmMax", `must be a whole number in [0, ${DRIFT_PPM_LIMIT}]`);
  }
  if (!Array.isArray(c.nodes)) {
    bad(errors, "clock.nodes", "must be a list");
    return;
  }
  c.nodes.forEach((setting, i) => {
    const field = `clock.nodes[${i}]`;
    knownNode(errors, `${field}.node`, setting.node, topology?.nodes);
    const offset = setting.offsetMicros;
    if (!Number.isSafeInteger(offset) || Math.abs(offset) > MICROS_LIMIT) {
      bad(errors, `${field}.offsetMicros`, "must be a whole number of microseconds");
    }
    const ppm = setting.driftPpm;
    if (!Number.isInteger(ppm) || Math.abs(ppm) > DRIFT_PPM_LIMIT) {
      const limit = DRIFT_PPM_LIMIT;
      bad(errors, `${field}.driftPpm`, `must be a whole number in [-${limit}, ${limit}]`);
    }
  });
}

function knownNode(errors: Errors, field: string, node: unknown, nodes?: readonly number[]): void {
  if (typeof node !== "number" || !Number.isSafeInteger(node) || node < 0) {
    bad(errors, field, `must be a node id, got ${String(node)}`);
  } else if (nodes !== undefined && !nodes.includes(node)) {
    bad(errors, field, `names node ${node}, which is not in the world`);
  }
}

function validateNemesis(errors: Errors, options: SimOptions, topology?: Topology): void {
  const n = options.nemesis;
  if (n.mix !== "none" && n.mix !== "standard") {
    bad(errors, "nemesis.mix", `must be "none" or "standard", got ${JSON.stringify(n.mix)}`);
  }
  const rate = n.faultsPerSecond;
  if (typeof rate !== "number" || !(rate >= 0 && rate <= FAULTS_PER_SECOND_LIMIT)) {
    bad(errors, "nemesis.faultsPerSecond",
      `must be a number in [0, ${FAULTS_PER_SECOND_LIMIT}], got ${String(rate)}`);
  }
  micros(errors, "nemesis.startMicros", n.startMicros);
  micros(errors, "nemesis.untilMicros", n.untilMicros);
  if (n.healAtMicros !== null) micros(errors, "nemesis.healAtMicros", n.healAtMicros);
  range(errors, "nemesis.restartDelayMicros", n.restartDelayMicrosMin, n.restartDelayMicrosMax);
  flag(errors, "nemesis.keepMajority", n.keepMajority);
  flag(errors, "nemesis.corruptSynced", n.corruptSynced);
  validateCrashMax(errors, n.crashMax, n.keepMajority, topology);
  if (!Array.isArray(n.schedule)) {
    bad(errors, "nemesis.schedule", "must be a list");
    return;
  }
  n.schedule.forEach((entry, i) => {
    validateScheduled(errors, `nemesis.schedule[${i}]`, entry, topology);
  });
}

function validateCrashMax(
  errors: Errors, crashMax: number | null, keepMajority: boolean, topology?: Topology,
): void {
  if (crashMax === null) return;
  if (!Number.isSafeInteger(crashMax) || crashMax < 0) {
    bad(errors, "nemesis.crashMax", `must be a whole number >= 0 or null, got ${String(crashMax)}`);
    return;
  }
  if (keepMajority && topology !== undefined) {
    const limit = minorityOf(topology.voters.length);
    if (crashMax > limit) {
      bad(errors, "nemesis.crashMax",
        `(${crashMax}) exceeds a minority of ${topology.voters.length} voters (${limit}) while ` +
        "nemesis.keepMajority promises a majority stays up");
    }
  }
}

function validateScheduled(
  errors: Errors, field: string, entry: ScheduledFault, topology?: Topology,
): void {
  if (typeof entry !== "object" || entry === null) {
    bad(errors, field, "must be an object {atMicros, fault}");
    return;
  }
  micros(errors, `${field}.atMicros`, entry.atMicros);
  const fault = entry.fault as Fault | undefined;
  if (typeof fault !== "object" || fault === null || !FAULT_KINDS.includes(fault.kind)) {
    bad(errors, `${field}.fault.kind`, `must be one of ${FAULT_KINDS.join(", ")}`);
    return;
  }
  validateFault(errors, `${field}.fault`, fault, topology);
}

function nodeList(errors: Errors, field: string, list: unknown, nodes?: readonly number[]): void {
  if (!Array.isArray(list) || list.length === 0) {
    bad(errors, field, "must be a non-empty list of node ids");
    return;
  }
  list.forEach((node, i) => knownNode(errors, `${field}[${i}]`, node, nodes));
}

function validateFault(errors: Errors, field: string, fault: Fault, topology?: Topology): void {
  switch (fault.kind) {
    case "crash":
    case "restart":
      knownNode(errors, `${field}.node`, fault.node, topology?.servers);
      return;
    case "partition":
    case "clog":
      nodeList(errors, `${field}.from`, fault.from, topology?.nodes);
      nodeList(errors, `${field}.to`, fault.to, topology?.nodes);
      flag(errors, `${field}.oneWay`, fault.oneWay);
      if (fault.kind === "clog") micros(errors, `${field}.durationMicros`, fault.durationMicros);
      return;
    case "loss-burst":
      probability(errors, `${field}.lossProbability`, fault.lossProbability);
      probability(errors, `${field}.duplicateProbability`, fault.duplicateProbability);
      micros(errors, `${field}.durationMicros`, fault.durationMicros);
      return;
    case "pause":
      knownNode(errors, `${field}.node`, fault.node, topology?.nodes);
      micros(errors, `${field}.durationMicros`, fault.durationMicros);
      return;
    case "clock-jump":
      knownNode(errors, `${field}.node`, fault.node, topology?.nodes);
      if (!Number.isSafeInteger(fault.deltaMicros) || Math.abs(fault.deltaMicros) > MICROS_LIMIT) {
        bad(errors, `${field}.deltaMicros`, "must be a whole number of microseconds");
      }
      return;
    case "corrupt":
      knownNode(errors, `${field}.node`, fault.node, topology?.servers);
      if (!Number.isSafeInteger(fault.pick) || fault.pick < 0) {
        bad(errors, `${field}.pick`, "must be a whole number >= 0");
      }
      return;
    case "heal-partitions":
    case "unclog":
    case "heal":
      return;
    default:
      bad(errors, `${field}.kind`, `must be one of ${FAULT_KINDS.join(", ")}`);
  }
}
