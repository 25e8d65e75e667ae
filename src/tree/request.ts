/**
 * Client requests as the server receives them (the request records of zookeeper.jute), before
 * prep. Paths, versions, flags and ACLs are taken verbatim: nothing is validated on the way in,
 * because ZooKeeper's server answers every malformed value with an error code, and the tree must
 * give the same answer.
 */
import type { Acl, Id } from "./acl.js";
import type { AddWatchMode } from "./watches.js";

/** Who sent a request: the session, its request counter, and the connection's auth ids. */
export interface RequestMeta {
  readonly sessionId: number;
  readonly cxid: number;
  /** The connection's authInfo (ip id, digest ids from addAuth, maybe super). */
  readonly authInfo: readonly Id[];
  /**
   * The session owner for SessionTracker.checkSession (the server or connection the request came
   * through); undefined skips the SESSIONMOVED check.
   */
  readonly owner?: number;
}

/** CreateRequest for OpCode.create (reply: path) and create2 (reply: path and stat). */
export interface CreateRequest {
  readonly type: "create" | "create2" | "createContainer";
  readonly path: string;
  readonly data: Uint8Array | null;
  readonly acl: readonly Acl[];
  /** CreateMode flag as sent (CREATE_MODE_FLAGS); any other value gives BADARGUMENTS. */
  readonly flags: number;
}

/** CreateTTLRequest (OpCode.createTTL). */
export interface CreateTTLRequest {
  readonly type: "createTTL";
  readonly path: string;
  readonly data: Uint8Array | null;
  readonly acl: readonly Acl[];
  readonly flags: number;
  /** Milliseconds; prep checks 0 < ttl <= TTL_MAX for TTL modes, ttl < 0 otherwise. */
  readonly ttl: number;
}

/** DeleteRequest; version -1 matches any. */
export interface DeleteRequest {
  readonly type: "delete";
  readonly path: string;
  readonly version: number;
}

/** SetDataRequest; version -1 matches any. */
export interface SetDataRequest {
  readonly type: "setData";
  readonly path: string;
  readonly data: Uint8Array | null;
  readonly version: number;
}

/** SetACLRequest; version is the expected aversion (-1 any). */
export interface SetACLRequest {
  readonly type: "setACL";
  readonly path: string;
  readonly acl: readonly Acl[];
  readonly version: number;
}

/** CheckVersionRequest (a multi op; also accepted alone as ZooKeeper does). */
export interface CheckVersionRequest {
  readonly type: "check";
  readonly path: string;
  readonly version: number;
}

/** One op of a multi. */
export type MultiOp =
  | CreateRequest
  | CreateTTLRequest
  | DeleteRequest
  | SetDataRequest
  | CheckVersionRequest;

/** MultiOperationRecord: all ops commit in one txn or none do. */
export interface MultiRequest {
  readonly type: "multi";
  readonly ops: readonly MultiOp[];
}

/** The server's own request to delete an empty container or expired TTL node (reaper.ts). */
export interface DeleteContainerRequest {
  readonly type: "deleteContainer";
  readonly path: string;
}

/** createSession: the session id is in RequestMeta (allocated by the SessionTracker). */
export interface CreateSessionRequest {
  readonly type: "createSession";
  readonly timeoutMs: number;
}

/** closeSession of RequestMeta.sessionId (client close or expiry). */
export interface CloseSessionRequest {
  readonly type: "closeSession";
}

/** Requests that become txns (each consumes one zxid, even when it fails). */
export type WriteRequest =
  | CreateRequest
  | CreateTTLRequest
  | DeleteRequest
  | SetDataRequest
  | SetACLRequest
  | CheckVersionRequest
  | MultiRequest
  | DeleteContainerRequest
  | CreateSessionRequest
  | CloseSessionRequest;

/** getData / exists / getChildren / getChildren2, with an optional one-shot watch. */
export interface PathWatchRequest {
  readonly type: "getData" | "exists" | "getChildren" | "getChildren2";
  readonly path: string;
  readonly watch: boolean;
}

/** getAllChildrenNumber / getACL / sync: a path only. */
export interface PathRequest {
  readonly type: "getAllChildrenNumber" | "getACL" | "sync";
  readonly path: string;
}

/** getEphemerals: the caller's ephemerals under a prefix ("" or "/" for all). */
export interface GetEphemeralsRequest {
  readonly type: "getEphemerals";
  readonly prefixPath: string;
}

/** addWatch (3.6+): a persistent or persistent-recursive watch. */
export interface AddWatchRequest {
  readonly type: "addWatch";
  readonly path: string;
  readonly mode: AddWatchMode;
}

/** setWatches2: re-registers a reconnecting client's watches relative to its last zxid. */
export interface SetWatchesRequest {
  readonly type: "setWatches";
  readonly relativeZxid: number;
  readonly dataWatches: readonly string[];
  readonly existWatches: readonly string[];
  readonly childWatches: readonly string[];
  readonly persistentWatches: readonly string[];
  readonly persistentRecursiveWatches: readonly string[];
}

/** WatcherType of removeWatches/checkWatches. */
export type WatcherType = "Children" | "Data" | "Any";

/** removeWatches / checkWatches. */
export interface WatchesRequest {
  readonly type: "removeWatches" | "checkWatches";
  readonly path: string;
  readonly watcherType: WatcherType;
}

/** Requests served from the local tree (FinalRequestProcessor); they consume no zxid. */
export type ReadRequest =
  | PathWatchRequest
  | PathRequest
  | GetEphemeralsRequest
  | AddWatchRequest
  | SetWatchesRequest
  | WatchesRequest;

/** Any request the tree understands. */
export type Request = WriteRequest | ReadRequest;

const WRITE_TYPES: ReadonlySet<string> = new Set<WriteRequest["type"]>([
  "create", "create2", "createContainer", "createTTL", "delete", "setData", "setACL", "check",
  "multi", "deleteContainer", "createSession", "closeSession",
]);

/** True for requests that go through prep and consume a zxid. */
export function isWriteRequest(request: Request): request is WriteRequest {
  return WRITE_TYPES.has(request.type);
}
