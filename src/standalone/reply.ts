/**
 * What a client reads back for one request: FinalRequestProcessor's reply header (err, zxid)
 * and, only when err is OK, the response record. A multi is the exception: its header err is
 * always 0 and every op's outcome travels in the MultiResponse, failed or not.
 */
import type { ErrorCode, ProcessTxnResult, ReadResult, Stat, SubTxnResult } from "../tree/index.js";

/** One request's answer as the client sees it. */
export interface Reply {
  /** The request's outcome; for a multi, the first failing op's code (as the Java client). */
  readonly err: ErrorCode;
  /** The reply header's zxid; undefined when the connection dropped instead. */
  readonly zxid: number | undefined;
  /** The connection dropped and the client reconnected with the same session. */
  readonly reconnected: boolean;
  /** create: the path created (with its sequential suffix). */
  readonly path?: string;
  /** create2/createTTL/createContainer, setData, exists, getData, getChildren2. */
  readonly stat?: Stat;
  /** getData: the node's bytes; null for a null buffer. */
  readonly data?: Uint8Array | null;
  /** getChildren2: the children, sorted by UTF-16 code units. */
  readonly children?: readonly string[];
  /** multi: one result per op (OpResult), also when the multi failed. */
  readonly results?: readonly SubTxnResult[];
}

/** The CONNECTIONLOSS the client reports for a request whose connection dropped. */
export const CONNECTION_LOSS_REPLY: Reply = {
  err: "CONNECTIONLOSS", zxid: undefined, reconnected: true,
};

const CREATE_TYPES: ReadonlySet<string> = new Set([
  "create", "create2", "createTTL", "createContainer",
]);

/** A write's reply from its applied txn. */
export function writeReply(result: ProcessTxnResult, zxid: number): Reply {
  if (result.type === "multi") {
    return { err: result.err, zxid, reconnected: false, results: result.multiResult ?? [] };
  }
  if (result.err !== "OK") return { err: result.err, zxid, reconnected: false };
  const reply: { -readonly [K in keyof Reply]: Reply[K] } = { err: "OK", zxid, reconnected: false };
  // Create2Response carries the path; delete and setData replies never do.
  if (CREATE_TYPES.has(result.type) && result.path !== undefined) reply.path = result.path;
  if (result.stat !== undefined) reply.stat = result.stat;
  return reply;
}

/** A read's reply; a failed read carries no record. */
export function readReply(result: ReadResult, zxid: number): Reply {
  if (result.err !== "OK") return { err: result.err, zxid, reconnected: false };
  const reply: { -readonly [K in keyof Reply]: Reply[K] } = { err: "OK", zxid, reconnected: false };
  if (result.stat !== undefined) reply.stat = result.stat;
  if (result.data !== undefined) reply.data = result.data;
  if (result.children !== undefined) reply.children = result.children;
  return reply;
}
