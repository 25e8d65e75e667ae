/**
 * ZooKeeper's client wire vocabulary: opcodes (ZooDefs.OpCode), special xids (ClientCnxn),
 * error codes (KeeperException.Code), watcher event types (Watcher.Event.EventType), create-mode
 * flags (CreateMode) and the Stat record (zookeeper.jute). Numbers are ZooKeeper's own.
 */
import type { JuteReader, JuteWriter } from "./jute.js";

/** Request opcodes this client sends (ZooDefs.OpCode). */
export const OpCode = {
  notification: 0,
  create: 1,
  delete: 2,
  exists: 3,
  getData: 4,
  setData: 5,
  sync: 9,
  ping: 11,
  getChildren2: 12,
  check: 13,
  multi: 14,
  create2: 15,
  createContainer: 19,
  createTTL: 21,
  closeSession: -11,
  error: -1,
  auth: 100,
  setWatches: 101,
} as const;

/** Reserved xids (ClientCnxn): replies with these are not answers to numbered requests. */
export const Xid = {
  notification: -1,
  ping: -2,
  auth: -4,
  setWatches: -8,
} as const;

/** KeeperException.Code names by number; the result format prints these names. */
const ERROR_NAMES: ReadonlyMap<number, string> = new Map([
  [0, "OK"], [-1, "SYSTEMERROR"], [-2, "RUNTIMEINCONSISTENCY"], [-3, "DATAINCONSISTENCY"],
  [-4, "CONNECTIONLOSS"], [-5, "MARSHALLINGERROR"], [-6, "UNIMPLEMENTED"],
  [-7, "OPERATIONTIMEOUT"], [-8, "BADARGUMENTS"], [-12, "UNKNOWNSESSION"],
  [-13, "NEWCONFIGNOQUORUM"], [-14, "RECONFIGINPROGRESS"], [-100, "APIERROR"],
  [-101, "NONODE"], [-102, "NOAUTH"], [-103, "BADVERSION"], [-108, "NOCHILDRENFOREPHEMERALS"],
  [-110, "NODEEXISTS"], [-111, "NOTEMPTY"], [-112, "SESSIONEXPIRED"],
  [-113, "INVALIDCALLBACK"], [-114, "INVALIDACL"], [-115, "AUTHFAILED"],
  [-118, "SESSIONMOVED"], [-119, "NOTREADONLY"], [-120, "EPHEMERALONLOCALSESSION"],
  [-121, "NOWATCHER"], [-122, "REQUESTTIMEOUT"], [-123, "RECONFIGDISABLED"],
  [-124, "SESSIONCLOSEDREQUIRESASLAUTH"], [-125, "QUOTAEXCEEDED"], [-127, "THROTTLEDOP"],
]);

/** The error code CONNECTIONLOSS, which the client reports itself when a connection drops. */
export const CONNECTION_LOSS = -4;

/** The name of an error code, or `UNKNOWN(<n>)` for a code this table does not know. */
export function errorName(code: number): string {
  return ERROR_NAMES.get(code) ?? `UNKNOWN(${code})`;
}

/** Watcher.Event.EventType names by number. */
const EVENT_NAMES: ReadonlyMap<number, string> = new Map([
  [-1, "None"], [1, "NodeCreated"], [2, "NodeDeleted"], [3, "NodeDataChanged"],
  [4, "NodeChildrenChanged"], [5, "DataWatchRemoved"], [6, "ChildWatchRemoved"],
  [7, "PersistentWatchRemoved"],
]);

export function eventName(type: number): string {
  return EVENT_NAMES.get(type) ?? `Unknown(${type})`;
}

/** The create modes of the scenario format, with CreateMode's flag numbers. */
export const CREATE_FLAGS = {
  PERSISTENT: 0,
  EPHEMERAL: 1,
  PERSISTENT_SEQUENTIAL: 2,
  EPHEMERAL_SEQUENTIAL: 3,
  CONTAINER: 4,
  PERSISTENT_WITH_TTL: 5,
  PERSISTENT_SEQUENTIAL_WITH_TTL: 6,
} as const;

export type CreateModeName = keyof typeof CREATE_FLAGS;

/** ACL perms ALL (ZooDefs.Perms.ALL). */
const PERMS_ALL = 31;

/** Writes ZooDefs.Ids.OPEN_ACL_UNSAFE: one entry, ALL for world:anyone. */
export function writeOpenAcl(writer: JuteWriter): void {
  writer.writeInt(1);
  writer.writeInt(PERMS_ALL);
  writer.writeString("world");
  writer.writeString("anyone");
}

/** The Stat record (zookeeper.jute), longs kept as bigint. */
export interface Stat {
  readonly czxid: bigint;
  readonly mzxid: bigint;
  readonly ctime: bigint;
  readonly mtime: bigint;
  readonly version: number;
  readonly cversion: number;
  readonly aversion: number;
  readonly ephemeralOwner: bigint;
  readonly dataLength: number;
  readonly numChildren: number;
  readonly pzxid: bigint;
}

/** Reads a Stat in jute field order. */
export function readStat(reader: JuteReader): Stat {
  const czxid = reader.readLong();
  const mzxid = reader.readLong();
  const ctime = reader.readLong();
  const mtime = reader.readLong();
  const version = reader.readInt();
  const cversion = reader.readInt();
  const aversion = reader.readInt();
  const ephemeralOwner = reader.readLong();
  const dataLength = reader.readInt();
  const numChildren = reader.readInt();
  const pzxid = reader.readLong();
  return {
    czxid, mzxid, ctime, mtime, version, cversion, aversion, ephemeralOwner, dataLength,
    numChildren, pzxid,
  };
}
