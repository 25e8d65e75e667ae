/**
 * The replicated state machine as the replica sees it. PLACEHOLDER until src/tree publishes its
 * API: a tiny key-value map with ZooKeeper-shaped results, so election, discovery, sync and
 * broadcast can be built and tested first.
 */
import { assert } from "../util/index.js";
import type { ClientId, ServerId, Zxid } from "./ids.js";

/** A client request (placeholder shape). */
export type Request =
  | { readonly op: "set"; readonly key: string; readonly value: string }
  | { readonly op: "get"; readonly key: string }
  | { readonly op: "sync" };

/** A transaction (placeholder shape): what the leader turned a write into. */
export type Txn = { readonly op: "set"; readonly key: string; readonly value: string };

/** Who asked for a transaction, so the server holding the client connection can answer. */
export interface Origin {
  readonly server: ServerId;
  readonly client: ClientId;
  readonly requestId: number;
}

/** A transaction with its zxid, as logged and as carried in PROPOSAL / INFORM. */
export interface LogEntry {
  readonly zxid: Zxid;
  readonly txn: Txn;
  readonly origin: Origin | undefined;
}

/** A serialized tree at a zxid. */
export interface Snapshot {
  readonly zxid: Zxid;
  readonly data: string;
}

/** The answer to a client. `err` is "OK" or a ZooKeeper error code name. */
export interface ClientResult {
  readonly err: string;
  /** For a write, its txn's zxid; for a read, the replica's last processed zxid. */
  readonly zxid: number;
  readonly value?: unknown;
}

/** True when the request must go through the leader and Zab. */
export function isWrite(request: Request): boolean {
  return request.op === "set";
}

/** True for sync(). */
export function isSync(request: Request): boolean {
  return request.op === "sync";
}

/** A short content fingerprint of a txn for the trace. */
export function fingerprint(txn: Txn): string {
  return `${txn.op}:${txn.key}=${txn.value}`;
}

/** The tree wrapper: apply, read, digest, snapshot. */
export class StateMachine {
  private data = new Map<string, string>();
  lastProcessedZxid: Zxid = 0 as Zxid;

  /** Prep (leader side): turn a write into a txn. */
  prep(request: Request, _zxid: Zxid, _timeMs: number): Txn {
    assert(request.op === "set", "prep takes writes only");
    return { op: "set", key: request.key, value: request.value };
  }

  /** Apply a committed txn in zxid order; returns the client's answer. */
  apply(entry: LogEntry): ClientResult {
    assert(entry.zxid > this.lastProcessedZxid, "apply out of order");
    this.data.set(entry.txn.key, entry.txn.value);
    this.lastProcessedZxid = entry.zxid;
    return { err: "OK", zxid: entry.zxid };
  }

  /** Serve a read locally. */
  read(request: Request): ClientResult {
    assert(request.op === "get", "read takes reads only");
    const value = this.data.get(request.key);
    if (value === undefined) return { err: "NONODE", zxid: this.lastProcessedZxid };
    return { err: "OK", zxid: this.lastProcessedZxid, value };
  }

  digest(): string {
    const keys = [...this.data.keys()].sort();
    let text = "";
    for (const key of keys) text += `${key}=${this.data.get(key) ?? ""};`;
    return text;
  }

  snapshot(): Snapshot {
    const keys = [...this.data.keys()].sort();
    return { zxid: this.lastProcessedZxid, data: JSON.stringify(keys.map((k) => [k, this.data.get(k)])) };
  }

  static restore(snapshot: Snapshot): StateMachine {
    const machine = new StateMachine();
    const pairs = JSON.parse(snapshot.data) as [string, string][];
    for (const [key, value] of pairs) machine.data.set(key, value);
    machine.lastProcessedZxid = snapshot.zxid;
    return machine;
  }
}

/** The empty tree's snapshot at zxid 0. */
export function emptySnapshot(): Snapshot {
  return new StateMachine().snapshot();
}
