/**
 * The `--encrypt` run's key events, paired: each key-invoke with its key-complete (by client and
 * id), in trace order, so the key checkers can say "completed before that began". An action
 * that never completed (the run ended, its client gave up) has no completion and counts as
 * possibly applied, as an ambiguous ZooKeeper write does.
 */
import type { KeyAction, KeyObservation, SealedFacts } from "../observe/index.js";
import type { ObservationRecord, TracePoint } from "./types.js";

type Invoke = Extract<KeyObservation, { kind: "key-invoke" }>;
type Complete = Extract<KeyObservation, { kind: "key-complete" }>;

/** One key-service action: what it asked, when, and how it ended. */
export interface KeyEvent {
  readonly action: KeyAction;
  readonly actor: string;
  readonly key: string;
  /** The version the invoke named (a promote's, a min change's new minimum, a destroy's). */
  readonly version: number | null;
  readonly path: string | null;
  readonly subject: string | null;
  readonly invokedAt: TracePoint;
  /** Undefined while it never completed. */
  readonly completedAt: TracePoint | undefined;
  /** "OK", a typed error's code, or "PENDING" (never completed). */
  readonly outcome: string;
  readonly resultVersion: number | null;
  readonly plaintext: string | null;
  readonly plaintextBytes: number | null;
  readonly sealed: SealedFacts | null;
  readonly readers: readonly string[] | null;
}

/** Outcomes that say a write may or may not have been applied. */
export function maybeApplied(event: KeyEvent): boolean {
  return event.outcome === "OK" || event.outcome === "PENDING" ||
    event.outcome === "CONNECTIONLOSS" || event.outcome === "OPERATIONTIMEOUT" ||
    event.outcome === "SESSIONEXPIRED" || event.outcome === "REQUESTTIMEOUT";
}

/** Every key event of the run, in invoke order. */
export function keyEvents(records: readonly ObservationRecord[]): KeyEvent[] {
  const open = new Map<string, { invoke: Invoke; at: TracePoint }>();
  const done = new Map<string, { complete: Complete; at: TracePoint }>();
  const order: string[] = [];
  for (const r of records) {
    const o = r.observation;
    if (o.kind === "key-invoke") {
      const id = `${o.client}/${o.id}`;
      open.set(id, { invoke: o, at: r });
      order.push(id);
    } else if (o.kind === "key-complete") {
      done.set(`${o.client}/${o.id}`, { complete: o, at: r });
    }
  }
  const events: KeyEvent[] = [];
  for (const id of order) {
    const begun = open.get(id);
    if (begun === undefined) continue;
    const ended = done.get(id);
    const { invoke } = begun;
    const c = ended?.complete;
    events.push({
      action: invoke.action, actor: invoke.actor, key: invoke.key, version: invoke.version,
      path: invoke.path, subject: invoke.subject, invokedAt: begun.at, completedAt: ended?.at,
      outcome: c?.outcome ?? "PENDING", resultVersion: c?.version ?? null,
      plaintext: c?.plaintext ?? null, plaintextBytes: c?.plaintextBytes ?? null,
      sealed: c?.sealed ?? null, readers: c?.readers ?? null,
    });
  }
  return events;
}

/** True when `a` completed before `b` was invoked. */
export function completedBefore(a: KeyEvent, b: KeyEvent): boolean {
  return a.completedAt !== undefined && a.completedAt.index < b.invokedAt.index;
}

/** True when `a` was invoked before `b` completed (b never completing counts as late). */
export function invokedBeforeEnd(a: KeyEvent, b: KeyEvent): boolean {
  return b.completedAt === undefined || a.invokedAt.index <= b.completedAt.index;
}

/** Where a violation about `event` points: its completion, else its invoke. */
export function pointOf(event: KeyEvent): TracePoint {
  return event.completedAt ?? event.invokedAt;
}
