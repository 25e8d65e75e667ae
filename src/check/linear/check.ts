/**
 * Checks a whole history against a model: drops what cannot constrain anything (reads whose
 * outcome is unknown), splits it into partitions where the model says that is sound, searches
 * each with one shared budget, and explains the first partition that cannot be linearized.
 */
import { explain } from "./explain.js";
import type { Explanation } from "./explain.js";
import type { Model, Operation } from "./model.js";
import { searchPartition } from "./search.js";
import type { Budget } from "./search.js";

/**
 * The default budget of model steps: enough for every published Knossos history in the test
 * fixtures and every default-seed run, and a few seconds of search at most.
 */
export const DEFAULT_BUDGET = 20_000_000;

/** A verdict: linearizable, not, or unknown because the budget ran out. */
export type LinearVerdict = true | false | "unknown";

/** The result of one check. */
export interface LinearResult {
  readonly valid: LinearVerdict;
  /** Operations in the history (completed or not), before unknown reads are dropped. */
  readonly ops: number;
  readonly model: string;
  /** Null unless `valid` is false. */
  readonly explanation: Explanation | null;
  /** Model steps the search took (at most the budget). */
  readonly steps: number;
  readonly partitions: number;
}

/** A history split by the caller (Jepsen's independent keys): name and operations per key. */
export interface NamedPartition<I, O> {
  readonly name: string | null;
  readonly ops: readonly Operation<I, O>[];
}

function splitByModel<S, I, O>(
  model: Model<S, I, O>, ops: readonly Operation<I, O>[],
): NamedPartition<I, O>[] {
  if (model.partition === undefined) return [{ name: null, ops }];
  return model.partition(ops.map((op) => op.input)).map((group) => {
    const members = group.members.map((at) => ops[at] as Operation<I, O>);
    return { name: group.name, ops: members };
  });
}

/**
 * Checks `partitions` (each further split by the model when it can be) with one budget of
 * `budget` model steps. The verdict is false as soon as one partition cannot be linearized,
 * unknown if none failed but one ran out of budget, true otherwise.
 */
export function checkPartitions<S, I, O>(
  model: Model<S, I, O>, partitions: readonly NamedPartition<I, O>[], budget: number,
): LinearResult {
  const tally: Budget = { remaining: budget };
  const total = partitions.reduce((sum, part) => sum + part.ops.length, 0);
  let unknown = false;
  let searched = 0;
  const result = (valid: LinearVerdict, explanation: Explanation | null): LinearResult => ({
    valid, ops: total, model: model.name, explanation,
    steps: budget - tally.remaining, partitions: searched,
  });
  for (const named of partitions) {
    const kept = named.ops.filter((op) => op.output !== undefined || !model.readOnly(op.input));
    for (const part of splitByModel(model, kept)) {
      searched += 1;
      const found = searchPartition(model, part.ops, tally);
      if (found.verdict === "unknown") unknown = true;
      if (found.verdict !== "invalid") continue;
      const name = named.name ?? part.name;
      const states = found.states as S[];
      return result(false, explain(model, part.ops, found.blocked, states, name));
    }
  }
  return result(unknown ? "unknown" : true, null);
}

/** Checks one history (split only as the model allows). */
export function checkLinearizable<S, I, O>(
  model: Model<S, I, O>, ops: readonly Operation<I, O>[], budget = DEFAULT_BUDGET,
): LinearResult {
  return checkPartitions(model, [{ name: null, ops }], budget);
}
