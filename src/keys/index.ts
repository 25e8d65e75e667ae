/**
 * The key service's public surface: named, versioned keys kept in the tree, sealed values on
 * the client, two-phase rotation, resumable rewrap, minimum decryption version, destroy that
 * shreds (root key rotation, principals' box key rotation), unseal from Shamir shares,
 * principals with grants and policies, a signed hash-chained audit, and the principal's client.
 * Written against `ZooKeeperApi` (zk.ts), a ZooKeeper-shaped client interface; docs/keys.md
 * explains the format, the hierarchy, the two layers of access control and the audit.
 */
export type { KeyServiceErrorCode } from "./errors.js";
export { KeyServiceError } from "./errors.js";
export {
  AUDIT_ROOT, KEYS_ROOT, POLICIES_ROOT, PRINCIPALS_ROOT, ROOT_META_PATH, SERVICE_ROOT, SHRED_PATH,
  grantPath, grantsPath, isReservedPath, keyPath, policyPath, principalPath, readerPath,
  readersPath, rewrapPath, versionPath,
} from "./layout.js";
export type { KeyServiceOptions } from "./service.js";
export { KeyService } from "./service.js";
export type { RewrapOptions, RewrapReport } from "./rewrap.js";
export { rewrap } from "./rewrap.js";
export { comparePreorder } from "./walk.js";
export type { KeyBug } from "./bugs.js";
export { KEY_BUGS, KEY_BUG_DESCRIPTIONS, isKeyBug } from "./bugs.js";
export type { Policy, PolicyOp, PolicyRule } from "./policy.js";
export { POLICY_OPS, allows, decodePolicy, encodePolicy, policyProblem } from "./policy.js";
export type { AuditEntry } from "./audit-log.js";
export { auditBodies, readAuditChain, readSignKeys, verifyStoredChain } from "./audit-log.js";
export { readBy, readPrincipal } from "./principals.js";
export type { DestroyReport, ShredState } from "./shred.js";
export type { RootMeta, UnsealStatus } from "./unseal.js";
export { readRootMeta } from "./unseal.js";
export { PrincipalClient } from "./client.js";
export type {
  Acl, CreateMode, DataAndStat, Id, KeeperCode, Op, OpResult, Stat, ZooKeeperApi,
} from "./zk.js";
export { KeeperError, OPEN_ACL, isAmbiguous, keeperCodeOf } from "./zk.js";
