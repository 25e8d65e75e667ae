/**
 * Jepsen register and cas-register histories as register operations (knossos.model's
 * Register and CASRegister: :read, :write, and :cas with [old new]). A history whose every
 * invocation value is a `[key value]` tuple (Jepsen's independent keys; for :cas,
 * `[key [old new]]`) is split into one partition per key.
 */
import type { NamedPartition } from "./check.js";
import { datumText, JepsenHistoryError } from "./jepsen.js";
import type { Datum, JepsenPair } from "./jepsen.js";
import type { Operation } from "./model.js";
import type { RegisterInput, RegisterOutput } from "./models/register.js";

type RegisterOp = Operation<RegisterInput, RegisterOutput>;

const isTuple = (datum: Datum): datum is readonly Datum[] =>
  Array.isArray(datum) && datum.length === 2;

/** True when every invocation carries a [key value] tuple (and a cas, [key [old new]]). */
function isIndependent(pairs: readonly JepsenPair[]): boolean {
  if (pairs.length === 0) return false;
  return pairs.every(({ invoke }) => {
    const value = invoke.value;
    if (!isTuple(value)) return false;
    return invoke.f !== "cas" || isTuple(value[1] ?? null);
  });
}

function inputOf(pair: JepsenPair, value: Datum, cas: boolean): RegisterInput {
  const { f, line } = pair.invoke;
  if (f === "read") return { f: "read" };
  if (f === "write") return { f: "write", value: datumText(value) };
  if (f === "cas" && cas) {
    if (!isTuple(value)) {
      throw new JepsenHistoryError(line, ":cas takes [old new] as its :value");
    }
    return { f: "cas", from: datumText(value[0] ?? null), to: datumText(value[1] ?? null) };
  }
  const known = cas ? ":read, :write or :cas" : ":read or :write";
  throw new JepsenHistoryError(line, `the ${cas ? "cas-register" : "register"} model has ` +
    `no :f :${f} (${known})`);
}

function outputOf(pair: JepsenPair, independent: boolean): RegisterOutput | undefined {
  const complete = pair.complete;
  if (complete === null || complete.type === "info") return undefined;
  switch (pair.invoke.f) {
    case "read": {
      const value = complete.value;
      if (!independent) return { f: "read", value: datumText(value) };
      if (!isTuple(value)) {
        throw new JepsenHistoryError(complete.line, "an independent read's :value is [key value]");
      }
      return { f: "read", value: datumText(value[1] ?? null) };
    }
    case "write":
      return { f: "write" };
    default:
      return { f: "cas", ok: true };
  }
}

/** The history's register operations, one partition per independent key (or one in all). */
export function registerPartitions(
  pairs: readonly JepsenPair[], cas: boolean,
): NamedPartition<RegisterInput, RegisterOutput>[] {
  const independent = isIndependent(pairs);
  const byKey = new Map<string, RegisterOp[]>();
  for (const pair of pairs) {
    const invoked = pair.invoke.value;
    const [key, value] = independent && isTuple(invoked)
      ? [datumText(invoked[0] ?? null) ?? "nil", invoked[1] ?? null] : ["", invoked];
    const input = inputOf(pair, value, cas);
    if (pair.complete?.type === "fail") continue;
    const op: RegisterOp = {
      process: pair.invoke.process ?? "nemesis", input, output: outputOf(pair, independent),
      call: pair.call, ret: pair.ret, source: `line ${pair.invoke.line}`,
    };
    const ops = byKey.get(key);
    if (ops === undefined) byKey.set(key, [op]);
    else ops.push(op);
  }
  return [...byKey.entries()].map(([key, ops]) =>
    ({ name: independent ? `key ${key}` : null, ops }));
}
