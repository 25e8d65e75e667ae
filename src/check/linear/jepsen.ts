/**
 * Jepsen histories (a store's history.edn) as operations for the models. The reader in
 * src/cli/edn-history.ts parses the EDN with edn-data and hands over `JepsenEvent`s in a neutral
 * form; this file pairs invocations with completions and turns them into model operations:
 * - a process's invocation is completed by its next :ok, :fail or :info;
 * - :fail means the operation did not happen and is dropped, except in the znode model, where a
 *   :fail carrying a ZooKeeper :error (:no-node, :node-exists, :bad-version, :not-empty) is an
 *   answer the model must explain;
 * - :info, or an invocation never completed, is an unknown outcome (the invocation's value
 *   counts; the completion's value, such as :timed-out, is ignored);
 * - entries of the :nemesis process are ignored;
 * - register values `[k v]` (Jepsen's independent keys) are checked key by key.
 * Times: the :time of every entry when all have one, else the entry's position.
 */
/**
 * An EDN value in neutral form: nil, a number, a string, a keyword (`{ kw: "name" }`), a
 * vector or list, or anything else as its EDN text (`{ edn: "{:a 1}" }`).
 */
export type Datum =
  | null | boolean | number | string
  | { readonly kw: string } | { readonly edn: string } | readonly Datum[];

/** One entry of a history. */
export interface JepsenEvent {
  /** 1-based line of the file where the entry ends, for error messages. */
  readonly line: number;
  /** A number or a name; null for the :nemesis process. */
  readonly process: number | string | null;
  readonly type: "invoke" | "ok" | "fail" | "info";
  readonly f: string;
  readonly value: Datum;
  readonly time: number | null;
  /** The :error keyword's name, if any. */
  readonly error: string | null;
}

/** A history that does not make sense: one line naming the entry's line. */
export class JepsenHistoryError extends Error {
  constructor(readonly line: number, message: string) {
    super(`line ${line}: ${message}`);
    this.name = "JepsenHistoryError";
  }
}

/** An invocation with its completion (null when it never completed). */
export interface JepsenPair {
  readonly invoke: JepsenEvent;
  readonly complete: JepsenEvent | null;
  readonly call: number;
  readonly ret: number;
}

/** Pairs each invocation with its process's next completion, in invocation order. */
export function pairEvents(events: readonly JepsenEvent[]): JepsenPair[] {
  const timed = events.every((event) => event.time !== null);
  const at = (event: JepsenEvent, index: number) => (timed ? (event.time ?? 0) : index);
  const open = new Map<number | string, { event: JepsenEvent; call: number; slot: number }>();
  const pairs: (JepsenPair | null)[] = [];
  events.forEach((event, index) => {
    if (event.process === null) return;
    const pending = open.get(event.process);
    if (event.type === "invoke") {
      if (pending !== undefined) {
        throw new JepsenHistoryError(event.line, `process ${event.process} invokes again before ` +
          `its invocation on line ${pending.event.line} completed`);
      }
      open.set(event.process, { event, call: at(event, index), slot: pairs.length });
      pairs.push(null);
      return;
    }
    if (pending === undefined) {
      throw new JepsenHistoryError(event.line,
        `:${event.type} for process ${event.process} without an invocation`);
    }
    if (pending.event.f !== event.f) {
      throw new JepsenHistoryError(event.line,
        `completion :f :${event.f} does not match the invocation's :${pending.event.f}`);
    }
    open.delete(event.process);
    pairs[pending.slot] = {
      invoke: pending.event, complete: event, call: pending.call, ret: at(event, index),
    };
  });
  for (const pending of open.values()) {
    pairs[pending.slot] = { invoke: pending.event, complete: null, call: pending.call, ret: 0 };
  }
  return pairs.filter((pair): pair is JepsenPair => pair !== null);
}

/** The canonical text of a value (equal values, equal texts); null for nil. */
export function datumText(datum: Datum): string | null {
  if (datum === null) return null;
  if (typeof datum === "string") return JSON.stringify(datum);
  if (typeof datum === "number" || typeof datum === "boolean") return String(datum);
  if (Array.isArray(datum)) return `[${datum.map((d: Datum) => datumText(d) ?? "nil").join(" ")}]`;
  if ("kw" in datum) return `:${datum.kw}`;
  return (datum as { edn: string }).edn;
}
