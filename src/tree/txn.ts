/**
 * Transactions: what ZAB replicates (txn headers and the txn records of zookeeper.jute). A txn is
 * plain data: strings, numbers, booleans, arrays, Uint8Array for znode data and nothing else, so it
 * can sit in the replicated log, on the simulated disk and in snapshots. `encodeTxn`/`decodeTxn`
 * give a JSON text form (data in base64) and `txnFingerprint` a cheap stable hash for checkers.
 */
import type { Acl } from "./acl.js";
import type { ErrorCode } from "./errors.js";

/** The txn kinds, named after ZooDefs.OpCode. */
export type TxnType = TxnBody["type"];

/** TxnHeader: stamped by the leader at prep; apply takes every time from here, never a clock. */
export interface TxnHeader {
  /** The session that sent the request (ZooKeeper's clientId); 0 for server-made txns. */
  readonly sessionId: number;
  /** The client's request counter (xid), echoed in the reply. */
  readonly cxid: number;
  readonly zxid: number;
  /** The leader's clock at prep, in milliseconds (ctime/mtime of what this txn writes). */
  readonly timeMs: number;
  /** Equals body.type (kept in the header as ZooKeeper does). */
  readonly type: TxnType;
}

/** CreateTxn for OpCode.create and create2 (the header type tells which reply to give). */
export interface CreateTxn {
  readonly type: "create" | "create2";
  readonly path: string;
  readonly data: Uint8Array | null;
  readonly acl: readonly Acl[];
  readonly ephemeral: boolean;
  /** The parent's stored cversion after this create (prep's parentCVersion + 1). */
  readonly parentCVersion: number;
}

/** CreateContainerTxn. */
export interface CreateContainerTxn {
  readonly type: "createContainer";
  readonly path: string;
  readonly data: Uint8Array | null;
  readonly acl: readonly Acl[];
  readonly parentCVersion: number;
}

/** CreateTTLTxn. */
export interface CreateTTLTxn {
  readonly type: "createTTL";
  readonly path: string;
  readonly data: Uint8Array | null;
  readonly acl: readonly Acl[];
  readonly parentCVersion: number;
  readonly ttl: number;
}

/** DeleteTxn, for OpCode.delete and deleteContainer. */
export interface DeleteTxn {
  readonly type: "delete" | "deleteContainer";
  readonly path: string;
}

/** SetDataTxn: `version` is the new version prep computed. */
export interface SetDataTxn {
  readonly type: "setData";
  readonly path: string;
  readonly data: Uint8Array | null;
  readonly version: number;
}

/** SetACLTxn: `version` is the new aversion. */
export interface SetACLTxn {
  readonly type: "setACL";
  readonly path: string;
  readonly acl: readonly Acl[];
  readonly version: number;
}

/** CheckVersionTxn (inside a multi only). */
export interface CheckVersionTxn {
  readonly type: "check";
  readonly path: string;
  readonly version: number;
}

/** ErrorTxn: a failed request still takes its zxid; apply changes nothing. */
export interface ErrorTxn {
  readonly type: "error";
  readonly err: ErrorCode;
}

/** CreateSessionTxn. */
export interface CreateSessionTxn {
  readonly type: "createSession";
  readonly timeoutMs: number;
}

/** CloseSessionTxn (zookeeper.closeSessionTxn.enabled, the 3.8 default): the paths to delete. */
export interface CloseSessionTxn {
  readonly type: "closeSession";
  readonly paths2Delete: readonly string[];
}

/** A sub-txn of a multi. */
export type SubTxn =
  | CreateTxn
  | CreateContainerTxn
  | CreateTTLTxn
  | DeleteTxn
  | SetDataTxn
  | CheckVersionTxn
  | ErrorTxn;

/** MultiTxn: all sub-txns share the header's zxid. */
export interface MultiTxn {
  readonly type: "multi";
  readonly txns: readonly SubTxn[];
}

/** Every txn record. */
export type TxnBody =
  | CreateTxn
  | CreateContainerTxn
  | CreateTTLTxn
  | DeleteTxn
  | SetDataTxn
  | SetACLTxn
  | CheckVersionTxn
  | ErrorTxn
  | CreateSessionTxn
  | CloseSessionTxn
  | MultiTxn;

/** A replicated transaction. Invariant: header.type === body.type. */
export interface Txn {
  readonly header: TxnHeader;
  readonly body: TxnBody;
}
