/**
 * What a scenario step sends and how its answer prints, shared by the standalone runner
 * (script.ts) and the ensemble runner (ensemble-script.ts): the request ZooKeeper's Java client
 * would send for a step (its choice of opcode and record), and the step's result from a reply.
 */
import { assert, assertNever } from "../util/index.js";
import { CREATE_MODE_FLAGS, OPEN_ACL_UNSAFE } from "../tree/index.js";
import type { CreateRequest, CreateTTLRequest, MultiOp as TreeMultiOp } from "../tree/index.js";
import type { ClientRequest, Reply } from "../standalone/index.js";
import type { CreateSpec, MultiOp, StandaloneStep as Step, StepResult } from "../script/index.js";
import { dataBytes, renderData } from "../script/data.js";
import { renderMultiResult, renderStat } from "../script/render.js";
import type { OrdinalOf } from "../script/render.js";

function isTtlMode(spec: CreateSpec): boolean {
  return spec.mode === "PERSISTENT_WITH_TTL" || spec.mode === "PERSISTENT_SEQUENTIAL_WITH_TTL";
}

/**
 * The ttl a create sends, or undefined for a request without one: TTL modes always send one
 * (-1 when the step names none); other modes send createTTL only for ttl >= 0 (ZooKeeper.create
 * with CreateOptions); a negative ttl with another mode is dropped, as the Java client does.
 */
function ttlOnWire(spec: CreateSpec): number | undefined {
  if (isTtlMode(spec)) return spec.ttl ?? -1;
  return spec.ttl !== undefined && spec.ttl >= 0 ? spec.ttl : undefined;
}

/** The create request; `plain` is create2 for a step and create inside a multi (Op.create). */
function createRequest(spec: CreateSpec, plain: "create" | "create2")
  : CreateRequest | CreateTTLRequest {
  const base = { path: spec.path, data: dataBytes(spec.data), acl: OPEN_ACL_UNSAFE,
    flags: CREATE_MODE_FLAGS[spec.mode] };
  const ttl = ttlOnWire(spec);
  if (ttl !== undefined) return { type: "createTTL", ...base, ttl };
  if (spec.mode === "CONTAINER") return { type: "createContainer", ...base };
  return { type: plain, ...base };
}

function multiOp(op: MultiOp): TreeMultiOp {
  switch (op.op) {
    case "create":
      return createRequest(op, "create");
    case "delete":
      return { type: "delete", path: op.path, version: op.version };
    case "setData":
      return { type: "setData", path: op.path, data: dataBytes(op.data), version: op.version };
    case "check":
      return { type: "check", path: op.path, version: op.version };
    default:
      return assertNever(op, "multi op");
  }
}

/** A step that sends a request on a session. */
export type RequestStep = Exclude<Step, { op: "sleep" } | { op: "openSession" }>;

/** The request a session-bound step sends (ZooKeeper.java's choice of opcode and record). */
export function stepRequest(step: RequestStep): ClientRequest {
  switch (step.op) {
    case "create":
      return createRequest(step, "create2");
    case "delete":
      return { type: "delete", path: step.path, version: step.version };
    case "setData":
      return {
        type: "setData", path: step.path, data: dataBytes(step.data), version: step.version,
      };
    case "getData":
    case "exists":
      return { type: step.op, path: step.path, watch: step.watch };
    case "getChildren":
      return { type: "getChildren2", path: step.path, watch: step.watch };
    case "sync":
      return { type: "sync", path: step.path };
    case "multi":
      return { type: "multi", ops: step.ops.map(multiOp) };
    case "closeSession":
      return { type: "closeSession" };
    default:
      return assertNever(step, "step");
  }
}

/** The step's result fields from its reply (only the keys that apply to the op). */
export function replyResult(step: RequestStep, reply: Reply, ordinalOf: OrdinalOf): StepResult {
  if (reply.err === "CONNECTIONLOSS") return { err: reply.err, reconnected: reply.reconnected };
  if (step.op === "multi") {
    const results = (reply.results ?? []).map((sub) => renderMultiResult(sub, ordinalOf));
    return { err: reply.err, results };
  }
  if (reply.err !== "OK") return { err: reply.err };
  const stat = reply.stat === undefined ? undefined : renderStat(reply.stat, ordinalOf);
  switch (step.op) {
    case "create":
      assert(reply.path !== undefined && stat !== undefined, "create2 answers path and stat");
      return { err: "OK", path: reply.path, stat };
    case "setData":
    case "exists":
      assert(stat !== undefined, `${step.op} answers a stat`);
      return { err: "OK", stat };
    case "getData":
      assert(stat !== undefined && reply.data !== undefined, "getData answers data and stat");
      return { err: "OK", data: renderData(reply.data), stat };
    case "getChildren":
      assert(stat !== undefined && reply.children !== undefined, "getChildren2 answers both");
      return { err: "OK", children: [...reply.children], stat };
    case "delete":
    case "sync":
    case "closeSession":
      return { err: "OK" };
    default:
      return assertNever(step, "step");
  }
}

