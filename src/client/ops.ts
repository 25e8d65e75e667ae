/**
 * The ops of a multi, built as ZooKeeper's Op factory methods build them (Op.create, Op.delete,
 * Op.setData, Op.check), and their translation to the request records the server receives. A
 * container create travels as createContainer and a TTL create as createTTL (Op.Create's
 * opcode choice); the mode travels as its CreateMode flag.
 */
import type { Acl, CreateMode, MultiOp } from "../tree/index.js";
import { KeeperError } from "./errors.js";
import { CREATE_MODES, isTtlMode, validateAcl, validateMode, validatePath, validateTtl,
  validateVersion } from "./validate.js";

/** Data as the API takes it: bytes, a string (sent as UTF-8), or null. */
export type Data = Uint8Array | string | null;

/** One op of a multi. */
export type Op =
  | {
      readonly type: "create";
      readonly path: string;
      readonly data: Data;
      readonly acl: readonly Acl[];
      readonly mode: CreateMode;
      readonly ttl: number;
    }
  | { readonly type: "delete"; readonly path: string; readonly version: number }
  | { readonly type: "setData"; readonly path: string; readonly data: Data;
      readonly version: number }
  | { readonly type: "check"; readonly path: string; readonly version: number };

const encoder = new TextEncoder();

/** The bytes the server stores for `data`. */
export function toBytes(data: Data): Uint8Array | null {
  return typeof data === "string" ? encoder.encode(data) : data;
}

/** The ZooDefs.Ids.OPEN_ACL_UNSAFE list: everything for world:anyone. */
export const OPEN_ACL_UNSAFE: readonly Acl[] = [
  { perms: 31, id: { scheme: "world", id: "anyone" } },
];

/** Op's factory methods, with ZooKeeper's defaults. */
export const Ops = {
  create(path: string, data: Data, acl: readonly Acl[] = OPEN_ACL_UNSAFE,
    mode: CreateMode = "PERSISTENT", ttl = -1): Op {
    return { type: "create", path, data, acl, mode, ttl };
  },
  delete(path: string, version = -1): Op {
    return { type: "delete", path, version };
  },
  setData(path: string, data: Data, version = -1): Op {
    return { type: "setData", path, data, version };
  },
  check(path: string, version: number): Op {
    return { type: "check", path, version };
  },
};

/** The create request for a mode (ZooKeeper.create / Op.Create): the right opcode and flag. */
export function createRequest(path: string, data: Data, acl: readonly Acl[], mode: CreateMode,
  ttl: number): MultiOp {
  const flags = CREATE_MODES.indexOf(mode);
  const bytes = toBytes(data);
  if (isTtlMode(mode)) return { type: "createTTL", path, data: bytes, acl, flags, ttl };
  const type = mode === "CONTAINER" ? "createContainer" : "create";
  return { type, path, data: bytes, acl, flags };
}

/** Op.validate then the op's request record: throws a KeeperError for a bad argument. */
export function multiOpRequest(op: Op): MultiOp {
  switch (op.type) {
    case "create":
      validateMode(op.mode, op.path);
      validatePath(op.path, op.mode.includes("SEQUENTIAL"));
      validateTtl(op.mode, op.ttl, op.path);
      validateAcl(op.acl, op.path);
      return createRequest(op.path, op.data, op.acl, op.mode, op.ttl);
    case "delete":
      validatePath(op.path);
      validateVersion(op.version, op.path);
      return { type: "delete", path: op.path, version: op.version };
    case "setData":
      validatePath(op.path);
      validateVersion(op.version, op.path);
      return { type: "setData", path: op.path, data: toBytes(op.data), version: op.version };
    case "check":
      validatePath(op.path);
      validateVersion(op.version, op.path);
      return { type: "check", path: op.path, version: op.version };
    default:
      throw new KeeperError("BADARGUMENTS", undefined,
        `unknown op ${String((op as { type: unknown }).type)}`);
  }
}
