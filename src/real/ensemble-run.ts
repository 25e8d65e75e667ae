/**
 * The state of one ensemble scenario on a real ensemble: the slots and the server each slot's
 * session is pinned to, session ordinals, and the highest zxid seen applied in each epoch (which
 * `caughtUp` needs). Also the wait that ends every step (spec "After every step"): every serving
 * server applied every committed transaction, sessions whose server serves again reconnect by
 * themselves, then a ping round trip on every live connected session gathers the step's events.
 */
import type { EventResult, EventTypeName } from "../script/index.js";
import type { EnsembleControl } from "./ensemble-control.js";
import {
  caughtUp, epochOfZxid, leaderOf, pollUntil, statuses,
} from "./ensemble-status.js";
import type { PollTimeouts } from "./ensemble-status.js";
import type { ServerStatus } from "./four-letter.js";
import type { Session, SessionTimeouts } from "./session.js";

/** A slot's live session and the server it talks to (and only to). */
export interface Pinned {
  readonly session: Session;
  server: number;
}

/** The session that ran a step with a response, for `beforeResponse`. */
export interface Stepper {
  readonly slot: number;
  readonly replySeq: number;
  /** A session the step ended (closeSession), whose notifications still count. */
  readonly extra: Session | undefined;
}

const EPOCH_UNIT = 2n ** 32n;

/** The spec's sessions ask for a 6000 ms timeout (negotiated unchanged: 2 to 20 ticks). */
export const ENSEMBLE_SESSION_MS = 6000;

export class EnsembleRun {
  readonly slots: Array<Pinned | undefined> = [];
  readonly opened: Session[] = [];
  private readonly ordinals = new Map<bigint, number>();
  /**
   * Per epoch, the highest zxid a serving server reported (applied, hence committed); a leader's
   * `epoch * 2^32` before the epoch's first transaction is left out.
   */
  private readonly appliedByEpoch = new Map<bigint, bigint>();

  constructor(
    readonly control: EnsembleControl,
    readonly poll: PollTimeouts,
    readonly timeouts: SessionTimeouts,
  ) {}

  readonly ordinalOf = (sessionId: bigint): number | undefined => this.ordinals.get(sessionId);

  /** Registers a new session in `slot` and returns its ordinal. */
  adopt(slot: number, session: Session, server: number): number {
    const ordinal = this.opened.length;
    this.opened.push(session);
    this.ordinals.set(session.sessionId, ordinal);
    this.slots[slot] = { session, server };
    return ordinal;
  }

  /** The slot's session is gone for the run (expired, closed); later steps see SESSIONEXPIRED. */
  drop(slot: number, reason: string): void {
    this.slots[slot]?.session.end(reason);
    this.slots[slot] = undefined;
  }

  /** Statuses of every server, remembering what each serving one has applied. */
  async observe(): Promise<ServerStatus[]> {
    const all = await statuses(this.control);
    for (const status of all) {
      // A new leader's `epoch * 2^32` is no transaction: followers never apply it.
      if (status.kind !== "serving" || status.zxid % EPOCH_UNIT === 0n) continue;
      const epoch = epochOfZxid(status.zxid);
      const seen = this.appliedByEpoch.get(epoch) ?? 0n;
      if (status.zxid > seen) this.appliedByEpoch.set(epoch, status.zxid);
    }
    return all;
  }

  /** The highest zxid seen applied in an epoch before `epoch`. */
  committedBefore(epoch: bigint): bigint {
    let highest = 0n;
    for (const [seenEpoch, zxid] of this.appliedByEpoch) {
      if (seenEpoch < epoch && zxid > highest) highest = zxid;
    }
    return highest;
  }

  /** Whether every serving follower has applied what the serving leader committed. */
  allCaughtUp(all: readonly ServerStatus[]): boolean {
    const leader = leaderOf(all);
    if (leader === undefined) return true;
    const top = all[leader];
    if (top?.kind !== "serving") return false;
    const before = this.committedBefore(epochOfZxid(top.zxid));
    return all.every((status) =>
      status.kind !== "serving" || caughtUp(status.zxid, top.zxid, before));
  }

  /** Ends every connection without closing sessions (the servers die with the run anyway). */
  endAll(): void {
    for (const session of this.opened) session.end("run finished");
  }
}

/** Reconnects each live, disconnected session whose server serves; an expired one closes. */
async function reconnectPinned(run: EnsembleRun, all: readonly ServerStatus[]): Promise<void> {
  for (let slot = 0; slot < run.slots.length; slot++) {
    const pinned = run.slots[slot];
    if (pinned === undefined || pinned.session.connected) continue;
    if (all[pinned.server]?.kind !== "serving") continue;
    const outcome = await pinned.session.reattach(run.control.clientPort(pinned.server));
    if (outcome === "expired") run.drop(slot, "the session expired");
  }
}

/** Pings every live connected session and gathers the notifications they hold, by slot. */
async function gatherEvents(run: EnsembleRun, stepper: Stepper | undefined)
  : Promise<EventResult[]> {
  const events: EventResult[] = [];
  for (let slot = 0; slot < run.slots.length; slot++) {
    const session = run.slots[slot]?.session;
    const isStepper = stepper !== undefined && stepper.slot === slot;
    const source = session ?? (isStepper ? stepper.extra : undefined);
    if (source === undefined) continue;
    if (session !== undefined && session.connected) {
      await session.ping().catch(() => undefined);
    }
    for (const note of source.takeNotifications()) {
      const event: EventResult = { s: slot, type: note.type as EventTypeName, path: note.path };
      events.push(isStepper ? { ...event, beforeResponse: note.seq < stepper.replySeq } : event);
    }
  }
  return events;
}

/**
 * The wait after every step: serving servers caught up with their leader, pinned sessions back
 * on servers that serve again, then the events every live session received.
 */
export async function afterStep(run: EnsembleRun, stepper: Stepper | undefined)
  : Promise<EventResult[]> {
  let last: ServerStatus[] = [];
  await pollUntil("every serving server to apply what its leader committed", run.poll, async () => {
    last = await run.observe();
    return run.allCaughtUp(last);
  });
  await reconnectPinned(run, last);
  return gatherEvents(run, stepper);
}
