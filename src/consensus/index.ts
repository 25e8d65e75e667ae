/**
 * The consensus module's public surface: the pure replica, its boundary types, its config and
 * the planted bugs. Internals (roles, election, sync planning) are not re-exported.
 */
export { Replica, MICROS_PER_MS } from "./replica.js";
export type { ZabState } from "./replica.js";
export { checkInvariants } from "./invariants.js";
export type {
  Input, Effect, PersistRecord, RecoveredRecord, TimerName, ClientRequest,
} from "./io.js";
export { TIMER_NAMES } from "./io.js";
export type {
  Message, Notification, QuorumPacket, QuorumEnvelope, ForwardedRequest, SealedEnvelope,
  HandshakeMessage, ConnectionMessage,
} from "./messages.js";
export { decodePacket, encodePacket } from "./packet-codec.js";
export { renderMessage, renderPacket } from "./messages.js";
export type { ReplicaConfig, ConfigError, SecureQuorumConfig } from "./config.js";
export { makeConfig, validateConfig, CONFIG_DEFAULTS, isVoter } from "./config.js";
export type { BugName } from "./bugs.js";
export {
  BUG_NAMES, CHANNEL_BUG_NAMES, allBugNames, bugNames, channelBugNames, isBugName,
} from "./bugs.js";
export type { ServerId, ClientId, Zxid, Epoch } from "./ids.js";
export { serverId, clientId } from "./ids.js";
export type { ClientResult, LogEntry, Request, Snapshot, Txn, Origin } from "./state-machine.js";
export { encodeRecord, decodeRecord } from "./records.js";
