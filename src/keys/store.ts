/**
 * Reads and conditional writes of a key's znodes, shared by the service and rewrap: the
 * metadata with its stat, a version's wrapped material, reader acknowledgements, and the one
 * pattern every change uses: read, decide, then a multi guarded by the metadata's version,
 * retried a bounded number of times when another writer got there first (BADVERSION, or
 * NODEEXISTS for a version node a concurrent rotation created).
 */
import { decodeKeyringMeta, encodeKeyringMeta, unwrapKey } from "../crypto/index.js";
import type { KeyringMeta, RootKey, SecretKey } from "../crypto/index.js";
import type { AuditEntry } from "./audit-log.js";
import { KeyServiceError } from "./errors.js";
import type { PolicyOp } from "./policy.js";
import { keyPath, readerPath, readersPath, versionPath } from "./layout.js";
import { keeperCodeOf } from "./zk.js";
import type { Op, Stat, ZooKeeperApi } from "./zk.js";

/** A key's metadata as read, with the stat whose version guards the next change. */
export interface MetaRead {
  readonly meta: KeyringMeta;
  readonly stat: Stat;
}

/** The metadata of `name`; NO_SUCH_KEY when its node is missing. */
export async function readMeta(zk: ZooKeeperApi, name: string): Promise<MetaRead> {
  const path = keyPath(name);
  try {
    const { data, stat } = await zk.getData(path);
    return { meta: decodeKeyringMeta(name, data), stat };
  } catch (error) {
    if (keeperCodeOf(error) === "NONODE") {
      throw new KeyServiceError("NO_SUCH_KEY", `no key "${name}"`);
    }
    throw error;
  }
}

/** Version `version` of `name`, unwrapped with the root key (typed errors from crypto). */
export async function readVersionKey(zk: ZooKeeperApi, root: RootKey, name: string,
  version: number): Promise<SecretKey> {
  const { data } = await zk.getData(versionPath(name, version));
  return unwrapKey(root, name, version, data ?? new Uint8Array());
}

/** Reader acknowledgements of `name`: reader id -> newest version loaded, with node versions. */
export async function readAcks(zk: ZooKeeperApi, name: string):
  Promise<{ id: string; acked: number; version: number }[]> {
  const ids = (await zk.getChildren(readersPath(name))).sort();
  const out: { id: string; acked: number; version: number }[] = [];
  for (const id of ids) {
    try {
      const { data, stat } = await zk.getData(readerPath(name, id));
      const acked = Number(new TextDecoder().decode(data ?? new Uint8Array()));
      out.push({ id, acked: Number.isSafeInteger(acked) ? acked : 0, version: stat.version });
    } catch (error) {
      if (keeperCodeOf(error) !== "NONODE") throw error; // a reader retired meanwhile
    }
  }
  return out;
}

/** Who may make a change: the policy operation the actor needs on a key. */
export interface Permission {
  readonly op: PolicyOp;
  readonly key: string;
}

/**
 * One audited change: its ops, the audit record it appends (in the same multi) and the
 * permission the actor's policy must give (checked, and its node version guarded, in the multi).
 */
export interface Plan {
  readonly ops: readonly Op[];
  readonly entry: AuditEntry;
  readonly permission: Permission | undefined;
}

/** What a change of the metadata decides: the new metadata and the rest of its plan. */
export interface MetaChange extends Plan {
  readonly next: KeyringMeta;
}

/**
 * The plan of one change to `name`, with the metadata's setData guarded by the version read
 * appended to its ops. `decide` sees the current metadata and returns the change, or undefined
 * when there is nothing to do (retried calls are idempotent where the operation allows).
 */
export async function metaPlan(zk: ZooKeeperApi, name: string,
  decide: (read: MetaRead) => Promise<MetaChange | undefined>):
  Promise<{ plan: Plan; next: KeyringMeta } | { plan: undefined; next: KeyringMeta }> {
  const read = await readMeta(zk, name);
  const change = await decide(read);
  if (change === undefined) return { plan: undefined, next: read.meta };
  const guard: Op = {
    type: "setData", path: keyPath(name), data: encodeKeyringMeta(change.next),
    version: read.stat.version,
  };
  return { plan: { ...change, ops: [...change.ops, guard] }, next: change.next };
}
