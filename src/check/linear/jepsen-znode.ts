/**
 * Jepsen-style histories of znode operations for the znode model (docs/linearizability.md has
 * the shape with examples). Values are vectors led by the path:
 *   :create ["/a" "data"]            :delete ["/a" version]      (version -1 or absent: any)
 *   :set-data ["/a" "data" version]  completion may add the new version: ["/a" "data" v new]
 *   :get-data ["/a"]                 completion ["/a" "data" version] (version optional)
 *   :exists ["/a"]                   completion ["/a" version], or ["/a" nil] when absent
 * A :fail with a ZooKeeper :error (:no-node, :node-exists, :bad-version, :not-empty) is an answer
 * the model must explain; a :fail without one did not happen and is dropped. A :sync (as
 * `zabsim run --history` writes them) constrains nothing here and is skipped.
 */
import type { NamedPartition } from "./check.js";
import { datumText, JepsenHistoryError } from "./jepsen.js";
import type { Datum, JepsenEvent, JepsenPair } from "./jepsen.js";
import type { Operation } from "./model.js";
import type { ZnodeError, ZnodeInput, ZnodeOutput } from "./models/znode.js";

type ZnodeOp = Operation<ZnodeInput, ZnodeOutput>;

const ERRORS: Readonly<Record<string, ZnodeError>> = {
  "no-node": "NONODE", "node-exists": "NODEEXISTS", "bad-version": "BADVERSION",
  "not-empty": "NOTEMPTY",
};

function fields(event: JepsenEvent): readonly Datum[] {
  const value = event.value;
  if (!Array.isArray(value) || typeof value[0] !== "string" || !value[0].startsWith("/")) {
    throw new JepsenHistoryError(event.line,
      `a znode :value is a vector led by an absolute path, such as ["/a" "data"]`);
  }
  return value;
}

const dataOf = (datum: Datum | undefined): string =>
  typeof datum === "string" ? datum : datum === undefined ? "" : (datumText(datum) ?? "");

function versionOf(event: JepsenEvent, datum: Datum | undefined): number | null {
  if (datum === undefined || datum === null) return null;
  if (typeof datum !== "number" || !Number.isInteger(datum) || datum < -1) {
    throw new JepsenHistoryError(event.line, "a znode version is a whole number (or -1 for any)");
  }
  return datum;
}

function inputOf(event: JepsenEvent): ZnodeInput {
  const value = fields(event);
  const path = value[0] as string;
  switch (event.f.replace(/-/g, "").toLowerCase()) {
    case "create":
      return { f: "create", path, data: dataOf(value[1]) };
    case "delete":
      return { f: "delete", path, version: versionOf(event, value[1]) ?? -1 };
    case "setdata":
      return {
        f: "setData", path, data: dataOf(value[1]), version: versionOf(event, value[2]) ?? -1,
      };
    case "getdata":
      return { f: "getData", path };
    case "exists":
      return { f: "exists", path };
    default:
      throw new JepsenHistoryError(event.line, `the znode model has no :f :${event.f} ` +
        "(:create, :delete, :set-data, :get-data, :exists)");
  }
}

function okOutput(input: ZnodeInput, event: JepsenEvent): ZnodeOutput {
  const value = event.value;
  const seen = Array.isArray(value) ? value : [];
  switch (input.f) {
    case "create":
    case "delete":
      return { error: null, data: null, version: null };
    case "setData":
      return { error: null, data: null, version: versionOf(event, seen[3]) };
    case "getData":
      if (seen.length < 2) {
        throw new JepsenHistoryError(event.line, ":get-data completes with [path data version]");
      }
      return { error: null, data: dataOf(seen[1]), version: versionOf(event, seen[2]) };
    case "exists":
      if (seen.length >= 2 && seen[1] === null) return { error: "NONODE" };
      return { error: null, data: null, version: versionOf(event, seen[1]) };
  }
}

/** Undefined: unknown outcome; null: the operation did not happen. */
function outputOf(input: ZnodeInput, pair: JepsenPair): ZnodeOutput | undefined | null {
  const complete = pair.complete;
  if (complete === null || complete.type === "info") return undefined;
  if (complete.type === "ok") return okOutput(input, complete);
  const error = complete.error === null ? undefined : ERRORS[complete.error];
  return error === undefined ? null : { error };
}

/** The history's znode operations as one list (the model partitions it by path). */
export function znodePartitions(
  pairs: readonly JepsenPair[],
): NamedPartition<ZnodeInput, ZnodeOutput>[] {
  const ops: ZnodeOp[] = [];
  for (const pair of pairs) {
    if (pair.invoke.f === "sync") continue;
    const input = inputOf(pair.invoke);
    const output = outputOf(input, pair);
    if (output === null) continue;
    ops.push({
      process: pair.invoke.process ?? "nemesis", input, output,
      call: pair.call, ret: pair.ret, source: `line ${pair.invoke.line}`,
    });
  }
  return [{ name: null, ops }];
}
