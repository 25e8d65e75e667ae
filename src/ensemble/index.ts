/**
 * The ensemble module's public surface: ZooKeeper's processes as hosts in the world. The replica
 * host runs one pure replica (src/consensus) and interprets its effects; the workload clients
 * issue a seeded request mix and report what they asked and were told.
 */
export {
  ReplicaHost, createReplicaHosts, describeZabMessage, ZAB_CLIENT_PROTOCOL, DATA_FILE,
  REPLICA_TIMERS, describeRequest,
} from "./replica-host.js";
export type { ZabWire, ClientWire, ReplicaHostsOptions } from "./replica-host.js";
export { WorkloadClient, makeWorkload, WORKLOAD_DEFAULTS } from "./workload.js";
export type {
  WorkloadOptions, ClientProtocol, ServerAnswer, SessionHandle,
} from "./workload.js";
export { ATTACK_PROBABILITY, Attacker, OUTSIDER_SID } from "./attacker.js";
export type { AdversaryReport, AttackerOptions } from "./attacker.js";
export { ClientLink } from "./client-link.js";
export type { LinkFrame } from "./client-link.js";
export type { ServerFrame, SessionWire } from "./session-wire.js";
export { SessionTransport } from "./session-transport.js";
export type { NodeCounters } from "./session-transport.js";
export {
  SESSION_WORKLOAD_DEFAULTS, SessionWorkloadClient, makeSessionWorkload,
} from "./session-workload.js";
export type { SessionWorkloadOptions } from "./session-workload.js";
export { ApiClientHost } from "./api-client.js";
export type { ApiClientOptions } from "./api-client.js";
export {
  PinnedSessionHost, SCRIPT_SESSION_TIMEOUT_MS, ScriptServerHost,
} from "./script-hosts.js";
export type { PinnedArrival } from "./script-hosts.js";
