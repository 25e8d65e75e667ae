/**
 * The checks the Java client makes before it sends anything (ZooKeeper.java): PathUtils
 * .validatePath on every path (with "1" appended for a sequential create), validateACL (a
 * non-empty list), EphemeralType.validateTTL, CreateMode.fromFlag, and the int range of versions.
 * A failure rejects the call with a KeeperError and sends nothing, so nothing changes.
 *
 * This is the client's own copy of validatePath, as ZooKeeper's client carries PathUtils: the
 * client module sees only the tree's types (shared/style.md rule 1), and a unit test checks the
 * copy against the tree's isValidPath.
 */
import type { Acl, CreateMode } from "../tree/index.js";
import { KeeperError } from "./errors.js";

/** CreateMode's constants in flag order (CreateMode.toFlag). */
export const CREATE_MODES: readonly CreateMode[] = [
  "PERSISTENT", "EPHEMERAL", "PERSISTENT_SEQUENTIAL", "EPHEMERAL_SEQUENTIAL", "CONTAINER",
  "PERSISTENT_WITH_TTL", "PERSISTENT_SEQUENTIAL_WITH_TTL",
];

/** EphemeralType.TTL.maxValue(): 2^40 - 1 ms. */
export const TTL_MAX = 2 ** 40 - 1;

function isInvalidChar(c: number): boolean {
  return (c > 0x0000 && c <= 0x001f) || (c >= 0x007f && c <= 0x009f) ||
    (c >= 0xd800 && c <= 0xf8ff) || (c >= 0xfff0 && c <= 0xffff);
}

/** True when the dot segment ending at i (one or two dots) is a whole path segment. */
function isRelative(path: string, i: number, dots: 1 | 2): boolean {
  return path.charCodeAt(i - dots) === 0x2f &&
    (i + 1 === path.length || path.charCodeAt(i + 1) === 0x2f);
}

/** The reason PathUtils.validatePath gives for a bad path inside, or undefined. */
function innerReason(path: string): string | undefined {
  let last = 0x2f;
  for (let i = 1; i < path.length; last = path.charCodeAt(i), i++) {
    const c = path.charCodeAt(i);
    if (c === 0) return `null character not allowed @${i}`;
    if (c === 0x2f && last === 0x2f) return `empty node name specified @${i}`;
    if (c === 0x2e && last === 0x2e) {
      if (isRelative(path, i, 2)) return `relative paths not allowed @${i}`;
    } else if (c === 0x2e) {
      if (isRelative(path, i, 1)) return `relative paths not allowed @${i}`;
    } else if (isInvalidChar(c)) {
      return `invalid character @${i}`;
    }
  }
  return undefined;
}

/** PathUtils.validatePath's message for `path`, or undefined when the path is valid. */
export function pathProblem(path: unknown): string | undefined {
  if (typeof path !== "string") return "Path cannot be null";
  if (path.length === 0) return "Path length must be > 0";
  if (path.charCodeAt(0) !== 0x2f) return "Path must start with / character";
  if (path.length === 1) return undefined;
  if (path.charCodeAt(path.length - 1) === 0x2f) return "Path must not end with / character";
  const reason = innerReason(path);
  return reason === undefined ? undefined : `Invalid path string "${path}" caused by ${reason}`;
}

/** Throws BADARGUMENTS unless `path` passes validatePath(path, isSequential). */
export function validatePath(path: unknown, isSequential = false): asserts path is string {
  const checked = isSequential && typeof path === "string" ? `${path}1` : path;
  const problem = pathProblem(checked);
  if (problem !== undefined) {
    throw new KeeperError("BADARGUMENTS", typeof path === "string" ? path : undefined, problem);
  }
}

/** CreateMode.fromFlag for the mode's name: BADARGUMENTS for anything else. */
export function validateMode(mode: unknown, path: string): asserts mode is CreateMode {
  if (typeof mode !== "string" || !(CREATE_MODES as readonly string[]).includes(mode)) {
    throw new KeeperError("BADARGUMENTS", path, `unknown create mode ${String(mode)}`);
  }
}

/** True for the two TTL modes (CreateMode.isTTL). */
export function isTtlMode(mode: CreateMode): boolean {
  return mode === "PERSISTENT_WITH_TTL" || mode === "PERSISTENT_SEQUENTIAL_WITH_TTL";
}

/** EphemeralType.validateTTL: a TTL mode needs 0 < ttl <= TTL_MAX, any other mode ttl < 0. */
export function validateTtl(mode: CreateMode, ttl: number, path: string): void {
  if (isTtlMode(mode)) {
    if (!Number.isSafeInteger(ttl) || ttl <= 0 || ttl > TTL_MAX) {
      throw new KeeperError("BADARGUMENTS", path, `ttl ${ttl} out of range (1..${TTL_MAX})`);
    }
  } else if (!(ttl < 0)) {
    throw new KeeperError("BADARGUMENTS", path, `ttl not valid for mode: ${mode}`);
  }
}

/** ZooKeeper.validateACL: null or empty lists are INVALIDACL. */
export function validateAcl(acl: readonly Acl[] | null | undefined, path: string): void {
  if (acl === null || acl === undefined || acl.length === 0) {
    throw new KeeperError("INVALIDACL", path, "the ACL is null or empty");
  }
}

/** A version is a Java int: anything else cannot be sent (BADARGUMENTS). */
export function validateVersion(version: number, path: string): void {
  if (!Number.isInteger(version) || version < -2147483648 || version > 2147483647) {
    throw new KeeperError("BADARGUMENTS", path, `version ${version} is not an int`);
  }
}
