/**
 * ZooKeeper's KeeperException as a typed error: every failed API call rejects with one, carrying
 * ZooKeeper's code name (the tree's ErrorCode union) and, like KeeperException.getPath, the path
 * the call was about. A failed multi also carries every op's result (setMultiResults). Bad
 * arguments the Java client refuses with IllegalArgumentException (an invalid path, a TTL for the
 * wrong mode) are BADARGUMENTS here, the code its asynchronous multi and the server give them.
 */
import type { ErrorCode, SubTxnResult } from "../tree/index.js";

export class KeeperError extends Error {
  /** ZooKeeper's code name, never "OK". */
  readonly code: ErrorCode;
  /** The path the call named, when it named one. */
  readonly path: string | undefined;
  /** A failed multi's results, one per op (KeeperException.getResults). */
  readonly results: readonly SubTxnResult[] | undefined;

  constructor(code: ErrorCode, path?: string, detail?: string,
    results?: readonly SubTxnResult[]) {
    const where = path === undefined ? "" : ` for ${path}`;
    super(`KeeperErrorCode = ${code}${where}${detail === undefined ? "" : `: ${detail}`}`);
    this.name = "KeeperError";
    this.code = code;
    this.path = path;
    this.results = results;
  }
}
