/**
 * Register histories made by construction, for the linearizability tests and bench: processes
 * issue operations with random overlaps; each operation takes effect at a random instant of its
 * interval, and its output comes from applying the operations to a sequential register in the
 * order of those instants, so the history is linearizable. Some operations crash (unknown
 * outcome, Jepsen's :info) and take effect, or not, at their instant. Written values are unique,
 * so a mutation can be chosen that no linearization survives (see `mutate`).
 */
import type {
  Operation, RegisterInput, RegisterOutput, RegisterValue,
} from "../../src/check/linear/index.js";
import { Prng } from "../../src/util/index.js";

export type RegisterOp = Operation<RegisterInput, RegisterOutput>;

export interface HistoryShape {
  readonly processes: number;
  readonly ops: number;
  /** Use cas as well as read and write. */
  readonly cas: boolean;
  /** Chance that an operation's outcome is unknown. */
  readonly crash: number;
}

interface Planned {
  readonly process: number;
  readonly input: RegisterInput;
  readonly call: number;
  readonly at: number;
  readonly ret: number;
  readonly crashed: boolean;
  readonly applied: boolean;
}

function planInput(prng: Prng, cas: boolean, serial: number, written: number): RegisterInput {
  const roll = prng.intBetween(0, cas ? 2 : 1);
  if (roll === 0) return { f: "read" };
  if (roll === 1) return { f: "write", value: String(serial) };
  const from = prng.chance(0.7) && written > 0 ? String(prng.intBetween(0, written - 1)) : null;
  return { f: "cas", from, to: String(serial) };
}

function plan(prng: Prng, shape: HistoryShape): Planned[] {
  const clocks = new Array<number>(shape.processes).fill(0);
  const planned: Planned[] = [];
  for (let serial = 0; serial < shape.ops; serial += 1) {
    const process = prng.intBetween(0, shape.processes - 1);
    // As Jepsen's stagger does, the think time grows with the processes, so the request rate
    // (and the concurrency: about 20 / (20 + 2P) of P processes busy) stays realistic.
    const call = (clocks[process] ?? 0) + prng.intBetween(0, 4 * shape.processes);
    const ret = call + prng.intBetween(0, 40);
    const at = prng.intBetween(call, ret);
    const crashed = prng.chance(shape.crash);
    clocks[process] = ret + 1;
    const input = planInput(prng, shape.cas, serial, serial);
    planned.push({ process, input, call, at, ret, crashed, applied: !crashed || prng.chance(0.5) });
  }
  return planned;
}

/** Applies the plan at its instants and records what each client saw. */
export function constructHistory(seed: number, shape: HistoryShape): RegisterOp[] {
  const prng = new Prng(seed, "history");
  const planned = plan(prng, shape);
  const order = planned.map((_, index) => index)
    .sort((a, b) => (planned[a]?.at ?? 0) - (planned[b]?.at ?? 0) || a - b);
  const outputs = new Array<RegisterOutput | undefined>(planned.length);
  let state: RegisterValue = null;
  for (const index of order) {
    const op = planned[index];
    if (op === undefined || !op.applied) continue;
    const input = op.input;
    if (input.f === "read") outputs[index] = { f: "read", value: state };
    else if (input.f === "write") {
      state = input.value;
      outputs[index] = { f: "write" };
    } else {
      const ok = input.from === state;
      if (ok) state = input.to;
      outputs[index] = { f: "cas", ok };
    }
  }
  return planned.map((op, index) => ({
    process: op.process, input: op.input, call: op.call, ret: op.ret,
    output: op.crashed ? undefined : outputs[index],
  }));
}

/** A mutation that no linearization survives, named as the tests report it. */
export type Mutation = "fresh-read" | "wrong-cas" | "stale-read";

const writes = (op: RegisterOp): RegisterValue | undefined =>
  op.input.f === "write" ? op.input.value : op.input.f === "cas" ? op.input.to : undefined;

/** A completed op that changed the register (a write, or a cas that succeeded). */
const changed = (op: RegisterOp): boolean =>
  op.output !== undefined &&
  (op.input.f === "write" || (op.output.f === "cas" && op.output.ok));

/**
 * The history with one mutation, or null when it has no place for it:
 * - fresh-read: a completed read returns a value never written;
 * - wrong-cas: a cas that succeeded claims a value the register never held;
 * - stale-read (a lost write): a read called after write w2 completed returns a value whose only
 *   writer completed before w2 was called.
 */
export function mutate(ops: readonly RegisterOp[], mutation: Mutation, pick: number):
RegisterOp[] | null {
  const reads = ops.map((op, at) => ({ op, at }))
    .filter(({ op }) => op.output !== undefined && op.input.f === "read");
  const replace = (at: number, op: RegisterOp) => ops.map((old, i) => (i === at ? op : old));
  if (mutation === "fresh-read") {
    const target = reads[pick % Math.max(1, reads.length)];
    if (target === undefined) return null;
    return replace(target.at, { ...target.op, output: { f: "read", value: "never" } });
  }
  if (mutation === "wrong-cas") {
    const cases = ops.map((op, at) => ({ op, at }))
      .filter(({ op }) => op.input.f === "cas" && changed(op));
    const target = cases[pick % Math.max(1, cases.length)];
    if (target === undefined || target.op.input.f !== "cas") return null;
    return replace(target.at, { ...target.op, input: { ...target.op.input, from: "never" } });
  }
  for (let k = 0; k < reads.length; k += 1) {
    const read = reads[(pick + k) % reads.length];
    if (read === undefined) continue;
    const w2 = ops.find((op) => changed(op) && op.ret < read.op.call);
    const u = w2 === undefined ? undefined
      : ops.find((op) => op.output !== undefined && writes(op) !== undefined && op.ret < w2.call);
    const value = u === undefined ? undefined : writes(u);
    if (value === undefined || value === null) continue;
    return replace(read.at, { ...read.op, output: { f: "read", value } });
  }
  return null;
}
