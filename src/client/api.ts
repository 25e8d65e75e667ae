/**
 * The promise API, shaped like ZooKeeper's Java client (org.apache.zookeeper.ZooKeeper): create
 * with every mode, delete, setData, getData, exists, getChildren, getAllChildrenNumber,
 * getEphemerals, multi, sync, addAuth, setACL, getACL, addWatch, removeAllWatches, the watch
 * lists, close. A call validates its arguments as the Java client does (a bad one rejects with a
 * KeeperError and sends nothing), hands the request to the pure session, and returns a promise
 * that settles only when the session completes the call, that is when the host delivers the
 * world event that decides it. Failures reject with KeeperError and ZooKeeper's code.
 *
 * Watchers are functions; the session knows them as numbers (0 is the default watcher given to
 * the constructor; `watch: true` means it, as in the Java client). A watcher is called
 * synchronously, in ZKWatchManager's order, when its event is delivered, so it runs before the
 * continuation of any call the same delivery settles.
 */
import type { Acl, AddWatchMode, CreateMode, MultiOp, Stat, SubTxnResult } from "../tree/index.js";
import { assert } from "../util/index.js";
import type { Prng } from "../util/index.js";
import { KeeperError } from "./errors.js";
import type { CallResult, ClientCall, ClientEffect, ClientInput, SessionState, WatchedEvent }
  from "./io.js";
import type { Data, Op } from "./ops.js";
import { OPEN_ACL_UNSAFE, createRequest, multiOpRequest, toBytes } from "./ops.js";
import { ClientSession } from "./session.js";
import { validateAcl, validateMode, validatePath, validateTtl, validateVersion }
  from "./validate.js";
import type { WatchLists } from "./watch-registry.js";

/** A watcher callback (Watcher.process). */
export type Watcher = (event: WatchedEvent) => void;

/** A read's watch argument: the default watcher (true), none (false), or a callback. */
export type WatchArg = boolean | Watcher | undefined;

/** What the API needs from the host it runs in (the simulated client host, or a real one). */
export interface ClientHost {
  /** The client node's local clock reading, in microseconds. */
  now(): number;
  /**
   * Carries out one step's effects (connect, send, disconnect, timers), in order. It also sees
   * the complete and watch effects, for its observations; the API settles and calls those.
   */
  perform(effects: readonly ClientEffect[], session: Readonly<ClientSession>): void;
}

/** The ZooKeeper constructor's arguments. */
export interface ZooKeeperOptions {
  /** The servers of the connect string. */
  readonly servers: readonly number[];
  /** The requested session timeout in milliseconds: a positive integer. */
  readonly sessionTimeoutMs: number;
  /** The session's seeded stream (server order, reconnect pauses). */
  readonly prng: Prng;
  /** The default watcher: session events and `watch: true` registrations. */
  readonly watcher?: Watcher;
}

interface Waiting {
  readonly settle: (result: CallResult) => void;
  readonly watcher: number | undefined;
}

function statOf(result: CallResult): Stat {
  const stat = result.body?.stat;
  assert(stat !== undefined, "an OK reply of this kind carries a stat", { err: result.err });
  return stat;
}

export class ZooKeeper {
  private readonly session: ClientSession;
  private readonly waiting = new Map<number, Waiting>();
  private readonly watcherIds = new Map<Watcher, number>();
  private readonly watchersById = new Map<number, Watcher>();
  /** Calls in flight per watcher id, so an id is forgotten only when nothing refers to it. */
  private readonly watcherUses = new Map<number, number>();
  private nextCall = 1;
  private nextWatcher = 1;

  constructor(options: ZooKeeperOptions, private readonly host: ClientHost) {
    const timeout = options.sessionTimeoutMs;
    if (!Number.isSafeInteger(timeout) || timeout <= 0) {
      throw new KeeperError("BADARGUMENTS", undefined, `session timeout ${timeout} ms`);
    }
    if (options.servers.length === 0) {
      throw new KeeperError("BADARGUMENTS", undefined, "no server to connect to");
    }
    if (options.watcher !== undefined) this.watchersById.set(0, options.watcher);
    this.session = new ClientSession({
      servers: options.servers, sessionTimeoutMs: timeout, prng: options.prng,
    });
    this.run({ kind: "open", now: host.now() });
  }

  /** ZooKeeper.getSessionId (0 before the first connection). */
  get sessionId(): number {
    return this.session.sessionId;
  }

  /** ZooKeeper.getSessionTimeout: the negotiated timeout (0 before it is known). */
  get sessionTimeoutMs(): number {
    return this.session.negotiatedTimeoutMs;
  }

  /** ZooKeeper.getState. */
  get state(): SessionState {
    return this.session.state;
  }

  /** Calls whose promises have not settled yet. */
  get pendingCalls(): number {
    return this.waiting.size;
  }

  /** The pure session underneath, for the host's observations (read only). */
  get sessionMachine(): Readonly<ClientSession> {
    return this.session;
  }

  /** The host delivers a world event (a packet, a closed connection, a timer, a move). */
  deliver(input: ClientInput): void {
    this.run(input);
  }

  /** create(path, data, acl, createMode[, ttl]): the created path (with its sequence suffix). */
  create(path: string, data: Data, acl: readonly Acl[] = OPEN_ACL_UNSAFE,
    mode: CreateMode = "PERSISTENT", ttl = -1): Promise<string> {
    return this.submit(path, () => {
      validateMode(mode, path);
      validatePath(path, mode.includes("SEQUENTIAL"));
      validateTtl(mode, ttl, path);
      validateAcl(acl, path);
      return { request: createRequest(path, data, acl, mode, ttl) };
    }, (result) => result.body?.path ?? path);
  }

  /** delete(path, version); -1 matches any version. */
  delete(path: string, version = -1): Promise<void> {
    return this.submit(path, () => {
      validatePath(path);
      validateVersion(version, path);
      return { request: { type: "delete", path, version } };
    }, () => undefined);
  }

  /** setData(path, data, version): the node's new stat. */
  setData(path: string, data: Data, version = -1): Promise<Stat> {
    return this.submit(path, () => {
      validatePath(path);
      validateVersion(version, path);
      return { request: { type: "setData", path, data: toBytes(data), version } };
    }, statOf);
  }

  /** getData(path, watch): the data and stat; a watch is left when the node exists. */
  getData(path: string, watch?: WatchArg): Promise<{ data: Uint8Array | null; stat: Stat }> {
    return this.submitRead(path, "getData", watch, (result) =>
      ({ data: result.body?.data ?? null, stat: statOf(result) }));
  }

  /** exists(path, watch): the stat, or null; a watch is left either way. */
  exists(path: string, watch?: WatchArg): Promise<Stat | null> {
    return this.submitRead(path, "exists", watch, (result) => {
      if (result.err === "NONODE") return null;
      if (result.err !== "OK") throw new KeeperError(result.err, path);
      return statOf(result);
    }, true);
  }

  /** getChildren(path, watch): the children's names, sorted. */
  getChildren(path: string, watch?: WatchArg): Promise<string[]> {
    return this.submitRead(path, "getChildren", watch, (result) =>
      [...(result.body?.children ?? [])]);
  }

  /** getChildren(path, watch, stat): the children and the parent's stat. */
  getChildren2(path: string, watch?: WatchArg): Promise<{ children: string[]; stat: Stat }> {
    return this.submitRead(path, "getChildren2", watch, (result) =>
      ({ children: [...(result.body?.children ?? [])], stat: statOf(result) }));
  }

  /** getAllChildrenNumber(path): the number of descendants. */
  getAllChildrenNumber(path: string): Promise<number> {
    return this.submit(path, () => {
      validatePath(path);
      return { request: { type: "getAllChildrenNumber", path } };
    }, (result) => result.body?.count ?? 0);
  }

  /** getEphemerals(prefixPath): this session's ephemerals under the prefix. */
  getEphemerals(prefixPath = "/"): Promise<string[]> {
    return this.submit(prefixPath, () => {
      validatePath(prefixPath);
      return { request: { type: "getEphemerals", prefixPath } };
    }, (result) => [...(result.body?.paths ?? [])]);
  }

  /** sync(path): the server catches up with the leader before answering. */
  sync(path: string): Promise<string> {
    return this.submit(path, () => {
      validatePath(path);
      return { request: { type: "sync", path } };
    }, (result) => result.body?.path ?? path);
  }

  /** setACL(path, acl, aclVersion): the node's new stat. */
  setACL(path: string, acl: readonly Acl[], version = -1): Promise<Stat> {
    return this.submit(path, () => {
      validatePath(path);
      validateAcl(acl, path);
      validateVersion(version, path);
      return { request: { type: "setACL", path, acl, version } };
    }, statOf);
  }

  /** getACL(path): the ACL and the stat. */
  getACL(path: string): Promise<{ acl: Acl[]; stat: Stat }> {
    return this.submit(path, () => {
      validatePath(path);
      return { request: { type: "getACL", path } };
    }, (result) => ({ acl: [...(result.body?.acl ?? [])], stat: statOf(result) }));
  }

  /**
   * multi(ops): every op's result, or a KeeperError with the first failing op's code and every
   * result. Ops are validated first (Op.validate); an empty multi answers at once.
   */
  multi(ops: readonly Op[]): Promise<SubTxnResult[]> {
    if (ops.length === 0) return Promise.resolve([]);
    const requests: MultiOp[] = [];
    const problems: Array<KeeperError | undefined> = ops.map((op) => {
      try {
        requests.push(multiOpRequest(op));
        return undefined;
      } catch (error) {
        if (error instanceof KeeperError) return error;
        throw error;
      }
    });
    const first = problems.find((problem) => problem !== undefined);
    if (first !== undefined) {
      // ZooKeeper.multi(ops, cb, ctx): BADARGUMENTS, with RUNTIMEINCONSISTENCY for good ops.
      const results: SubTxnResult[] = problems.map((problem) =>
        ({ type: "error", err: problem === undefined ? "RUNTIMEINCONSISTENCY" : problem.code }));
      return Promise.reject(new KeeperError(first.code, first.path, first.message, results));
    }
    return this.submitCall({ request: { type: "multi", ops: requests } }, undefined, (result) => {
      const results = [...(result.body?.results ?? [])];
      const failed = results.find((entry) => entry.err !== "OK");
      if (result.err !== "OK" || failed !== undefined) {
        throw new KeeperError(failed?.err ?? result.err, failed?.path, undefined, results);
      }
      return results;
    }, true);
  }

  /** addWatch(path, watcher, mode): a persistent or persistent-recursive watch. */
  addWatch(path: string, watcher: Watcher | true, mode: AddWatchMode): Promise<void> {
    return this.submit(path, () => {
      validatePath(path);
      if (mode !== "PERSISTENT" && mode !== "PERSISTENT_RECURSIVE") {
        throw new KeeperError("BADARGUMENTS", path, `unknown watch mode ${String(mode)}`);
      }
      return { request: { type: "addWatch", path, mode }, watcher: this.watcherId(watcher) };
    }, () => undefined);
  }

  /**
   * removeAllWatches(path, watcherType, local=false): NOWATCHER at once when this client holds
   * no such watch (ZKWatchManager checks before asking the server), else the server removes
   * them and, on OK, so does the client.
   */
  removeAllWatches(path: string, watcherType: "Children" | "Data" | "Any"): Promise<void> {
    const lists = this.session.watches.lists();
    const data = lists.dataWatches.includes(path) || lists.existWatches.includes(path);
    const child = lists.childWatches.includes(path);
    const persistent = lists.persistentWatches.includes(path) ||
      lists.persistentRecursiveWatches.includes(path);
    const holds = persistent || (watcherType !== "Children" && data) ||
      (watcherType !== "Data" && child);
    return this.submit(path, () => {
      validatePath(path);
      if (!holds) throw new KeeperError("NOWATCHER", path);
      return { request: { type: "removeWatches", path, watcherType } };
    }, () => undefined);
  }

  /** The watch lists (ZooKeeper.getDataWatches, getExistWatches, getChildWatches, ...). */
  watchers(): WatchLists {
    return this.session.watches.lists();
  }

  /** addAuthInfo(scheme, auth): settles when the server answers the auth packet. */
  addAuth(scheme: string, auth: string): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const call = this.nextCall++;
      this.waiting.set(call, { watcher: undefined, settle: (result) => {
        if (result.err === "OK") resolve();
        else reject(new KeeperError(result.err, undefined, `addAuth ${scheme}`));
      } });
      this.run({ kind: "addAuth", now: this.host.now(), call, scheme, auth });
    });
  }

  /** close(): closeSession, then CLOSED; never fails, and a second close does nothing. */
  close(): Promise<void> {
    return new Promise<void>((resolve) => {
      const call = this.nextCall++;
      this.waiting.set(call, { watcher: undefined, settle: () => resolve() });
      this.run({ kind: "close", now: this.host.now(), call });
    });
  }

  /** A watching read; `raw` accepts see every code (exists turns NONODE into null). */
  private submitRead<T>(path: string, type: "getData" | "exists" | "getChildren" |
    "getChildren2", watch: WatchArg, accept: (result: CallResult) => T, raw = false):
    Promise<T> {
    let op: ClientCall;
    try {
      validatePath(path);
      const watcher = watch === undefined || watch === false ? undefined : this.watcherId(watch);
      op = { request: { type, path, watch: watcher !== undefined }, watcher };
    } catch (error) {
      return Promise.reject(error);
    }
    return this.submitCall(op, path, accept, raw);
  }

  /** Validates and builds a call (throwing KeeperError), then submits it. */
  private submit<T>(path: string, build: () => ClientCall, accept: (result: CallResult) => T):
    Promise<T> {
    let op: ClientCall;
    try {
      op = build();
    } catch (error) {
      return Promise.reject(error);
    }
    return this.submitCall(op, path, accept, false);
  }

  /** Sends a call; `raw` accepts take every code themselves, others get OK results only. */
  private submitCall<T>(op: ClientCall, path: string | undefined,
    accept: (result: CallResult) => T, raw: boolean): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const call = this.nextCall++;
      if (op.watcher !== undefined) this.useWatcher(op.watcher, 1);
      this.waiting.set(call, { watcher: op.watcher, settle: (result) => {
        if (!raw && result.err !== "OK") {
          reject(new KeeperError(result.err, path));
          return;
        }
        try {
          resolve(accept(result));
        } catch (error) {
          reject(error);
        }
      } });
      this.run({ kind: "call", now: this.host.now(), call, op });
    });
  }

  /** One session step: the host carries out its effects, then calls settle and watchers run. */
  private run(input: ClientInput): void {
    const effects = this.session.step(input);
    this.host.perform(effects, this.session);
    for (const effect of effects) {
      if (effect.kind === "complete") this.settle(effect.call, effect.result);
      else if (effect.kind === "watch") this.notify(effect.event, effect.watchers);
    }
  }

  private settle(call: number, result: CallResult): void {
    const entry = this.waiting.get(call);
    assert(entry !== undefined, "a call completes once", { call });
    this.waiting.delete(call);
    if (entry.watcher !== undefined) this.useWatcher(entry.watcher, -1);
    entry.settle(result);
  }

  private notify(event: WatchedEvent, watchers: readonly number[]): void {
    for (const id of watchers) {
      const watcher = this.watchersById.get(id);
      this.forgetIfUnused(id);
      if (watcher !== undefined) watcher(event);
    }
  }

  private watcherId(watch: true | Watcher): number {
    if (watch === true) return 0;
    let id = this.watcherIds.get(watch);
    if (id === undefined) {
      id = this.nextWatcher++;
      this.watcherIds.set(watch, id);
      this.watchersById.set(id, watch);
    }
    return id;
  }

  private useWatcher(id: number, delta: 1 | -1): void {
    const uses = (this.watcherUses.get(id) ?? 0) + delta;
    assert(uses >= 0, "watcher uses stay non-negative", { id });
    if (uses === 0) this.watcherUses.delete(id);
    else this.watcherUses.set(id, uses);
    if (uses === 0) this.forgetIfUnused(id);
  }

  /** Drops a callback no list and no call in flight refers to (the default watcher stays). */
  private forgetIfUnused(id: number): void {
    if (id === 0 || this.watcherUses.has(id) || this.session.watches.holds(id)) return;
    const watcher = this.watchersById.get(id);
    if (watcher === undefined) return;
    this.watchersById.delete(id);
    this.watcherIds.delete(watcher);
  }
}
