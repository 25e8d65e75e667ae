/**
 * The client module's public surface: the pure session machine (ClientSession with its inputs,
 * effects and packets) that hosts drive, and the promise API (ZooKeeper) that scenarios, recipes
 * and workloads are written against. It sees only the tree's types.
 */
export type {
  CallResult, ClientCall, ClientEffect, ClientInput, ClientPacket, ClientTimer, KeeperState,
  ReplyBody, ServerPacket, SessionState, WatchedEvent,
} from "./io.js";
export { AUTH_XID, NOTIFICATION_XID, PING_XID, SET_WATCHES_XID } from "./io.js";
export type { SessionOptions } from "./session.js";
export { ClientSession, JUTE_MAX_BUFFER } from "./session.js";
export type { SessionTiming } from "./timing.js";
export { sessionTiming } from "./timing.js";
export type { WatchLists } from "./watch-registry.js";
export { DEFAULT_WATCHER, WatchRegistry } from "./watch-registry.js";
export { KeeperError } from "./errors.js";
export type { Data, Op } from "./ops.js";
export { OPEN_ACL_UNSAFE, Ops } from "./ops.js";
export { CREATE_MODES, TTL_MAX, pathProblem } from "./validate.js";
export type { ClientHost, WatchArg, Watcher, ZooKeeperOptions } from "./api.js";
export { ZooKeeper } from "./api.js";
// The tree's types the API's signatures use, so that modules on the client API (keys, recipes)
// can name them without importing tree.
export type {
  Acl, CreateMode, ErrorCode, Id, Stat, SubTxnResult,
} from "../tree/index.js";
