/**
 * The Wing and Gong search with Lowe's memoization, over one partition of a history: the
 * algorithm of Porcupine's `checkSingle` and Knossos's `wgl` checker (Lowe, "Testing for
 * linearizability", 2017). Calls and returns sit in one doubly linked list in time order; the
 * search walks it, tentatively linearizing (lifting) an operation at its call when the model
 * accepts it, and backtracks when it meets the return of an operation it has not linearized.
 * A configuration (linearized set, model state) seen before is never explored again.
 *
 * No-ops first: an operation that leaves every state it fits unchanged (a read, a failed cas)
 * and fits the current state is linearized there and never tried later. Any linearization that
 * places it later gives the same states with it moved here (it was called already, and every
 * operation that returned before its call is already linearized), so the later placements add
 * nothing; when the configuration with it fails, the configuration without it fails too. This
 * is the reduction that keeps read-heavy histories with many processes tractable.
 *
 * Unknown outcomes: an operation whose outcome is unknown has a call and no return, so it may be
 * lifted at any point after its call or never; the search succeeds once every completed
 * operation is linearized, whatever unknown ones remain.
 *
 * Budget: every model step costs one unit of a shared budget. When it runs out the verdict is
 * "unknown": never wall time, so the same history and budget always give the same verdict.
 */
import { unreachable } from "../../util/index.js";
import { LinearizedSet } from "./linearized-set.js";
import type { Model, Operation } from "./model.js";

/** A budget of model steps shared by the partitions of one check. */
export interface Budget {
  remaining: number;
}

/** The outcome of searching one partition. */
export type SearchResult =
  | { readonly verdict: "valid" }
  | { readonly verdict: "unknown" }
  | {
    readonly verdict: "invalid";
    /**
     * Index (into the operations searched) of the completed operation whose return no
     * configuration got past: the history up to that return is the shortest prefix that cannot
     * be linearized.
     */
    readonly blocked: number;
    /** Model states the search could be in when it reached that return (a few). */
    readonly states: readonly unknown[];
  };

/** How many distinct model states an explanation lists at the blocking point. */
const FRONTIER_STATES_MAX = 8;

interface Entries {
  /** Operation id of each entry, in time order (the head sentinel holds -1). */
  readonly op: Int32Array;
  /** For a call entry, the index of its return entry; -1 for an unknown outcome. */
  readonly match: Int32Array;
  /** 1 for a return entry. */
  readonly isReturn: Uint8Array;
  readonly next: Int32Array;
  readonly prev: Int32Array;
  /** Entry index of the head sentinel (the last slot). */
  readonly head: number;
}

/** Ids are operation indices sorted by call time (ties: original order). */
function callOrder<I, O>(ops: readonly Operation<I, O>[]): number[] {
  return ops.map((_, index) => index).sort((a, b) => {
    const [x, y] = [ops[a], ops[b]];
    return (x?.call ?? 0) - (y?.call ?? 0) || a - b;
  });
}

/**
 * Calls and returns in time order; at equal times a call comes first (closed intervals, as
 * Porcupine's `byTime`). `ids[k]` is the operation with id k.
 */
function buildEntries<I, O>(ops: readonly Operation<I, O>[], ids: readonly number[]): Entries {
  const events: { time: number; ret: boolean; id: number }[] = [];
  ids.forEach((index, id) => {
    const op = ops[index];
    if (op === undefined) return;
    events.push({ time: op.call, ret: false, id });
    if (op.output !== undefined) events.push({ time: op.ret, ret: true, id });
  });
  events.sort((a, b) => a.time - b.time || Number(a.ret) - Number(b.ret) || a.id - b.id);
  const size = events.length;
  const op = new Int32Array(size + 1).fill(-1);
  const match = new Int32Array(size + 1).fill(-1);
  const isReturn = new Uint8Array(size + 1);
  const next = new Int32Array(size + 1);
  const prev = new Int32Array(size + 1);
  const returnAt = new Int32Array(ids.length).fill(-1);
  events.forEach((event, at) => {
    op[at] = event.id;
    if (event.ret) {
      returnAt[event.id] = at;
      isReturn[at] = 1;
    }
  });
  events.forEach((event, at) => {
    if (!event.ret) match[at] = returnAt[event.id] ?? -1;
    next[at] = at + 1 < size ? at + 1 : -1;
    prev[at] = at === 0 ? size : at - 1;
  });
  next[size] = size > 0 ? 0 : -1;
  prev[size] = -1;
  return { op, match, isReturn, next, prev, head: size };
}

function unlink(list: Entries, at: number): void {
  const [before, after] = [list.prev[at] ?? -1, list.next[at] ?? -1];
  list.next[before] = after;
  if (after !== -1) list.prev[after] = before;
}

function relink(list: Entries, at: number): void {
  const [before, after] = [list.prev[at] ?? -1, list.next[at] ?? -1];
  list.next[before] = at;
  if (after !== -1) list.prev[after] = at;
}

/** Lifts a call entry and its return (if any) out of the list. */
function lift(list: Entries, call: number): void {
  unlink(list, call);
  const ret = list.match[call] ?? -1;
  if (ret !== -1) unlink(list, ret);
}

/** Puts them back, in the reverse order of `lift`. */
function unlift(list: Entries, call: number): void {
  const ret = list.match[call] ?? -1;
  if (ret !== -1) relink(list, ret);
  relink(list, call);
}

/** Interns model states: equal keys share one small integer. */
class StateTable<S> {
  readonly states: S[] = [];
  private readonly ids = new Map<string, number>();

  constructor(private readonly key: (state: S) => string) {}

  intern(state: S): number {
    const key = this.key(state);
    const known = this.ids.get(key);
    if (known !== undefined) return known;
    this.states.push(state);
    this.ids.set(key, this.states.length - 1);
    return this.states.length - 1;
  }
}

/** The deepest return the search met unlinearized, and the states it met it in. */
class Frontier {
  entry = -1;
  id = -1;
  readonly stateIds: number[] = [];

  meet(entry: number, id: number, stateId: number): void {
    if (entry > this.entry) {
      this.entry = entry;
      this.id = id;
      this.stateIds.length = 0;
    }
    if (entry === this.entry && this.stateIds.length < FRONTIER_STATES_MAX &&
      !this.stateIds.includes(stateId)) {
      this.stateIds.push(stateId);
    }
  }
}

/** Entries in time order, and per operation id: unknown outcome? no-op? */
function prepare<S, I, O>(model: Model<S, I, O>, ops: readonly Operation<I, O>[]) {
  const ids = callOrder(ops);
  const list = buildEntries(ops, ids);
  const unknown = new Uint8Array(ids.map((index) => (ops[index]?.output === undefined ? 1 : 0)));
  const noop = new Uint8Array(ids.map((index) => {
    const op = ops[index];
    return op !== undefined && model.noop(op.input, op.output) ? 1 : 0;
  }));
  return { ids, list, unknown, noop };
}

/** Searches one partition for a linearization; see the module comment. */
export function searchPartition<S, I, O>(
  model: Model<S, I, O>, ops: readonly Operation<I, O>[], budget: Budget,
): SearchResult {
  const { ids, list, unknown, noop } = prepare(model, ops);
  let pending = unknown.reduce((sum, flag) => sum + (1 - flag), 0);
  const set = new LinearizedSet(unknown);
  const table = new StateTable(model.key);
  const seen = new Set<string>();
  const stack: number[] = [];
  const stateStack: number[] = [];
  const frontier = new Frontier();
  let state = table.intern(model.init());
  let entry = list.next[list.head] ?? -1;
  while (pending > 0) {
    if (entry === -1) unreachable("a completed operation's return is always ahead");
    const id = list.op[entry] ?? -1;
    let dead = list.isReturn[entry] === 1;
    if (!dead) {
      if (budget.remaining <= 0) return { verdict: "unknown" };
      budget.remaining -= 1;
      const op = ops[ids[id] ?? -1];
      const after = op === undefined ? undefined
        : model.step(table.states[state] as S, op.input, op.output);
      if (after !== undefined) {
        const afterId = table.intern(after);
        set.add(id);
        const key = `${afterId}#${set.key()}`;
        if (!seen.has(key)) {
          seen.add(key);
          stack.push(entry);
          stateStack.push(state);
          state = afterId;
          lift(list, entry);
          pending -= 1 - (unknown[id] ?? 0);
          entry = list.next[list.head] ?? -1;
          continue;
        }
        set.delete(id);
        dead = noop[id] === 1;
      }
      if (!dead) {
        entry = list.next[entry] ?? -1;
        continue;
      }
    } else {
      frontier.meet(entry, id, state);
    }
    // Backtrack, past every no-op: trying it later adds nothing (module comment).
    let top: number | undefined;
    do {
      top = stack.pop();
      if (top === undefined) {
        const blocked = ids[frontier.id] ?? -1;
        const states = frontier.stateIds.map((s) => table.states[s] as S);
        return { verdict: "invalid", blocked, states };
      }
      state = stateStack.pop() ?? 0;
      const topId = list.op[top] ?? -1;
      set.delete(topId);
      pending += 1 - (unknown[topId] ?? 0);
      unlift(list, top);
    } while (noop[list.op[top] ?? -1] === 1);
    entry = list.next[top] ?? -1;
  }
  return { verdict: "valid" };
}
