/**
 * How an observation enters the trace hash: its fields folded one by one (numbers straight in,
 * no string building), so the hash stays cheap enough to be always on. The world hands its
 * running hash over as a HashFold; this file names no world type, so observe stays neutral.
 */
import { assertNever } from "../util/assert.js";
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
    default:
      assertNever(o, "observation");
  }
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
  hasher.string(o.request);
}

function hashComplete(hasher: HashFold, o: Extract<Observation, { kind: "complete" }>): void {
  hasher.word(o.client);
  hasher.number(o.op);
  hasher.string(o.err);
  hasher.number(o.zxid);
  hasher.string(o.txn ?? "\u0000null");
}
