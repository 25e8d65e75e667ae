/**
 * The key service's own typed errors. A service call fails with exactly one of three types, each
 * with a `code`: KeyServiceError (the service's rules), CryptoError (a name, format or version
 * problem, from src/crypto) or the ZooKeeper client's KeeperException (passed through untouched,
 * so CONNECTIONLOSS still means "may or may not have happened"). Messages name keys, versions,
 * paths and reader ids, which are public; never material or plaintext.
 */

/**
 * - `NO_SUCH_KEY` / `KEY_EXISTS`: the key's metadata node is missing / already there.
 * - `NOT_YET_READABLE`: a promote whose version some registered reader has not loaded yet.
 * - `CONFLICT`: another writer kept changing the same znodes (retries ran out); try again.
 * - `BAD_ARGUMENT`: an invalid reader id, batch size, share, policy or option.
 * - `SEALED`: the service has not been unsealed (it can do nothing until it has t shares).
 * - `NOT_INITIALIZED` / `ALREADY_INITIALIZED`: the service's subtree is missing / already there.
 * - `NOT_PERMITTED`: a policy in the tree does not allow the operation (fail closed).
 * - `NO_SUCH_PRINCIPAL`: no principal of that id is registered.
 */
export type KeyServiceErrorCode =
  | "NO_SUCH_KEY"
  | "KEY_EXISTS"
  | "NOT_YET_READABLE"
  | "CONFLICT"
  | "BAD_ARGUMENT"
  | "SEALED"
  | "NOT_INITIALIZED"
  | "ALREADY_INITIALIZED"
  | "NOT_PERMITTED"
  | "NO_SUCH_PRINCIPAL";

export class KeyServiceError extends Error {
  readonly code: KeyServiceErrorCode;

  constructor(code: KeyServiceErrorCode, message: string) {
    super(`${code}: ${message}`);
    this.name = "KeyServiceError";
    this.code = code;
  }
}
