/**
 * The client API over the real wire: a second implementation of the ZooKeeper-shaped promise
 * API (create, getData, exists, setData, delete, getChildren, multi with Op and OpResult, sync,
 * addAuthInfo, close) that the key service and the recipes are written against, so they run
 * unchanged on a real ensemble. It is a thin layer over `Session` (session.ts: the handshake,
 * pings, reconnects over the server list, credentials and setWatches again after a reconnect,
 * TLS), with the simulated client's typed errors: every failure rejects with src/client's
 * KeeperError and ZooKeeper's code, so CONNECTIONLOSS still means "may or may not have
 * happened". Arguments are checked as the Java client checks them (PathUtils.validatePath, an
 * empty ACL) before anything is sent.
 *
 * Watches are callbacks, kept as ZKWatchManager keeps them: getData arms a data watch when the
 * node exists, exists arms a data watch (or an exist watch when it does not), getChildren a
 * child watch; a notification fires and consumes the callbacks its event type materializes.
 */
import { KeeperError, pathProblem } from "../client/index.js";
import type { Acl, Data, Stat } from "../client/index.js";
import type { TlsOptions } from "./frame-socket.js";
import { errorName } from "./protocol.js";
import type { CreateModeName, Stat as WireStat } from "./protocol.js";
import type { MultiOpRequest, MultiOpResult, WireAcl, ZkRequest, ZkResponse } from "./requests.js";
import { DEFAULT_TIMEOUTS, Session, SessionError } from "./session.js";
import type { Endpoint, Notification, Reply, SessionTimeouts } from "./session.js";

type Code = KeeperError["code"];

/** data.ACL and data.Stat: the simulated client's own types (zxids as numbers). */
export type { Acl, Stat };

/**
 * One op of a multi (Op.create, Op.delete, Op.setData, Op.check), as src/client's Ops build
 * them (data as bytes or UTF-8 text; a create's ttl, -1 or absent for none).
 */
export type Op =
  | { readonly type: "create"; readonly path: string; readonly data: Data;
    readonly acl: readonly Acl[]; readonly mode: CreateModeName; readonly ttl?: number }
  | { readonly type: "delete"; readonly path: string; readonly version: number }
  | { readonly type: "setData"; readonly path: string; readonly data: Data;
    readonly version: number }
  | { readonly type: "check"; readonly path: string; readonly version: number };

/** OpResult of a successful multi, one per op, with the per-op code (always OK here). */
export type OpResult =
  | { readonly type: "create"; readonly err: "OK"; readonly path: string }
  | { readonly type: "delete"; readonly err: "OK" }
  | { readonly type: "setData"; readonly err: "OK"; readonly stat: Stat }
  | { readonly type: "check"; readonly err: "OK" };

/** A watch callback (Watcher.process) and the event it gets (state: the session's). */
export interface WatchedEvent {
  readonly type: "NodeCreated" | "NodeDeleted" | "NodeDataChanged" | "NodeChildrenChanged";
  readonly state: "SyncConnected";
  readonly path: string;
}
export type Watcher = (event: WatchedEvent) => void;

/** A read's watch argument: the default watcher (true), none (false), or a callback. */
export type WatchArg = boolean | Watcher | undefined;

/** The connect string and how to reach it. */
export interface RealZooKeeperOptions {
  readonly servers: readonly Endpoint[];
  readonly tls?: TlsOptions;
  readonly timeouts?: SessionTimeouts;
  /** The default watcher, which `watch: true` means (as the Java client's constructor's). */
  readonly watcher?: Watcher;
}

/** ZooDefs.Ids.OPEN_ACL_UNSAFE. */
export const OPEN_ACL_UNSAFE: readonly Acl[] = [
  { perms: 31, id: { scheme: "world", id: "anyone" } },
];

function keeperError(err: number, path?: string, detail?: string): KeeperError {
  const name = errorName(err);
  const code = (name.startsWith("UNKNOWN") ? "SYSTEMERROR" : name) as Code;
  return new KeeperError(code, path, detail ?? (code === "SYSTEMERROR" ? name : undefined));
}

function toStat(stat: WireStat): Stat {
  return {
    czxid: Number(stat.czxid), mzxid: Number(stat.mzxid), ctime: Number(stat.ctime),
    mtime: Number(stat.mtime), version: stat.version, cversion: stat.cversion,
    aversion: stat.aversion, ephemeralOwner: Number(stat.ephemeralOwner),
    dataLength: stat.dataLength, numChildren: stat.numChildren, pzxid: Number(stat.pzxid),
  };
}

function checkPath(path: string, sequential = false): void {
  const problem = pathProblem(sequential ? `${path}1` : path);
  if (problem !== undefined) throw new KeeperError("BADARGUMENTS", path, problem);
}

function wireAcl(acl: readonly Acl[], path: string): WireAcl[] {
  if (acl.length === 0) throw new KeeperError("INVALIDACL", path, "the ACL is null or empty");
  return acl.map((entry) => ({ perms: entry.perms, scheme: entry.id.scheme, id: entry.id.id }));
}

const encoder = new TextEncoder();

/** The bytes the server stores for `data` (text goes as UTF-8, as src/client sends it). */
function bytesOf(data: Data): Uint8Array | null {
  return typeof data === "string" ? encoder.encode(data) : data;
}

/** A create's ttl on the wire: only a TTL mode or a ttl >= 0 sends one (CreateOptions). */
function ttlOf(ttl: number | undefined): number | undefined {
  return ttl === undefined || ttl < 0 ? undefined : ttl;
}

function multiOp(op: Op): MultiOpRequest {
  switch (op.type) {
    case "create":
      checkPath(op.path, op.mode.includes("SEQUENTIAL"));
      return { op: "create", create: { path: op.path, data: bytesOf(op.data), mode: op.mode,
        ttl: ttlOf(op.ttl), acl: wireAcl(op.acl, op.path) } };
    case "delete":
    case "check":
      checkPath(op.path);
      return { op: op.type, path: op.path, version: op.version };
    case "setData":
      checkPath(op.path);
      return { op: "setData", path: op.path, data: bytesOf(op.data), version: op.version };
  }
}

function opResult(result: MultiOpResult): OpResult {
  switch (result.type) {
    case "create":
    case "create2":
      return { type: "create", err: "OK", path: result.path };
    case "setData":
      return { type: "setData", err: "OK", stat: toStat(result.stat) };
    case "delete":
    case "check":
      return { type: result.type, err: "OK" };
    case "error":
      throw keeperError(result.err);
  }
}

/** Which callbacks a notification of `type` materializes (ZKWatchManager.materialize). */
const MATERIALIZE: Readonly<Record<string, ReadonlyArray<"data" | "exist" | "child">>> = {
  NodeCreated: ["data", "exist"],
  NodeDataChanged: ["data", "exist"],
  NodeDeleted: ["data", "exist", "child"],
  NodeChildrenChanged: ["child"],
};

/** A ZooKeeper client session on a real ensemble. Create with `RealZooKeeper.connect`. */
export class RealZooKeeper {
  private readonly watchers = {
    data: new Map<string, Set<Watcher>>(),
    exist: new Map<string, Set<Watcher>>(),
    child: new Map<string, Set<Watcher>>(),
  };

  private constructor(private readonly session: Session,
    private readonly defaultWatcher: Watcher | undefined) {}

  /** The callback a watch argument names, if any (true: the default watcher, or none). */
  private watcherOf(watch: WatchArg): Watcher | undefined {
    if (watch === true) return this.defaultWatcher ?? (() => undefined);
    return watch === false ? undefined : watch;
  }

  /**
   * Connects to the first server of the list that takes a new session (TLS when `tls` is
   * given); rejects with CONNECTIONLOSS naming the last failure when none does.
   */
  static async connect(options: RealZooKeeperOptions): Promise<RealZooKeeper> {
    let client: RealZooKeeper | undefined;
    try {
      const session = await Session.openList({
        servers: options.servers, tls: options.tls, timeouts: options.timeouts ?? DEFAULT_TIMEOUTS,
        onNotification: (notification) => client?.notify(notification),
      });
      client = new RealZooKeeper(session, options.watcher);
      return client;
    } catch (error) {
      if (!(error instanceof SessionError)) throw error;
      throw new KeeperError("CONNECTIONLOSS", undefined, error.message);
    }
  }

  /** The session id the ensemble gave (ZooKeeper.getSessionId). */
  get sessionId(): bigint {
    return this.session.sessionId;
  }

  /** The server the session is connected to now. */
  get server(): Endpoint {
    return this.session.server;
  }

  /** create(path, data, acl, createMode[, ttl]): the created path (with its sequence suffix). */
  create(path: string, data: Data, acl: readonly Acl[] = OPEN_ACL_UNSAFE,
    mode: CreateModeName = "PERSISTENT", ttl = -1): Promise<string> {
    return this.call(path, () => {
      checkPath(path, mode.includes("SEQUENTIAL"));
      return { op: "create", create: { path, data: bytesOf(data), mode, ttl: ttlOf(ttl),
        acl: wireAcl(acl, path) } };
    }, (body) => (body?.kind === "created" ? body.path : path));
  }

  /** getData(path, watcher): a callback is called once, on the node's next change. */
  getData(path: string, watchArg?: WatchArg):
    Promise<{ data: Uint8Array | null; stat: Stat }> {
    const watch = this.watcherOf(watchArg);
    return this.call(path, () => {
      checkPath(path);
      return { op: "getData", path, watch: watch !== undefined };
    }, (body) => {
      if (body?.kind !== "data") throw new KeeperError("MARSHALLINGERROR", path);
      if (watch !== undefined) this.arm("data", path, watch);
      return { data: body.data === null ? null : Uint8Array.from(body.data),
        stat: toStat(body.stat) };
    });
  }

  /** The stat, or null when the node does not exist; a watch is left either way. */
  async exists(path: string, watchArg?: WatchArg): Promise<Stat | null> {
    const watch = this.watcherOf(watchArg);
    const reply = await this.send(path, () => {
      checkPath(path);
      return { op: "exists", path, watch: watch !== undefined };
    });
    if (reply.err === -101) {
      if (watch !== undefined) this.arm("exist", path, watch);
      return null;
    }
    if (reply.err !== 0) throw keeperError(reply.err, path);
    if (reply.body?.kind !== "stat") throw new KeeperError("MARSHALLINGERROR", path);
    if (watch !== undefined) this.arm("data", path, watch);
    return toStat(reply.body.stat);
  }

  setData(path: string, data: Data, version = -1): Promise<Stat> {
    return this.call(path, () => {
      checkPath(path);
      return { op: "setData", path, data: bytesOf(data), version };
    }, (body) => {
      if (body?.kind !== "stat") throw new KeeperError("MARSHALLINGERROR", path);
      return toStat(body.stat);
    });
  }

  delete(path: string, version = -1): Promise<void> {
    return this.call(path, () => {
      checkPath(path);
      return { op: "delete", path, version };
    }, () => undefined);
  }

  getChildren(path: string, watchArg?: WatchArg): Promise<string[]> {
    const watch = this.watcherOf(watchArg);
    return this.call(path, () => {
      checkPath(path);
      return { op: "getChildren", path, watch: watch !== undefined };
    }, (body) => {
      if (body?.kind !== "children") throw new KeeperError("MARSHALLINGERROR", path);
      if (watch !== undefined) this.arm("child", path, watch);
      return [...body.children];
    });
  }

  /** sync(path): the server catches up with the leader before answering. */
  sync(path: string): Promise<string> {
    return this.call(path, () => {
      checkPath(path);
      return { op: "sync", path };
    }, (body) => (body?.kind === "path" ? body.path : path));
  }

  /** All or nothing; a failure rejects with the first failing op's code (KeeperException). */
  async multi(ops: readonly Op[]): Promise<OpResult[]> {
    if (ops.length === 0) return [];
    const reply = await this.send(undefined, () => ({ op: "multi", ops: ops.map(multiOp) }));
    const results = reply.body?.kind === "multi" ? reply.body.results : [];
    const failed = results.find((entry) => entry.type === "error" && entry.err !== 0);
    if (failed?.type === "error") throw keeperError(failed.err);
    if (reply.err !== 0) throw keeperError(reply.err);
    if (results.length !== ops.length) throw new KeeperError("MARSHALLINGERROR");
    return results.map(opResult);
  }

  /** ZooKeeper.addAuthInfo; AUTHFAILED when the server refuses the credentials. */
  async addAuthInfo(scheme: string, auth: Uint8Array): Promise<void> {
    let err: number;
    try {
      err = await this.session.addAuth(scheme, auth);
    } catch (error) {
      throw this.lost(error, undefined);
    }
    if (err !== 0) throw keeperError(err, undefined, `addAuthInfo ${scheme}`);
  }

  /** ZooKeeper.addAuthInfo with the credentials as text (UTF-8), as src/client's `addAuth`. */
  addAuth(scheme: string, auth: string): Promise<void> {
    return this.addAuthInfo(scheme, new TextEncoder().encode(auth));
  }

  /** Closes the session (closeSession); never fails. */
  async close(): Promise<void> {
    try {
      await this.session.close();
    } catch {
      this.session.end("session closed");
    }
  }

  /** Sends a request and turns a failure into a KeeperError; `accept` reads an OK body. */
  private async call<T>(path: string, build: () => ZkRequest,
    accept: (body: ZkResponse | undefined) => T): Promise<T> {
    const reply = await this.send(path, build);
    if (reply.err !== 0) throw keeperError(reply.err, path);
    return accept(reply.body);
  }

  private async send(path: string | undefined, build: () => ZkRequest): Promise<Reply> {
    const request = build();
    try {
      return await this.session.request(request);
    } catch (error) {
      throw this.lost(error, path);
    }
  }

  /** A session that cannot answer: SESSIONEXPIRED once expired, CONNECTIONLOSS otherwise. */
  private lost(error: unknown, path: string | undefined): unknown {
    if (!(error instanceof SessionError)) return error;
    const code: Code = this.session.expired ? "SESSIONEXPIRED" : "CONNECTIONLOSS";
    return new KeeperError(code, path, error.message);
  }

  private arm(kind: "data" | "exist" | "child", path: string, watch: Watcher): void {
    const table = this.watchers[kind];
    const set = table.get(path) ?? new Set<Watcher>();
    set.add(watch);
    table.set(path, set);
  }

  private notify(notification: Notification): void {
    const fired = new Set<Watcher>();
    for (const kind of MATERIALIZE[notification.type] ?? []) {
      for (const watch of this.watchers[kind].get(notification.path) ?? []) fired.add(watch);
      this.watchers[kind].delete(notification.path);
    }
    const type = notification.type as WatchedEvent["type"];
    const event: WatchedEvent = { type, state: "SyncConnected", path: notification.path };
    for (const watch of fired) watch(event);
  }
}
