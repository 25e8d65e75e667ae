/**
 * The ZooKeeper operations the key service needs: the subset of src/client's promise API
 * (org.apache.zookeeper.ZooKeeper: create, getData, setData, delete, getChildren, multi with Op
 * and OpResult, addAuthInfo, KeeperException codes) it is written against. The types are
 * src/client's own, so the simulated client's `ZooKeeper` object is a `ZooKeeperApi` as it is;
 * test/helpers/tree-zk.ts adapts src/tree directly, and a client for a real server fits by
 * speaking the same API and throwing src/client's `KeeperError`.
 */
import { KeeperError, OPEN_ACL_UNSAFE } from "../client/index.js";
import type {
  Acl, CreateMode, ErrorCode, Id, Op, Stat, SubTxnResult, ZooKeeper,
} from "../client/index.js";

export type { Acl, CreateMode, Id, Op, Stat };
export { KeeperError };

/** A KeeperException.Code name (the tree's ErrorCode, never "OK" on an error). */
export type KeeperCode = ErrorCode;

/** OpResult of a multi, one per op in order (the server's per-op result). */
export type OpResult = SubTxnResult;

/** ZooDefs.Ids.OPEN_ACL_UNSAFE: the default ACL of the service's znodes (see KeyServiceOptions). */
export const OPEN_ACL: readonly Acl[] = OPEN_ACL_UNSAFE;

/** A node's data and its stat (getData's return value plus its Stat out-parameter). */
export interface DataAndStat {
  readonly data: Uint8Array | null;
  readonly stat: Stat;
}

/**
 * The client operations the key service uses, exactly as src/client's ZooKeeper declares them.
 * Every failure rejects with a KeeperError; a failed multi with the first failing op's code.
 */
export type ZooKeeperApi = Pick<ZooKeeper,
  "create" | "getData" | "setData" | "delete" | "getChildren" | "multi" | "addAuth">;

/** The ZooKeeper code of a KeeperError, or undefined for any other error. */
export function keeperCodeOf(error: unknown): KeeperCode | undefined {
  return error instanceof KeeperError ? error.code : undefined;
}

/** True when the outcome of a write is unknown: it may or may not have been applied. */
export function isAmbiguous(code: KeeperCode | undefined): boolean {
  return code === "CONNECTIONLOSS" || code === "OPERATIONTIMEOUT" || code === "REQUESTTIMEOUT";
}
