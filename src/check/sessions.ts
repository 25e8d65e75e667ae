/**
 * Session guarantees, judged from observations only (ZooKeeper Programmer's Guide, "ZooKeeper
 * Watches" and "ZooKeeper Sessions"):
 * - watches: a one-shot watch fires at most once per registration, and its notification
 *   reaches the client before the client can read the changed state ("a client will never see
 *   a change for which it has set a watch until it first sees the watch event"); a
 *   notification an addWatch registration covers (persistent, or recursive on an ancestor) is
 *   expected any number of times;
 * - ephemerals: once a node applies the closeSession of a closed or expired session, none of
 *   the session's ephemerals is left in its tree;
 * - expiry: a leader expires a session only after the session's timeout has passed without
 *   contact, counting from the leader's establishment (a new leader restarts every session's
 *   timeout) and from the last request the client sent to that leader directly.
 * Monotonic reads across moves ("a session never reads older state than it already saw") is
 * client-order.ts, per session.
 */
import type { Observation } from "../observe/index.js";
import type { Request, Stat } from "../tree/index.js";
import { ViolationList } from "./limits.js";
import { violationAt } from "./types.js";
import type { ObservationRecord, Violation } from "./types.js";

type Complete = Extract<Observation, { kind: "complete" }>;

/** A one-shot watch as the client holds it: what the registering read saw. */
interface Armed {
  readonly op: number;
  /** The node's mzxid (data watch) or pzxid-like children fingerprint (child watch). */
  readonly seen: string;
}

interface ClientWatches {
  session: number;
  readonly data: Map<string, Armed>;
  readonly child: Map<string, Armed>;
  /** addWatch registrations by path: they fire any number of times and stay. */
  readonly persistent: Map<string, "PERSISTENT" | "PERSISTENT_RECURSIVE">;
}

function dataFingerprint(stat: Stat | undefined): string {
  return stat === undefined ? "none" : `m${stat.mzxid}`;
}

function childFingerprint(children: readonly string[] | undefined): string {
  return children === undefined ? "" : children.join("/");
}

/** The watch a watching read leaves, per WatchRegistration.shouldAddWatch. */
function registration(request: Request, done: Complete):
  { kind: "data" | "child"; seen: string } | undefined {
  if (!("watch" in request) || !request.watch) return undefined;
  const read = done.read;
  if (request.type === "exists" && (done.err === "OK" || done.err === "NONODE")) {
    return { kind: "data", seen: dataFingerprint(read?.stat) };
  }
  if (done.err !== "OK") return undefined;
  if (request.type === "getData") return { kind: "data", seen: dataFingerprint(read?.stat) };
  if (request.type === "getChildren" || request.type === "getChildren2") {
    return { kind: "child", seen: childFingerprint(read?.children) };
  }
  return undefined;
}

/** What a later read of the same path shows, in the fingerprint of a watch kind. */
function shows(request: Request, done: Complete, kind: "data" | "child"): string | undefined {
  if (done.err !== "OK" && !(done.err === "NONODE" && request.type === "exists")) return undefined;
  if (kind === "data" && (request.type === "getData" || request.type === "exists")) {
    return dataFingerprint(done.read?.stat);
  }
  if (kind === "child" && (request.type === "getChildren" || request.type === "getChildren2")) {
    return childFingerprint(done.read?.children);
  }
  return undefined;
}

/** Checks every client's notifications against the watches its reads left. */
export function checkWatches(records: readonly ObservationRecord[]): Violation[] {
  const found = new ViolationList<Violation>();
  const requests = new Map<string, Request>();
  const clients = new Map<number, ClientWatches>();
  const watchesOf = (client: number): ClientWatches => {
    let w = clients.get(client);
    if (w === undefined) {
      w = { session: 0, data: new Map(), child: new Map(), persistent: new Map() };
      clients.set(client, w);
    }
    return w;
  };
  for (const record of records) {
    const o = record.observation;
    if (o.kind === "invoke") {
      requests.set(`${o.client}:${o.op}`, o.request);
    } else if (o.kind === "session") {
      const w = watchesOf(o.client);
      if (o.event !== "connected" || o.session !== w.session) {
        // A new session starts with no watches; an ended one keeps none.
        w.data.clear();
        w.child.clear();
        w.persistent.clear();
        w.session = o.event === "connected" ? o.session : 0;
      }
    } else if (o.kind === "complete") {
      const key = `${o.client}:${o.op}`;
      const request = requests.get(key);
      requests.delete(key);
      if (request !== undefined) onRead(found, record, watchesOf(o.client), request, o);
    } else if (o.kind === "notify") {
      onNotify(found, record, watchesOf(o.client), o);
    }
  }
  return found.items;
}

function onRead(found: ViolationList<Violation>, record: ObservationRecord, w: ClientWatches,
  request: Request, done: Complete): void {
  if (!("path" in request)) return;
  const path = request.path;
  if (request.type === "addWatch" && (done.err === "OK" || done.err === "NONODE")) {
    w.persistent.set(path, request.mode);
  } else if (request.type === "removeWatches" && done.err === "OK") {
    w.persistent.delete(path);
  }
  for (const kind of ["data", "child"] as const) {
    const armed = (kind === "data" ? w.data : w.child).get(path);
    const now = shows(request, done, kind);
    if (armed !== undefined && now !== undefined && now !== armed.seen) {
      found.add(violationAt("watches", record,
        `client ${done.client} read a changed ${path} (op ${done.op}) before the ${kind} ` +
        `watch set by op ${armed.op} fired`));
      (kind === "data" ? w.data : w.child).delete(path);
    }
  }
  const leaves = registration(request, done);
  if (leaves !== undefined) {
    (leaves.kind === "data" ? w.data : w.child).set(path, { op: done.op, seen: leaves.seen });
  }
}

function onNotify(found: ViolationList<Violation>, record: ObservationRecord, w: ClientWatches,
  o: Extract<Observation, { kind: "notify" }>): void {
  const fires: Array<"data" | "child"> = o.type === "NodeChildrenChanged" ? ["child"]
    : o.type === "NodeDeleted" ? ["data", "child"] : ["data"];
  let consumed = false;
  for (const kind of fires) consumed = (kind === "data" ? w.data : w.child).delete(o.path) ||
    consumed;
  if (!consumed && !persistentCovers(w, o.path)) {
    found.add(violationAt("watches", record,
      `client ${o.client} got ${o.type} ${o.path} from node ${o.node} with no watch set ` +
      "(a second firing, or a watch never registered)"));
  }
}

/** True when an addWatch registration of the client covers a notification about `path`. */
function persistentCovers(w: ClientWatches, path: string): boolean {
  if (w.persistent.has(path)) return true;
  for (const [watched, mode] of w.persistent) {
    if (mode !== "PERSISTENT_RECURSIVE") continue;
    if (watched === "/" || path.startsWith(`${watched}/`)) return true;
  }
  return false;
}

/** A node applied a closeSession and kept some of the session's ephemerals. */
export function checkEphemerals(records: readonly ObservationRecord[]): Violation[] {
  const found = new ViolationList<Violation>();
  for (const record of records) {
    const o = record.observation;
    if (o.kind !== "session-closed" || o.ephemerals === 0) continue;
    found.add(violationAt("ephemerals", record,
      `node ${o.node} applied closeSession 0x${o.zxid.toString(16)} of session ` +
      `0x${o.session.toString(16)} and still holds ${o.ephemerals} of its ephemerals`));
  }
  return found.items;
}

/** Answers that may come from no server at all (the client's own verdict on a lost request). */
const LOST = new Set(["CONNECTIONLOSS", "SESSIONEXPIRED", "AUTHFAILED"]);

/**
 * Clock slack for expiry: timeouts run on the leader's clock, whose rate may differ from true
 * time by the world's drift (at most a few hundred ppm); 1% and a millisecond cover it.
 */
function slackMicros(timeoutMicros: number): number {
  return Math.floor(timeoutMicros / 100) + 1000;
}

/** Expiries that came too early after an establishment or a direct request to the leader. */
export function checkExpiry(records: readonly ObservationRecord[]): Violation[] {
  const found = new ViolationList<Violation>();
  const timeouts = new Map<number, number>();
  const established = new Map<string, number>();
  const lastAtLeader = new Map<string, number>();
  const sessionOf = new Map<number, number>();
  const invoked = new Map<string, { node: number; timeMicros: number }>();
  for (const record of records) {
    const o = record.observation;
    if (o.kind === "session" && o.event === "connected") {
      timeouts.set(o.session, o.timeoutMs * 1000);
      sessionOf.set(o.client, o.session);
    } else if (o.kind === "established") {
      established.set(`${o.node}:${o.epoch}`, record.timeMicros);
    } else if (o.kind === "invoke") {
      invoked.set(`${o.client}:${o.op}`, { node: o.node, timeMicros: record.timeMicros });
    } else if (o.kind === "complete") {
      // A request the server answered reached it (after it was sent): contact at the latest
      // from the send time on. A lost one may never have arrived.
      const sent = invoked.get(`${o.client}:${o.op}`);
      const session = sessionOf.get(o.client);
      if (sent !== undefined && session !== undefined && !LOST.has(o.err)) {
        lastAtLeader.set(`${sent.node}:${session}`, sent.timeMicros);
      }
    } else if (o.kind === "expire") {
      const timeout = timeouts.get(o.session);
      if (timeout === undefined) continue;
      const since = established.get(`${o.node}:${o.epoch}`);
      const contact = lastAtLeader.get(`${o.node}:${o.session}`);
      const from = Math.max(since ?? 0, contact ?? 0);
      if (record.timeMicros - from + slackMicros(timeout) < timeout) {
        const what = contact !== undefined && contact >= (since ?? 0)
          ? "a request to it" : "it was established";
        found.add(violationAt("expiry", record,
          `leader ${o.node} expired session 0x${o.session.toString(16)} ` +
          `${((record.timeMicros - from) / 1000).toFixed(1)} ms after ${what}, ` +
          `within its ${timeout / 1000} ms timeout`));
      }
    }
  }
  return found.items;
}
