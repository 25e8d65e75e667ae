/**
 * How an observation enters the trace hash: its fields folded one by one (numbers straight in,
 * no string building), so the hash stays cheap enough to be always on. The world hands its
 * running hash over as a HashFold; this file names no world type, so observe stays neutral.
 */
import { assertNever } from "../util/assert.js";
import type { Request, Stat } from "../tree/index.js";
import type { KeyObservation } from "./key-observation.js";
import type { Observation } from "./observation.js";

/** The folding operations of the world's running trace hash (src/sim/trace-hash.ts). */
export interface HashFold {
  /** Folds a 32-bit unsigned integer. */
  word(value: number): void;
  /** Folds any finite number (integers up to 2^53 and floats). */
  number(value: number): void;
  /** Folds a string, its length included. */
  string(text: string): void;
}

/** Folds `o` into `hasher`: its kind, then its fields in a fixed order. */
export function hashObservation(hasher: HashFold, o: Observation): void {
  hasher.string(o.kind);
  switch (o.kind) {
    case "state":
      hasher.word(o.node);
      hasher.string(o.state);
      hasher.number(o.epoch);
      return;
    case "established":
      hasher.word(o.node);
      hasher.number(o.epoch);
      hasher.number(o.lastZxid);
      return;
    case "propose":
      hasher.word(o.node);
      hasher.number(o.epoch);
      hasher.number(o.zxid);
      hasher.string(o.txn);
      return;
    case "deliver":
      hashDeliver(hasher, o);
      return;
    case "restore":
      hasher.word(o.node);
      hasher.string(o.cause);
      hasher.number(o.zxid);
      hasher.string(o.digest);
      return;
    case "truncate":
      hasher.word(o.node);
      hasher.number(o.zxid);
      return;
    case "invoke":
      hashInvoke(hasher, o);
      return;
    case "complete":
      hashComplete(hasher, o);
      return;
    case "expire":
      hasher.word(o.node);
      hasher.number(o.session);
      hasher.number(o.epoch);
      return;
    case "session-closed":
      hashSessionClosed(hasher, o);
      return;
    case "session":
      hasher.word(o.client);
      hasher.word(o.node);
      hasher.number(o.session);
      hasher.string(o.event);
      hasher.number(o.timeoutMs);
      return;
    case "notify":
      hasher.word(o.client);
      hasher.word(o.node);
      hasher.number(o.session);
      hasher.string(o.type);
      hasher.string(o.path);
      hasher.number(o.zxid);
      return;
    case "recipe":
      hasher.word(o.node);
      hasher.number(o.session);
      hashFields(hasher, o.event);
      return;
    default:
      hashKeyObservation(hasher, o); // the rest: the --encrypt run's (exhaustive in there)
  }
}

/**
 * A recipe event's fields in their insertion order (each recipe builds its events in one
 * place, so the order is fixed): rare enough that a generic walk costs nothing, and a new
 * recipe's events fold without a case here.
 */
function hashFields(hasher: HashFold, value: unknown): void {
  if (typeof value === "number") hasher.number(value);
  else if (typeof value === "string") hasher.string(value);
  else if (typeof value === "boolean") hasher.word(value ? 1 : 0);
  else if (Array.isArray(value)) {
    hasher.word(value.length);
    for (const item of value) hashFields(hasher, item);
  } else if (typeof value === "object" && value !== null) {
    for (const [key, field] of Object.entries(value)) {
      hasher.string(key);
      hashFields(hasher, field);
    }
  } else {
    hasher.word(0xfffffffd);
  }
}

function hashSessionClosed(
  hasher: HashFold, o: Extract<Observation, { kind: "session-closed" }>,
): void {
  hasher.word(o.node);
  hasher.number(o.session);
  hasher.number(o.zxid);
  hasher.number(o.ephemerals);
}

function hashDeliver(hasher: HashFold, o: Extract<Observation, { kind: "deliver" }>): void {
  hasher.word(o.node);
  hasher.number(o.zxid);
  hasher.string(o.txn);
  hasher.string(o.digest);
}

function hashInvoke(hasher: HashFold, o: Extract<Observation, { kind: "invoke" }>): void {
  hasher.word(o.client);
  hasher.number(o.op);
  hasher.word(o.node);
  hashRequest(hasher, o.request);
}

function hashComplete(hasher: HashFold, o: Extract<Observation, { kind: "complete" }>): void {
  hasher.word(o.client);
  hasher.number(o.op);
  hasher.string(o.err);
  hasher.number(o.zxid);
  hasher.string(o.txn ?? "\u0000null");
  hashBytes(hasher, o.read?.data);
  hashStat(hasher, o.read?.stat);
  hashStat(hasher, o.write?.stat);
  hasher.string(o.write?.path ?? "");
}

/**
 * A request's type, path, data and version: every field the workload's requests have. Other
 * requests fold their JSON text (rare; the data bytes of a multi's ops then count as objects).
 */
function hashRequest(hasher: HashFold, request: Request): void {
  hasher.string(request.type);
  switch (request.type) {
    case "create":
      hasher.string(request.path);
      hashBytes(hasher, request.data);
      hasher.word(request.flags);
      return;
    case "setData":
      hasher.string(request.path);
      hashBytes(hasher, request.data);
      hasher.number(request.version);
      return;
    case "delete":
      hasher.string(request.path);
      hasher.number(request.version);
      return;
    case "getData":
    case "exists":
      hasher.string(request.path);
      return;
    default:
      hasher.string(JSON.stringify(request));
  }
}

/** Bytes four to a word, then the length; null and absent fold apart from every array. */
function hashBytes(hasher: HashFold, data: Uint8Array | null | undefined): void {
  if (data === undefined || data === null) {
    hasher.word(data === null ? 0xfffffffe : 0xffffffff);
    return;
  }
  let i = 0;
  for (; i + 3 < data.length; i += 4) {
    hasher.word(((data[i] ?? 0) | ((data[i + 1] ?? 0) << 8) | ((data[i + 2] ?? 0) << 16) |
      ((data[i + 3] ?? 0) << 24)) >>> 0);
  }
  for (; i < data.length; i++) hasher.word(data[i] ?? 0);
  hasher.word(data.length);
}

/**
 * A stat's modifying zxid and data version: with the data, what tells one value of a node from
 * another. The other fields follow from the trace before it, so folding them would only slow the
 * hash (it runs on every client answer).
 */
function hashStat(hasher: HashFold, stat: Stat | undefined): void {
  if (stat === undefined) {
    hasher.word(0xffffffff);
    return;
  }
  hasher.number(stat.mzxid);
  hasher.number(stat.version);
}

/** A key-service observation's fields; the disks fold as their digest, a chain as its bytes. */
function hashKeyObservation(hasher: HashFold, o: KeyObservation): void {
  switch (o.kind) {
    case "key-invoke":
      hasher.word(o.client);
      hasher.number(o.id);
      hasher.string(o.action);
      hasher.string(o.actor);
      hasher.string(o.key);
      hasher.number(o.version ?? -1);
      hasher.string(o.path ?? "\u0000null");
      hasher.string(o.subject ?? "\u0000null");
      return;
    case "key-complete":
      hasher.word(o.client);
      hasher.number(o.id);
      hasher.string(o.outcome);
      hasher.number(o.version ?? -1);
      hasher.string(o.plaintext ?? "\u0000null");
      hasher.string(o.sealed === null ? "\u0000null" : o.sealed.ciphertext);
      hasher.string(o.readers?.join(",") ?? "\u0000null");
      return;
    case "at-rest":
      hasher.string(o.disks.digest);
      return;
    case "audit-chain":
      hasher.word(o.client);
      for (const record of o.records) hashBytes(hasher, record);
      hashBytes(hasher, o.head);
      return;
    default:
      assertNever(o, "key observation");
  }
}
