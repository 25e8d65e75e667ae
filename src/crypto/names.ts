/**
 * Validation of the names and paths that enter a header or a KDF input. A key name becomes a
 * znode name under the key service's subtree, so it is kept to a small safe alphabet; a path is
 * checked with the rules of ZooKeeper's PathUtils.validatePath, so that the writer and every
 * reader derive the subkey from the same canonical string.
 */
import { CryptoError } from "./errors.js";

/** The longest key name: it travels in every sealed value's header. */
export const KEY_NAME_CHARS_MAX = 64;

const KEY_NAME = /^[A-Za-z0-9_][A-Za-z0-9._-]*$/;

/** Why a key name is invalid, or undefined when it is valid. */
export function keyNameProblem(name: unknown): string | undefined {
  if (typeof name !== "string") return "a key name is a string";
  if (name.length === 0 || name.length > KEY_NAME_CHARS_MAX) {
    return `a key name has 1 to ${KEY_NAME_CHARS_MAX} characters`;
  }
  if (!KEY_NAME.test(name)) return "a key name uses A-Z a-z 0-9 . _ - and starts with no dot";
  return undefined;
}

/** Throws BAD_KEY_NAME for an invalid key name (the name itself is public, so it is quoted). */
export function checkKeyName(name: unknown): asserts name is string {
  const problem = keyNameProblem(name);
  if (problem !== undefined) {
    throw new CryptoError("BAD_KEY_NAME", `${problem}: ${JSON.stringify(String(name))}`);
  }
}

/** A character PathUtils.validatePath rejects. */
function isForbiddenChar(code: number): boolean {
  return code === 0 || (code > 0 && code < 0x20) || (code > 0x7e && code < 0xa0) ||
    (code > 0xd7ff && code < 0xf900) || (code > 0xffef && code < 0x10000);
}

/** Why a path is invalid by PathUtils.validatePath's rules, or undefined when it is valid. */
export function pathProblem(path: unknown): string | undefined {
  if (typeof path !== "string") return "a path is a string";
  if (path.length === 0) return "path length must be > 0";
  if (!path.startsWith("/")) return "path must start with / character";
  if (path.length === 1) return undefined;
  if (path.endsWith("/")) return "path must not end with / character";
  const components = path.slice(1).split("/");
  for (const component of components) {
    if (component.length === 0) return "empty node name specified";
    if (component === "." || component === "..") return "relative paths not allowed";
  }
  for (let i = 0; i < path.length; i++) {
    if (isForbiddenChar(path.charCodeAt(i))) return `invalid character at ${i}`;
  }
  return undefined;
}

/** Throws BAD_PATH for an invalid path. */
export function checkPath(path: unknown): asserts path is string {
  const problem = pathProblem(path);
  if (problem !== undefined) {
    throw new CryptoError("BAD_PATH", `${problem}: ${JSON.stringify(String(path))}`);
  }
}

/** The parent of a valid path other than "/" ("/" for a top-level node). */
export function parentOf(path: string): string {
  const slash = path.lastIndexOf("/");
  return slash === 0 ? "/" : path.slice(0, slash);
}

/** The last component of a valid path other than "/". */
export function childNameOf(path: string): string {
  return path.slice(path.lastIndexOf("/") + 1);
}

/**
 * A sequence suffix as ZooKeeper appends it: String.format("%010d", parentCVersion), so ten
 * digits, or a minus sign and nine or ten digits once the counter has wrapped negative.
 */
export const SEQUENCE_SUFFIX = /^(?:\d{10}|-\d{9,10})$/;
