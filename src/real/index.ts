/**
 * A client for a real ZooKeeper server (the wire protocol over TCP) and a scenario runner on top
 * of it. It does real I/O with sockets, timers and promises, so only the CLI and scripts/ import
 * it; nothing simulated does.
 */
export { runAgainst, createdPaths } from "./against.js";
export type { AgainstOutcome } from "./against.js";
export { runScenario, runStep, stepRequest, localTarget, SessionTable } from "./runner.js";
export type { Target } from "./runner.js";
export { Session, SessionError, DEFAULT_TIMEOUTS } from "./session.js";
export type { Reply, Notification, SessionTimeouts } from "./session.js";
export { encodeRequest, requestOpcode } from "./requests.js";
export type { ZkRequest, ZkResponse, MultiOpRequest, CreateSpec } from "./requests.js";
export { errorName, eventName, OpCode } from "./protocol.js";
export { runEnsembleScenario } from "./ensemble-runner.js";
export type { EnsembleRunOptions } from "./ensemble-runner.js";
export type { EnsembleControl } from "./ensemble-control.js";
export { fourLetterWord, parseSrvr, serverStatus } from "./four-letter.js";
export type { ServerStatus } from "./four-letter.js";
export { RealZooKeeper, OPEN_ACL_UNSAFE } from "./zookeeper.js";
export type {
  Acl, Op, OpResult, RealZooKeeperOptions, Stat, WatchArg, WatchedEvent, Watcher,
} from "./zookeeper.js";
export type { TlsOptions } from "./frame-socket.js";
export type { Endpoint } from "./session.js";
