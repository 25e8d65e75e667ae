/**
 * ZooKeeper's own guarantee, checked on a simulated run's client observations (ZooKeeper
 * Programmer's Guide, "Consistency Guarantees"; docs/linearizability.md):
 * - writes (create, setData, delete) are linearizable: each takes effect inside its interval;
 * - a read after a sync in the same session sees every write that committed before the sync
 *   reached the leader: it may take effect no earlier than the sync's invocation;
 * - a plain read is sequentially consistent: it may return an older state, but never one older
 *   than what its session already relied on (its previous write or sync, the bound of its
 *   previous read). Checking plain reads for full linearizability would report stale reads that
 *   ZooKeeper allows.
 * A sync answered while the server's leader had already been replaced (a newer epoch was
 * established before the sync completed) may be stale: ZooKeeper's leader answers a sync without
 * a quorum round (Leader.processSync), so a deposed leader that has not noticed still answers.
 * Such reads are checked as plain reads, and counted as `staleSyncReads` when they did miss a
 * write acknowledged before the sync was invoked.
 * Every operation becomes one znode-model operation whose interval encodes those windows.
 */
import type { Observation } from "../../observe/index.js";
import type { Request } from "../../tree/index.js";
import type { ObservationRecord, TracePoint } from "../types.js";
import { checkPartitions, DEFAULT_BUDGET } from "./check.js";
import type { Explanation } from "./explain.js";
import type { Operation } from "./model.js";
import { znodeModel } from "./models/znode.js";
import type { ZnodeError, ZnodeInput, ZnodeOutput } from "./models/znode.js";

type ClientObservation = Extract<Observation, { kind: "invoke" } | { kind: "complete" }>;
type ObservedComplete = Extract<ClientObservation, { kind: "complete" }>;

/** One client operation, paired: what the EDN export and the search both start from. */
export interface ClientOp {
  readonly client: number;
  readonly input: ZnodeInput | { readonly f: "sync"; readonly path: string };
  /** Undefined: unknown outcome (connection loss, timeout, never answered). */
  readonly output: ZnodeOutput | undefined;
  readonly callMicros: number;
  readonly retMicros: number;
  /** The trace event of the answer (ObservationRecord.index); -1 when none came. */
  readonly retEvent: number;
  /** The server the request went to, and its epoch when the answer left (sync only). */
  readonly node: number;
  readonly zxid: number;
  /** A sync answered while a newer epoch than its server's was established. */
  readonly deposed: boolean;
}

const ERRORS = new Set<string>(["NONODE", "NODEEXISTS", "BADVERSION", "NOTEMPTY"]);
const text = (data: Uint8Array | null | undefined): string =>
  data === null || data === undefined ? "" : new TextDecoder().decode(data);

/**
 * The operations the znode model knows. A create with flags (ephemeral, sequential) or any other
 * request is not modelled: it is left out.
 */
function inputOf(request: Request): ClientOp["input"] | null {
  switch (request.type) {
    case "create":
    case "create2":
      return request.flags === 0
        ? { f: "create", path: request.path, data: text(request.data) } : null;
    case "setData":
      return { f: "setData", path: request.path, data: text(request.data),
        version: request.version };
    case "delete":
      return { f: "delete", path: request.path, version: request.version };
    case "getData":
    case "exists":
      return { f: request.type, path: request.path };
    case "sync":
      return { f: "sync", path: request.path };
    default:
      return null;
  }
}

function outputOf(input: ClientOp["input"], fact: ObservedComplete):
ZnodeOutput | undefined {
  if (ERRORS.has(fact.err)) return { error: fact.err as ZnodeError };
  if (fact.err !== "OK") return undefined;
  const read = input.f === "getData" || input.f === "exists";
  if (read && fact.read === null) return undefined; // The values were not recorded.
  switch (input.f) {
    case "setData":
      return { error: null, data: null, version: fact.write?.stat?.version ?? null };
    case "getData":
      return {
        error: null, data: text(fact.read?.data), version: fact.read?.stat?.version ?? null,
      };
    case "exists": {
      const stat = fact.read?.stat;
      return stat === undefined ? { error: "NONODE" } : { error: null, data: null,
        version: stat.version };
    }
    default:
      return { error: null, data: null, version: null };
  }
}

/**
 * Tracks which epochs were established and each serving server's epoch, over the run. A `state`
 * fact carries the acceptedEpoch a server had when it started to follow or lead, before
 * discovery; the epoch it then serves is one a leader established, at or above that (a learner
 * takes no epoch below its acceptedEpoch). The smallest such epoch is never above the true one,
 * so a sync is never judged fresher than it was: at worst a fresh one is judged as deposed.
 */
export class Epochs {
  private readonly established: number[] = [];
  private highest = 0;
  private readonly accepted = new Map<number, number>();

  see(fact: Observation): void {
    if (fact.kind === "established") {
      this.established.push(fact.epoch);
      this.highest = Math.max(this.highest, fact.epoch);
    } else if (fact.kind === "state") {
      this.accepted.set(fact.node, fact.epoch);
    }
  }

  /** True when an epoch newer than the one `node` serves (as far as told) was established. */
  superseded(node: number): boolean {
    const accepted = this.accepted.get(node) ?? 0;
    let serving = Infinity;
    for (const epoch of this.established) {
      if (epoch >= accepted) serving = Math.min(serving, epoch);
    }
    // No established epoch at or above it (a hand-built history): judge by acceptedEpoch.
    return this.highest > (serving === Infinity ? accepted : serving);
  }
}

const WRITES = new Set<string>([
  "create", "create2", "createContainer", "createTTL", "delete", "setData", "multi",
  "deleteContainer",
]);

const parentOf = (path: string): string => path.slice(0, Math.max(1, path.lastIndexOf("/")));

/**
 * Paths that writes the model cannot follow may change: an ephemeral, sequential, container or
 * TTL create (and, later, the closeSession or reaper that deletes it) and every op of a multi.
 * Leaving such a write out while checking its path would judge the path's other operations
 * against a history that misses a write, so the path and its parent (whose children it
 * changes) are left out of the check altogether.
 */
function untrackedPaths(records: readonly ObservationRecord[]): Set<string> {
  const out = new Set<string>();
  const taint = (path: string) => {
    out.add(path);
    out.add(parentOf(path));
  };
  for (const { observation: fact } of records) {
    if (fact.kind !== "invoke" || !WRITES.has(fact.request.type)) continue;
    if (inputOf(fact.request) !== null) continue;
    const request = fact.request;
    if (request.type === "multi") request.ops.forEach((op) => taint(op.path));
    else if ("path" in request) taint(request.path);
  }
  return out;
}

/** Pairs invocations with their answers; an invocation never answered is an unknown outcome. */
export function clientOps(records: readonly ObservationRecord[]): ClientOp[] {
  const untracked = untrackedPaths(records);
  const tracked = (path: string) => !untracked.has(path) && !untracked.has(parentOf(path));
  const open = new Map<string, { at: number; call: number; node: number;
    input: ClientOp["input"] }>();
  const out: (ClientOp | null)[] = [];
  const epochs = new Epochs();
  let end = 0;
  for (const { index, timeMicros, observation: fact } of records) {
    end = Math.max(end, timeMicros);
    epochs.see(fact);
    if (fact.kind === "invoke") {
      const input = inputOf(fact.request);
      if (input === null || !tracked(input.path)) continue;
      open.set(`${fact.client}:${fact.op}`, { at: out.length, call: timeMicros, node: fact.node,
        input });
      out.push({ client: fact.client, input, output: undefined, callMicros: timeMicros,
        retMicros: 0, retEvent: -1, node: fact.node, zxid: 0, deposed: false });
    } else if (fact.kind === "complete") {
      const key = `${fact.client}:${fact.op}`;
      const pending = open.get(key);
      if (pending === undefined) continue;
      open.delete(key);
      out[pending.at] = {
        client: fact.client, input: pending.input, output: outputOf(pending.input, fact),
        callMicros: pending.call, retMicros: timeMicros, retEvent: index, node: pending.node,
        zxid: fact.zxid,
        deposed: pending.input.f === "sync" && epochs.superseded(pending.node),
      };
    }
  }
  return out.filter((op): op is ClientOp => op !== null);
}

type ZnodeOp = Operation<ZnodeInput, ZnodeOutput>;

/** The search's operations and the count of allowed stale sync reads. */
export interface GuaranteeHistory {
  readonly ops: readonly ZnodeOp[];
  readonly staleSyncReads: number;
}

const isWrite = (op: ClientOp) =>
  op.input.f === "create" || op.input.f === "setData" || op.input.f === "delete";

/** The highest zxid of a write acknowledged (any answer but an unknown one) before `micros`. */
function acknowledgedBefore(writes: readonly ClientOp[], micros: number): number {
  let zxid = 0;
  for (const op of writes) {
    if (op.retMicros < micros && op.output !== undefined) zxid = Math.max(zxid, op.zxid);
  }
  return zxid;
}

/**
 * Each operation's window: writes their own interval; a read from the bound its session has
 * earned (its last completed write's or fresh sync's invocation) to its answer. Reads after a
 * sync that a deposed leader answered keep the plain bound and count as stale sync reads when
 * they missed a write acknowledged before that sync.
 */
export function guaranteeHistory(ops: readonly ClientOp[]): GuaranteeHistory {
  const writes = ops.filter(isWrite);
  const bound = new Map<number, number>();
  const staleSync = new Map<number, number>();
  const out: ZnodeOp[] = [];
  let staleSyncReads = 0;
  for (const op of ops) {
    const lower = bound.get(op.client) ?? 0;
    const input = op.input;
    if (input.f === "sync") {
      if (op.output === undefined) continue;
      if (op.deposed) staleSync.set(op.client, acknowledgedBefore(writes, op.callMicros));
      else {
        staleSync.delete(op.client);
        bound.set(op.client, Math.max(lower, op.callMicros));
      }
      continue;
    }
    const read = input.f === "getData" || input.f === "exists";
    if (read) {
      const missed = staleSync.get(op.client);
      if (missed !== undefined && op.output !== undefined && op.zxid < missed) staleSyncReads += 1;
    } else if (op.output !== undefined) {
      bound.set(op.client, Math.max(lower, op.callMicros));
    }
    out.push({
      process: op.client, input, output: op.output, call: read ? lower : op.callMicros,
      ret: op.retMicros, source: `client ${op.client} at ${op.callMicros} us`,
    });
  }
  return { ops: out, staleSyncReads };
}

/** ZooKeeper's guarantee on one run. */
export interface GuaranteeResult {
  readonly linearizability: "valid" | "invalid" | "unknown";
  readonly explanation: Explanation | null;
  /** Stale reads after a sync a deposed leader answered: allowed, counted. */
  readonly staleSyncReads: number;
  /** Client operations (syncs included). */
  readonly ops: number;
  readonly steps: number;
  /** The answer that no order explains (the end of the shortest failing prefix). */
  readonly blockedAt: TracePoint | null;
}

/** Where the blocked operation's answer sits in the trace. */
function blockedPoint(
  ops: readonly ClientOp[], explanation: Explanation | null,
): TracePoint | null {
  const blocked = explanation?.ops[explanation.blocked];
  if (blocked === undefined || blocked.ret === null) return null;
  const op = ops.find((o) => o.client === blocked.process && o.retMicros === blocked.ret);
  return op === undefined ? null : { index: op.retEvent, timeMicros: op.retMicros };
}

/** Checks a run's client observations against ZooKeeper's guarantee (module comment). */
export function checkGuarantee(records: readonly ObservationRecord[], budget = DEFAULT_BUDGET):
GuaranteeResult {
  const ops = clientOps(records);
  const history = guaranteeHistory(ops);
  const model = znodeModel(history.ops.map((op) => op.input.path));
  const result = checkPartitions(model, [{ name: null, ops: history.ops }], budget);
  const linearizability = result.valid === true ? "valid"
    : result.valid === false ? "invalid" : "unknown";
  return {
    linearizability, explanation: result.explanation, staleSyncReads: history.staleSyncReads,
    ops: ops.length, steps: result.steps, blockedAt: blockedPoint(ops, result.explanation),
  };
}
