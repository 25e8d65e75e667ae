/**
 * Prep: a write request becomes a txn (PrepRequestProcessor.pRequest / pRequestHelper). This runs
 * only on the leader (or a standalone server). Every write consumes the zxid it is given: a
 * failed check turns the txn into an error txn with the same header, and a multi is one txn with
 * one zxid whatever happens to its ops. Checks read the committed tree plus the outstanding
 * changes, so request n+1 may be prepped before txn n is applied.
 */
import { assert, assertNever } from "../util/index.js";
import { KeeperFailure } from "./errors.js";
import type { ErrorCode } from "./errors.js";
import { prepCreate } from "./prep-create.js";
import type { PrepContext } from "./prep-context.js";
import { prepCheck, prepCloseSession, prepCreateSession, prepDelete } from "./prep-ops.js";
import { prepDeleteContainer, prepSetACL, prepSetData } from "./prep-ops.js";
import type { MultiOp, MultiRequest, RequestMeta, WriteRequest } from "./request.js";
import type { MultiTxn, SubTxn, Txn, TxnBody } from "./txn.js";

/** One op, as pRequest2Txn does it; throws KeeperFailure on the first failing check. */
function prepOne(ctx: PrepContext, meta: RequestMeta, request: Exclude<WriteRequest, MultiRequest>,
  zxid: number, timeMs: number): TxnBody {
  switch (request.type) {
    case "create":
    case "create2":
    case "createContainer":
    case "createTTL":
      return prepCreate(ctx, meta, request, zxid, timeMs);
    case "delete":
      return prepDelete(ctx, meta, request, zxid);
    case "deleteContainer":
      return prepDeleteContainer(ctx, request, zxid);
    case "setData":
      return prepSetData(ctx, meta, request, zxid, timeMs);
    case "setACL":
      return prepSetACL(ctx, meta, request, zxid);
    case "check":
      return prepCheck(ctx, meta, request);
    case "createSession":
      return prepCreateSession(ctx, meta, request.timeoutMs, timeMs);
    case "closeSession":
      return prepCloseSession(ctx, meta, zxid);
    default:
      return assertNever(request, "write request");
  }
}

/**
 * pRequestHelper's multi case: ops are prepped in order against the pending view; the first
 * failure becomes an ErrorTxn with its code, every later op an ErrorTxn(RUNTIMEINCONSISTENCY)
 * without being looked at, and the change records of the earlier ops are rolled back.
 */
function prepMulti(ctx: PrepContext, meta: RequestMeta, request: MultiRequest, zxid: number,
  timeMs: number): MultiTxn {
  const pending = ctx.changes.snapshotFor(request.ops.map((op: MultiOp) => op.path));
  const txns: SubTxn[] = [];
  let failed: ErrorCode | undefined;
  for (const op of request.ops) {
    if (failed !== undefined) {
      txns.push({ type: "error", err: "RUNTIMEINCONSISTENCY" });
      continue;
    }
    try {
      const body = prepOne(ctx, meta, op, zxid, timeMs);
      assert(body.type !== "multi" && body.type !== "closeSession", "bad multi sub-txn");
      assert(body.type !== "createSession" && body.type !== "setACL", "bad multi sub-txn");
      txns.push(body);
    } catch (error) {
      if (!(error instanceof KeeperFailure)) throw error;
      failed = error.code;
      txns.push({ type: "error", err: error.code });
      ctx.changes.rollback(zxid, pending);
    }
  }
  return { type: "multi", txns };
}

/**
 * Turns a write request into its txn, stamped with `zxid` and the leader's clock `timeMs`.
 * Never throws for a bad request: a failed check gives { type: "error", err } with the header
 * type "error" (a multi keeps type "multi" and carries its errors per op).
 */
export function prepRequest(ctx: PrepContext, meta: RequestMeta, request: WriteRequest,
  zxid: number, timeMs: number): Txn {
  assert(Number.isSafeInteger(zxid) && zxid > 0, "bad zxid", { zxid });
  assert(Number.isSafeInteger(timeMs), "bad time", { timeMs });
  let body: TxnBody;
  try {
    body = request.type === "multi"
      ? prepMulti(ctx, meta, request, zxid, timeMs)
      : prepOne(ctx, meta, request, zxid, timeMs);
  } catch (error) {
    if (!(error instanceof KeeperFailure)) throw error;
    body = { type: "error", err: error.code };
  }
  const header = { sessionId: meta.sessionId, cxid: meta.cxid, zxid, timeMs, type: body.type };
  return { header, body };
}

/** The header meta of a server-issued deleteContainer (ContainerManager: session 0, cxid 0). */
export const SERVER_REQUEST_META: RequestMeta = { sessionId: 0, cxid: 0, authInfo: [] };
