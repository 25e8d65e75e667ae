/**
 * The shred node: what a destroy still needs before it is complete (shred.ts explains the three
 * steps). Its own file because the root rotation (unseal.ts) updates it in the same multi, and
 * shred.ts in turn rotates the root: both read and write the record through here.
 */
import { SHRED_PATH } from "./layout.js";
import type { KeyServiceCore as KeyService } from "./core.js";
import { fromUtf8 } from "./text.js";
import { keeperCodeOf } from "./zk.js";
import type { Op } from "./zk.js";

/** What a destroy still needs: root generations <= rootAtMost and box generations to retire. */
export interface ShredState {
  readonly rootAtMost: number;
  /** principal id -> its box generations <= this must be retired */
  readonly principals: Readonly<Record<string, number>>;
}

/** The shred node and its version; undefined when no destroy is pending. */
export async function readShred(service: KeyService):
  Promise<{ state: ShredState; version: number } | undefined> {
  try {
    const { data, stat } = await service.zk.getData(SHRED_PATH);
    const value = JSON.parse(fromUtf8(data) ?? "") as ShredState;
    return { state: { rootAtMost: value.rootAtMost ?? 0, principals: value.principals ?? {} },
      version: stat.version };
  } catch (error) {
    if (keeperCodeOf(error) === "NONODE") return undefined;
    if (keeperCodeOf(error) !== undefined) throw error;
    return { state: { rootAtMost: Number.MAX_SAFE_INTEGER, principals: {} }, version: -1 };
  }
}

/** The op that writes `state` (or deletes the node once nothing is pending). */
export function shredOp(
  state: ShredState, read: { version: number } | undefined, acl: KeyService["acl"],
): Op[] {
  const done = state.rootAtMost === 0 && Object.keys(state.principals).length === 0;
  const data = new TextEncoder().encode(JSON.stringify({ format: 1, ...state }));
  if (read === undefined) {
    return done ? []
      : [{ type: "create", path: SHRED_PATH, data, acl, mode: "PERSISTENT", ttl: -1 }];
  }
  if (done) return [{ type: "delete", path: SHRED_PATH, version: read.version }];
  return [{ type: "setData", path: SHRED_PATH, data, version: read.version }];
}

/** The shred node's update once the root key is at `generation`. */
export async function shredAfterRootRotation(service: KeyService, generation: number):
  Promise<Op[]> {
  const read = await readShred(service);
  if (read === undefined) return [];
  const rootAtMost = read.state.rootAtMost < generation ? 0 : read.state.rootAtMost;
  return shredOp({ ...read.state, rootAtMost }, read, service.acl);
}

/** What is still pending after destroys (undefined: every destroy is complete). */
export async function shredStatus(service: KeyService): Promise<ShredState | undefined> {
  return (await readShred(service))?.state;
}

