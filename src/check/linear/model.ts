/**
 * The contract between the linearizability search and a sequential model. A model is the
 * checker's own naive specification of an object (a register, a znode tree), never the code it
 * judges (shared/style.md rule 1): a checker built on `src/tree` could not catch `src/tree`'s bugs.
 *
 * States are immutable values; the search interns them by `key` so that its memo (Lowe's cache
 * of (linearized set, state) pairs) compares integers, not structures.
 */

/** One operation of a history, with its outcome and its real-time interval. */
export interface Operation<I, O> {
  /** Who issued it (a Jepsen :process, a session id): shown in explanations. */
  readonly process: number | string;
  readonly input: I;
  /**
   * What the caller learned. `undefined` means the outcome is unknown (Jepsen's :info, a
   * request that timed out or never completed): the operation may take effect at any point
   * after its call, or never.
   */
  readonly output: O | undefined;
  /** Invocation time (any unit, as long as the whole history shares it). */
  readonly call: number;
  /**
   * Completion time. Ignored when `output` is undefined. Intervals are closed, as Porcupine's:
   * an operation returning at t overlaps one called at t.
   */
  readonly ret: number;
  /** Where the operation came from (a line of a file, a trace position), for explanations. */
  readonly source?: string;
}

/** A sequential specification: the states an object goes through, one operation at a time. */
export interface Model<S, I, O> {
  /** "register", "cas-register", "znode". */
  readonly name: string;
  /** The state before any operation. */
  init(): S;
  /**
   * The state after `input` took effect with `output`, or `undefined` when that output is
   * impossible in `state`. `output` undefined (an unknown outcome) asks for the effect of the
   * operation when it did take effect; return `undefined` when it could not have (it may then
   * still never take effect, which the search allows).
   */
  step(state: S, input: I, output: O | undefined): S | undefined;
  /** Equal keys for equal states, distinct keys otherwise: the search interns states by it. */
  key(state: S): string;
  /** True when the operation never changes the state (a read): an unknown read is dropped. */
  readOnly(input: I): boolean;
  /**
   * True when the operation, with this output, leaves every state that accepts it unchanged (a
   * read, a cas that failed, an error answer). The search then never tries it later than the
   * first point where it fits (see search.ts).
   */
  noop(input: I, output: O | undefined): boolean;
  /**
   * Groups of operation indices such that no operation of one group can affect the outcome of
   * an operation of another: then the history is linearizable iff each group is (locality,
   * Herlihy and Wing 1990; P-compositionality, Horn and Kroening 2015). Each group has a name
   * for explanations. Omit for one group.
   */
  partition?(inputs: readonly I[]): { readonly name: string; readonly members: number[] }[];
  /** One short phrase: "write 3", "cas 1->2 fail", "create /a NODEEXISTS". */
  describeOp(input: I, output: O | undefined): string;
  /** One short phrase: "3", "/a@2=\"x\"". */
  describeState(state: S): string;
}
