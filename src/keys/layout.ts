/**
 * Where the key service keeps its state in the tree. Everything lives under one reserved
 * subtree (like Vault's `_keyring` entry, or ZooKeeper's own /zookeeper):
 *
 *   /_zabsim/keys/<name>                  keyring metadata (JSON: primary, minimum, states)
 *   /_zabsim/keys/<name>/v<N>             version N's material, wrapped under the root key
 *   /_zabsim/keys/<name>/readers/<id>     the newest version reader <id> has loaded (decimal)
 *   /_zabsim/keys/<name>/rewrap           the rewrap cursor (JSON), updated in each batch's multi
 *
 *   /_zabsim/keys/<name>/grants/<id>@v<N> version N sealed to principal <id>'s box public key
 *   /_zabsim/root                         root key metadata (JSON: generation, t, n, check value)
 *   /_zabsim/shred                        a destroy not yet completed (JSON), if any
 *   /_zabsim/principals/<id>              a principal's public keys and ZooKeeper digest id
 *   /_zabsim/policies/<id>                what principal <id> may do with which key (JSON)
 *   /_zabsim/audit                        the audit chain's head (JSON: seq, hash)
 *   /_zabsim/audit/r-<seq>                one signed audit record (sequential znodes)
 *
 * A destroyed version's node is deleted; its number stays taken in the metadata.
 */
import { checkKeyName } from "../crypto/index.js";
import { KeyServiceError } from "./errors.js";

export const SERVICE_ROOT = "/_zabsim";
export const KEYS_ROOT = `${SERVICE_ROOT}/keys`;

export function keyPath(name: string): string {
  checkKeyName(name);
  return `${KEYS_ROOT}/${name}`;
}

export function versionPath(name: string, version: number): string {
  return `${keyPath(name)}/v${version}`;
}

export function readersPath(name: string): string {
  return `${keyPath(name)}/readers`;
}

export function readerPath(name: string, readerId: string): string {
  return `${readersPath(name)}/${readerId}`;
}

export function rewrapPath(name: string): string {
  return `${keyPath(name)}/rewrap`;
}

export function grantsPath(name: string): string {
  return `${keyPath(name)}/grants`;
}

export function grantName(principalId: string, version: number): string {
  return `${principalId}@v${version}`;
}

export function grantPath(name: string, principalId: string, version: number): string {
  return `${grantsPath(name)}/${grantName(principalId, version)}`;
}

/** A grant node's principal and version, or undefined for another name. */
export function parseGrantName(child: string): { principalId: string; version: number } |
  undefined {
  const match = /^(.+)@v([1-9][0-9]*)$/.exec(child);
  if (match === null) return undefined;
  return { principalId: match[1] ?? "", version: Number(match[2]) };
}

export const ROOT_META_PATH = `${SERVICE_ROOT}/root`;
export const SHRED_PATH = `${SERVICE_ROOT}/shred`;
export const PRINCIPALS_ROOT = `${SERVICE_ROOT}/principals`;
export const POLICIES_ROOT = `${SERVICE_ROOT}/policies`;
export const AUDIT_ROOT = `${SERVICE_ROOT}/audit`;
/** Records are sequential children: ZooKeeper appends the ten-digit counter. */
export const AUDIT_RECORD_PREFIX = `${AUDIT_ROOT}/r-`;

export function principalPath(id: string): string {
  return `${PRINCIPALS_ROOT}/${id}`;
}

export function policyPath(id: string): string {
  return `${POLICIES_ROOT}/${id}`;
}

const READER_ID = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,63}$/;

/** Throws BAD_ARGUMENT unless `id` can name a reader node. */
export function checkReaderId(id: string): void {
  if (typeof id !== "string" || !READER_ID.test(id)) {
    throw new KeyServiceError("BAD_ARGUMENT", `bad reader id ${JSON.stringify(String(id))}`);
  }
}

/** True for paths rewrap never touches: the service's own subtree and /zookeeper. */
export function isReservedPath(path: string): boolean {
  return path === SERVICE_ROOT || path.startsWith(`${SERVICE_ROOT}/`) ||
    path === "/zookeeper" || path.startsWith("/zookeeper/");
}
