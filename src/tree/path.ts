/**
 * Znode paths: ZooKeeper's PathUtils.validatePath, character for character (Java chars are UTF-16
 * code units, as JavaScript's are), plus the parent/child split the server uses. Where each
 * operation applies which check is decided in prep.ts and reads.ts, as in ZooKeeper's server:
 * create validates the final path only after looking up the parent, delete never runs
 * validatePath, and reads only reject a NUL (exists) or nothing at all (getData, getChildren).
 */

/** The root path. */
export const ROOT_PATH = "/";
/** ZooKeeper's own subtree (Quotas.procZookeeper). */
export const ZOOKEEPER_PATH = "/zookeeper";
/** The quota subtree (Quotas.quotaZookeeper). */
export const QUOTA_PATH = "/zookeeper/quota";
/** The dynamic configuration node (ZooDefs.CONFIG_NODE). */
export const CONFIG_PATH = "/zookeeper/config";

/** True when the character code is one validatePath refuses inside a name. */
function isInvalidChar(c: number): boolean {
  return (
    (c > 0x0000 && c <= 0x001f) ||
    (c >= 0x007f && c <= 0x009f) ||
    (c >= 0xd800 && c <= 0xf8ff) ||
    (c >= 0xfff0 && c <= 0xffff)
  );
}

/** True when `.` or `..` at index i is a whole path segment (a relative path). */
function isRelativeSegment(path: string, i: number, dots: 1 | 2): boolean {
  const before = path.charCodeAt(i - dots);
  const endsSegment = i + 1 === path.length || path.charCodeAt(i + 1) === 0x2f;
  return before === 0x2f && endsSegment;
}

/**
 * PathUtils.validatePath: true when ZooKeeper accepts `path` as a znode path. Rules: non-empty,
 * starts with '/', "/" alone is fine, no trailing '/', no NUL, no empty segment, no "." or ".."
 * segment, none of the invalid character ranges.
 */
export function isValidPath(path: string): boolean {
  if (path.length === 0) return false;
  if (path.charCodeAt(0) !== 0x2f) return false;
  if (path.length === 1) return true;
  if (path.charCodeAt(path.length - 1) === 0x2f) return false;
  let last = 0x2f;
  for (let i = 1; i < path.length; last = path.charCodeAt(i), i++) {
    const c = path.charCodeAt(i);
    if (c === 0) return false;
    if (c === 0x2f && last === 0x2f) return false;
    if (c === 0x2e && last === 0x2e) {
      if (isRelativeSegment(path, i, 2)) return false;
    } else if (c === 0x2e) {
      if (isRelativeSegment(path, i, 1)) return false;
    } else if (isInvalidChar(c)) {
      return false;
    }
  }
  return true;
}

/** PathUtils.validatePath(path, isSequential): a sequential name is checked with "1" appended. */
export function isValidPathForMode(path: string, isSequential: boolean): boolean {
  return isValidPath(isSequential ? `${path}1` : path);
}

/**
 * The parent as ZooKeeper computes it: everything before the last '/' (so the parent of "/a" is
 * "", the root's alias in DataTree). Undefined when there is no '/'.
 */
export function parentPathOf(path: string): string | undefined {
  const lastSlash = path.lastIndexOf("/");
  return lastSlash === -1 ? undefined : path.substring(0, lastSlash);
}

/** The last segment of a path (after the last '/'). */
export function childNameOf(path: string): string {
  return path.substring(path.lastIndexOf("/") + 1);
}

/** DataTree.isSpecialPath: the paths that can never be deleted. */
export function isSpecialPath(path: string): boolean {
  return (
    path === ROOT_PATH || path === ZOOKEEPER_PATH || path === QUOTA_PATH || path === CONFIG_PATH
  );
}

/** The path a watch on a parent is keyed by: DataTree maps the root's alias "" back to "/". */
export function watchPathOfParent(parentPath: string): string {
  return parentPath === "" ? ROOT_PATH : parentPath;
}
