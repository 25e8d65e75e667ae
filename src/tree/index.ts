/**
 * The znode tree's public surface (ZooKeeper 3.8 semantics). Two steps, as in ZooKeeper:
 *
 * - prep (leader or standalone server only): `prepRequest(ctx, meta, request, zxid, timeMs)`
 *   turns a write request into a txn, checking it against the committed tree plus the
 *   outstanding changes, in PrepRequestProcessor's order. Every write gets a txn (an error txn
 *   when a check fails) and so consumes its zxid; a multi is one txn.
 * - apply (every replica): `applyTxn(tree, txn, hooks?)` mutates the tree deterministically and
 *   returns the result and the watch events to deliver.
 *
 * Reads (`processRead`) are served from the local tree. Sessions are tracked by `SessionTracker`
 * on the server that expires them; `containerCandidates` lists what the reaper would delete;
 * `takeSnapshot`/`restoreSnapshot` and `DataTree.digest()` let replicas be saved and compared.
 */
export type { ErrorCode } from "./errors.js";
export { ERROR_CODES, ERROR_CODE_VALUES, errorCodeOf, isErrorCode } from "./errors.js";
export {
  CONFIG_PATH, QUOTA_PATH, ROOT_PATH, ZOOKEEPER_PATH, childNameOf, isSpecialPath, isValidPath,
  isValidPathForMode, parentPathOf,
} from "./path.js";
export type { Stat } from "./stat.js";
export { INT32_MAX, INT32_MIN, incrementVersion, isInt32, sequenceSuffix } from "./stat.js";
export type { CreateMode, EphemeralOwner, EphemeralType } from "./create-mode.js";
export {
  CONTAINER_OWNER, CREATE_MODES, CREATE_MODE_FLAGS, TTL_MAX, clientEphemeralOwner,
  createModeFromFlag, ephemeralTypeOf, isContainer, isEphemeral, isSequential, isTTL,
  isValidTtlForMode, ttlOfOwner, ttlOwner,
} from "./create-mode.js";
export type { Acl, AddAuthResult, Id } from "./acl.js";
export {
  ANYONE_ID_UNSAFE, AUTH_IDS, CREATOR_ALL_ACL, OPEN_ACL_UNSAFE, Perms, READ_ACL_UNSAFE, addAuth,
  checkACL, fixupACL, generateDigest, maskDigestIds,
} from "./acl.js";
export { utf8Bytes } from "./base64.js";
export type { AddWatchMode, EventType, WatchEvent, WatcherMode } from "./watches.js";
export { WatchManager } from "./watches.js";
export type {
  AddWatchRequest, CheckVersionRequest, CloseSessionRequest, CreateRequest, CreateSessionRequest,
  CreateTTLRequest, DeleteContainerRequest, DeleteRequest, GetEphemeralsRequest, MultiOp,
  MultiRequest, PathRequest, PathWatchRequest, ReadRequest, Request, RequestMeta, SetACLRequest,
  SetDataRequest, SetWatchesRequest, WatcherType, WatchesRequest, WriteRequest,
} from "./request.js";
export { isWriteRequest } from "./request.js";
export type {
  CheckVersionTxn, CloseSessionTxn, CreateContainerTxn, CreateSessionTxn, CreateTTLTxn, CreateTxn,
  DeleteTxn, ErrorTxn, MultiTxn, SetACLTxn, SetDataTxn, SubTxn, Txn, TxnBody, TxnHeader, TxnType,
} from "./txn.js";
export {
  decodeTxn, decodeWithData, encodeTxn, encodeWithData, txnFingerprint,
} from "./txn-codec.js";
export type { PendingStat } from "./change-record.js";
export { ChangeRecord, OutstandingChanges } from "./change-record.js";
export type { TreeOutcome } from "./data-tree.js";
export { DataTree } from "./data-tree.js";
export type { DataNode } from "./znode.js";
export type { PrepContext } from "./prep-context.js";
export { SERVER_REQUEST_META, prepRequest } from "./prep.js";
export type { ApplyHooks, ProcessTxnResult, SubTxnResult } from "./apply.js";
export { applyTxn } from "./apply.js";
export type { ReadResult } from "./reads.js";
export { processRead } from "./reads.js";
export type { SessionInfo, SessionTrackerOptions } from "./sessions.js";
export {
  ExpiryQueue, MAX_EXTENDED_SERVER_ID, SessionTracker, initializeNextSessionId,
  serverIdOfSession,
} from "./sessions.js";
export type { ReaperOptions } from "./reaper.js";
export { containerCandidates } from "./reaper.js";
export type { RestoreOptions, Snapshot, SnapshotNode } from "./snapshot.js";
export { decodeSnapshot, encodeSnapshot, restoreSnapshot, takeSnapshot } from "./snapshot.js";
