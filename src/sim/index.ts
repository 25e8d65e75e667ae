/**
 * The simulation kernel's public surface: the World, its options and their validation, the host
 * interface hosts implement, faults and the nemesis plan, the trace, the disk checksum helpers.
 * The world is generic: it carries messages and observations as opaque payloads and knows
 * nothing of ZooKeeper (src/ensemble puts ZooKeeper's servers and clients in it).
 */
export { World, SimOptionsInvalid } from "./world.js";
export { LOCAL_CLOCK_BASE_MICROS } from "./clock.js";
export type { WorldConfig, RunOutcome } from "./world.js";
export type { WorldReport, WorldStats, SimFailure } from "./report.js";
export type { Host, HostContext, NodeRole, WriteId } from "./host.js";
export type { Envelope, DropReason, Adversary } from "./envelope.js";
export type { Fault, FaultKind, ScheduledFault, NodeId } from "./faults.js";
export { FAULT_KINDS } from "./faults.js";
export type {
  SimOptions, SimOptionsInput, NetworkOptions, DiskOptions, ClockOptions, NemesisOptions,
  LimitOptions, TraceOptions, LinkLatency, NodeClockSetting, FaultMix,
} from "./options.js";
export { defaultSimOptions, resolveSimOptions, minorityOf } from "./options.js";
export type { SimOptionsError, Topology } from "./validate.js";
export { validateSimOptions, DRIFT_PPM_LIMIT, FAULTS_PER_SECOND_LIMIT } from "./validate.js";
export { planFaults } from "./nemesis.js";
export type {
  TraceEvent, TraceRecord, ObservationRecord, TraceSink, MessageDescriber, ObservationHasher,
} from "./trace.js";
export { renderRecord } from "./trace.js";
export { crc32, sealRecord, openRecord } from "./checksum.js";
export type { NodeRuntime } from "./node.js";
export type { Disk } from "./disk.js";
export { EventQueue } from "./event-queue.js";
export { TraceHash } from "./trace-hash.js";
export { swarmSimOptions } from "./swarm.js";
