/**
 * Reads one step (or one multi op) of a scenario from JSON, checking every field the spec names
 * for that op. Fields the spec does not name are ignored, as are named fields that do not apply
 * to the op. Paths, data, versions and ttls are not judged here beyond their JSON type and the
 * ranges the wire format can carry: the server answers whatever ZooKeeper's server answers.
 */
import { assertNever } from "../util/index.js";
import {
  FieldError,
  hasField,
  isObject,
  jsonType,
  readArray,
  readInteger,
  readName,
  readOptionalBoolean,
  readOptionalInteger,
  readString,
  type JsonObject,
} from "./fields.js";
import {
  CREATE_MODES,
  ENSEMBLE_OPS,
  STEP_OPS,
  type CreateSpec,
  type DataSpec,
  type MultiOp,
  type Step,
} from "./format.js";

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;
/** A Java byte array holds at most 2^31-1 bytes. */
const FILL_LENGTH_MAX = INT32_MAX;
/** Sleeps are bounded so that simulated microseconds stay exact integers. */
export const SLEEP_MS_MAX = INT32_MAX;

const MULTI_OPS = ["create", "delete", "setData", "check"] as const;

/** The `data` field: absent or null (no data), a string, or {fill, length}. */
function readData(object: JsonObject): DataSpec {
  if (!hasField(object, "data")) return null;
  const value = object["data"];
  if (value === null || typeof value === "string") return value;
  if (!isObject(value)) {
    const got = jsonType(value);
    throw new FieldError(`field "data" must be a string, null or {fill, length}, got ${got}`);
  }
  const fill = readString(value, "fill");
  if (fill.length !== 1 || fill.charCodeAt(0) > 0x7f) {
    throw new FieldError(`field "fill" must be one ASCII character, got ${JSON.stringify(fill)}`);
  }
  const length = readInteger(value, "length", 0, FILL_LENGTH_MAX);
  return { fill, length };
}

function readVersion(object: JsonObject): number {
  return readInteger(object, "version", INT32_MIN, INT32_MAX);
}

function readCreate(object: JsonObject): CreateSpec {
  return {
    op: "create",
    path: readString(object, "path"),
    data: readData(object),
    mode: readName(object, "mode", CREATE_MODES),
    ttl: readOptionalInteger(object, "ttl"),
  };
}

/** One op of a multi's `ops` array. */
export function readMultiOp(value: unknown): MultiOp {
  if (!isObject(value)) throw new FieldError(`must be an object, got ${jsonType(value)}`);
  const op = readName(value, "op", MULTI_OPS);
  switch (op) {
    case "create":
      return readCreate(value);
    case "delete":
      return { op, path: readString(value, "path"), version: readVersion(value) };
    case "setData":
      return {
        op, path: readString(value, "path"), data: readData(value), version: readVersion(value),
      };
    case "check":
      return { op, path: readString(value, "path"), version: readVersion(value) };
    default:
      return assertNever(op, "multi op");
  }
}

function readMultiOps(object: JsonObject): MultiOp[] {
  const ops = readArray(object, "ops");
  return ops.map((value, index) => {
    try {
      return readMultiOp(value);
    } catch (error) {
      if (error instanceof FieldError) throw new FieldError(`ops[${index}]: ${error.message}`);
      throw error;
    }
  });
}

/**
 * A server id field (`server`): 1..servers. The message names the range, since a wrong id is
 * the likeliest mistake in an ensemble file.
 */
export function readServerId(object: JsonObject, servers: number): number {
  const value = object["server"];
  if (!hasField(object, "server")) throw new FieldError(`missing required field "server"`);
  if (typeof value !== "number" || !Number.isInteger(value)) {
    throw new FieldError(`field "server" must be an integer, got ${jsonType(value)}`);
  }
  if (value < 1 || value > servers) {
    throw new FieldError(`server ${value} is outside the ensemble's servers (1..${servers})`);
  }
  return value;
}

/**
 * The fields of a step once its op and slot are known. `s` has been read and checked by the
 * caller (it owns the slot liveness rules); `servers` is the ensemble's size, or undefined for
 * a standalone file (whose openSession has no server, and which has no ensemble ops).
 */
export function readStepFields(object: JsonObject, s: number, servers?: number): Step {
  const op = readStepOp(object, servers);
  switch (op) {
    case "create":
      return { ...readCreate(object), s };
    case "delete":
      return { op, s, path: readString(object, "path"), version: readVersion(object) };
    case "setData":
      return {
        op,
        s,
        path: readString(object, "path"),
        data: readData(object),
        version: readVersion(object),
      };
    case "getData":
    case "exists":
    case "getChildren":
      return {
        op, s, path: readString(object, "path"), watch: readOptionalBoolean(object, "watch", false),
      };
    case "sync":
      return { op, s, path: readString(object, "path") };
    case "multi":
      return { op, s, ops: readMultiOps(object) };
    case "closeSession":
      return { op, s };
    case "openSession":
      return { op, s, server: servers === undefined ? undefined : readServerId(object, servers) };
    case "start":
    case "stop":
      return { op, server: readServerId(object, servers ?? 0) };
    case "stable":
      return { op };
    case "move":
      return { op, s, server: readServerId(object, servers ?? 0) };
    case "sleep":
      return { op, ms: readInteger(object, "ms", 0, SLEEP_MS_MAX) };
    default:
      return assertNever(op, "step op");
  }
}

const ALL_OPS: readonly Step["op"][] = [...STEP_OPS, ...ENSEMBLE_OPS];

/**
 * The op name of a step object, checked; used before the slot is read. A file without
 * `servers` knows only the standalone ops, so `start` there is an unknown op as it always was.
 */
export function readStepOp(object: JsonObject, servers?: number): Step["op"] {
  return readName(object, "op", servers === undefined ? STEP_OPS : ALL_OPS);
}
