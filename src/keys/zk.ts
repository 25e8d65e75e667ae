/**
 * The ZooKeeper operations the key service needs, shaped exactly like ZooKeeper's client API
 * (org.apache.zookeeper.ZooKeeper: create, getData, setData, delete, getChildren, multi with Op
 * and OpResult, KeeperException codes), as promises. The service is written against this
 * interface so that it runs on anything that speaks it: today a test adapter over src/tree's
 * DataTree (prep + apply), later the simulated client of src/client and the TCP client of
 * src/real. The types restate ZooKeeper's, because keys may not import tree (the module table);
 * when src/client lands, these become aliases of its API types.
 */

/** ZooKeeper's CreateMode names. */
export type CreateMode =
  | "PERSISTENT"
  | "EPHEMERAL"
  | "PERSISTENT_SEQUENTIAL"
  | "EPHEMERAL_SEQUENTIAL"
  | "CONTAINER"
  | "PERSISTENT_WITH_TTL"
  | "PERSISTENT_SEQUENTIAL_WITH_TTL";

/** data.Id and data.ACL. */
export interface Id {
  readonly scheme: string;
  readonly id: string;
}
export interface Acl {
  readonly perms: number;
  readonly id: Id;
}

/** ZooDefs.Ids.OPEN_ACL_UNSAFE: the default ACL of the service's znodes (see KeyServiceOptions). */
export const OPEN_ACL: readonly Acl[] = [{ perms: 31, id: { scheme: "world", id: "anyone" } }];

/** data.Stat. */
export interface Stat {
  readonly czxid: number;
  readonly mzxid: number;
  readonly ctime: number;
  readonly mtime: number;
  /** The data version conditional setData and delete compare against. */
  readonly version: number;
  readonly cversion: number;
  readonly aversion: number;
  readonly ephemeralOwner: number;
  readonly dataLength: number;
  readonly numChildren: number;
  readonly pzxid: number;
}

/** KeeperException.Code names the service may meet (a subset of ZooKeeper's codes). */
export const KEEPER_CODES = [
  "SYSTEMERROR", "RUNTIMEINCONSISTENCY", "DATAINCONSISTENCY", "CONNECTIONLOSS",
  "MARSHALLINGERROR", "UNIMPLEMENTED", "OPERATIONTIMEOUT", "BADARGUMENTS", "UNKNOWNSESSION",
  "APIERROR", "NONODE", "NOAUTH", "BADVERSION", "NOCHILDRENFOREPHEMERALS", "NODEEXISTS",
  "NOTEMPTY", "SESSIONEXPIRED", "INVALIDACL", "AUTHFAILED", "SESSIONMOVED", "NOTREADONLY",
  "REQUESTTIMEOUT", "QUOTAEXCEEDED", "THROTTLEDOP",
] as const;
export type KeeperCode = (typeof KEEPER_CODES)[number];

const KEEPER_CODE_SET: ReadonlySet<string> = new Set(KEEPER_CODES);

/** One operation of a multi (Op.create, Op.delete, Op.setData, Op.check). */
export type Op =
  | { readonly type: "create"; readonly path: string; readonly data: Uint8Array | null;
    readonly acl: readonly Acl[]; readonly mode: CreateMode }
  | { readonly type: "delete"; readonly path: string; readonly version: number }
  | { readonly type: "setData"; readonly path: string; readonly data: Uint8Array | null;
    readonly version: number }
  | { readonly type: "check"; readonly path: string; readonly version: number };

/** OpResult of a successful multi, one per op in order. */
export type OpResult =
  | { readonly type: "create"; readonly path: string }
  | { readonly type: "delete" }
  | { readonly type: "setData"; readonly stat: Stat }
  | { readonly type: "check" };

/** A node's data and its stat (getData's return value plus its Stat out-parameter). */
export interface DataAndStat {
  readonly data: Uint8Array | null;
  readonly stat: Stat;
}

/** The client operations the key service uses. Every failure rejects with a KeeperError-like. */
export interface ZooKeeperApi {
  /** Resolves to the created path (with its sequence suffix for sequential modes). */
  create(path: string, data: Uint8Array | null, acl: readonly Acl[], mode: CreateMode):
    Promise<string>;
  getData(path: string): Promise<DataAndStat>;
  /** version -1 matches any. */
  setData(path: string, data: Uint8Array | null, version: number): Promise<Stat>;
  delete(path: string, version: number): Promise<void>;
  /** Child names, in any order (the service sorts them). */
  getChildren(path: string): Promise<string[]>;
  /** All or nothing; a failure rejects with the first failing op's code. */
  multi(ops: readonly Op[]): Promise<OpResult[]>;
  /** ZooKeeper.addAuthInfo: e.g. ("digest", "user:password"); AUTHFAILED when refused. */
  addAuthInfo(scheme: string, auth: Uint8Array): Promise<void>;
}

/** KeeperException: a ZooKeeper error code (for a failed multi, the first failing op's). */
export class KeeperError extends Error {
  readonly code: KeeperCode;
  readonly path: string | undefined;

  constructor(code: KeeperCode, path?: string) {
    super(path === undefined ? code : `${code} for ${path}`);
    this.name = "KeeperError";
    this.code = code;
    this.path = path;
  }
}

/**
 * The ZooKeeper code of an error thrown by any client that follows this interface (anything
 * with a `code` field holding a KeeperException.Code name), or undefined for other errors.
 */
export function keeperCodeOf(error: unknown): KeeperCode | undefined {
  if (typeof error !== "object" || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  return typeof code === "string" && KEEPER_CODE_SET.has(code) ? code as KeeperCode : undefined;
}

/** True when the outcome of a write is unknown: it may or may not have been applied. */
export function isAmbiguous(code: KeeperCode | undefined): boolean {
  return code === "CONNECTIONLOSS" || code === "OPERATIONTIMEOUT" || code === "REQUESTTIMEOUT";
}
