/**
 * Where the key service keeps its state in the tree. Everything lives under one reserved
 * subtree (like Vault's `_keyring` entry, or ZooKeeper's own /zookeeper):
 *
 *   /_zabsim/keys/<name>                  keyring metadata (JSON: primary, minimum, states)
 *   /_zabsim/keys/<name>/v<N>             version N's material, wrapped under the root key
 *   /_zabsim/keys/<name>/readers/<id>     the newest version reader <id> has loaded (decimal)
 *   /_zabsim/keys/<name>/rewrap           the rewrap cursor (JSON), updated in each batch's multi
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
