/**
 * Explanations of a history that cannot be linearized, small enough to read: the shortest
 * prefix that cannot be linearized ends at the completion of one operation (the search's
 * deepest blocking return); the explanation names it, the operations that overlap it, the last
 * ones that completed before it was called, and the states the object could be in at that
 * point, as structured data (for `--json` and the HTML replay) and as a text timeline.
 */
import type { Model, Operation } from "./model.js";

/** One operation as an explanation shows it. */
export interface ExplainedOp {
  /** Its index in the explanation's `ops`. */
  readonly index: number;
  readonly process: number | string;
  /** The model's phrase for it: "read 3", "cas 1->2". */
  readonly op: string;
  readonly call: number;
  /** Null when its outcome is unknown. */
  readonly ret: number | null;
  readonly source: string | null;
  /** "blocked": no order explains it; "concurrent": overlaps it; "before": ended before it. */
  readonly role: "blocked" | "concurrent" | "before";
}

/** One row of the timeline: an invocation or a completion. */
export interface TimelineEvent {
  readonly time: number;
  readonly process: number | string;
  readonly kind: "invoke" | "complete";
  /** Index into the explanation's `ops`. */
  readonly op: number;
}

/** Why a history is not linearizable. */
export interface Explanation {
  /** The partition (key or path group) the violation is in; null for a single partition. */
  readonly partition: string | null;
  /** How many operations of the partition the shortest failing prefix holds. */
  readonly prefixOps: number;
  /** Index into `ops` of the operation whose completion ends that prefix. */
  readonly blocked: number;
  readonly ops: readonly ExplainedOp[];
  /** The states the object could be in when the blocked operation completed. */
  readonly states: readonly string[];
  /** Invocations and completions of `ops`, in time order. */
  readonly timeline: readonly TimelineEvent[];
  /** The same, rendered for a terminal. */
  readonly text: string;
}

/** At most this many overlapping operations, and this many earlier ones, are shown. */
const CONCURRENT_MAX = 12;
const BEFORE_MAX = 2;

type Pick = { readonly at: number; readonly role: ExplainedOp["role"] };

function pickInvolved<I, O>(ops: readonly Operation<I, O>[], blocked: number): Pick[] {
  const target = ops[blocked];
  if (target === undefined) return [];
  const overlaps = (op: Operation<I, O>): boolean =>
    op.call <= target.ret && (op.output === undefined || op.ret >= target.call);
  const concurrent = ops.map((op, at) => ({ op, at }))
    .filter(({ op, at }) => at !== blocked && overlaps(op))
    .slice(-CONCURRENT_MAX);
  const before = ops.map((op, at) => ({ op, at }))
    .filter(({ op }) => op.output !== undefined && op.ret < target.call)
    .sort((a, b) => a.op.ret - b.op.ret || a.at - b.at)
    .slice(-BEFORE_MAX);
  const picks: Pick[] = [
    ...before.map(({ at }) => ({ at, role: "before" as const })),
    ...concurrent.map(({ at }) => ({ at, role: "concurrent" as const })),
    { at: blocked, role: "blocked" },
  ];
  return picks.sort((a, b) => (ops[a.at]?.call ?? 0) - (ops[b.at]?.call ?? 0) || a.at - b.at);
}

function timelineOf(ops: readonly ExplainedOp[]): TimelineEvent[] {
  const events: TimelineEvent[] = [];
  for (const op of ops) {
    events.push({ time: op.call, process: op.process, kind: "invoke", op: op.index });
    if (op.ret !== null) {
      events.push({ time: op.ret, process: op.process, kind: "complete", op: op.index });
    }
  }
  const rank = (event: TimelineEvent) => (event.kind === "invoke" ? 0 : 1);
  return events.sort((a, b) => a.time - b.time || rank(a) - rank(b) || a.op - b.op);
}

/** Builds the explanation of a partition whose search blocked at `ops[blocked]`. */
export function explain<S, I, O>(
  model: Model<S, I, O>, ops: readonly Operation<I, O>[], blocked: number,
  states: readonly S[], partition: string | null,
): Explanation {
  const target = ops[blocked];
  const picks = pickInvolved(ops, blocked);
  const shown: ExplainedOp[] = picks.map(({ at, role }, index) => {
    const op = ops[at] as Operation<I, O>;
    return {
      index, process: op.process, op: model.describeOp(op.input, op.output),
      call: op.call, ret: op.output === undefined ? null : op.ret,
      source: op.source ?? null, role,
    };
  });
  const prefixOps = target === undefined ? 0 : ops.filter((op) => op.call <= target.ret).length;
  const timeline = timelineOf(shown);
  const blockedIndex = picks.findIndex((pick) => pick.role === "blocked");
  const stateTexts = states.map((state) => model.describeState(state));
  const base = { partition, prefixOps, blocked: blockedIndex, ops: shown, states: stateTexts };
  return { ...base, timeline, text: renderExplanation({ ...base, timeline }) };
}

/** The text form: one sentence, then one line per timeline event. */
export function renderExplanation(explanation: Omit<Explanation, "text">): string {
  const blocked = explanation.ops[explanation.blocked];
  const where = explanation.partition === null ? "" : ` in ${explanation.partition}`;
  const states = explanation.states.length === 0 ? "?" : explanation.states.join(" or ");
  const lines = [
    `not linearizable${where}: no order of the first ${explanation.prefixOps} operations ` +
    `explains "${blocked?.op ?? "?"}" by process ${String(blocked?.process ?? "?")} ` +
    `(completed at ${String(blocked?.ret ?? "?")}); the state could be ${states} there.`,
    `${"time".padStart(12)}  ${"process".padEnd(8)} event`,
  ];
  for (const event of explanation.timeline) {
    const op = explanation.ops[event.op];
    const verb = event.kind === "invoke" ? "invoke  " : "complete";
    const mark = op?.role === "blocked" && event.kind === "complete"
      ? "   <- cannot be linearized" : "";
    const source = op?.source === null || op?.source === undefined ? "" : `  (${op.source})`;
    lines.push(`${String(event.time).padStart(12)}  ${String(event.process).padEnd(8)} ` +
      `${verb} ${op?.op ?? "?"}${source}${mark}`);
  }
  return `${lines.join("\n")}\n`;
}
