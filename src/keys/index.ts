/**
 * The key service's public surface: named, versioned keys kept in the tree, sealed values on
 * the client, two-phase rotation, resumable rewrap, minimum decryption version and destroy.
 * Written against `ZooKeeperApi` (zk.ts), a ZooKeeper-shaped client interface; docs/keys.md
 * explains the format, the context binding and what is and is not prevented.
 */
export type { KeyServiceErrorCode } from "./errors.js";
export { KeyServiceError } from "./errors.js";
export {
  KEYS_ROOT, SERVICE_ROOT, isReservedPath, keyPath, readerPath, readersPath, rewrapPath,
  versionPath,
} from "./layout.js";
export type { KeyServiceOptions } from "./service.js";
export { KeyService } from "./service.js";
export type { RewrapOptions, RewrapReport } from "./rewrap.js";
export { rewrap } from "./rewrap.js";
export { comparePreorder } from "./walk.js";
export type {
  Acl, CreateMode, DataAndStat, Id, KeeperCode, Op, OpResult, Stat, ZooKeeperApi,
} from "./zk.js";
export { KEEPER_CODES, KeeperError, OPEN_ACL, isAmbiguous, keeperCodeOf } from "./zk.js";
