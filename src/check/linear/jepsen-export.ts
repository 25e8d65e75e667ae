/**
 * A run's client operations as a Jepsen history, in the znode EDN shape of
 * docs/linearizability.md, so that Knossos, Elle, Porcupine or `zabsim check --model znode` can
 * check zabsim's runs. Times are nanoseconds (Jepsen's :time). An operation whose outcome is
 * unknown completes as :info when the client gave up (or at the end of the history), and the
 * client then goes on as a new process, client + 1000 per :info so far, as Jepsen renumbers a
 * crashed process; ZooKeeper errors are :fail with :error.
 * A sync is written as `:f :sync` with `["/path"]` (the znode reader skips it).
 */
import type { JepsenEvent } from "./jepsen.js";
import type { ClientOp } from "./zookeeper.js";

const ERROR_NAMES: Readonly<Record<string, string>> = {
  NONODE: "no-node", NODEEXISTS: "node-exists", BADVERSION: "bad-version", NOTEMPTY: "not-empty",
};

/** A client that got an unknown outcome continues as process client + PROCESS_STRIDE * n. */
const PROCESS_STRIDE = 1000;

const F_NAMES: Readonly<Record<string, string>> = {
  create: "create", delete: "delete", setData: "set-data", getData: "get-data",
  exists: "exists", sync: "sync",
};

function invokeValue(input: ClientOp["input"]): JepsenEvent["value"] {
  switch (input.f) {
    case "create":
      return [input.path, input.data];
    case "delete":
      return [input.path, input.version];
    case "setData":
      return [input.path, input.data, input.version];
    default:
      return [input.path];
  }
}

function completeValue(op: ClientOp): JepsenEvent["value"] {
  const output = op.output;
  const input = op.input;
  if (output === undefined || output.error !== null) return invokeValue(input);
  switch (input.f) {
    case "setData":
      return [input.path, input.data, input.version, output.version];
    case "getData":
      return [input.path, output.data, output.version];
    case "exists":
      return [input.path, output.version];
    default:
      return invokeValue(input);
  }
}

/** The history's entries in time order (invocations before completions at equal times). */
export function jepsenEventsOf(ops: readonly ClientOp[]): JepsenEvent[] {
  const end = ops.reduce((max, op) => Math.max(max, op.callMicros, op.retMicros), 0) + 1;
  const rows: { at: number; rank: number; event: JepsenEvent }[] = [];
  const crashes = new Map<number, number>();
  ops.forEach((op, index) => {
    const f = F_NAMES[op.input.f] ?? op.input.f;
    const crashed = crashes.get(op.client) ?? 0;
    const base = { line: 0, process: op.client + PROCESS_STRIDE * crashed, f, time: null,
      error: null };
    rows.push({ at: op.callMicros, rank: index, event: {
      ...base, type: "invoke", value: invokeValue(op.input), time: op.callMicros * 1000 } });
    const output = op.output;
    const missing = op.input.f === "exists" && output?.error === "NONODE";
    const type = output === undefined ? "info" : output.error !== null && !missing ? "fail" : "ok";
    const at = output === undefined && op.retEvent === -1 ? end : op.retMicros;
    if (output === undefined) crashes.set(op.client, crashed + 1);
    const value = missing ? [op.input.path, null] : completeValue(op);
    const code = output === undefined ? null : output.error;
    const error = type === "fail" && code !== null ? ERROR_NAMES[code] ?? null : null;
    rows.push({ at, rank: ops.length + index, event: {
      ...base, type, value, time: at * 1000, error } });
  });
  rows.sort((a, b) => a.at - b.at || a.rank - b.rank);
  return rows.map((row) => row.event);
}
